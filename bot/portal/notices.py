"""The "we received everything" confirmation, sent once a case reaches documents_received."""
from __future__ import annotations

from typing import Optional

from bot import cases
from bot.db import Case, session_scope
from bot.notifier import Delivery, Message, Notifier
from bot.settings import Settings
from bot.sms.outgoing import send_sms
from bot.staff import alerts

SUBJECT = "We received everything ({reference})"
# No program named: over SMS "spine review" would say what the child has.
BODY = ("We got everything we need for your child's review ({reference}). "
        "Our team will now look at the records. Our coordinator will call you with "
        "the opinion in 7 to 10 days. Questions? Call {phone}.")


def confirmation_text(summary: dict, settings: Settings) -> str:
    return BODY.format(reference=summary["reference"], phone=settings.coordinator_phone)


def documents_complete(case_id: int, settings: Settings) -> None:
    """The case has just reached documents_received (by upload, form or chat): the
    family gets the confirmation, the coordinator the alert."""
    send_confirmation(case_id, settings)
    alerts.case_ready(case_id, settings)


def send_confirmation(case_id: int, settings: Settings,
                      notifier: Optional[Notifier] = None) -> list[Delivery]:
    """SMS to the guardian's phone and email when known; with neither, the chat the
    case came from (recorded in the outbox like every message). Texts leave through
    bot.sms.outgoing like every other text (GSM-7, length, the opt-out rules)."""
    summary = cases.case_summary(case_id, url=settings.database_url)
    notifier = notifier or Notifier(settings)
    body = confirmation_text(summary, settings)
    subject = SUBJECT.format(reference=summary["reference"])
    guardian = summary["guardian"]
    messages, texted = [], []
    if guardian.get("phone"):
        texted = send_sms(guardian["phone"], body, case_id=case_id, kind="notice",
                          settings=settings, notifier=notifier)
    if guardian.get("email"):
        messages.append(Message("email", guardian["email"], body, subject=subject,
                                case_id=case_id, kind="notice"))
    if not messages and not texted:
        with session_scope(settings.database_url) as session:
            case = session.get(Case, case_id)
            channel, to = case.channel, case.conversation_id
        if channel == "sms":  # "sms:+14045550100" -> the number itself
            return send_sms(to.partition(":")[2] or to, body, case_id=case_id, kind="notice",
                            settings=settings, notifier=notifier)
        messages.append(Message(channel if channel in ("rest", "web") else "rest",
                                to, body, case_id=case_id, kind="notice"))
    return texted + notifier.send_all(messages)
