"""Small helpers shared by the actions."""
from __future__ import annotations

import asyncio
import datetime as dt
import functools
from typing import Any, Callable, TypeVar

from rasa_sdk import Tracker

T = TypeVar("T")


async def in_thread(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Blocking work (database, HTTP) off the action server's event loop."""
    return await asyncio.to_thread(functools.partial(func, *args, **kwargs))


def latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def latest_text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def today() -> dt.date:
    return dt.date.today()
