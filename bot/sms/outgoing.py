"""The one way a text leaves: GSM-7 characters, split at sentence boundaries into at most
three segments per SMS, the opt-out line on the first text a number ever gets, then the
notifier (which refuses opted-out numbers and retries Twilio's 5xx and timeouts).

Replies, upload links, reminders and coordinator notices all come through here, so each
rule is written once. Blocking (database, HTTP): async callers use a worker thread.
"""
from __future__ import annotations

from typing import Optional

from bot.notifier import Delivery, Message, Notifier
from bot.settings import Settings, get_settings
from bot.sms import contacts, text

OPT_OUT_LINE = "Reply STOP to opt out, HELP for help."
MAX_SEGMENTS = 3
MAX_CHARS = 1600  # Twilio's limit for one message


def send_sms(phone: str, body: str, *, case_id: Optional[int] = None, kind: str = "reply",
             settings: Optional[Settings] = None, even_if_opted_out: bool = False,
             notifier: Optional[Notifier] = None) -> list[Delivery]:
    """Text one bot message to an E.164 number: usually one SMS, more only when the
    message is longer than three segments. Never raises (the notifier records failures)."""
    settings = settings or get_settings()
    notifier = notifier or Notifier(settings)
    words = text.to_gsm7(body).strip()
    if not words:
        return []
    # The opt-out line goes once per number, on the first text that really goes out.
    line = OPT_OUT_LINE if not contacts.is_opted_out(phone, url=settings.database_url) \
        and contacts.claim_opt_line(phone, url=settings.database_url) else ""
    bodies = text.split_message(words, max_segments=MAX_SEGMENTS, max_chars=MAX_CHARS,
                                reserve=len(line) + 1 if line else 0)
    if line:
        bodies[-1] = f"{bodies[-1]}\n{line}"
    return [notifier.send(Message("sms", phone, part, case_id=case_id, kind=kind),
                          even_if_opted_out=even_if_opted_out) for part in bodies]
