"""Rasa buttons as numbered SMS menus, and the parent's reply read back as a choice.

A text has no buttons: the choices are written under the message ("Reply 1 for Yes,
2 for No.") and remembered, so that "2", "#2", "two" or "hip" sends the button's
payload. Anything else goes to the bot as words.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Optional

from bot.typos import within_one_edit

_NUMBERING = re.compile(r"^\s*\(?\d{1,2}\s*[.):-]\s*")
_NUMBERED_LINE = re.compile(r"^\s*\(?(\d{1,2})\s*[.):-]?\s*(.+?)\s*$")
_INLINE_MAX = 60  # longer two-choice menus read better one per line on a phone

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
            "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
            "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5}
# Words around a choice that change nothing ("option 2 please", "the first one").
_FILLER = frozenset({"please", "pls", "plz", "thanks", "thank", "you", "thx", "ty", "ok",
                     "okay", "option", "choice", "number", "num", "pick", "choose",
                     "select", "the", "i"})
# Words too common to pick a title on their own.
_STOPWORDS = frozenset({"a", "an", "the", "to", "for", "of", "my", "me", "i", "it", "is",
                        "if", "do", "does", "what", "how", "and", "or", "in", "on", "now",
                        "you", "your", "this", "that", "be", "can", "with", "at"})
_ANSWERS = frozenset({"yes", "no"})  # pick a title only when it starts with them


def _title(button: dict) -> str:
    """The button's title without its own numbering ("1. Spine problem" -> "Spine problem")."""
    return _NUMBERING.sub("", str(button.get("title") or "")).strip()


def _words(text: str) -> list[str]:
    """Lower-case words without accents, emoji or punctuation ("2️⃣" -> ["2"])."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return re.findall(r"[a-z0-9]+", folded)


def _same_choices(lines: list[str], menu: list[dict]) -> bool:
    """Whether these lines are the menu already written out: 1..n with the titles."""
    for line, item in zip(lines, menu):
        match = _NUMBERED_LINE.match(line)
        if not match or int(match.group(1)) != item["n"]:
            return False
        if _words(match.group(2)) != _words(item["title"]):
            return False
    return True


def _menu_text(menu: list[dict]) -> str:
    titles = [item["title"] for item in menu]
    inline = " ".join(f"{item['n']} for {item['title']}," for item in menu)
    plain = all(re.fullmatch(r"[\w' ]+", title) for title in titles)
    if len(menu) <= 2 and plain and len(inline) <= _INLINE_MAX:
        return "Reply " + inline[:-1] + "."
    return "Reply with a number:\n" + "\n".join(f"{item['n']} - {item['title']}"
                                                for item in menu)


def render(text: str, buttons: list[dict]) -> tuple[str, list[dict]]:
    """The text with its buttons as a numbered menu inside the same message, and the
    menu to remember: [{"n": 1, "title": ..., "payload": ...}, ...]. Payloads are
    never shown; a button without a title cannot be shown, so it is left out."""
    menu: list[dict] = []
    for button in buttons or []:
        title = _title(button)
        if title and button.get("payload") is not None:
            menu.append({"n": len(menu) + 1, "title": title, "payload": button["payload"]})
    if not menu:
        return text, []
    lines = text.rstrip().splitlines()
    if len(lines) >= len(menu) and _same_choices(lines[-len(menu):], menu):
        return text, menu
    return f"{text.rstrip()}\n{_menu_text(menu)}", menu


def _number(words: list[str]) -> Optional[int]:
    """The number a reply consists of ("#2", "option 2", "two", "the first one")."""
    rest = [w for w in words if w not in _FILLER]
    if len(rest) == 2 and rest[1] == "one" and rest[0] in ORDINALS:
        rest = rest[:1]
    if len(rest) != 1:
        return None
    word = rest[0]
    if word.isdigit() and len(word) <= 2:
        return int(word)
    return NUMBER_WORDS.get(word) or ORDINALS.get(word)


def _like(word: str, title_word: str) -> bool:
    """The same word, or a small typo in a longer one ("spien" for "spine")."""
    if word == title_word:
        return True
    return len(title_word) >= 5 and len(word) >= 4 and within_one_edit(word, title_word)


def _by_title(words: list[str], menu: list[dict]) -> Optional[str]:
    """The payload of the one title the reply names: every word of the reply is in that
    title, and one of them is in no other title ("hip", "yes", "talk to a person")."""
    reply = [w for w in words if w not in _FILLER]
    if not reply or len(reply) > 8:
        return None
    titles = [_words(item["title"]) for item in menu]
    if any(reply == title for title in titles):
        return next(item["payload"] for item, t in zip(menu, titles) if t == reply)
    chosen = None
    for item, title in zip(menu, titles):
        if not all(any(_like(w, t) for t in title) for w in reply):
            continue
        if not any(_distinctive(w, title, titles) for w in reply):
            continue
        if chosen is not None:
            return None  # the reply names two titles: let the bot read it
        chosen = item["payload"]
    return chosen


def _distinctive(word: str, title: list[str], titles: list[list[str]]) -> bool:
    if word in _ANSWERS:
        return title[:1] == [word] and sum(t[:1] == [word] for t in titles) == 1
    if word in _STOPWORDS or word.isdigit():
        return False
    return sum(any(_like(word, t) for t in other) for other in titles) == 1


def choose(reply: str, menu: list[dict]) -> Optional[str]:
    """The payload of the menu choice the reply makes, or None when it makes none (a
    sentence that merely holds a digit, a number off the menu): then the reply goes
    to the bot as words."""
    if not menu:
        return None
    words = _words(reply)
    number = _number(words)
    if number is not None:
        return next((item["payload"] for item in menu if item["n"] == number), None)
    return _by_title(words, menu)
