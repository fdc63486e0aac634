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
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Optional

from bot import faq, language, safety, screening
from bot.scrub import CARD_MARKER, SSN_MARKER
from bot.places import Place, find_place
from bot.programs import load_catalogue
from bot.diagnosis_words import NOT_DIAGNOSED_RE, SHRUG_RE, doctor_answer, doubt_about, loose_problem
from bot.understanding_requests import _SOCIAL, asks_eligibility, numbers_confused, requests_in, social_of

_CURVE_RE = re.compile(r"(?<![\d.])(\d{1,3})\s*(?:\u00b0|º|deg\b|degs\b|degr?e+s?\b|degree curve|grados)", re.I)
_CURVE_WORDS_RE = re.compile(r"\b(?:curve|cobb|angle)\w*\s+(?:of|is|at|was|about|around|~)?\s*"
                             r"(\d{1,3})\b(?!\s*(?:years?|yrs?|months?|%))", re.I)

_MALE_RE = re.compile(r"\b(son|boy|ds|stepson|grandson|nephew|male|hijo|nino)\b", re.I)
_FEMALE_RE = re.compile(r"\b(daughter|girl|dd|stepdaughter|granddaughter|niece|female|hija|nina)\b", re.I)
_MALE_PRONOUN_RE = re.compile(r"\b(he|his|him|he'?s)\b", re.I)
_FEMALE_PRONOUN_RE = re.compile(r"\b(she|her|hers|she'?s)\b", re.I)

# "can I just send you x-rays instead of going in?": skipping care for the review.
_AVOID_CARE_RE = re.compile(r"\binstead of (going|taking \w+|bringing \w+)( in| to)?\b|"
                            r"\b(wait|hold off) (till|until|til) (tomorrow|monday|morning|the morning)\b", re.I)
_EMERGENCY_WORDS_RE = re.compile(r"\b(er|e\.r\.|emergency|911|urgent care|ambulance|hospital tonight|"
                                r"right now|tonight)\b", re.I)
# The parent speaks of their own home: "we live in", "we're in", "our zip", "i'm in".
_HOME_SAID_RE = re.compile(r"\b(we|i|we'?re|were|i'?m|im|our (family|home|house|zip)|us)\b[^.?!]{0,20}"
                           r"\b(live|living|moved|stay|reside|in|from|near|at)\b|^\s*(in|from)\b", re.I)
# "my daughter Lily is 11", "our son, Caleb, has": a capitalised name right after the child.
_CHILD_NAME_RE = re.compile(r"\b(?:[Mm]y|[Oo]ur)\s+(?:\d+\s*(?:yo|yr|year)[\w-]*\s+)?(?:son|daughter|child|"
                            r"kid|boy|girl|grandson|granddaughter|stepson|stepdaughter|baby|toddler),?\s+"
                            r"([A-Z][a-z]{1,20})\b")
# Capitalised words after "my son" that are not names.
_NOT_NAMES = frozenset("has is was and who with had got needs just recently also the".split())
_PERSON_RE = re.compile(r"\b(person|human|agent|representative|someone|somebody|coordinator|operator|"
                        r"people|staff|nurse)\b", re.I)
_RELATIONSHIP_RE = re.compile(
    r"\b(?:i'?m|im|i am|this is)\s+(?:his|her|their|the)\s+(mom|mother|mama|mommy|dad|father|daddy|papa|"
    r"grandma|grandmother|granny|nana|grandpa|grandfather|granddad|grandaddy|granddaddy|legal guardian|"
    r"guardian|foster (?:mom|dad|parent|mother|father))\b", re.I)
_RELATIONSHIP_CODES = {"mom": "mother", "mother": "mother", "mama": "mother", "mommy": "mother",
                       "dad": "father", "father": "father", "daddy": "father", "papa": "father",
                       "legal guardian": "guardian", "guardian": "guardian"}
_NOT_IN_RE = re.compile(r"\b(not|n'?t|never)\s+(?:live\s+|living\s+)?(?:in|from|near|around)\s+"
                        r"(?:the\s+)?[a-z]+(?:\s+area)?\b", re.I)
