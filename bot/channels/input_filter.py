"""The one filter every inbound message passes through, whatever the channel.

The scrub itself lives in bot.scrub (the web form and the consent use it too); this
module keeps the names the channels, the NLU and the tests import.
"""
from __future__ import annotations

from bot.scrub import (CARD_MARKER, SECURITY_CODE_MARKER, SSN_MARKER, Scrubbed as FilteredText,
                       luhn_valid, scrub as filter_inbound)

__all__ = ["CARD_MARKER", "SECURITY_CODE_MARKER", "SSN_MARKER", "FilteredText",
           "filter_inbound", "luhn_valid"]
