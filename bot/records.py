"""Writes the assistant's outcomes to the database: screenings and call-back requests.

Plain blocking functions; the action server calls them in a worker thread.
"""
from __future__ import annotations

from typing import Optional

from bot.channels.conversation_ids import channel_of
from bot.db import CallbackRequest, Screening, session_scope
from bot.eligibility import Decision
from bot.location import ZipInfo
from bot.programs import ConditionMatch
from bot.staff import alerts


def save_screening(conversation_id: str, match: ConditionMatch, age_years: Optional[float],
                   zip_info: Optional[ZipInfo], decision: Decision) -> int:
    with session_scope() as session:
        row = Screening(
            conversation_id=conversation_id,
            channel=channel_of(conversation_id),
            condition_keys=[c.key for c in match.conditions] + list(match.other),
            programs=[p.key for p in decision.programs],
            age_years=round(age_years, 2) if age_years is not None else None,
            zip_code=zip_info.zip if zip_info else None,
            state=zip_info.state if zip_info else None,
            county=zip_info.county if zip_info else None,
            route=decision.route.value,
            eligible=decision.eligible,
            total_fee_usd=decision.total_fee_usd,
        )
        session.add(row)
        session.flush()
        return row.id


def save_callback_request(conversation_id: str, reason: str, phone: Optional[str] = None,
                          language: str = "en") -> int:
    """One open request per conversation: asking again updates it (and its number)."""
    callback_id = _save_callback_request(conversation_id, reason, phone, language)
    alerts.callback_requested(callback_id)  # after the commit; emails once per request
    return callback_id


def _save_callback_request(conversation_id: str, reason: str, phone: Optional[str],
                           language: str) -> int:
    with session_scope() as session:
        row = (session.query(CallbackRequest)
               .filter_by(conversation_id=conversation_id, status="open")
               .order_by(CallbackRequest.id.desc()).first())
        if row is not None:
            row.reason, row.language = reason, language
            row.phone = phone or row.phone
            return row.id
        row = CallbackRequest(conversation_id=conversation_id, channel=channel_of(conversation_id),
                              reason=reason, phone=phone, language=language)
        session.add(row)
        session.flush()
        return row.id


def set_callback_phone(conversation_id: str, phone: str) -> bool:
    """Attach a phone number to the newest open request of this conversation."""
    with session_scope() as session:
        row = (session.query(CallbackRequest)
               .filter_by(conversation_id=conversation_id, status="open")
               .order_by(CallbackRequest.id.desc()).first())
        if row is None:
            return False
        row.phone = phone
        return True