# "my sister's address in Macon", "her zip is 31204": somebody else's home.
_SOMEONE_ELSE_RE = re.compile(r"\b(sister|brother|mom|mother|mama|dad|father|grandma|grandmother|"
                              r"grandpa|grandparents?|aunt|uncle|cousin|friend|relative|in-?laws?|"
                              r"someone else|somebody else)'?s?\b[^.?!]{0,30}\b(address|zip|house|home|"
                              r"place|lives?|living)\b|\b(use|put down|borrow)\b[^.?!]{0,20}\baddress\b", re.I)
# The family's own home said outright: "we actually live in", "we moved", "Chloe lives
# with me in Athens", "our zip". Said with a relative's house, the family's home wins.
_OWN_HOME_RE = re.compile(
    r"\b(we|i)\s+(?:\w+\s+){0,2}?(live|living|moved|stay|staying|reside)\b|"
    r"\b(we'?re|were|i'?m|im|we are|i am)\s+(?:actually\s+|really\s+|now\s+)?(in|from)\b|"
    r"\b(lives?|living|stays?|staying)\s+(?:here\s+)?with\s+(me|us)\b|"
    r"\bour (?:own )?(home|house|address|zip)\b|\bmy (?:own )?(home|address|zip)\b", re.I)
_CLAUSE_RE = re.compile(r"[.,;!?\n]+|\s+(?:but|and|though|however|while)\s+", re.I)
# What may stand around a ZIP typed alone: "oh sorry, actually 30606".
_BARE_HOME_WORDS = frozenset("""oh oops sorry no nope actually wait correction i meant it's its it is
the zip code my our ga georgia ok okay um new is""".split())
# A review asked for by its program: "can he have the hip review too", "what about his
# hip??", "we want both". Only with a word that adds ("too", "both", "what about"), so
# "how much is the hip review?" asks nothing new.
_PROGRAM_WORD_RE = re.compile(r"\b(?:(?:what|how) about (?:his|her|their|the)\s+(hips?|spine|back)\b|"
                              r"(hips?|spine|spinal|back)\s+(?:review|one|program|team|opinion)s?)\b", re.I)
_ADDS_RE = re.compile(r"\b(too|also|as well|both|what about|how about|add|another|second|plus|in addition)\b", re.I)
_BOTH_REVIEWS_RE = re.compile(r"\bboth (?:the )?(reviews|programs|teams)\b", re.I)
_BOTH_RE = re.compile(_BOTH_REVIEWS_RE.pattern + r"|\b(want|need|get|have|do|like|doing|getting)\b[^.?!]{0,12}"
                      r"\bboth\b(?!\s+(hips|sides|legs|knees|feet))", re.I)
# "oops i meant hip dysplasia": a condition said instead of the one we have.
_CORRECTS_RE = re.compile(r"\b(i meant|meant to say|wrong|mistake|oops|my bad|typo|correction|instead)\b|"
                          r"\b(not|isn'?t|wasn'?t) (it|that)\b", re.I)
_PROGRAM_OF_WORD = {"hip": "hip", "hips": "hip", "spine": "spine", "spinal": "spine", "back": "spine"}
_NEGATED_CONDITION_RE = re.compile(r"\b(not|isn'?t|wasn'?t|no longer)\s+((?:[\w']+\s*){1,4})", re.I)
# Yes said in other ways: "I said yes start", "yes they're right", "sí" / "claro" (after
# the bot wrote in Spanish), and "no gracias"; a yes before "but <question>" is
# still a yes ("okay yes lets start it now but how long does it take?").
_SAID_YES_RE = re.compile(r"^\s*(?:i|we)\s+(?:already\s+|just\s+)?(?:said|say|told (?:you|u)|typed|wrote|"
                          r"replied|answered|picked)\s+(?:yes|yeah|yep|ok(?:ay)?|1)\b(?!\s+(?:but|to)\b)"
                          r"[^?]{0,30}$", re.I)
