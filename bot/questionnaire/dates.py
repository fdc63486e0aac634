"""Dates in a parent's words: full dates, "March 2023", "2 years ago", "last week",
"yesterday", "last summer", "when she was born", "when he was 2"; and times of day
("after 3pm") as the words a time-of-day choice knows.

The date readers behind parse_answer (answers.py); full dates and ages come from
bot.answers, partial dates (month or year only) and seasons are read here."""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Optional

from bot.answers import AnswerError, extract_age, years_between
from bot.questionnaire.model import Item, load_definition
from bot.questionnaire.parsed import Parsed
from bot.settings import get_settings

_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTH_YEAR_RE = re.compile(rf"\b({'|'.join(_MONTHS)})(uary|ruary|ch|il|e|y|ust|t|tember|ober|"
                            r"ember)?\.?,?\s+(?:of\s+)?(\d{4})\b", re.I)
_NUM_MONTH_YEAR_RE = re.compile(r"(?<![\d/.-])(\d{1,2})[/.-](\d{4})\b|\b(\d{4})-(\d{1,2})\b")
_YEAR_RE = re.compile(r"\b(19\d{2}|20\d{2})\b")
_DATE_ERRORS = {"future_date": "future_date", "too_old_date": "too_old", "unparseable": "date"}
_AGO_RE = re.compile(r"\b(\d+|an?|one|two|three|four|few|couple( of)?)\s+(year|month|week)s?\s+"
                     r"(?:ago|back|before)\b", re.I)
_COUNT_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "few": 3, "couple": 2,
                "couple of": 2, "this": 0, "last": 1, "past": 1}
# "last week", "this past weekend", "earlier this month"
_LAST_RE = re.compile(r"\b(this|last|past)\s+(year|month|week)(?:end)?s?\b", re.I)
# "yesterday", "3 days ago", "the other day": that day's month.
_DAYS_AGO_RE = re.compile(r"\b(?:(\d+|an?|one|two|three|four|five|six|few|couple( of)?)\s+days?\s+"
                          r"(?:ago|back)|(yesterday|today|tonight|this morning|last night|"
                          r"the other day|just now))\b", re.I)


def _days_ago(text: str, today: date) -> Optional[Parsed]:
    m = _DAYS_AGO_RE.search(text)
    if not m:
        return None
    if m[3]:
        days = {"yesterday": 1, "last night": 1, "the other day": 3}.get(m[3].lower(), 0)
    else:
        days = int(m[1]) if m[1].isdigit() else _COUNT_WORDS.get(m[1].lower(), 1)
    day = today - timedelta(days=days)
    return Parsed.ok(f"{day.year:04d}-{day.month:02d}")


