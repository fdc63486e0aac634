"""The staff code's clock: naive UTC, like every stored time. Tests replace `now`."""
from __future__ import annotations

import datetime as dt

from bot.db import utcnow


def now() -> dt.datetime:
    return utcnow()
