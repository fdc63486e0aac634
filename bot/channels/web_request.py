"""The web chat's request bodies, checked before anything reads them. Pure Python.

/session: `{}` or `{"token": "..."}` (an empty body counts as `{}`).
/message: `{"token": "...", "text": "..."}` or `{"token": "...", "payload": "..."}` (a
button's payload, sent as the parent pressed it). At most 8 KB (else 413) and 2,000
characters of text; not JSON, not an object, a text that is empty, too long or holds
control characters or invalid Unicode: 400 with a short reason.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Optional

from bot.channels.rest_payload import BAD_CHAR_RE, BadRequest

MAX_BODY_BYTES = 8 * 1024
MAX_TEXT_CHARS = 2000

__all__ = ["BadRequest", "WebMessage", "parse_message", "parse_session"]


@dataclass(frozen=True)
class WebMessage:
    token: Any  # checked by web_session, which answers 401 for anything unusable
    text: str
    from_button: bool


def parse_session(body: bytes) -> Optional[Any]:
    """The old token the client sent, if any."""
    return _object(body, allow_empty=True).get("token")


def parse_message(body: bytes) -> WebMessage:
    data = _object(body, allow_empty=False)
    text, payload = data.get("text"), data.get("payload")
    if (text is None) == (payload is None):
        raise BadRequest("send either text or payload")
    said = text if payload is None else payload
    name = "text" if payload is None else "payload"
    if not isinstance(said, str):
        raise BadRequest(f"{name} must be a string")
    if not said.strip():
        raise BadRequest(f"{name} is empty")
    if len(said) > MAX_TEXT_CHARS:
        raise BadRequest(f"{name} is longer than {MAX_TEXT_CHARS} characters")
    if BAD_CHAR_RE.search(said):
        raise BadRequest(f"{name} holds characters that are not allowed "
                         "(control characters or invalid Unicode)")
    return WebMessage(data.get("token"), said, from_button=payload is not None)


def _object(body: bytes, allow_empty: bool) -> dict:
    body = body or b""
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest(f"the body is larger than {MAX_BODY_BYTES} bytes", 413)
    if allow_empty and not body.strip():
        return {}
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, not UTF-8
        raise BadRequest("the body must be JSON in UTF-8") from None
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object")
    return data
