"""The one filter every inbound message passes through, whatever the channel.

The scrub itself lives in bot.scrub (the web form and the consent use it too); this
module keeps the names the channels, the NLU and the tests import.
"""
from __future__ import annotations

import re

from bot.scrub import (CARD_MARKER, SECURITY_CODE_MARKER, SSN_MARKER, Scrubbed as FilteredText,
                       luhn_valid, scrub as filter_inbound)

__all__ = ["CARD_MARKER", "SECURITY_CODE_MARKER", "SSN_MARKER", "FilteredText",
           "filter_inbound", "luhn_valid", "typed_command"]


def typed_command(text: str, allowed: frozenset[str]) -> str:
    """A message like "/restart" is an order to Rasa, not words: only the payloads of
    our own buttons may come through as commands. Anything else loses its slash and is
    read as the words it holds ("restart" is then confirmed before anything is lost)."""
    stripped = text.lstrip()
    if not stripped.startswith("/"):
        return text
    name = re.match(r"/([A-Za-z_]*)", stripped).group(1)
    # Bare "/intent" only: '/intent{"slot": ...}' would let a client set entities.
    if name in allowed and re.fullmatch(r"/[A-Za-z_]+", stripped.rstrip()):
        return text
    return stripped.lstrip("/ ") or "hi"
