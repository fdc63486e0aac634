"""What a message asks of the conversation, and its social words.

`requests_in` finds the requests that work in any state of the conversation (a
person, start over, pause, resume, Spanish, the upload link again or a link that
does not work); `social_of`
finds a greeting, thanks, goodbye, yes, no, or "are you a bot?". Used by
bot/understanding.py. Pure Python, rules only.
"""
from __future__ import annotations

import re
from typing import Optional

from bot import language

SURE = 0.8  # an NLU intent this confident counts on its own

# Requests that work in any state of the conversation.
_HUMAN_RE = re.compile(
    r"\b(real|live|actual)\s+(person|human|people)\b|\b(speak|talk|chat)\w*\s+(to|with)\s+"
    r"(a |an |the |some |your )?(person|human|someone|somebody|agent|representative|rep|"
    r"coordinator|nurse|staff|people|operator)\b|\b(agent|representative|operator|human)\b\s*(please|pls|plz)?\s*[.!?]*$|"
    r"^\s*(a )?(person|human|agent|representative|operator|coordinator)\b|"
    r"\b(can|could|will|would)\s+(someone|somebody|a person|the coordinator|you|y'?all|yall)\s+"
    r"(please\s+)?(call|phone|ring)\s+(me|us)\b|\bcall me\b|\bgive me a call\b|"
    r"\bneed to (talk|speak) to someone\b|\btalk to a person\b|"
    r"\b(send|connect|transfer|put) me (to|through to|with) (someone|somebody|a person|a human)\b|"
    r"\bsomeone on the phone\b|\bquiero hablar con alguien\b", re.I)
# "can I finish this later?", "can we pick this up tonight": a pause inside a sentence.
_PAUSE_ANYWHERE_RE = re.compile(
    r"\b(finish|continue|pick (this|it) up|come back to (this|it)|do (this|it)|complete (this|it|the form))"
    r"\b[\w\s]{0,20}\b"
    r"(later|tonight|tomorrow|another time)\b", re.I)
_PAUSE_START_RE = re.compile(r"^\s*(gtg|g2g|brb|got to go|gotta go|hold on|hang on|one sec|wait a (sec|min)|"
                             r"give me a (sec|min)|"
                             r"later|not now|stop for now)\b",
                             re.I)
_RESTART_ANYWHERE_RE = re.compile(r"\b(start (over|again)|begin again|from the (beginning|top))\b", re.I)
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
# "ok we're back from the ER, let's continue": a resume anywhere in the message.
_RESUME_ANYWHERE_RE = re.compile(r"\b(let'?s (continue|keep going|go on|finish)|keep going|go on with|"
                                 r"continue( with)? the (form|questions)|ready to (go on|continue)|"
                                 r"we can continue|pick up where|(i'?m|im|we'?re|were) back)\b|"
                                 r"\bcontinue\s*[.!]*\s*$", re.I)
_RESEND_RE = re.compile(r"\b(send|text|email|resend|re-send|need|lost|where is|didn'?t get|didnt get|"
                        r"can'?t find|cant find|new|another)\b.{0,25}\b(link|upload page)\b", re.I)
# "the link doesn't work", "I can't open that link", "page not found": the link fails.
_LINK_TROUBLE_RE = re.compile(
    r"\b(link|page|site|website)\b[^.?!]{0,30}?\b(does ?n'?t|does not|did ?n'?t|did not|wo ?n'?t|will not|"
    r"is ?n'?t|is not|not|ca ?n'?t|cannot|never)\s+(work|working|open|opening|load|loading|go through|"
    r"come up|let me in)\b|"
    r"\b(ca ?n'?t|cannot|could ?n'?t|could not|unable to|not able to)\s+(open|get into|get in to|access|load|"
    r"click|use|get)\b[^.?!]{0,20}?\b(link|page|site|website)\b|"
    r"\b(link|page)\b[^.?!]{0,25}?\b(broken|expired|dead|error|not found|blank|invalid)\b|"
    r"\b(broken|expired|dead|bad)\s+link\b", re.I)
