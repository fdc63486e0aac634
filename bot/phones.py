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


def display(e164: str) -> str:
    return phonenumbers.format_number(phonenumbers.parse(e164, "US"),
                                      phonenumbers.PhoneNumberFormat.NATIONAL)
