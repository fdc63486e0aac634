"""The walk's messages over a channel that must not carry health information (SMS).

There the chat never repeats what the parent told us: a change says which answer
changed, not to what; extra facts are "saved", not listed; the confirm step says
the answers are saved and can be read and changed on the upload page instead of
sending the short summary. The words are data (definition.yml): each
`private_<code>` message replaces `<code>`. Those that give the upload link are
filled in when first used, since making the link reads the case and most turns
send none.
"""
from __future__ import annotations

import dataclasses
import functools
from collections import ChainMap
from typing import Callable, Iterator, Mapping

from bot.questionnaire.model import Definition

PREFIX = "private_"
LINK = "{link}"


class _WithLink(Mapping[str, str]):
    """The messages that hold {link}, the link made on first use (once)."""

    def __init__(self, templates: Mapping[str, str], link: Callable[[], str]):
        self._templates = {code: text for code, text in templates.items() if LINK in text}
        self._link = functools.lru_cache(maxsize=1)(link)

    def __getitem__(self, code: str) -> str:
        return self._templates[code].replace(LINK, self._link())

    def __iter__(self) -> Iterator[str]:
        return iter(self._templates)

    def __len__(self) -> int:
        return len(self._templates)


def private_messages(definition: Definition) -> dict[str, str]:
    """code -> the message that replaces it over a private channel."""
    return {code[len(PREFIX):]: text for code, text in definition.messages.items()
            if code.startswith(PREFIX)}


def private_definition(definition: Definition, link: Callable[[], str]) -> Definition:
    """The same questions, with messages that quote no answer; `link` makes the upload
    link (or links) the messages give."""
    own = private_messages(definition)
    return dataclasses.replace(definition, quotes_answers=False,
                               messages=ChainMap(_WithLink(own, link), own, definition.messages))
