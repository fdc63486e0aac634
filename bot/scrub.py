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
import unicodedata
from dataclasses import dataclass
from typing import Optional

CARD_MARKER = "[card number removed]"
SSN_MARKER = "[SSN removed]"
SECURITY_CODE_MARKER = "[security code removed]"
EXPIRY_MARKER = "[expiry removed]"

# Digits are found on a skeleton of the text, one character for each character typed:
# every digit of any script (fullwidth, superscript, circled, keycap...) becomes its ASCII
# digit, a spelled-out digit ("four") becomes the digit and fillers, and every character
# that is neither a letter nor a digit (emoji, symbols, invisible marks, dashes of any
# script, fillers) becomes "~". So "4111\U0001F642\u200e1111" reads like "4111~~1111".
_FILLERS = frozenset("\u3164\u115f\u1160\uffa0\u2800")
_NUMBER_WORDS = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4",
                 "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}
_NUMBER_WORD_RE = re.compile(r"\b(?:%s)\b" % "|".join(_NUMBER_WORDS), re.I)
_TAG_RE = re.compile(r"<[^<>\n]{0,40}>")
# What people put between the digits of one number: any run of non-letters (spaces, line
# breaks, punctuation, "~" from the skeleton), a comma only when a digit follows at once
# ("2019, 2020" stays two numbers), an x between digits, and words spoken for separators.
_SEP = (r"(?:[\s.\-/\\_()+*|~#:'\"`!?;=<>\[\]{}^@&]|,(?=\d)|(?<=\d)x(?=\d)"
        r"|(?i:\s*\b(?:dash|hyphen|space|then|and|dot|slash|comma|x)\b\s*))")
_RUN_RE = re.compile(rf"\d+(?:{_SEP}+\d+)*")
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
# With a card in the message, a short label is enough: "code 737", "pin: 1234".
_CARD_CODE_RE = re.compile(r"\b(code|pin|sec)\s*(?:is|=|:|#)?\s*\d{3,4}\b", re.I)
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
    skeleton = _skeleton(text)
    found = {"card": False, "ssn": False}
    ssn_words = [m.start() for m in _SSN_WORDS_RE.finditer(skeleton)]
    pieces, last = [], 0
    for match in _RUN_RE.finditer(skeleton):
        kept = _read_run(match.group(0), _near(match, ssn_words))
        if kept == match.group(0):
            continue  # nothing to hide: the parent's own characters stay
        if kept is None:
            found["card"], shown = True, CARD_MARKER
        else:
            found["ssn"], shown = True, kept.replace("~", " ")
        pieces += [text[last:match.start()], shown]
        last = match.end()
    out = "".join(pieces) + text[last:]
    out = _CVV_RE.sub(lambda m: f"{m.group(1)} {SECURITY_CODE_MARKER}", out)
    out = _EXPIRY_RE.sub(lambda m: f"{m.group(1)} {EXPIRY_MARKER}", out)
    if found["card"]:
        out = _CARD_CODE_RE.sub(lambda m: f"{m.group(1)} {SECURITY_CODE_MARKER}", out)
        out = _AFTER_CARD_RE.sub(lambda m: f"{CARD_MARKER} {SECURITY_CODE_MARKER}", out)
    return Scrubbed(out, found["card"], found["ssn"])


def _skeleton(text: str) -> str:
    """The text with the same length, for finding numbers (see _FILLERS above)."""
    if not text.isascii():
        chars = []
        for ch in text:
            digit = unicodedata.digit(ch, None)
            if ch.isascii():
                chars.append(ch)
            elif digit is not None:
                chars.append(str(digit))
            elif ch.isspace():
                chars.append(" ")
            elif ch.isalpha() and ch not in _FILLERS:
                chars.append(ch)
            else:
                chars.append("~")
        text = "".join(chars)
    text = _TAG_RE.sub(lambda m: "~" * len(m.group(0)), text)
    return _NUMBER_WORD_RE.sub(
        lambda m: _NUMBER_WORDS[m.group(0).lower()] + "~" * (len(m.group(0)) - 1), text)


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
