"""Carrier SMS keywords: opt-out, opt-in and help.

US carriers (CTIA) require STOP and its synonyms to end all texts and HELP to answer
with who we are and how to stop. A keyword counts only as the whole message, any
case, with punctuation or emoji around it. A short sentence that starts with an
opt-out word and is only about our messages ("stop texting me") is an opt-out too;
one about anything else ("stop the brace?", "cancel my appointment") is for the bot.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Optional

from bot.typos import within_one_edit

OPT_OUT_WORDS = ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE",
                 "OPTOUT")
OPT_IN_WORDS = ("START", "UNSTOP", "SUBSCRIBE", "RESUME")
HELP_WORDS = ("HELP", "INFO")

_OPT_OUT = frozenset(w.lower() for w in OPT_OUT_WORDS)
_OPT_IN = frozenset(w.lower() for w in OPT_IN_WORDS)
_HELP = frozenset(w.lower() for w in HELP_WORDS)

# Words before the opt-out word that keep the sentence an opt-out ("please stop").
_LEAD = frozenset({"please", "pls", "plz", "just", "ok", "okay", "kindly"})
# The words an opt-out sentence may hold after the opt-out word: about messages only.
_ABOUT_MESSAGES = frozenset({
    "texting", "text", "texts", "txt", "txts", "txting", "texted", "messaging", "message",
    "messages", "msg", "msgs", "sms", "sending", "send", "links", "link", "reminders",
    "reminder", "notifications", "notification", "alerts", "alert", "contacting",
    "me", "us", "my", "the", "these", "this", "those", "all", "any", "more", "them", "it",
    "from", "to", "number", "phone", "list", "now", "already", "please", "pls", "plz",
    "thanks", "thank", "you", "immediately", "right", "away", "asap", "out",
})


def _words(text: str) -> list[str]:
    """Lower-case words, without accents, emoji and punctuation ("ＳＴＯＰ!!" -> ["stop"])."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.replace("'", "").replace("\u2019", "")  # "don't" is one word
    return re.findall(r"[a-z0-9]+", folded)


def _undoubled(word: str) -> str:
    return re.sub(r"(.)\1+", r"\1", word)


def _is(word: str, keywords: frozenset[str], typos: bool = True) -> bool:
    """The keyword, or (for opt-out and help) a slip of the thumb: a doubled letter or
    two neighbours swapped ("stopp", "stpo", "hlep"); one edit in longer words
    ("unsubscibe", "cancle"). Short words get no edits: "top" or "and" are words."""
    if word in keywords:
        return True
    if not typos or len(word) < 4:
        return False
    for key in keywords:
        if len(key) < 4:
            continue
        if _undoubled(word) == _undoubled(key):
            return True
        if len(key) >= 6 and within_one_edit(word, key):
            return True
        if sorted(word) == sorted(key) and within_one_edit(word, key):
            return True  # a swap of neighbours
    return False


def _whole(words: list[str], keywords: frozenset[str], typos: bool = True) -> bool:
    """The message is the keyword alone (or split in two: "opt out", "stop all")."""
    if len(words) == 1:
        return _is(words[0], keywords, typos)
    return len(words) == 2 and "".join(words) in keywords


def _about_messages(word: str) -> bool:
    if word in _ABOUT_MESSAGES or word in _OPT_OUT:
        return True
    return len(word) >= 5 and any(len(w) >= 5 and within_one_edit(word, w)
                                  for w in _ABOUT_MESSAGES)


def _opt_out_sentence(text: str, words: list[str]) -> bool:
    """A short sentence that starts with an opt-out word and is only about messages
    ("stop texting me links", "please stop"). A question is not an opt-out."""
    if "?" in text or len(words) > 8:
        return False
    while words and words[0] in _LEAD:
        words = words[1:]
    return bool(words) and _is(words[0], _OPT_OUT) and all(map(_about_messages, words[1:]))


def classify(text: str) -> Optional[str]:
    """"opt_out", "opt_in", "help", or None for a message the bot should read."""
    words = _words(text)
    if not words:
        return None
    if _whole(words, _OPT_OUT) or _opt_out_sentence(text, words):
        return "opt_out"
    if _whole(words, _OPT_IN, typos=False):
        return "opt_in"
    if _whole(words, _HELP):
        return "help"
    return None
