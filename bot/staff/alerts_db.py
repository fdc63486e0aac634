"""The staff_alerts table: one row per alert email sent to the coordinator.

Its unique (event, subject_key) is what makes an alert go out once: a retried action,
a second upload finishing together, or another replica inserts the same row and loses.
"""
from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, UniqueConstraint

from bot.db import Base, utcnow


class StaffAlert(Base):
    __tablename__ = "staff_alerts"
    __table_args__ = (UniqueConstraint("event", "subject_key",
                                       name="uq_staff_alerts_event_subject_key"),)
    id = Column(Integer, primary_key=True)
    event = Column(String(32), nullable=False)  # case_ready | red_flag | callback
    subject_key = Column(String(64), nullable=False)  # "case:12" or "callback:7"
    created_at = Column(DateTime, nullable=False, default=utcnow)
