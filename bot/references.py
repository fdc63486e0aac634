"""Case references a person can read on the phone: SO-<year>-<5-digit sequence per year>.

The sequence lives in one `reference_counters` row per year, bumped with a single
INSERT ... ON CONFLICT DO UPDATE (same syntax on PostgreSQL >= 9.5 and SQLite >= 3.24)
inside the caller's transaction:
- PostgreSQL: the upsert is atomic and row-locks the counter until the transaction ends,
  so concurrent transactions get consecutive numbers and never the same one.
- SQLite: the upsert takes the database write lock (concurrent writers wait on
  busy_timeout), so the following read sees this transaction's own value.
If the caller's transaction rolls back, so does the number (no gap).
"""
from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.orm import Session

PREFIX = "SO"
PATTERN = re.compile(r"^SO-(\d{4})-(\d{5,})$")

_BUMP = text(
    "INSERT INTO reference_counters (year, last_value) VALUES (:year, 1) "
    "ON CONFLICT (year) DO UPDATE SET last_value = reference_counters.last_value + 1"
)
_READ = text("SELECT last_value FROM reference_counters WHERE year = :year")


def format_reference(year: int, number: int) -> str:
    return f"{PREFIX}-{year:04d}-{number:05d}"


def next_reference(session: Session, year: int) -> str:
    """Reserve the next reference of `year` in the session's transaction."""
    session.execute(_BUMP, {"year": year})
    number = session.execute(_READ, {"year": year}).scalar_one()
    return format_reference(year, number)


def normalize(reference: str) -> str:
    """'so 2026 42', 'SO-2026-00042' -> 'SO-2026-00042' (what a parent may type)."""
    digits = re.findall(r"\d+", reference or "")
    if len(digits) != 2 or len(digits[0]) != 4:
        raise ValueError("not a case reference")
    return format_reference(int(digits[0]), int(digits[1]))