# "call me instead of all these questions": a person wanted instead of the form, even
# where "call me" could answer the question asked ("best way to reach you?").
_CALL_INSTEAD_RE = re.compile(
    r"\b(instead|rather|prefer)\b|\b(all|these|those|so many|too many|this many|the)\s+"
    r"(questions|texts|messages)\b|\bjust (call|phone|ring)\b|\b(over|on|by) the phone\b|"
    r"\b(can|could|would|will)\s+(you|someone|somebody|y'?all|the coordinator|they)\s+(just\s+|please\s+)?"
    r"(call|phone|ring)\s+(me|us)\b(?!\s+(at|on)\b)", re.I)
# "can we do this over the phone", "I'd rather talk on the phone": a person, by phone.
_BY_PHONE_RE = re.compile(r"\b(do|finish|answer|go over|go through)\s+(this|it|these|them|the (form|questions))"
                          r"( all)?\s+(over|on|by)\s+the phone\b|\b(rather|prefer to)\s+(talk|speak)\s+"
                          r"(on|over|by)\s+the phone\b", re.I)
# "link" alone (what the "your request is in" message tells the parent to reply).
_LINK_ALONE_RE = re.compile(r"\s*(the |my |a |new )?(upload )?link( (please|pls|plz))?\s*[.!?]*\s*", re.I)

# "I want to see if my grandson can do it", "check if she qualifies": the screening asked for.
_CHILD_WORDS = (r"(?:(?:my|our|the)\s+)?(?:son|daughter|child|kid|grandson|granddaughter|grandchild|grandbaby|"
                r"baby|boy|girl|stepson|stepdaughter|nephew|niece|he|she|they|we)")
_ELIGIBILITY_RE = re.compile(
    r"\b(see|check|find out|know|learn|ask|asking)\s+(if|whether)\s+" + _CHILD_WORDS +
    r"\b[^.?!]{0,30}\b(can|could|qualif\w*|eligible|is able|are able|would be able|gets?)\b|"
    r"\b(check|see about|find out about|know about)\s+(?:his|her|their|my \w+'?s|the)?\s*eligib\w*|"
    r"\b(want|like|need|trying)\s+to\s+(see|check|know|find out)\b[^.?!]{0,40}\b(qualif\w*|eligib\w*)", re.I)
# "I dont understand the numbers", "what do the numbers mean": the numbered menu is unclear.
_NUMBERS_CONFUSED_RE = re.compile(
    r"\b(don'?t|dont|do not|didn'?t|didnt|can'?t|cant|not)\s+(understand|get|follow|know)\b[^.?!]{0,25}"
    r"\b(numbers?|options?|choices?|menu)\b|\b(numbers?|options?|menu)\b[^.?!]{0,20}\b(confus\w*|mean)\b|"
    r"\bconfus\w*\b[^.?!]{0,20}\b(numbers?|options?|menu)\b|\bwhat (number|do i (type|press|reply|put))\b", re.I)

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
# "when will someone call me about the fee?": a question about a call, not a request.
_WHEN_CALL_RE = re.compile(r"\b(when|what time|how soon)\b[^.?!]{0,30}\bcall (me|us)\b", re.I)
SOCIAL_INTENTS = frozenset(_SOCIAL) | {"bot_challenge"}
# Short closings made of these words only: "oh ok. thanks", "ok thanks ill call", "thanks, bye".
_CLOSING_WORDS = frozenset("""ok okay oh alright great cool got it thanks thank you u thx ty tysm so much
very a lot appreciate bye goodbye take care ill i'll we'll well will call yall y'all you tomorrow
later then sounds good perfect awesome have nice day night again for the help info that k kk
""".split())
_THANKS = frozenset({"thanks", "thank", "thx", "ty", "tysm", "appreciate"})
_BYES = frozenset({"bye", "goodbye", "care"})
# "yes lets start", "sure go ahead": a yes, when short and without a no or a question.
_YES_START_RE = re.compile(r"^\s*(1|y|yes+|yeah|yea|ya|yah|yep|yup|sure|ok(ay)?|absolutely|definitely|"
                           r"of course|please do|let'?s (do it|go|start|begin)|start( now)?|go ahead)\b", re.I)