_RIGHT_RE = re.compile(r"^\s*(?:(?:yes|yeah|yep|yup|ya|1|ok(?:ay)?)[\s,.!]*)?(?:they'?re|they are|it'?s|"
                       r"that'?s|those are|everything'?s|everything is|all)\s+(?:all\s+)?(?:right|correct|"
                       r"good|fine|ok(?:ay)?|accurate|perfect)(?:\s+(?:thanks?|thank you))?[\s!.,]*$", re.I)
_SPANISH_SOCIAL = {"affirm": re.compile(r"^\s*(?:s[ií]|claro|claro que s[ií]|s[ií],? claro|s[ií],? por favor|"
                                        r"por supuesto|de acuerdo|vale|est[aá] bien)[\s!.,]*(?:gracias)?[\s!.,]*$",
                                        re.I),
                   "deny": re.compile(r"^\s*no,?\s+(?:gracias|ahora no|todav[ií]a no)[\s!.,]*$", re.I)}
_YES_BUT_RE = re.compile(r"^(.{1,60}?)(?:,?\s+but\s+|[.!]\s+)(.+)$", re.I)
_CLEAR_YES_RE = re.compile(r"\b(yes|yeah|yep|yup|ya|sure|start|go ahead|let'?s)\b", re.I)
_SAID_NO_RE = re.compile(r"^\s*(?:i|we)\s+(?:already\s+|just\s+)?(?:said|say|told (?:you|u)|typed|wrote|"
                         r"replied|answered|picked)\s+(?:no|nope|2)\b[\s!.,]*$", re.I)
_NOT_YES_TAIL_RE = re.compile(r"\b(not|later|wait|don'?t|cant|can'?t|no|tomorrow|another time)\b", re.I)


@dataclass
class Understanding:
    text: str
    intent: Optional[str] = None
    confidence: float = 0.0
    condition: Optional[dict[str, Any]] = None  # screening.condition_value shape
    hedged: bool = False  # a condition named, but no doctor has diagnosed it
    doctor_said: Optional[bool] = None  # yes / no to "Has a doctor told you...?"
    numbers_confused: bool = False  # "I dont understand the numbers"
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
    emergency_maybe: bool = False  # reads like one; counts only after a red flag
    child_name: Optional[str] = None  # "my daughter Lily is 11" -> "Lily"
    home_said: bool = False  # "we live in ...": the parent's own home, not a relative's
    wants_programs: list[str] = field(default_factory=list)  # "the hip review too": programs asked for
    reviews_named: list[str] = field(default_factory=list)  # the same, said as a review
    adds: bool = False  # "also", "too", "both": the message adds to what we know
    corrects: bool = False  # "oops i meant...": the message replaces what we know
    someone_elses_home: bool = False  # "my sister's address in Macon"
    asks_person: bool = False  # a person named outright (not just "call me")
    relationship: Optional[str] = None  # "I'm her mom" -> "mother"
    advice: bool = False
    card: bool = False
    ssn: bool = False  # the channel removed a Social Security number
    language: str = "en"
    social: Optional[str] = None  # greet | thank | goodbye | affirm | deny | bot_challenge
    bare: bool = False  # the whole message is only that social word ("ok", "hi", "thanks")

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


