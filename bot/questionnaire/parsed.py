"""What reading one questionnaire reply gives: a status (ok, skip, unknown, error) and
a value or error code. Shared by answers.py and dates.py so neither imports the other."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

OK, SKIP, UNKNOWN, ERROR = "ok", "skip", "unknown", "error"


@dataclass(frozen=True)
class Parsed:
    status: str  # ok | skip | unknown | error
    value: Any = None
    reason: Optional[str] = None  # error code, e.g. "required", "future_date"

    @classmethod
    def ok(cls, value: Any) -> "Parsed":
        return cls(OK, value)

    @classmethod
    def error(cls, reason: str) -> "Parsed":
        return cls(ERROR, reason=reason)

    @classmethod
    def found(cls, value: Any, reason: str) -> "Parsed":
        return cls.ok(value) if value else cls.error(reason)

    @property
    def is_ok(self) -> bool:
        return self.status == OK
