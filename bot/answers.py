"""Screening answers (ZIP code, child's age) pulled out of free text.

Parents answer out of order or all at once ("my 12 yo dd has scoliosis, we're in
31201"), so each extractor scans the whole message and ignores the other answers
in it. Pure Python, no Rasa.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Optional

from dateutil import parser as date_parser
from dateutil.relativedelta import relativedelta

MAX_BARE_AGE = 25  # a lone number above this is a curve angle, a weight... not an age
MAX_AGE_YEARS = 120  # an older birth date is a typo, not a patient


@dataclass(frozen=True)
class AgeAnswer:
    years: float  # fractional for babies ("6 mos" -> 0.5)
    birth_date: Optional[date]  # only when the parent gave a full birth date


class AnswerError(ValueError):
    """The text holds an answer we understood but cannot accept."""

    def __init__(self, reason: str, message: str = ""):
        super().__init__(message or reason)
        self.reason = reason  # "future_date" | "too_old_date" | "unparseable"


# ---------------------------------------------------------------- ZIP codes

# Five digits standing alone (optionally ZIP+4). Digits glued to other digits by
# "-", "/" or "." belong to phone numbers, dates, card numbers or amounts.
_ZIP_RE = re.compile(r"(?<![\w$#])(?<!\d[-/.])(\d{5})(?:-\d{4})?(?![\w])(?![-/.]\d)")
_ZIP_CUE_RE = re.compile(r"\b(?:zip|zipcode|postal)\b\D{0,12}$", re.I)


def extract_zip(text: str) -> Optional[str]:
    """The 5-digit ZIP in `text` (a ZIP+4 gives its first five), or None."""
    candidates = list(_ZIP_RE.finditer(text or ""))
    if not candidates:
        return None
    # "we moved from 30309, our zip is now 31201": the one labelled "zip" wins.
    for m in candidates:
        if _ZIP_CUE_RE.search(text[:m.start()]):
            return m.group(1)
    return candidates[0].group(1)


# ---------------------------------------------------------------- birth dates

_MONTH = (r"(?:january|february|march|april|may|june|july|august|september|october|"
          r"november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?")
_DATE_PATTERNS = [
    re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b"),                                 # 2015-03-05
    re.compile(r"(?<![\d/.-])\d{1,2}([/.-])\d{1,2}\1(?:\d{4}|\d{2})(?![\d/-])(?!\.\d)"),  # 3/5/15
    re.compile(rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b", re.I),   # Mar 5, 2015
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}\b", re.I),
]
_TWO_DIGIT_YEAR_RE = re.compile(r"^\d{1,2}([/.-])\d{1,2}\1(\d{2})$")
_BIRTH_YEAR_RE = re.compile(r"\b(?:born|dob|birth\s*year)\b\D{0,10}?\b([12]\d{3})\b", re.I)
_BIRTH_CUE_RE = re.compile(r"\b(?:born|dob|d\.o\.b|birth\s*(?:date|day)?)\b\W*(?:on|in|is)?\W*$", re.I)
_MONTH_YEAR_RE = re.compile(
    rf"(?:\b(?P<name>{_MONTH})|(?<![\d/.-])(?P<num>\d{{1,2}})/),?\s*(?P<year>[12]\d{{3}})\b", re.I)


def _find_birth_date(text: str, today: date) -> Optional[date]:
    """First explicit date in the text. dateutil only ever sees a token that the
    regexes above already recognised, because on free text it invents dates."""
    found = [m for pattern in _DATE_PATTERNS for m in pattern.finditer(text)]
    if not found:
        return None
    # "diagnosed 1/5/2023, DOB 3/5/2015": the labelled date wins, else the first.
    token = min(found, key=lambda m: (not _BIRTH_CUE_RE.search(text[:m.start()]), m.start()))[0]
    try:
        parsed = date_parser.parse(token.replace(".", " ") if token[0].isalpha() else token,
                                   dayfirst=False, yearfirst=token[4:5] == "-").date()
        two_digits = _TWO_DIGIT_YEAR_RE.search(token)
        if two_digits:  # pick the century from `today`, not from the clock
            year = today.year // 100 * 100 + int(two_digits.group(2))
            parsed = parsed.replace(year=year if year <= today.year else year - 100)
    except (ValueError, OverflowError) as exc:  # "2/30/2015"
        raise AnswerError("unparseable", f"not a real date: {token!r}") from exc
    return parsed


def years_between(birth: date, today: date) -> float:
    """Exact elapsed years: whole birthdays plus the fraction of the current year of
    life, so a child is exactly 21.0 on their 21st birthday."""
    whole = relativedelta(today, birth).years
    last = birth + relativedelta(years=whole)
    following = birth + relativedelta(years=whole + 1)
    return whole + (today - last).days / (following - last).days


def _check_birth(birth: date, today: date) -> None:
    if birth > today:
        raise AnswerError("future_date", f"birth date {birth} is in the future")
    if relativedelta(today, birth).years >= MAX_AGE_YEARS:
        raise AnswerError("too_old_date", f"birth date {birth} is too long ago")


def _age_from_birth_year(year: int, today: date, month: Optional[int] = None) -> AgeAnswer:
    """Approximate age from a birth year (mid-year) or month (mid-month)."""
    _check_birth(date(year, month or 1, 1), today)
    guess = date(year, month, 15) if month else date(year, 7, 1)
    return AgeAnswer(years=years_between(min(guess, today), today), birth_date=None)


def _month_year_age(text: str, today: date) -> Optional[AgeAnswer]:
    """"March 2015", "3/2015": a birth month, when nothing else gave an age."""
    m = _MONTH_YEAR_RE.search(text)
    if not m:
        return None
    if m["name"]:
        month = date_parser.parse(m["name"].rstrip(".")).month
    else:
        month = int(m["num"])
        if not 1 <= month <= 12:
            return None
    return _age_from_birth_year(int(m["year"]), today, month)


# ---------------------------------------------------------------- spoken ages

_WORD_NUMBERS = {
    w: i for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split())
}
_ARTICLES = {"a": 1, "an": 1}  # "a year old" (only together with "old")
_TENS_RE = re.compile(r"\btwenty[\s-]+(one|two|three|four|five)\b", re.I)

_NUMBER = r"(?<![\w.])(?P<n>\d+(?:\.\d+)?|[a-z]+)"


def _half(name: str = "h") -> str:
    return rf"(?P<{name}>\s+and\s+a\s+half|\s+1/2|\s*\u00bd)?"


_UNITS = {
    "year": r"y(?:ea)?rs?|y\.?\s?o\.?|y/o",
    "month": r"months?|mos?\.?|mths?|m/o",
    "week": r"weeks?|wks?",
    "day": r"days?",
}
_UNIT = "(?:" + "|".join(f"(?P<{k}>{v})" for k, v in _UNITS.items()) + r")(?![a-z])"
_UNIT_RE = re.compile(_NUMBER + _half() + r"[\s-]*" + _UNIT + _half("h2") + r"(?P<old>[\s-]+old)?",
                      re.I)
_AND_MONTHS_RE = re.compile(r"[\s,]*(?:and\s+)?(\d{1,2})\s*(?:months?|mos?|mths?)\b", re.I)
_UNIT_YEARS = {"year": 1.0, "month": 1 / 12, "week": 7 / 365.25, "day": 1 / 365.25}
# "for 2 years", "a year ago": a duration, not the child's age.
_DURATION_BEFORE = re.compile(
    r"\b(?:for|in|past|last|since|every|after|within|over|than|next|per)\s+"
    r"(?:(?:like|about|around|just|only|almost|nearly|under|over|few|couple|of)\s+)*$", re.I)
# "we've only lived in Georgia 2 months": how long they have lived somewhere.
_LIVED_BEFORE = re.compile(r"\b(lived|living|been (here|there|in)|moved|resident)\b[^.?!,]{0,25}$", re.I)
_DURATION_AFTER = re.compile(r"\s+(?:ago|later|earlier|before|after)\b", re.I)
_NEWBORN_RE = re.compile(r"\bnew\s?born\b", re.I)
# "she's 9", "age 9", "turned 9": the number right after these is an age.
_CUE_RE = re.compile(
    r"(?:\b(?:s?he|they|son|daughter|child|kid|dd|ds|girl|boy|baby|toddler|teen)\s*(?:is|'s|\u2019s|s|are)"
    r"|\bage[ds]?:?|\bturned)\s+" + _NUMBER + _half() + r"(?![\w/-]|\.\d)",
    re.I,
)
# A lone number followed by these measures something else: "25 degree curve".
_NOT_AGE_AFTER = re.compile(
    r"\s*(?:\u00b0|%|deg|degrees?|mm|cm|inch|inches|ft|feet|foot|lbs?|pounds?|kg|times|x\b|"
    r"doctors?|visits?|hours?|hrs?|minutes?|mins?|am\b|pm\b|percent|kids|children|miles|"
    r"weeks?|wks?|months?|mos?\b|days?|y(?:ea)?rs?\b|secs?\b|seconds?|(st|nd|rd|th)\b|"
    r"(?:to|-)\s*\d+\s*(?:\u00b0|deg))", re.I)
# "surgery is dec 21", "grade 2": a number after these is a date or a measure.
_NOT_AGE_BEFORE = re.compile(
    r"(?:grade|type|stage|level|angle|cobb|curve|from|#|\$|apt|suite|foot|feet|ft|'|"
    r"\b(?:after|before|past|until|till|by|at)|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?)\s*$", re.I)
_BARE_RE = re.compile(r"(?<![\w/.,$#-])(?P<n>\d+(?:\.\d+)?)" + _half() + r"(?![\w/-]|[.,]\d)")
_WHOLE_WORD_RE = re.compile(r"\s*(?P<n>[a-z]+)" + _half() + r"\s*[.!]?\s*", re.I)


def _number(token: str) -> Optional[float]:
    token = token.lower()
    if token in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[token])
    try:
        return float(token)
    except ValueError:
        return None


def _with_half(value: Optional[float], *halves: Optional[str]) -> Optional[float]:
    return None if value is None else value + (0.5 if any(halves) else 0.0)


def _unit_age(text: str) -> Optional[float]:
    for m in _UNIT_RE.finditer(text):
        if _DURATION_BEFORE.search(text[:m.start()]) or _DURATION_AFTER.match(text, m.end()) \
                or _LIVED_BEFORE.search(text[:m.start()]):
            continue
        word = m.group("n").lower()
        value = _ARTICLES.get(word) if m["old"] or m["h2"] else None
        value = _with_half(value if value is not None else _number(word), m["h"], m["h2"])
        if value is not None:
            unit = next(k for k in _UNITS if m.group(k))
            extra = _AND_MONTHS_RE.match(text, m.end()) if unit == "year" else None
            return value * _UNIT_YEARS[unit] + (int(extra[1]) / 12 if extra else 0.0)
    return None


def _cued_age(text: str) -> Optional[float]:
    for m in _CUE_RE.finditer(text):
        if _NOT_AGE_AFTER.match(text, m.end()):
            continue
        if re.search(r"\b(at|since|from|when s?he was)\s+$", text[:m.start()], re.I):
            continue  # "diagnosed at age 13. He's 15 now": a past age
        value = _with_half(_number(m["n"]), m["h"])
        if value is not None:
            return value
    return None


def _bare_age(text: str) -> Optional[float]:
    """A lone number 0..25 that is not a measurement; number words only when they
    are the whole answer ("twelve"), since "one leg is shorter" is not an age."""
    whole = _WHOLE_WORD_RE.fullmatch(text)
    if whole and whole["n"].lower() in _WORD_NUMBERS:
        return _with_half(_number(whole["n"]), whole["h"])
    for m in _BARE_RE.finditer(text):
        if _NOT_AGE_AFTER.match(text, m.end()) or _NOT_AGE_BEFORE.search(text[:m.start()]):
            continue
        value = _with_half(float(m["n"]), m["h"])
        if value <= MAX_BARE_AGE:
            return value
    return None


def _spoken_age(text: str) -> Optional[float]:
    text = _TENS_RE.sub(lambda m: str(20 + _WORD_NUMBERS[m.group(1).lower()]), text)
    if _NEWBORN_RE.search(text):
        return 0.0
    for finder in (_unit_age, _cued_age, _bare_age):
        years = finder(text)
        if years is not None:
            return years
    return None


def _blank(text: str, pattern: re.Pattern) -> str:
    """Blank out numbers that are other answers (ZIP, phone) so they are not ages."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


_PHONE_RE = re.compile(r"\(?\d{3}\)?[-. ]*\d{3}[-. ]\d{4}")


def extract_age(text: str, today: date) -> Optional[AgeAnswer]:
    """The child's age from an age ("12 yo", "18 months", "twelve") or a birth date.

    Raises AnswerError for a birth date in the future or >= 120 years ago, or a
    date that does not exist."""
    text = text or ""
    birth = _find_birth_date(text, today)
    if birth:
        _check_birth(birth, today)
        return AgeAnswer(years=years_between(birth, today), birth_date=birth)
    year = _BIRTH_YEAR_RE.search(text)
    if year:  # "born in March 2015" keeps its month
        return _month_year_age(year[0], today) or _age_from_birth_year(int(year[1]), today)
    years = _spoken_age(_blank(_blank(text, _PHONE_RE), _ZIP_RE))
    if years is not None:
        return AgeAnswer(years=years, birth_date=None)
    return _month_year_age(text, today)