def _sex(text: str) -> Optional[str]:
    """From the words for the child first ("my son"), else from the pronouns when
    they all agree ("her curve", "she is 12")."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    for male_rx, female_rx in ((_MALE_RE, _FEMALE_RE), (_MALE_PRONOUN_RE, _FEMALE_PRONOUN_RE)):
        male, female = bool(male_rx.search(text)), bool(female_rx.search(text))
        if male != female:
            return "male" if male else "female"
        if male and female:
            return None
    return None


def _curve(text: str) -> Optional[int]:
    """The largest curve named: "42 and 30 degrees" -> 42, "was 30, now 36" -> 36."""
    found = [int(m[1]) for rx in (_CURVE_RE, _CURVE_WORDS_RE) for m in rx.finditer(text)]
    found += [int(n) for m in re.finditer(r"\b(\d{1,3})\s*(?:and|&|/)\s*\d{1,3}\s*(?:\u00b0|deg)", text, re.I)
              for n in [m[1]]]
    found = [n for n in found if 1 <= n <= 150]
    return max(found) if found else None


def _without_negated_conditions(text: str) -> str:
    """"i meant hip dysplasia not scoliosis": the condition after "not" is dropped."""
    catalogue = load_catalogue()

    def blank(m: re.Match) -> str:
        found = catalogue.match(m[2])
        return " " * len(m[0]) if found and found.kind == "program" else m[0]
    return _NEGATED_CONDITION_RE.sub(blank, text)


def _listed_place(text: str) -> Optional[Place]:
    """"scoliosis, 13, Warner Robins": a town given as one item of a list of facts."""
    parts = [p.strip(" .!") for p in re.split(r"[,;\n]|\s-\s|(?<=\w)\.\s", text) if p.strip(" .!")]
    if len(parts) < 2:
        return None
    for part in parts:
        if len(part.split()) <= 3:
            place = find_place(part, asked=True)
            if place:
                return place
    return None


def _own_home_text(text: str) -> Optional[str]:
    """"decatur is my mom's house, we live in Athens 30606": the message without the
    relative's clauses, when it also says where the family lives; else None."""
    others = [m.span() for m in _SOMEONE_ELSE_RE.finditer(text)]
    bounds = [0] + [i for m in _CLAUSE_RE.finditer(text) for i in m.span()] + [len(text)]
    kept = [text[s:e] for s, e in zip(bounds[::2], bounds[1::2])
            if _OWN_HOME_RE.search(text[s:e]) or not any(a < e and s < b for a, b in others)]
    rest = ", ".join(c.strip() for c in kept if c.strip())
    return rest if others and _OWN_HOME_RE.search(rest) else None


def _only_a_home(text: str, zip_code: Optional[str]) -> bool:
    """"30606", "sorry, actually 30606": a ZIP alone tells where the family lives."""
    words = re.findall(r"[a-z0-9']+", text.lower())
    return bool(zip_code) and all(w in _BARE_HOME_WORDS or w == zip_code for w in words)


def _other_social(text: str, intent: Optional[str], confidence: float) -> Optional[str]:
    """A yes (or a Spanish no) that social_of misses; see _SAID_YES_RE."""
    if _SAID_YES_RE.match(text) or _RIGHT_RE.match(text):
        return "affirm"
    if _SAID_NO_RE.match(text):
        return "deny"
    for name, rx in _SPANISH_SOCIAL.items():
        if rx.match(text):
            return name
    head = _YES_BUT_RE.match(text)
    if head and not _NOT_YES_TAIL_RE.search(head[2]) and \
            _CLEAR_YES_RE.search(head[1]) and "?" not in head[1] and \
            social_of(head[1], intent, confidence) == "affirm":
        return "affirm"
    return None


