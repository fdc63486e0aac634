"""SMS text rules: keep texts in GSM-7, count segments, split long bot messages.

GSM-7 (3GPP TS 23.038, "GSM 03.38") fits 160 characters in one SMS; a single character
outside it sends the whole text as UCS-2, 70 per SMS. A long text is sent as parts of
153 septets (GSM-7) or 67 UTF-16 code units (UCS-2): each part carries a header.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Callable

# The basic character set, in table order (0x0A is LF, 0x0D CR; 0x1B is the escape).
GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
).replace("\x1b", "")
# The extension table: each is sent as escape + character, two septets.
GSM7_EXTENSION = "\f^{}\\[~]|€"
_GSM7 = frozenset(GSM7_BASIC + GSM7_EXTENSION)

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67

# Characters with no GSM-7 form but a plain equivalent. Letters with accents that
# GSM-7 lacks (á, í, ó, ú, â, ç...) lose the accent through Unicode decomposition.
_REPLACEMENTS = {
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
    "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
    "‹": "'", "›": "'",
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "⁃": "-",
    "…": "...", "•": "-", "◦": "-", "‣": "-", "∙": "-", "·": "-", "▪": "-", "●": "-",
    "\t": " ", "\u2028": "\n", "\u2029": "\n",
    "⁄": "/", "∕": "/", "÷": "/", "×": "x", "°": " degrees", "¢": "c",
    "≤": "<=", "≥": ">=", "≠": "!=", "→": "->", "←": "<-", "⇒": "=>",
    "©": "(c)", "®": "(R)", "ı": "i", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D",
    "œ": "oe", "Œ": "OE", "ð": "d", "þ": "th", "Þ": "TH",
}
_DROPPED = "\x00"  # marks where a character with no GSM-7 form was taken out
_DROP_RUN = re.compile(r" *\x00+ *")
_NO_SPACE_BEFORE = frozenset(".,!?;:)]}'\"\n")


def _plain(char: str) -> str:
    """The GSM-7 form of one character outside GSM-7, or _DROPPED."""
    if char in _REPLACEMENTS:
        return _REPLACEMENTS[char]
    category = unicodedata.category(char)
    if category in ("Mn", "Me", "Cf", "Cc"):  # accents left alone, joiners, selectors
        return ""
    if category == "Zs":
        return " "
    decomposed = "".join(_REPLACEMENTS.get(c, c) for c in unicodedata.normalize("NFKD", char)
                         if not unicodedata.combining(c))
    if decomposed and all(c in _GSM7 for c in decomposed):
        return decomposed
    return _DROPPED


def _close_gap(match: re.Match[str]) -> str:
    """One space where emoji stood between words, none at a line's edge or before
    punctuation ("Thanks 😊 see you" -> "Thanks see you", "Great! 👍" -> "Great!")."""
    text, start, end = match.string, match.start(), match.end()
    before = text[start - 1] if start else "\n"
    after = text[end] if end < len(text) else "\n"
    if before == "\n" or after in _NO_SPACE_BEFORE:
        return ""
    if " " in match.group() or (before.isalnum() and after.isalnum()):
        return " "
    return ""


def to_gsm7(text: str) -> str:
    """The text with every character GSM-7 can send as it is, the rest replaced by its
    GSM-7 equivalent or dropped, so that one odd character does not make it UCS-2."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    out = "".join(c if c in _GSM7 else _plain(c) for c in text)
    out = _DROP_RUN.sub(_close_gap, out)
    return re.sub(r"(?<=\S) {2,}", " ", out)


def is_gsm7(text: str) -> bool:
    """Whether every character is in the GSM-7 basic or extension table."""
    return all(c in _GSM7 for c in text)


def _costs(text: str) -> tuple[list[int], int, int]:
    """Units per character, and the single / per-part capacity of the encoding."""
    if is_gsm7(text):
        return [2 if c in GSM7_EXTENSION else 1 for c in text], GSM7_SINGLE, GSM7_PART
    return [2 if ord(c) > 0xFFFF else 1 for c in text], UCS2_SINGLE, UCS2_PART


def _count_segments(text: str, extra: int = 0) -> int:
    """Segments for the text followed by `extra` one-unit characters. Parts are filled
    the way phones do it: an escape pair or a surrogate pair is never cut in two."""
    costs, single, part = _costs(text)
    costs += [1] * extra
    total = sum(costs)
    if total == 0:
        return 0
    if total <= single:
        return 1
    count, used = 1, 0
    for cost in costs:
        if used + cost > part:
            count, used = count + 1, 0
        used += cost
    return count


def segments(text: str) -> int:
    """How many SMS the text is billed and sent as (0 for an empty text)."""
    return _count_segments(text)


# --- splitting one bot message into SMS bodies ---

# What a cut between two words costs: the DP below uses as few bodies as possible,
# then the cheapest cuts (a paragraph break is free, a cut inside a word is a last resort).
_PARAGRAPH, _LINE, _SENTENCE, _CLAUSE, _WORD, _INSIDE_WORD = 0, 1, 2, 5, 10, 1000
_URL = re.compile(r"^[(\"'<\[]*(?:https?://|www\.)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")
_LIST_NUMBER = re.compile(r"^\(?\d{1,2}[.)]$")


