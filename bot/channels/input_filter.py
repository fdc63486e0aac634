"""The one filter every inbound message passes through, whatever the channel.

Card numbers must never reach the tracker store, the logs or the NLU model, so
they are replaced before Rasa sees the text. The replacement marker is what the
NLU model and the safety override recognise as "the parent typed a card".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

CARD_MARKER = "[card number removed]"
SECURITY_CODE_MARKER = "[security code removed]"

# 13-19 digits, optionally grouped by spaces or dashes (how people type cards).
_CARD_RE = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
# A security code or expiry typed next to a card: "cvv 123", "exp 04/27".
_CVV_RE = re.compile(r"\b(cvv2?|cvc|csc|security code|sec code)\s*[:#]?\s*\d{3,4}\b", re.I)
_EXPIRY_RE = re.compile(r"\b(exp(?:iry|ires|iration)?\.?(?: date)?)\s*[:#]?\s*\d{1,2}\s*/\s*\d{2,4}\b", re.I)


@dataclass(frozen=True)
class FilteredText:
    text: str
    removed_card: bool


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def filter_inbound(text: str | None) -> FilteredText:
    """Scrub card numbers (and a security code or expiry typed with them)."""
    if not text:
        return FilteredText(text or "", False)
    # Any 13-19 digit run is removed, Luhn-valid or not: a mistyped card is still a card,
    # and no other answer we ask for (ZIP, phone, date) is that long.
    scrubbed, count = _CARD_RE.subn(CARD_MARKER, text)
    if count:
        scrubbed = _CVV_RE.sub(lambda m: f"{m.group(1)} {SECURITY_CODE_MARKER}", scrubbed)
        scrubbed = _EXPIRY_RE.sub(lambda m: f"{m.group(1)} [expiry removed]", scrubbed)
    return FilteredText(scrubbed, count > 0)
