"""Messages from the coordinator back to the family, on the channel the case came from
(SMS through bot.sms.outgoing, chat recorded in the outbox) and by email when we have
one. Every send is a timeline row (workflow.record_event).

No clinical content ever goes out here: the opinion itself is given by phone; the texts
only say that the review is done, or which item is still missing.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from bot import cases, checklist, intake
from bot.channels.conversation_ids import channel_of
from bot.notifier import Delivery, Message, Notifier
from bot.settings import Settings
from bot.sms.outgoing import send_sms
from bot.staff import clock, workflow

SUBJECT = "Your second opinion document review"
OPINION_READY = ("Your second-opinion review {reference} is complete. A coordinator will "
                 "call you soon to go over the team's opinion with you. Questions: "
                 "{phone}.")
# One template per checklist item: names the item only, never anything about the child.
ITEM_TEMPLATES = {
    checklist.QUESTIONNAIRE: "please finish the health questions",
    checklist.FINANCIAL_CONSENT: "please sign the fee agreement",
    checklist.REFERRAL: "please send the referral from your child's doctor",
    checklist.MEDICAL_RECORDS: "please send your child's medical records",
    checklist.IMAGING: "please send the images (X-ray, MRI, CT or ultrasound)",
}
ASK_ITEM = ("For your second-opinion review {reference}, {request} when you can, using the "
            "upload link we sent you. Need a new link or help? Call {phone}.")


def send(case_id: int, body: str, kind: str, settings: Settings) -> list[Delivery]:
    """body to the family: their channel, and email too when one is on the case."""
    notifier = Notifier(settings)
    summary = cases.case_summary(case_id, url=settings.database_url)
    conversation = cases.conversation_of(case_id, url=settings.database_url)
    channel = channel_of(conversation)
    sent: list[Delivery] = []
    if channel == "sms":
        sent += send_sms(conversation.split(":", 1)[-1], body, case_id=case_id, kind=kind,
                         settings=settings, notifier=notifier)
    elif channel in intake.CHAT_CHANNELS:
        sent.append(notifier.send(Message(channel, conversation, body, case_id=case_id,
                                          kind=kind)))
    email = (summary.get("guardian") or {}).get("email")
    if email:
        sent.append(notifier.send(Message("email", email, body, subject=SUBJECT,
                                          case_id=case_id, kind=kind)))
    return sent


def _outcome(sent: list[Delivery]) -> dict:
    return {"outbox": [d.outbox_id for d in sent], "statuses": [d.status for d in sent]}


def opinion_ready(case_id: int, actor: str, settings: Settings,
                  now: Optional[dt.datetime] = None) -> list[Delivery]:
    reference = cases.case_summary(case_id, url=settings.database_url)["reference"]
    sent = send(case_id, OPINION_READY.format(reference=reference,
                                              phone=settings.coordinator_phone),
                "opinion_ready", settings)
    workflow.record_event(case_id, "family_told", actor, _outcome(sent), _now(now),
                          settings.database_url)
    return sent


def resend_link(case_id: int, actor: str, settings: Settings,
                now: Optional[dt.datetime] = None) -> intake.Sent:
    """A fresh link (older ones stop working, the birth-date gate is unlocked), sent as
    the chat would send it."""
    sent = intake.reopen_link(case_id, settings)
    version = cases.link_version(case_id, url=settings.database_url)
    workflow.record_event(case_id, "link_resent", actor, {"link_version": version},
                          _now(now), settings.database_url)
    return sent


def ask_for_item(case_id: int, kind: str, actor: str, settings: Settings,
                 now: Optional[dt.datetime] = None) -> list[Delivery]:
    """Raises ValueError for an unknown item or one already received."""
    if kind not in ITEM_TEMPLATES:
        raise ValueError("Please choose one of the checklist items.")
    summary = cases.case_summary(case_id, url=settings.database_url)
    if not any(i["kind"] == kind and i["status"] == checklist.MISSING
               for i in summary["checklist"]):
        raise ValueError("That item is not missing on this case.")
    body = ASK_ITEM.format(reference=summary["reference"], request=ITEM_TEMPLATES[kind],
                           phone=settings.coordinator_phone)
    sent = send(case_id, body, "item_request", settings)
    workflow.record_event(case_id, "item_requested", actor, {"item": kind, **_outcome(sent)},
                          _now(now), settings.database_url)
    return sent


def _now(now: Optional[dt.datetime]) -> dt.datetime:
    return now or clock.now()
