"""The REST channel's request body, checked before Rasa sees any of it.

Rasa's own REST channel passes whatever JSON arrives straight to the agent: a number
as sender answered 500, and a lone surrogate ("\\ud800") made the SQL tracker store
call sys.exit, stopping the server. Every malformed body is refused here with a 4xx
and a short reason instead. Pure Python: tested without Rasa or a server.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from bot.scrub import scrub_text

MAX_BODY_BYTES = 64 * 1024
MAX_MESSAGE_CHARS = 5000  # a long parent message is a few hundred characters
MAX_SENDER_CHARS = 64
MAX_DEPTH = 8  # the body object is level 1, metadata level 2
SENDER_RE = re.compile(r"[A-Za-z0-9_.:@+-]+")
# Lone surrogates cannot be encoded as UTF-8 (the database refuses them), and
# PostgreSQL refuses NUL; other control characters have no place in a chat either.
BAD_CHAR_RE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class BadRequest(ValueError):
    def __init__(self, reason: str, status: int = 400):
        super().__init__(reason)
        self.reason, self.status = reason, status


@dataclass(frozen=True)
class RestMessage:
    sender: str
    text: str
    metadata: dict = field(default_factory=dict)


def parse(body: bytes) -> RestMessage:
    """The checked message, or BadRequest with the reason to give the client."""
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest(f"the body is larger than {MAX_BODY_BYTES} bytes", 413)
    try:
        data: Any = json.loads(body, parse_constant=_refuse_constant)
    except RecursionError:
        raise BadRequest("the body is nested too deeply") from None
    except ValueError:  # not JSON, not UTF-8, NaN, or an integer too long to read
        raise BadRequest("the body must be JSON in UTF-8") from None
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object")
    for text in _strings(data, 1):
        if BAD_CHAR_RE.search(text):
            raise BadRequest("the body holds characters that are not allowed "
                             "(control characters or invalid Unicode)")
    return RestMessage(_sender(data.get("sender")), _message(data.get("message")),
                       _metadata(data.get("metadata")))


def _sender(sender: Any) -> str:
    if sender is None or sender == "":
        raise BadRequest("sender is missing")
    if not isinstance(sender, str):
        raise BadRequest("sender must be a string")
    if len(sender) > MAX_SENDER_CHARS:
        raise BadRequest(f"sender is longer than {MAX_SENDER_CHARS} characters")
    if not SENDER_RE.fullmatch(sender):
        raise BadRequest("sender may use only letters, digits and . _ - : @ +")
    if scrub_text(sender) != sender:  # it would be stored with every event
        raise BadRequest("sender must not hold a card or Social Security number")
    return sender


def _message(message: Any) -> str:
    if message is None:
        raise BadRequest("message is missing")
    if not isinstance(message, str):
        raise BadRequest("message must be a string")
    if not message.strip():
        raise BadRequest("message is empty")
    if len(message) > MAX_MESSAGE_CHARS:
        raise BadRequest(f"message is longer than {MAX_MESSAGE_CHARS} characters")
    return message


def _metadata(metadata: Any) -> dict:
    if metadata is None:
        return {}
    if not isinstance(metadata, dict):
        raise BadRequest("metadata must be an object")
    return _scrubbed(metadata)


def _scrubbed(value: Any) -> Any:
    """Metadata is stored with the message in the tracker: the same scrub as the text."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {scrub_text(k): _scrubbed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(v) for v in value]
    return value


def _strings(value: Any, depth: int) -> Iterator[str]:
    """Every key and string value, refusing structures deeper than MAX_DEPTH."""
    if depth > MAX_DEPTH:
        raise BadRequest("the body is nested too deeply")
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, depth + 1)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
