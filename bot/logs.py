"""Logging for every process (Rasa, action server, portal), from LOG_LEVEL.

LOG_LEVEL applies to the project's own code (`bot`, `actions`), which never logs
message text or personal data at any level. Libraries are held at INFO or above
whatever LOG_LEVEL says: at DEBUG, Rasa, its structlog events, sanic and the HTTP
clients log whole messages, tracker slots and request bodies.
"""
from __future__ import annotations

import logging
import re
from typing import Optional

from bot.scrub import scrub_text
from bot.settings import Settings, get_settings

OWN_LOGGERS = ("bot", "actions")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def level_of(settings: Settings) -> int:
    level = logging.getLevelName(settings.log_level)
    return level if isinstance(level, int) else logging.INFO


def library_level(settings: Settings) -> int:
    """The level for everything that is not ours: never below INFO."""
    return max(level_of(settings), logging.INFO)


def configure(process: str, settings: Optional[Settings] = None) -> int:
    """Apply LOG_LEVEL to this process; returns the level set on our own loggers."""
    settings = settings or get_settings()
    own = level_of(settings)
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format=FORMAT)
    root.setLevel(library_level(settings))
    for handler in root.handlers:  # the loggers' levels decide; Rasa sets its handler's
        handler.setLevel(logging.NOTSET)
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(own)
    redact_handlers()
    logging.getLogger("bot.logs").debug("%s logging at %s", process,
                                        logging.getLevelName(own))
    return own


class RedactConversationIds(logging.Filter):
    """What a log line may still carry although no code of ours logs it: conversation ids
    (phone numbers on SMS: "sms:+14045550100") that libraries name in warnings, and card
    numbers or SSNs in a request line a server quotes in a traceback. The message and the
    traceback text are both redacted."""

    pattern = re.compile(r"\b(?:rest|sms|twilio|web|socketio):[^\s'\"]+")

    def _redact(self, text: str) -> str:
        return scrub_text(self.pattern.sub("<conversation>", text))

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a library's bad format string: leave the record alone
            return True
        redacted = self._redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._redact(logging.Formatter().formatException(record.exc_info))
        return True


def redact_handlers() -> None:
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactConversationIds) for f in handler.filters):
            handler.addFilter(RedactConversationIds())
