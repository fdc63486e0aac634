"""What a parent's words say about the diagnosis itself.

A doubt about it, strong ("we haven't seen a doctor, maybe scoliosis") or weak ("I
think it's scoliosis": the dialogue asks whether a doctor named it); "they called it
hip dysplasia" is a doctor's name for it, no doubt; the answer to "Has a doctor told
you...?"; and a loose "problem with her hip" read as the menu's "Hip problem". Used by
bot/understanding.py. Pure Python, rules only.
"""
from __future__ import annotations

import re
from typing import Optional

from bot.programs import load_catalogue

# A condition the parent only suspects: no doctor has named it yet. Strong signs
# (no doctor seen, a school screening, "looks crooked") say so outright; a weak hedge
# ("I think", "maybe") may only doubt the name, so the dialogue asks.
_NO_DOCTOR_RE = re.compile(
    r"\b(not|never)\s+(been\s+)?(seen|checked|diagnosed|looked at)\b|"
    r"\b(haven'?t|havent|have not|hasn'?t|hasnt|has not|didn'?t|didnt|did not)\s+"
    r"(seen|been to|gone to|taken \w+ to|had \w+ (checked|seen|looked at)|see)\b|"
    r"\bno (doctor|dr|diagnosis|dx)\b|\bschool (screening|nurse)\b|"
    r"\b(failed|flagged)\b.{0,30}\bscreening\b|\bscreening (said|showed|found)\b|"
    r"\blooks? (like|crooked|uneven|off|curved)\b|\bseems? (like|crooked|curved)\b|"
    r"\b(i|we)\s*(suspect|wonder\w*)\b|\bwaiting (for|on)\b.{0,20}\b(results?|x-?rays?|mri|scans?|tests?)\b|"
    r"\b(x-?rays?|mri|scan)\b.{0,25}\bnext (week|month)\b", re.I)
_WEAK_HEDGE_RE = re.compile(
    r"\b(i|we)\s*(think|thought|believe|guess)\b|\bmaybe\b|\bmight (be|have)\b|\bmay (be|have)\b|"
    r"\bcould (be|have)\b|\bprobably\b|\bpossibl[ey]\b|\blikely\b|\bpretty sure\b|\bnot (sure|certain)\b|"
    r"\bor something\b|\bsomething like (that|it)\b|\bif i remember\b|\bi forget\b|"
    r"\b(can'?t|cant|don'?t|dont) remember\b|\bhow (to|you) spell\b", re.I)
# A doctor named the condition: the hedge words then describe something else.
_DIAGNOSED_RE = re.compile(
    r"\b(diagnos\w*|dx|dx'?d)\b(?!.{0,12}\b(yet|not)\b)|\b(dr|doctor|doc|surgeon|ortho\w*|"
    r"pediatrician|specialist|x-?ray\w*|mri|ct scan)\b.{0,40}\b(said|says|found|told|confirmed|"
    r"showed|shows|called it)\b|\bwas told\b|\bwe were told\b", re.I)
# "hip dysplasia I think they called it", "they said she has...": named by someone
# who saw the child, unless their own words hedge ("they said it was probably...").
_THEY_NAMED_RE = re.compile(
    r"\b(they|he|she|doctors?|drs?|docs?)\s+(called|call|calls|named)\s+it\b|"
    r"\b(they|he|she)\s+(said|say|says|told (us|me))\s+(it'?s|it is|it was|that|(s?he|they|my \w+) "
    r"(has|had|have|is)|(s?he|they)'?s)\b(?![^.!?]{0,25}\b(probably|maybe|might|may|could|possibl[ey]|likely)\b)|"
    r"\b(i'?ve|we'?ve|i have|we have|been) (been )?told\b", re.I)
NOT_DIAGNOSED_RE = re.compile(r"\b(not|never|isn'?t|hasn'?t|hasnt|wasn'?t)\s+(been\s+|yet\s+)?"
                              r"(officially\s+)?diagnosed\b|\bno diagnosis\b|"
                              # "once she is diagnosed", "until he gets diagnosed": not yet
                              r"\b(once|if|until|till|before)\s+(\w+\s+){0,2}diagnosed\b|"
                              r"\b(get|gets|getting|be|being)\s+diagnosed\b", re.I)