def is_url(word: str) -> bool:
    """Whether a whitespace-delimited word is a link (which is never cut)."""
    return bool(_URL.match(word))


class _Measure:
    """Whether a slice of the text fits one body, answered from prefix sums (exact
    segment counting only near the limit)."""

    def __init__(self, text: str, max_segments: int, max_chars: int, reserve: int) -> None:
        self.text, self.max_segments, self.reserve = text, max_segments, reserve
        self.max_len = max_chars - reserve
        self.septets, self.units, self.non_gsm = [0], [0], [0]
        for c in text:
            self.septets.append(self.septets[-1] + (2 if c in GSM7_EXTENSION else 1))
            self.units.append(self.units[-1] + (2 if ord(c) > 0xFFFF else 1))
            self.non_gsm.append(self.non_gsm[-1] + (c not in _GSM7))

    def fits(self, start: int, end: int) -> bool:
        if end - start > self.max_len:
            return False
        gsm = self.non_gsm[end] == self.non_gsm[start]
        prefix, single, part = ((self.septets, GSM7_SINGLE, GSM7_PART) if gsm
                                else (self.units, UCS2_SINGLE, UCS2_PART))
        total = prefix[end] - prefix[start] + self.reserve
        if total <= single:
            return self.max_segments >= 1
        if -(-total // part) > self.max_segments:  # not even with every part full
            return False
        if -(-total // (part - 1)) <= self.max_segments:  # even with a unit lost per part
            return True
        return _count_segments(self.text[start:end], self.reserve) <= self.max_segments


def _pieces(text: str, fits: Callable[[int, int], bool]) -> list[tuple[int, int]]:
    """The words as (start, end) offsets; a word too long for a body (not a link) is
    cut into the longest pieces that fit."""
    pieces: list[tuple[int, int]] = []
    for match in re.finditer(r"\S+", text):
        start, end = match.span()
        if fits(start, end) or is_url(match.group()):
            pieces.append((start, end))
            continue
        while start < end:
            cut = start + 1
            while cut < end and fits(start, cut + 1):
                cut += 1
            pieces.append((start, cut))
            start = cut
    return pieces


def _cut_cost(text: str, before: tuple[int, int], after: tuple[int, int]) -> int:
    """What starting a new body at `after` costs, from the gap and the words around it."""
    gap = text[before[1]:after[0]]
    if not gap:
        return _INSIDE_WORD
    if gap.count("\n") >= 2:
        return _PARAGRAPH
    if "\n" in gap:
        return _LINE
    word, following = text[before[0]:before[1]], text[after[0]:after[1]]
    first = following.lstrip("\"'(¿¡")[:1]
    if (_SENTENCE_END.search(word) and not _LIST_NUMBER.match(word)
            and (first.isupper() or first.isdigit())):
        return _SENTENCE
    if word[-1] in ",;:":
        return _CLAUSE
    return _WORD


def _longest_from(index: int, pieces: list[tuple[int, int]],
                  fits: Callable[[int, int], bool]) -> int:
    """The largest j such that pieces[index:j] fit one body (at least index + 1)."""
    low, high = index + 1, len(pieces)
    start = pieces[index][0]
    if not fits(start, pieces[low - 1][1]):
        return low  # a link longer than a body stands alone
    while low < high:
        middle = (low + high + 1) // 2
        if fits(start, pieces[middle - 1][1]):
            low = middle
        else:
            high = middle - 1
    return low


def split_message(text: str, max_segments: int = 3, max_chars: int = 1600,
                  reserve: int = 0) -> list[str]:
    """One bot message as few SMS bodies as possible, each at most `max_segments`
    segments and `max_chars` characters with `reserve` characters still free. Cuts
    fall at paragraphs, then sentences and lines, then words; never inside a link."""
    measure = _Measure(text, max_segments, max_chars, reserve)
    pieces = _pieces(text, measure.fits)
    if not pieces:
        return []
    count = len(pieces)
    # best[j]: (bodies, cut cost) for the first j pieces; the earliest bodies fullest.
    best: list[tuple[int, int] | None] = [None] * (count + 1)
    previous = [0] * (count + 1)
    best[0] = (0, 0)
    for i in range(count):
        if best[i] is None:
            continue
        bodies, cost = best[i]  # type: ignore[misc]
        cost += _cut_cost(text, pieces[i - 1], pieces[i]) if i else 0
        for j in range(i + 1, _longest_from(i, pieces, measure.fits) + 1):
            candidate = (bodies + 1, cost)
            current = best[j]
            if current is None or candidate <= current:
                best[j], previous[j] = candidate, i
    bounds, j = [], count
    while j:
        bounds.append((previous[j], j))
        j = previous[j]
    return [text[pieces[i][0]:pieces[j - 1][1]] for i, j in reversed(bounds)]