_NO_START_RE = re.compile(r"^\s*(2|n|no+|nope|nah|not (now|yet|right now|really|today|at the moment))\b", re.I)
_NOT_PLAIN_RE = re.compile(r"\b(but|not sure|no idea|don'?t know)\b|\?", re.I)
_BOT_RE = re.compile(r"\b(are (you|u)|is (this|it)|am i (talking|texting|chatting) (to|with)|r u)\s+"
                     r"(a |an )?(real |actual |live )?(person|human|bot|robot|machine|ai|computer|"
                     r"automated|people)\b", re.I)


def requests_in(text: str) -> list[str]:
    found = []
    if (_HUMAN_RE.search(text) or _BY_PHONE_RE.search(text)) and not _BOT_RE.search(text) \
            and not _WHEN_CALL_RE.search(text):
        found.append("human")
    if _RESTART_RE.match(text) or _RESTART_ANYWHERE_RE.search(text):
        found.append("restart")
    if _PAUSE_RE.match(text) or _PAUSE_ANYWHERE_RE.search(text) or _PAUSE_START_RE.match(text):
        found.append("pause")
    if _RESUME_RE.match(text) or _RESUME_ANYWHERE_RE.search(text):
        found.append("resume")
    if language.asks_for_spanish(text):
        found.append("spanish")
    if _LINK_TROUBLE_RE.search(text):
        found.append("link_trouble")
    elif _RESEND_RE.search(text) or _LINK_ALONE_RE.fullmatch(text):
        found.append("resend_link")
    return found


def wants_call_instead(text: str) -> bool:
    """"can you just call me instead of all these questions": a call asked for in
    place of the form, never an answer to "best way to reach you?"."""
    return "human" in requests_in(text) and bool(_CALL_INSTEAD_RE.search(text) or _BY_PHONE_RE.search(text))


def social_of(text: str, intent: Optional[str], confidence: float) -> Optional[str]:
    if _BOT_RE.search(text):
        return "bot_challenge"
    for name, rx in _SOCIAL.items():
        if rx.match(text):
            return name
    words = re.findall(r"[a-z']+", text.lower())
    if words and len(words) <= 10 and set(words) <= _CLOSING_WORDS and "?" not in text:
        if set(words) & _THANKS:
            return "thank"
        if set(words) & _BYES:
            return "goodbye"
    if len(words) <= 7 and not _NOT_PLAIN_RE.search(text):
        if _YES_START_RE.match(text) and not _NO_START_RE.match(text):
            return "affirm"
        if _NO_START_RE.match(text):
            return "deny"
    # "oh great, thank you! yes start now", "ok lets do it. do I pay now?"
    sentences = [s for s in re.split(r"(?<=[.!?])\s+|,\s+", text) if s.strip()]
    if len(sentences) > 1 and not any(_NO_START_RE.match(s) for s in sentences) and any(
            len(s.split()) <= 8 and _YES_START_RE.match(s) and not _NOT_PLAIN_RE.search(s)
            and not re.search(r"\b(what|how|why|who|when|where)\b", s, re.I) for s in sentences):
        return "affirm"
    short = len(text.split()) <= 4
    if intent in SOCIAL_INTENTS and confidence >= SURE and short:
        return intent
    return None


def asks_eligibility(text: str) -> bool:
    """The parent asks us to check whether the child can have the review."""
    return bool(_ELIGIBILITY_RE.search(text))


def numbers_confused(text: str) -> bool:
    """The parent says the numbered choices make no sense to them."""
    return bool(_NUMBERS_CONFUSED_RE.search(text))
