"""One parent message understood as a whole, whatever the conversation is doing.

`understand` returns every fact the message holds (condition, age or birth date,
ZIP or town, sex, curve size), every service question it asks, any request (a
person, start over, pause, Spanish), and any red flag or request for medical
advice. The dialogue (bot/dialogue.py) then decides what to say, in a fixed order.
The NLU intent is one signal among several: facts, commands and safety are read
here with rules, so a misclassified intent cannot lose them. Pure Python, no Rasa.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Optional

from bot import faq, language, safety, screening
from bot.channels.input_filter import CARD_MARKER
from bot.places import Place, find_place

SURE = 0.8  # an NLU intent this confident counts on its own

# A condition the parent only suspects: no doctor has named it yet.
_HEDGE_RE = re.compile(
    r"\b(i|we)\s*(think|thought|guess|suspect|wonder\w*|believe|feel like)\b|\bmaybe\b|"
    r"\bmight (be|have)\b|\bmay (be|have)\b|\bcould (be|have)\b|\bprobably\b|\bpossibl[ey]\b|"
    r"\bpretty sure\b|\blooks? (like|crooked|uneven|off|curved)\b|\bseems? (like|crooked|curved)\b|"
    r"\b(not|never)\s+(been\s+)?(seen|checked|diagnosed|looked at)\b|"
    r"\b(haven'?t|havent|have not|hasn'?t|hasnt|has not|didn'?t|didnt|did not)\s+"
    r"(seen|been to|gone to|taken \w+ to|had \w+ (checked|seen|looked at)|see)\b|"
    r"\bno (doctor|dr|diagnosis|dx)\b|\bnot (sure|certain)\b|\bschool (screening|nurse)\b", re.I)
# A doctor named the condition: the hedge words then describe something else.
_DIAGNOSED_RE = re.compile(
    r"\b(diagnos\w*|dx|dx'?d)\b(?!.{0,12}\b(yet|not)\b)|\b(dr|doctor|doc|surgeon|ortho\w*|"
    r"pediatrician|specialist|x-?ray\w*|mri|ct scan)\b.{0,40}\b(said|says|found|told|confirmed|"
    r"showed|shows|called it)\b|\bwas told\b|\bwe were told\b", re.I)
_NOT_DIAGNOSED_RE = re.compile(r"\b(not|never|isn'?t|hasn'?t|hasnt|wasn'?t)\s+(been\s+|yet\s+)?"
                               r"(officially\s+)?diagnosed\b|\bno diagnosis\b", re.I)

_CURVE_RE = re.compile(r"(?<![\d.])(\d{1,3})\s*(?:\u00b0|º|deg\b|degs\b|degrees?\b|degree curve)", re.I)
_CURVE_WORDS_RE = re.compile(r"\b(?:curve|cobb|angle)\w*\s+(?:of|is|at|was|about|around|~)?\s*"
                             r"(\d{1,3})\b(?!\s*(?:years?|yrs?|months?|%))", re.I)

_MALE_RE = re.compile(r"\b(son|boy|ds|stepson|grandson|nephew|he'?s|he is|he has|my little man)\b", re.I)
_FEMALE_RE = re.compile(r"\b(daughter|girl|dd|stepdaughter|granddaughter|niece|she'?s|she is|"
                        r"she has)\b", re.I)

# Requests that work in any state of the conversation.
_HUMAN_RE = re.compile(
    r"\b(real|live|actual)\s+(person|human|people)\b|\b(speak|talk|chat)\w*\s+(to|with)\s+"
    r"(a |an |the |some |your )?(person|human|someone|somebody|agent|representative|rep|"
    r"coordinator|nurse|staff|people|operator)\b|\b(agent|representative|operator|human)\b\s*(please|pls|plz)?\s*[.!?]*$|"
    r"^\s*(a )?(person|human|agent|representative|operator|coordinator)\b|"
    r"\b(can|could|will|would)\s+(someone|somebody|a person|the coordinator|you|y'?all|yall)\s+"
    r"(please\s+)?(call|phone|ring)\s+(me|us)\b|\bcall me\b|\bgive me a call\b|"
    r"\bneed to (talk|speak) to someone\b|\btalk to a person\b", re.I)
_RESTART_RE = re.compile(
    r"^\s*(can (we|i) |let'?s |i want to |i'?d like to |please )?(start (over|again|from the (beginning|start)|"
    r"fresh|from scratch)|restart|reset|begin again|redo( it| everything| all)?|do (it|this) over|"
    r"start it over)(\s+please|\s+pls)?\s*[.!?]*\s*$", re.I)
_PAUSE_RE = re.compile(
    r"^\s*(ok(ay)?[,.]?\s+)?(stop|cancel|nevermind|never mind|nvm|forget it|quit|pause|later|"
    r"not now|maybe later|another time|i'?ll finish later|(i'?ll |can i |let me )?(finish|do (this|it)|"
    r"continue|come back)( to this| to it)?( later| tomorrow| tonight)|gtg|got to go|gotta go|brb|"
    r"ttyl|talk later|hold on|one sec(ond)?|busy( right)? now|i'?m busy|stop (for now|here))"
    r"(\s+(please|pls|thanks|thank you))?\s*[.!]*\s*$", re.I)
_RESUME_RE = re.compile(
    r"^\s*(ok(ay)?[,.]?\s+)?(continue|resume|keep going|go on|go ahead|let'?s (go|continue|keep going|"
    r"finish|do it|start)|i'?m (back|ready)|back|ready|start( the (form|questions))?|"
    r"(go )?back to the (form|questions)|carry on|yes,? (continue|keep going)|"
    r"pick up where we left off)(\s+(please|pls|now))?\s*[.!]*\s*$", re.I)
_RESEND_RE = re.compile(r"\b(send|text|email|resend|re-send|need|lost|where is|didn'?t get|didnt get|"
                        r"can'?t find|cant find|new|another)\b.{0,25}\b(link|upload page)\b", re.I)

_SOCIAL = {
    "greet": re.compile(r"^\s*(hi+|hello+|hey+|good (morning|afternoon|evening)|hiya|howdy|yo|"
                        r"greetings)\b[\s!.,]*(there|yall|y'all|all)?[\s!.,]*$", re.I),
    "thank": re.compile(r"^\s*(ok(ay)?[,.!]?\s+)?(thanks?|thank (you|u)|thx|ty|tysm|appreciate (it|you))"
                        r"(\s+(so much|very much|a lot|again|for (your|the) help))*[\s!.,]*$", re.I),
    "goodbye": re.compile(r"^\s*(bye+|goodbye|good night|see (you|ya)|take care|have a good "
                          r"(day|night|one))[\s!.,]*$", re.I),
    "affirm": re.compile(r"^\s*(1|y|yes+|yeah|yep|yup|sure|ok(ay)?|please|yes please|sounds good|"
                         r"let'?s do it|absolutely|of course|correct|right|go ahead|i do|we do)\b"
                         r"[\s!.,]*(please|thanks|thank you)?[\s!.,]*$", re.I),
    "deny": re.compile(r"^\s*(2|n|no+|nope|nah|not really|no thanks?|no thank you|not now|"
                       r"i'?m good|we'?re good|all set)[\s!.,]*$", re.I),
}
SOCIAL_INTENTS = frozenset(_SOCIAL)


@dataclass
class Understanding:
    text: str
    intent: Optional[str] = None
    confidence: float = 0.0
    condition: Optional[dict[str, Any]] = None  # screening.condition_value shape
    hedged: bool = False  # a condition named, but no doctor has diagnosed it
    age_years: Optional[float] = None
    birth_date: Optional[str] = None
    age_problem: Optional[str] = None  # "future_date", "unparseable"...: a date we cannot take
    zip: Optional[str] = None
    zip_unknown: bool = False  # five digits that are no ZIP code
    place: Optional[Place] = None
    child_sex: Optional[str] = None
    curve_degrees: Optional[int] = None
    questions: list[str] = field(default_factory=list)  # FAQ topic keys, in order
    requests: list[str] = field(default_factory=list)  # human, restart, pause, resume, spanish, resend_link
    red_flag: bool = False
    emergency_question: bool = False
    advice: bool = False
    card: bool = False
    language: str = "en"
    social: Optional[str] = None  # greet | thank | goodbye | affirm | deny

    @property
    def facts(self) -> dict[str, Any]:
        """Screening facts found, under their slot names."""
        found: dict[str, Any] = {}
        if self.condition:
            found["condition"] = self.condition
        if self.age_years is not None:
            found["child_age"] = self.age_years
        if self.birth_date:
            found["child_birth_date"] = self.birth_date
        if self.zip:
            found["home_zip"] = self.zip
        return found

    @property
    def has_facts(self) -> bool:
        return bool(self.facts or self.place or self.curve_degrees)

    @property
    def asks(self) -> bool:
        return bool(self.questions or self.advice or self.emergency_question)


def _hedged(text: str) -> bool:
    if _NOT_DIAGNOSED_RE.search(text):
        return True
    return bool(_HEDGE_RE.search(text)) and not _DIAGNOSED_RE.search(text)


def _sex(text: str) -> Optional[str]:
    male, female = bool(_MALE_RE.search(text)), bool(_FEMALE_RE.search(text))
    if male != female:
        return "male" if male else "female"
    return None


def _curve(text: str) -> Optional[int]:
    m = _CURVE_RE.search(text) or _CURVE_WORDS_RE.search(text)
    if m and 1 <= int(m[1]) <= 150:
        return int(m[1])
    return None


def requests_in(text: str) -> list[str]:
    found = []
    if _HUMAN_RE.search(text):
        found.append("human")
    if _RESTART_RE.match(text):
        found.append("restart")
    if _PAUSE_RE.match(text):
        found.append("pause")
    if _RESUME_RE.match(text):
        found.append("resume")
    if language.asks_for_spanish(text):
        found.append("spanish")
    if _RESEND_RE.search(text):
        found.append("resend_link")
    return found


def social_of(text: str, intent: Optional[str], confidence: float) -> Optional[str]:
    for name, rx in _SOCIAL.items():
        if rx.match(text):
            return name
    short = len(text.split()) <= 4
    if intent in SOCIAL_INTENTS and confidence >= SURE and short:
        return intent
    return None


def understand(text: str, intent: Optional[str] = None, confidence: float = 0.0,
               today: Optional[dt.date] = None, expecting: Optional[str] = None,
               known: Optional[dict[str, Any]] = None) -> Understanding:
    """Read one message. `expecting` is the screening slot just asked, if any
    ("condition", "child_age", "home_zip"), so a bare "14" or "macon" is read as its
    answer; `known` holds the screening facts we already have."""
    today = today or dt.date.today()
    text = (text or "").replace("\u2019", "'").replace("\u2018", "'").strip()
    u = Understanding(text=text, intent=intent, confidence=confidence or 0.0)
    if text.startswith("/"):  # a button payload: the intent is the message
        return u
    u.card = CARD_MARKER in text
    u.language = "es" if language.is_spanish(text) else "en"
    u.red_flag = safety.has_red_flag(text)
    u.emergency_question = safety.asks_emergency_question(text)
    u.requests = requests_in(text)
    u.social = social_of(text, intent, u.confidence)

    reading = screening.read_message(text, expecting, today, known or {})
    values = reading.values
    if "condition" in values:
        u.condition = values["condition"]
        if u.condition["kind"] == "program" and _hedged(text):
            u.hedged = True
            u.condition = {**u.condition, "kind": "undiagnosed", "hedged_programs": u.condition["programs"],
                           "programs": [], "conditions": []}
    u.age_years = values.get("child_age")
    u.birth_date = values.get("child_birth_date")
    if expecting == "child_age" and reading.problem and reading.problem.startswith("age_"):
        u.age_problem = reading.problem[4:]
    u.zip = values.get("home_zip")
    u.zip_unknown = reading.problem == "zip_unknown" or (
        expecting != "home_zip" and bool(re.search(r"\bzip\b", text, re.I)) and not u.zip)
    if not u.zip:
        u.place = find_place(text, asked=expecting == "home_zip")
    u.child_sex = _sex(text)
    u.curve_degrees = _curve(text)

    u.questions = faq.questions_in(text, intent, u.confidence)
    u.advice = faq.asks_for_advice(text) and not u.emergency_question
    return u
