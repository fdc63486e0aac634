"""Database ids: positive and within a signed 64-bit integer (SQLite and PostgreSQL
raise past it); anything else names no row, so callers answer 404."""
from __future__ import annotations

MAX_ID = 2 ** 63 - 1


def valid_id(value: object) -> bool:
    return type(value) is int and 0 < value <= MAX_ID  # bool is no id


def path_id(segment: str) -> int:
    """A URL path segment as an id, or 0 (no row) for anything else: ../, 1e3, -1, ١٢,
    or a number too big for the database."""
    number = int(segment) if segment.isascii() and segment.isdigit() and len(segment) <= 19 \
        else 0
    return number if valid_id(number) else 0