# "a problem with her hip", "something wrong with his spine": the menu's "Hip problem"
# or "Spine problem", when a doctor is in the message or we asked for the diagnosis.
_LOOSE_PROBLEM_RE = re.compile(
    r"\b(?:an?\s+|some\s+)?(?:problems?|issues?|trouble|something\s+(?:wrong|off|not right)|conditions?)\s+"
    r"(?:with|in|of)\s+(?:his|her|their|the|my|our|both)?\s*(?P<part>hips?|spine|spinal column|backbones?|"
    r"back\s*bones?|back)\b", re.I)
_DOCTOR_WORDS_RE = re.compile(r"\b(dr|doctors?|docs?|surgeon|ortho\w*|pediatrician|specialist|x-?rays?|mri|"
                              r"diagnos\w*|they (said|told|called|found)|was told|were told)\b", re.I)
# The answer to "Has a doctor told you your child has ...?".
_DOCTOR_YES_RE = re.compile(r"^\s*(1|y|yes+|yeah|yea|ya|yep|yup|sure|correct|right|they did|(s?he|the|a|our|her|"
                            r"his)\s*(doctor|dr|doc|ortho\w*|surgeon|pediatrician)?\s+did)\b", re.I)
_DOCTOR_NO_RE = re.compile(r"^\s*(2|n|no+|nope|nah|not yet|not really|no one|nobody|they didn'?t|not exactly)\b",
                           re.I)

SHRUG_RE = re.compile(r"\b(idk|i don'?t know|don'?t know|dont know|do not know|not sure|unsure|no idea|"
                      r"unknown|dunno|not known)\b", re.I)


def doubt_about(text: str) -> Optional[str]:
    """A doubt about the diagnosis itself, in a sentence that names the condition ("I
    think it's scoliosis"), not anywhere ("... I think we'd want the review"): "strong"
    when no doctor has seen it (anywhere in the message), "weak" when the parent may
    only doubt the name; None when there is no doubt or a doctor named it."""
    if NOT_DIAGNOSED_RE.search(text):
        return "strong"
    if _DIAGNOSED_RE.search(text):
        return None
    strong = bool(_NO_DOCTOR_RE.search(text))
    if _THEY_NAMED_RE.search(text) and not strong:
        return None
    catalogue = load_catalogue()
    sentences = [s for s in re.split(r"(?<=[.!?])\s+|\n", text) if s.strip()]
    naming = [s for s in sentences if (m := catalogue.match(s)) and m.kind == "program"] or [text]
    if not any(_NO_DOCTOR_RE.search(s) or _WEAK_HEDGE_RE.search(s) for s in naming):
        return None
    return "strong" if strong else "weak"


def doctor_answer(text: str, question: bool = False) -> Optional[bool]:
    """Yes or no to "Has a doctor told you your child has ...?"; None when neither. A
    question ("do we need a diagnosis first?") answers it only with a yes or no first."""
    if _DOCTOR_YES_RE.match(text) and not _DOCTOR_NO_RE.match(text):
        return True
    if _DOCTOR_NO_RE.match(text):
        return False
    if question:
        return None
    if NOT_DIAGNOSED_RE.search(text) or _NO_DOCTOR_RE.search(text) or SHRUG_RE.search(text):
        return False
    if _DIAGNOSED_RE.search(text) or _THEY_NAMED_RE.search(text):
        return True
    return None


def loose_problem(text: str, expecting: Optional[str]) -> str:
    """"a problem with her hip" read as "hip problem" when it can only mean a diagnosis."""
    if expecting != "condition" and not _DOCTOR_WORDS_RE.search(text):
        return text
    return _LOOSE_PROBLEM_RE.sub(
        lambda m: " hip problem " if m["part"].lower().startswith("hip") else " spine problem ", text)
