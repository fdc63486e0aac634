"""The one scrub for every inbound text: chat, web form answers, the consent name, SMS.

Card numbers, Social Security numbers and the security code or expiry typed with a
card must never reach the tracker, the database or a log. People type numbers with
any separators ("4111.1111  1111\\n1111"), so digits are read as runs: digit groups
joined by separators. A run that is only things we ask for (phones, dates, ZIPs) is
kept; an SSN-shaped piece is replaced; any other run of 13 or more digits is a card.
The markers are what the NLU and the dialogue recognise.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from typing import Optional

CARD_MARKER = "[card number removed]"
SSN_MARKER = "[SSN removed]"
SECURITY_CODE_MARKER = "[security code removed]"
EXPIRY_MARKER = "[expiry removed]"

# What people put between the digits of one number: spaces, tabs, line breaks, dots,
# dashes (any Unicode dash), slashes, parentheses, zero-width characters; a comma only
# when a digit follows at once ("2019, 2020" stays two numbers).
_SEP = r"(?:[\s.\-/\\_()+*|\u00b7\u2010-\u2015\u2212\u200b-\u200d\u2060\ufeff]|,(?=\d))"
_RUN_RE = re.compile(rf"\d+(?:{_SEP}+\d+)*")


def _chars_in(categories: set[str], extra: str = "") -> str:
    """A regex character class body holding every code point of these categories."""
    found = [chr(c) for c in range(sys.maxunicode + 1)
             if unicodedata.category(chr(c)) in categories] + list(extra)
    return "".join(re.escape(ch) for ch in found)


# Invisible characters (format marks, direction marks, soft hyphens, variation selectors,
# the keycap's enclosing mark) typed between the digits of one number, and dashes of
# every script: the digits are read as one run all the same.
_INVISIBLE = _chars_in({"Cf", "Mn", "Me"})
_DASHES = _chars_in({"Pd"}, "\uff0e\uff0f\u2024\u2027\u30fb\u2044")
_HIDDEN_BETWEEN_RE = re.compile(
    rf"(?<=[\d{_DASHES}\s.\-/])[{_INVISIBLE}]+(?=[\d{_DASHES}{_INVISIBLE}\s.\-/]|$)")
_OTHER_DASHES = _DASHES.replace("\\-", "")
_DASH_BETWEEN_RE = re.compile(rf"(?<=[\d\s])[{_OTHER_DASHES}](?=[\d\s])")
_INVISIBLE_SET = frozenset(re.sub(r"\\(.)", r"\1", _INVISIBLE))
_OTHER_DASH_SET = frozenset(re.sub(r"\\(.)", r"\1", _OTHER_DASHES))
_GROUP_RE = re.compile(r"\d+")
_CARD_MIN_DIGITS = 13

# Runs we keep, whole: each must match one of these (separators between them free).
_S = r"[ \t.\-]"
_SAFE_RE = re.compile("|".join([
    rf"(?:1{_S}*)?\(?\d{{3}}\)?{_S}*\d{{3}}{_S}+\d{{4}}",   # phone: 404-555-0142, (404) 555 0142
    r"\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})",         # date: 03/05/2015, 3-5-15
    r"\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}",                   # date: 2015-03-05
    r"\d{5}(?:-\d{4})?",                                  # ZIP, ZIP+4
]))
# 3-2-4 with separators is an SSN wherever it is; 9 digits otherwise only near these words.
_SSN_RE = re.compile(rf"\d{{3}}{_SEP}+\d{{2}}{_SEP}+\d{{4}}")
_SSN_WORDS_RE = re.compile(
    r"\b(?:ssn|ss\s*#|ss\s*no|s\.s\.n?\.?|social(?:\s+security)?|soc\.?\s*sec|seguro\s+social"
    r"|itin|tax\s*id)", re.I)
_SSN_WORD_DISTANCE = 40

_CVV_RE = re.compile(
    r"\b(cvv2?|cvc2?|csc|cid|security\s+code|sec(?:urity)?\.?\s+code|code\s+on\s+the\s+back"
    r"|(?:3|4|three|four)[\s-]digit\s+code)\s*(?:is|=|:|#)?\s*\d{3,4}\b", re.I)
_EXPIRY_RE = re.compile(
    r"\b(exp(?:iry|ires|iration)?\.?(?:\s+date)?|valid\s+thr(?:ough|u)|good\s+thr(?:ough|u))"
    r"\s*(?:is|=|:|#)?\s*\d{1,2}\s*[/\-.]?\s*\d{2,4}\b", re.I)
# Right after a card: a bare month/year and a bare 3-4 digit code ("..., 04/28, 123").
_AFTER_CARD_RE = re.compile(
    re.escape(CARD_MARKER) + r"(?P<tail>(?:[\s,;:]+(?:(?:0?[1-9]|1[0-2])\s*/\s*(?:\d{4}|\d{2})"
    r"|\d{3,4}))+)(?![\d/])")


@dataclass(frozen=True)
class Scrubbed:
    text: str
    removed_card: bool = False
    removed_ssn: bool = False

    @property
    def removed(self) -> bool:
        return self.removed_card or self.removed_ssn


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def scrub(text: Optional[str]) -> Scrubbed:
    """Replace card numbers, SSNs, and security codes / expiries, with markers."""
    if not text:
        return Scrubbed(text or "")
    text = _visible(text)
    found = {"card": False, "ssn": False}
    ssn_words = [m.start() for m in _SSN_WORDS_RE.finditer(text)]

    def run(match: re.Match) -> str:
        kept = _read_run(match.group(0), _near(match, ssn_words))
        if kept is None:
            found["card"] = True
            return CARD_MARKER
        if kept != match.group(0):
            found["ssn"] = True
        return kept

    out = _RUN_RE.sub(run, text)
    out = _CVV_RE.sub(lambda m: f"{m.group(1)} {SECURITY_CODE_MARKER}", out)
    out = _EXPIRY_RE.sub(lambda m: f"{m.group(1)} {EXPIRY_MARKER}", out)
    if found["card"]:
        out = _AFTER_CARD_RE.sub(lambda m: f"{CARD_MARKER} {SECURITY_CODE_MARKER}", out)
    return Scrubbed(out, found["card"], found["ssn"])


def _visible(text: str) -> str:
    """Invisible marks next to digits become a separator, and any dash between digits a
    plain one: "4111\u200e1111" and "5555\uff0d5555" read like "4111-1111". Only text
    around digits changes (an emoji's joiner elsewhere stays)."""
    present = set(text)
    if present & _INVISIBLE_SET:  # rare: skip the slower pattern for everyday text
        text = _HIDDEN_BETWEEN_RE.sub("-", text)
    if present & _OTHER_DASH_SET:
        text = _DASH_BETWEEN_RE.sub("-", text)
    return text


def scrub_text(text: Optional[str]) -> str:
    return scrub(text).text


def _near(match: re.Match, positions: list[int]) -> bool:
    return any(match.start() - _SSN_WORD_DISTANCE <= p <= match.end() + _SSN_WORD_DISTANCE
               for p in positions)


def _read_run(run: str, ssn_words_near: bool) -> Optional[str]:
    """The run with SSNs replaced, or None when it is (or may hide) a card."""
    digits = sum(len(g) for g in _GROUP_RE.findall(run))
    if digits == 9 and ssn_words_near:
        return SSN_MARKER
    if digits < _CARD_MIN_DIGITS:
        return _SSN_RE.sub(_ssn_if_whole_groups(run), run)
    return _split(run)


def _ssn_if_whole_groups(run: str):
    """Replace a 3-2-4 match only when it is not a slice of longer groups."""
    def replace(m: re.Match) -> str:
        before = run[m.start() - 1] if m.start() else ""
        after = run[m.end()] if m.end() < len(run) else ""
        return m.group(0) if before.isdigit() or after.isdigit() else SSN_MARKER
    return replace


def _split(run: str) -> Optional[str]:
    """Cut a long run into pieces that are each safe or an SSN, kept with the separators
    between them; None when no such cut exists (then the run may hide a card)."""
    spans = [g.span() for g in _GROUP_RE.finditer(run)]
    n = len(spans)
    # cut[i] = (last group of the piece starting at group i, what it shows), when the
    # groups from i to the end can be cut into such pieces; filled from the end.
    cut: list = [None] * (n + 1)
    cut[n] = (n, "")
    for first in range(n - 1, -1, -1):
        for last in range(first, min(first + 4, n)):
            if cut[last + 1] is None:
                continue
            piece = run[spans[first][0]:spans[last][1]]
            if _SAFE_RE.fullmatch(piece):
                cut[first] = (last, piece)
            elif last - first == 2 and _SSN_RE.fullmatch(piece):
                cut[first] = (last, SSN_MARKER)
            else:
                continue
            break
    if cut[0] is None:
        return None
    out, i = [], 0
    while i < n:
        last, shown = cut[i]
        out.append(shown)
        if last + 1 < n:
            out.append(run[spans[last][1]:spans[last + 1][0]])
        i = last + 1
    return "".join(out)
