"""Red-flag symptoms that need urgent care now, spotted in free text.

The NLU model has a `red_flag` intent too; this rule-based check runs beside it so a
clear warning sign is never lost to a low classifier score. Over-warning is the
safe failure here: a worried parent told to seek care loses little.
"""
from __future__ import annotations

import re

_LEGS = r"(legs?|feet|foot)"
_PATTERNS = [
    # sudden leg weakness / numbness / can't feel or move legs
    rf"\b(numb|numbness|tingl\w*|pins and needles)\b.*\b{_LEGS}\b",
    rf"\b{_LEGS}\b.*\b(numb|numbness|tingl\w*|went dead|gave out|giving out|buckl\w*)\b",
    rf"\b(weak|weakness)\b.*\b{_LEGS}\b",
    rf"\b{_LEGS}\b.*\b(weak|weakness)\b",
    rf"\b(can ?not|can'?t|cant|unable to|couldn'?t)\s+(feel|move)\b.*\b{_LEGS}\b",
    # bladder or bowel control
    r"\b(bladder|bowel|incontinen\w*)\b",
    r"\b(wet(ting)?|pee(ing|d)?|peed|poop(ed|ing)?|soil(ed|ing)?)\s+(him|her|them)sel(f|ves)\b",
    r"\b(can'?t|cant|cannot|can not)\s+(hold|control)\s+(his|her|their)?\s*(pee|poop|urine|bladder|bowels?)\b",
    # fever with hip pain, refusing to walk
    r"\b(fever|temp(erature)?\s+of|febrile)\b.*\b(hip|limp|walk)\w*",
    r"\b(hip|limp|walk)\w*\b.*\b(fever|febrile)\b",
    r"\b(won'?t|wont|refus\w*|will not|doesn'?t want to|stopped)\s+(to\s+)?(walk|stand|crawl)\w*",
    # cannot bear weight after an injury
    r"\b(can'?t|cant|cannot|can not|unable to|won'?t|wont)\s+(put|bear|take)\s+(any\s+)?weight\b",
    r"\b(can'?t|cant|cannot|can not|unable to)\s+(walk|stand)\b.*\b(fall|fell|injur\w*|accident|hurt|crash|hit)\b",
    r"\b(fall|fell|injur\w*|accident|crash)\b.*\b(can'?t|cant|cannot|can not|unable to)\s+(walk|stand)\b",
]
_RED_FLAG_RE = [re.compile(p, re.I) for p in _PATTERNS]


def has_red_flag(text: str | None) -> bool:
    if not text:
        return False
    text = text.replace("’", "'")
    return any(rx.search(text) for rx in _RED_FLAG_RE)
