"""Splitting a message into words for bot/places.py: accents and contractions undone,
and for each word whether a comma-like or sentence boundary stands before it."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


# --------------------------------------------------------------------------- tokens

@dataclass
class _Tok:
    low: str
    raw: str
    sep_before: str   # "" | "," (a comma, colon, dash...) | "." (a sentence boundary)
    possessive: bool


_CONTRACTIONS = [
    (r"\bwe\s*'\s*re\b", "we are"), (r"\bi\s*'\s*m\b", "i am"), (r"\bthey\s*'\s*re\b", "they are"),
    (r"\byou\s*'\s*re\b", "you are"), (r"\bit\s*'\s*s\b", "it is"),
    (r"\bthat\s*'\s*s\b", "that is"),
    (r"\bwe\s*'\s*ve\b", "we have"), (r"\bi\s*'\s*ve\b", "i have"), (r"\bwe\s*'\s*ll\b", "we will"),
    (r"\bhe\s*'\s*s\b", "he is"), (r"\bshe\s*'\s*s\b", "she is"), (r"\bim\b", "i am"),
]
_NO_STOP_ABBR = {"st", "mt", "ft", "dr", "co", "mr", "mrs", "ms", "jr", "sr", "vs", "cnty"}
_TOKEN_RE = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?"      # words, "children's"
                       r"|\d+(?:\.\d+)?[A-Za-z]*"      # numbers, "2nd", "45deg"
                       r"|[.!?;\u00bf\u00a1]"           # sentence boundaries
                       r"|[,:()/&+\-\u2013\u2014]")      # clause boundaries


def _tokenize(text: str) -> list[_Tok]:
    text = (text or "").replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    # "Vivimos en Macon", "médico" -> "medico"
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(ch))
    # "s.c." -> "sc", "d.c." -> "dc", "u.s.a." -> "usa"
    text = re.sub(r"\b((?:[A-Za-z]\.){2,})", lambda m: m.group(1).replace(".", ""), text)
    for pattern, repl in _CONTRACTIONS:
        text = re.sub(pattern, repl, text, flags=re.I)
    toks: list[_Tok] = []
    sep = "."
    for m in _TOKEN_RE.finditer(text):
        piece = m.group(0)
        if piece in ".!?;\u00bf\u00a1":
            if piece == "." and toks and toks[-1].low in _NO_STOP_ABBR and sep != ".":
                continue
            sep = "."
            continue
        if piece in ",:()/&+-\u2013\u2014":
            if piece in "-" and m.start() > 0 and text[m.start() - 1].isalpha() \
                    and m.end() < len(text) and text[m.end()].isalpha():
                continue  # "warner-robins", "x-ray": a hyphen inside a word
            sep = sep or ","
            continue
        possessive = False
        if "'" in piece:
            word, _, tail = piece.partition("'")
            possessive = tail.lower() == "s"
            piece = word if possessive else word + tail
        toks.append(_Tok(low=piece.lower(), raw=piece, sep_before=sep, possessive=possessive))
        sep = ""
    return toks