def programs_wanted(text: str, reviews_only: bool = False) -> list[str]:
    """Programs whose review the parent asks for on top of what we know. With
    `reviews_only`, only a review named as one ("the hip review too", "both reviews"):
    in the questionnaire "we do both" or "what about his hip?" may be answers."""
    if (_BOTH_REVIEWS_RE if reviews_only else _BOTH_RE).search(text):
        return sorted(load_catalogue().programs)
    if not _ADDS_RE.search(text):
        return []
    found = {_PROGRAM_OF_WORD[(m[2] if reviews_only else m[1] or m[2]).lower()]
             for m in _PROGRAM_WORD_RE.finditer(text) if m[2] or not reviews_only}
    return sorted(found)


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
    u.ssn = SSN_MARKER in text
    u.language = "es" if language.is_spanish(text) else "en"
    u.red_flag = safety.has_red_flag(text)
    # An emergency question needs an emergency: a red flag now, the words for one, or
    # (decided by the dialogue) a red flag earlier in the conversation.
    u.emergency_maybe = (safety.asks_emergency_question(text) or bool(_AVOID_CARE_RE.search(text))) \
        and faq.is_question(text)
    u.emergency_question = u.emergency_maybe and (u.red_flag or bool(_EMERGENCY_WORDS_RE.search(text)))
    u.requests = requests_in(text)
    u.social = social_of(text, intent, u.confidence) or _other_social(text, intent, u.confidence)
    u.bare = any(rx.match(text) for rx in _SOCIAL.values())

    condition_text = loose_problem(_without_negated_conditions(text), expecting)
    reading = screening.read_message(condition_text, expecting, today, known or {})
    if expecting != "condition" and reading.values.get("condition", {}).get("kind") == "undiagnosed" \
            and not load_catalogue().match(SHRUG_RE.sub(" ", text)):
        # "idk my phone is broken": a shrug is "no diagnosis" only when we asked for one
        reading.values.pop("condition")
    values = reading.values
    if "condition" in values:
        u.condition = values["condition"]
        if u.condition["kind"] == "other" and NOT_DIAGNOSED_RE.search(text):
            u.condition = {**u.condition, "kind": "undiagnosed"}
        doubt = doubt_about(condition_text) if u.condition["kind"] == "program" else None
        if doubt:
            # Weak: the dialogue asks whether a doctor named it ("unconfirmed" keeps it).
            u.hedged = True
            u.condition = {**u.condition, "kind": "undiagnosed", "hedged_programs": u.condition["programs"],
                           "programs": [], "conditions": [],
                           **({"unconfirmed": u.condition["conditions"]} if doubt == "weak" else {})}
    u.age_years = values.get("child_age")
    u.birth_date = values.get("child_birth_date")
    if expecting == "child_age" and reading.problem and reading.problem.startswith("age_"):
        u.age_problem = reading.problem[4:]
    # "decatur is my mom's house, we live in Athens 30606": only the family's own home counts.
    own_text = _own_home_text(text)
    where = own_text or text
    u.zip = values.get("home_zip") if own_text is None else \
        screening.read_message(own_text, expecting, today, known or {}).values.get("home_zip")
    u.zip_unknown = reading.problem == "zip_unknown" or (
        expecting != "home_zip" and bool(re.search(r"\bzip\b", text, re.I)) and not u.zip)
    if not u.zip:
        # "we're NOT in Atlanta. We live in Rome": a place said not to be home is no place.
        plain = _NOT_IN_RE.sub(" ", where)
        u.place = find_place(plain, asked=expecting == "home_zip") or _listed_place(plain)
    u.child_sex = _sex(text)
    name = _CHILD_NAME_RE.search(text)
    u.child_name = name[1] if name and name[1].lower() not in _NOT_NAMES else None
    u.someone_elses_home = bool(_SOMEONE_ELSE_RE.search(text)) and own_text is None
    u.asks_person = "human" in u.requests and bool(_PERSON_RE.search(text))
    rel = _RELATIONSHIP_RE.search(text)
    if rel:
        word = rel[1].lower()
        u.relationship = _RELATIONSHIP_CODES.get(word, "guardian" if "foster" in word else "grandparent")
    u.home_said = (bool(_HOME_SAID_RE.search(text) or _OWN_HOME_RE.search(text)) or expecting == "home_zip"
                   or _only_a_home(text, u.zip)) and not u.someone_elses_home
    u.curve_degrees = _curve(text)
    u.wants_programs = programs_wanted(text)
    u.reviews_named = programs_wanted(text, reviews_only=True)
    u.adds = bool(_ADDS_RE.search(text))
    u.corrects = bool(_CORRECTS_RE.search(text)) or bool(_NEGATED_CONDITION_RE.search(text)) and \
        _without_negated_conditions(text) != text

    u.questions = faq.questions_in(text, intent, u.confidence)
    u.advice = faq.asks_for_advice(text) and not u.emergency_question
    u.doctor_said = doctor_answer(text, question=faq.is_question(text))
    u.numbers_confused = numbers_confused(text)
    if not u.questions and not u.requests and asks_eligibility(text):
        u.intent, u.confidence = "check_eligibility", 1.0  # "I want to see if my grandson can do it"
    return u
