"""Phone numbers typed by parents, read with the phonenumbers library."""
from __future__ import annotations

from typing import Optional

import phonenumbers


def extract_phone(text: str, region: str = "US") -> Optional[str]:
    """The first valid phone number in the text, in E.164 form (+14045550142)."""
    for match in phonenumbers.PhoneNumberMatcher(text or "", region, leniency=phonenumbers.Leniency.POSSIBLE):
        number = match.number
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def to_e164(raw: str, region: str = "US") -> Optional[str]:
    """A number as Twilio sends it ("+14045550142") or as typed, in E.164; None when it
    is not a possible phone number (so it never becomes a conversation id)."""
    try:
        number = phonenumbers.parse(raw or "", region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display(e164: str) -> str:
    return phonenumbers.format_number(phonenumbers.parse(e164, "US"),
                                      phonenumbers.PhoneNumberFormat.NATIONAL)
