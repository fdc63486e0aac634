"""Database ids: positive and within a signed 64-bit integer (SQLite and PostgreSQL
raise past it); anything else names no row, so callers answer 404."""
from __future__ import annotations

MAX_ID = 2 ** 63 - 1


def valid_id(value: object) -> bool:
    return type(value) is int and 0 < value <= MAX_ID  # bool is no id
