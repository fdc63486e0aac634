"""Corrections by field name: finding the earlier question a message names
("her birthday is 4/2/2012", "sex: female") and changing its answer."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from typing import Optional

from bot.programs import normalise_words
from bot.questionnaire.answers import ERROR, OK, SKIP, UNKNOWN, Parsed, clean, parse_answer
from bot.questionnaire.model import Definition, Item
from bot.questionnaire.prompts import _changed_line, _value_text
from bot.questionnaire.state import Outcome, _askable, _done, _store
from bot.questionnaire.steps import _after, _reask

_CUE_RE = re.compile(r"^\s*(actually|correction|sorry|oops|wait|i meant|i mean|change|fix|"
                     r"typo|update)\b[\s:,.-]*", re.I)
_LEAD_RE = re.compile(r"[\s:=,-]*((is|was|are|should be|should have been|should say|should read|to be|"
                      r"to|as|it'?s|not|on|in|at|say|says)\b"
                      r"[\s:=,-]*)*", re.I)

_STOP_WORDS = frozenset("a an the of or and to for at by in on you your my our".split())
# Words that may come before a field name at the start of an edit: "her birthday is".
_EDIT_LEAD = frozenset("her his my the their our childs child kids kid its change fix update "
                       "actually correction sorry oops wait i meant mean typo and also ok so "
                       "please can you set make".split())
MAX_PLAIN_EDIT_WORDS = 4  # "sex: female" is an edit; a longer free answer is not
_FREE_TEXT = ("string", "text")  # items whose parser takes any words


def _phrase_words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower().replace("\u2019", "'")))


@functools.lru_cache(maxsize=512)
def _phrases(item: Item) -> tuple[tuple[str, ...], ...]:
    """What names the item in an edit: its keywords, its label, and runs of two or
    more label words ("family history", "brace hours") not starting or ending with a
    small word. Longest first."""
    found = {_phrase_words(k) for k in item.keywords}
    label = _phrase_words(item.short_label)
    found.add(label)
    for i in range(len(label)):
        for j in range(i + 2, len(label) + 1):
            if label[i] not in _STOP_WORDS and label[j - 1] not in _STOP_WORDS:
                found.add(label[i:j])
    return tuple(sorted((p for p in found if p), key=lambda p: -len(" ".join(p))))


@functools.lru_cache(maxsize=2048)
def _phrase_re(words: tuple[str, ...]) -> re.Pattern:
    parts = [re.escape(w).replace("'", "'?") for w in words]
    return re.compile(r"\b" + r"[^\w']+".join(parts) + r"s?\b", re.I)


# The old value after the new one: "Dr Grace Kim not Dr Kim", "X, not Y", "X instead of Y".
_INSTEAD_RE = re.compile(r"(?<=\S)[\s,;]+(not|instead of|rather than)\s+\S.*$", re.I)


_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
# A date without its year: "may 3", "3rd of may", "5/3", "the 3rd" (the year, and for a
# day alone the month, are the ones of the answer it changes).
_MONTH_DAY_RE = re.compile(rf"^(?:on\s+)?{_MONTH}\s+(?:the\s+)?{_DAY}$", re.I)
_DAY_MONTH_RE = re.compile(rf"^(?:on\s+)?(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}$", re.I)
_NUMERIC_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})$")
_DAY_ONLY_RE = re.compile(r"^(?:on\s+)?(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)$", re.I)
_MONTH_ONLY_RE = re.compile(rf"^(?:in\s+)?{_MONTH}$", re.I)


def parse_edit(item: Item, rest: str, state: dict, today: date,
               text: str = "") -> tuple[str, Parsed]:
    """The new value of an edit, read for `item`: the old value after it is dropped
    ("may 3 not may 2", "Dr Grace Kim, not Dr Kim") and a date without its year takes
    the year of the answer it changes. (`text`: the whole message, read when there is
    no value after the field's name.)"""
    new = _INSTEAD_RE.sub("", rest)
    if item.type in _FREE_TEXT:  # "Valdosta Clinic not Valdosta Pediatrics": the new one
        rest = new
        if not rest:  # "change the practice": no new value
            return rest, Parsed.error("empty")
    for candidate in dict.fromkeys((new, rest)):  # "45 not 40" first, then as it was typed
        completed = _with_old_year(item, candidate, state["answers"].get(item.link_id))
        parsed = parse_answer(item, completed or candidate or text, today, state["answers"])
        if parsed.status != ERROR or candidate == rest:
            return candidate, parsed
    raise AssertionError("unreachable")


def _with_old_year(item: Item, value: str, old) -> Optional[str]:
    """"may 3" for a birth date of 2015-05-02 -> "5/3/2015"; "march" for a diagnosis
    in 2023-04 -> "march 2023". None when the value needs nothing added."""
    if item.type != "date" or not isinstance(old, str) or not re.fullmatch(r"\d{4}(-\d{2}){0,2}", old):
        return None
    value, parts = value.strip(" .,!"), old.split("-")
    if len(parts) == 3:
        if m := _MONTH_DAY_RE.match(value) or _DAY_MONTH_RE.match(value):
            month, day = (m[1], m[2]) if m.re is _MONTH_DAY_RE else (m[2], m[1])
            return f"{_MONTHS.index(month[:3].lower()) + 1}/{day}/{parts[0]}"
        if m := _NUMERIC_RE.match(value):
            return f"{m[1]}/{m[2]}/{parts[0]}"
        if m := _DAY_ONLY_RE.match(value):
            return f"{int(parts[1])}/{m[1]}/{parts[0]}"
    if len(parts) >= 2 and item.format == "partial_date" and (m := _MONTH_ONLY_RE.match(value)):
        return f"{m[1]} {parts[0]}"
    return None


@dataclass
class _Target:
    item: Item
    size: int  # characters of the phrase that named it
    rest: str  # the words after it: the new value
    stated: bool  # "is", ":", "should be"... between the name and the value
    leading: bool  # the name starts the message ("sex: female", "her dob is ...")
    parsed: Parsed


def _target(definition: Definition, state: dict, text: str, current: Optional[Item],
            today: date, later: bool = False) -> Optional[_Target]:
    """The earlier question a message names, by keyword or label words (`later`: any
    question but the current one). Among several, one whose parser takes the value
    wins, then the longest (most specific) name: "Family history of spine curves: Yes"
    is the family history, not the curve."""
    found = []
    for item in _askable(definition, state):
        if item is current or item.hidden or not (later or _done(state, item.link_id)):
            continue
        for words in _phrases(item):
            m = _phrase_re(words).search(text)
            if not m:
                continue
            lead = _LEAD_RE.match(text, m.end())[0]
            rest, parsed = parse_edit(item, text[m.end() + len(lead):].strip(), state, today, text)
            before = normalise_words(text[:m.start()])
            found.append(_Target(item, len(" ".join(words)), rest, bool(lead.strip(" ,")),
                                 all(w in _EDIT_LEAD for w in before), parsed))
            break  # the longest phrase of this item
    if not found:
        return None
    return max(found, key=lambda t: (t.parsed.status != ERROR, t.size))


def _correction(definition: Definition, state: dict, text: str, today: date,
                current: Optional[Item]) -> Optional[Outcome]:
    """"actually her birthday is 4/2/2012": change that answer, then go on with the
    current question. Without a cue word ("actually", "oops"...) a message is only
    taken as a correction when it is no answer to the current question, or when it
    starts with the field's name and a short value ("sex: female"); a question
    ("actually, is her curve too big?") never is. At the confirm step the reply is
    only "Changed: ..." and the short ask."""
    text = clean(text)
    found = _target(definition, state, text, current, today)
    if found is None:
        return None
    target, rest, stated, parsed = found.item, found.rest, found.stated, found.parsed
    cue = bool(_CUE_RE.match(text)) and not text.endswith("?")
    current_ok = current is not None and parse_answer(
        current, _CUE_RE.sub("", text), today, state["answers"]).status != ERROR
    # free text needs "is" or ":" ("practice is Macon Kids"): "the clinic did them" is
    # an answer to the current question, not a new practice name
    plain = found.leading and bool(rest) and "?" not in text \
        and len(rest.split()) <= MAX_PLAIN_EDIT_WORDS and (stated or target.type not in _FREE_TEXT)
    # "actually idk" drops no answer; "family history: not sure" says so on purpose
    changes = _gives_value(found)
    if changes and (cue or not current_ok or plain):
        _store(definition, state, target, parsed)
        if current is None:
            note = _changed_line(definition, target, state)
        else:
            note = definition.messages["changed"].format(
                label=target.short_label.lower(), value=_value_text(definition, target, state))
        return _after(definition, state, target, parsed, "corrected", prefix=(note,))
    if parsed.status != OK and (cue and (stated or not current_ok) or current is None):
        note = definition.messages["not_changed"].format(label=target.short_label.lower())
        return _reask(definition, current, parsed.reason or "required",
                      link_id=target.link_id, prefix=note, state=state)
    return None


def _gives_value(found: _Target) -> bool:
    """Whether an edit sets its field: a value it takes, or a stated skip or "not sure"."""
    return found.parsed.status == OK or (found.stated and bool(found.rest)
                                         and found.parsed.status in (SKIP, UNKNOWN))