def _relative_date(text: str, today: date) -> Optional[Parsed]:
    """"2 years ago", "last month", "last week", "yesterday": a month or year counted
    back from today."""
    m = _AGO_RE.search(text) or _LAST_RE.search(text)
    if not m:
        return _days_ago(text, today)
    count = int(m[1]) if m[1].isdigit() else _COUNT_WORDS.get(m[1].lower(), 1)
    unit = m.group(m.lastindex).lower()
    if unit == "year":
        return Parsed.ok(f"{today.year - count:04d}")
    if unit == "week":  # "two weeks ago": the month it fell in
        count = ((today.day - 1) // 7 < count) * ((count * 7 - today.day) // 30 + 1)
    months = today.year * 12 + today.month - 1 - count
    return Parsed.ok(f"{months // 12:04d}-{months % 12 + 1:02d}")


_MONTH_ONLY_RE = re.compile(rf"\b({'|'.join(_MONTHS)})(uary|ruary|ch|il|e|y|ust|t|tember|ober|ember)?\b",
                            re.I)


def _partial_date(text: str, today: date) -> Optional[Parsed]:
    """"March 2023", "3/2023", "2023" -> "2023-03" / "2023" (FHIR allows partial dates)."""
    if relative := _relative_date(text, today):
        return relative
    m = _MONTH_YEAR_RE.search(text)
    month, year = (_MONTHS.index(m[1].lower()) + 1, int(m[3])) if m else (None, None)
    if not m and (m := _NUM_MONTH_YEAR_RE.search(text)) and 1 <= int(m[1] or m[4]) <= 12:
        month, year = int(m[1] or m[4]), int(m[2] or m[3])  # 3/2023, 2023-03
    if year is None and (m := _YEAR_RE.search(text)):
        year = int(m[1])
    if year is None and month is None and (m := _MONTH_ONLY_RE.search(text)):
        # "June", "this summer, july": the last such month, this year or last.
        month = _MONTHS.index(m[1].lower()) + 1
        year = today.year if month <= today.month else today.year - 1
    if year is None:
        return None
    if (year, month or 1) > (today.year, today.month) or today.year - year >= 120:
        return Parsed.error("future_date" if year >= today.year else "too_old")
    return Parsed.ok(f"{year:04d}-{month:02d}" if month else f"{year:04d}")


_YEAR_WORDS_RE = re.compile(r"\b(?:of\s+)?(this|last)\s+year\b", re.I)


def _year_words(text: str, today: date) -> str:
    """"june 18 of this year" -> "june 18 2026": the year as a number."""
    if not _MONTH_ONLY_RE.search(text):
        return text  # "last year" alone is a year, read by _relative_date
    return _YEAR_WORDS_RE.sub(lambda m: str(today.year - (m[1].lower() == "last")), text)


# A season read as one month of it (documented rule): spring April, summer July,
# fall October, winter January. "this summer" is this year's; "last summer" and
# "summer" alone are the latest one already begun (in November, this year's July; in
# June, last year's), "summer 2023" that year.
_SEASONS = {"spring": 4, "summer": 7, "fall": 10, "autumn": 10, "winter": 1}
_MONTH_NAMES = ("january february march april may june july august september october "
                "november december").split()
_SEASON_RE = re.compile(r"\b(?:(?:in|during)\s+)?(?:the\s+)?(this|last|past)?\s*"
                        r"(spring|summer|fall|autumn|winter)\b(\s+of)?", re.I)


def _season_words(text: str, today: date) -> str:
    """"last summer" -> "july 2026" (in November 2026), "summer of 2023" -> "july 2023"."""
    def month(m: re.Match) -> str:
        number = _SEASONS[m[2].lower()]
        name = _MONTH_NAMES[number - 1]
        if m[3]:  # "summer of 2023": the year follows
            return name
        if m[1] and m[1].lower() == "this":
            return f"{name} {today.year}"
        return f"{name} {today.year if number <= today.month else today.year - 1}"
    return _SEASON_RE.sub(month, text)


# "when she was born", "at birth", "as a newborn"; "when he was 2", "at 6 months old",
# "at age 5": counted from the child's birth date.
_BIRTH_CUE_RE = re.compile(r"\b(born|birth|newborn|new born|delivery|delivered)\b", re.I)
_AGE_CUE_RE = re.compile(r"\b(when|at|age|aged|old)\b", re.I)


def _from_birth(text: str, today: date, answers: dict) -> Optional[Parsed]:
    """The date the child was that age: the birth date for "at birth", the month
    for "when he was 2"; without a birth date, ask for a month and year."""
    try:
        age = extract_age(text, today)
    except AnswerError:
        age = None
    if age is None or age.birth_date is not None:
        if not _BIRTH_CUE_RE.search(text):
            return None
        years = 0.0
    elif _AGE_CUE_RE.search(text) or _BIRTH_CUE_RE.search(text):
        years = age.years
    else:
        return None  # a bare "2" is no date
    born = load_definition().birth_date(answers)
    if born is None:
        return Parsed.error("from_birth")
    if years <= 0:
        return Parsed.ok(born.isoformat())
    months = born.year * 12 + born.month - 1 + int(round(years * 12))
    if (months // 12, months % 12 + 1) > (today.year, today.month):
        return Parsed.error("future_date")  # older than the child is now
    return Parsed.ok(f"{months // 12:04d}-{months % 12 + 1:02d}")


def _read_date(item: Item, text: str, today: date, answers: dict) -> Parsed:
    if item.format == "partial_date":
        text = _season_words(text, today)
    text = _year_words(text, today)
    try:
        age = extract_age(text, today)  # raises for future and impossible dates
    except AnswerError as exc:
        return Parsed.error(_DATE_ERRORS.get(exc.reason, "date"))
    if age and age.birth_date:
        if item.format == "child_birth_date" and \
                years_between(age.birth_date, today) >= get_settings().max_child_age:
            return Parsed.error("too_old")
        return Parsed.ok(age.birth_date.isoformat())
    if item.format == "partial_date":
        return _partial_date(text, today) or _from_birth(text, today, answers) \
            or Parsed.error("month_year")
    return Parsed.error("date")


# ---------------------------------------------------------------- times of day

# "after 3pm", "around 10", "12:30", "before noon": the part of the day that hour is in,
# as a word the time-of-day options carry (morning before 11, midday to 1, then afternoon).
_CLOCK_RE = re.compile(r"\b(?:(before|by|after|from|past|around|about|at)\s+)?"
                       r"(?:(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?(?![\d/:-])|(noon|midday|lunch(?:time)?))",
                       re.I)


def _hour(m: re.Match) -> Optional[float]:
    if m[5]:
        hour = 12.0
    else:
        hour = int(m[2]) + int(m[3] or 0) / 60
        suffix = (m[4] or "").replace(".", "").lower()
        if hour >= 24 or (not suffix and not m[3] and not m[1]):
            return None  # a bare "2" picks option 2
        if suffix == "pm" and hour < 12 or not suffix and 1 <= hour < 7:
            hour += 12  # "after 3": the afternoon; nobody wants a 3 a.m. call
        elif suffix == "am" and hour >= 12:
            hour -= 12
    shift = (m[1] or "").lower()
    return hour - 1.5 if shift in ("before", "by") else hour + 1 if shift in ("after", "past") else hour


def clock_words(text: str) -> str:
    """"after 3pm" -> "afternoon", "before noon" -> "morning", "12:30" -> "midday"."""
    def word(m: re.Match) -> str:
        hour = _hour(m)
        if hour is None:
            return m[0]
        return " morning " if hour < 11 else " midday " if hour < 13 else " afternoon "
    return _CLOCK_RE.sub(word, text)
