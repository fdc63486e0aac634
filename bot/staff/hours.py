"""The coordinator's hours, set once in COORDINATOR_SCHEDULE: the queue reads them
(`within`: did a call-back come in during hours?) and parents read them in words
(`describe`: "Monday to Friday, 8 a.m. to 5 p.m."). Entries joined with ";", each days
then HH:MM-HH:MM, days as a range or a comma list of mon..sun:
    "mon-fri 08:00-17:00; sat 09:00-12:00"
Times are local to COORDINATOR_TIMEZONE (default America/New_York); the end is excluded.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ENTRY = re.compile(r"([a-z,\-]+)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")


@dataclass(frozen=True)
class Window:
    days: frozenset[int]  # 0 = Monday
    start: int  # minutes after midnight
    end: int  # excluded; 24:00 = 1440


def _days(text: str) -> frozenset[int]:
    days: set[int] = set()
    for part in text.split(","):
        first, _, last = part.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise ValueError(f"unknown day in {text!r}; use {', '.join(DAYS)}")
        a, b = DAYS.index(first), DAYS.index(last or first)
        days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    return frozenset(days)


def _minutes(hours: str, minutes: str, entry: str) -> int:
    value = int(hours) * 60 + int(minutes)
    if int(minutes) > 59 or value > 24 * 60:
        raise ValueError(f"COORDINATOR_SCHEDULE: no such time in {entry!r}")
    return value


@functools.lru_cache(maxsize=8)
def parse(schedule: str) -> tuple[Window, ...]:
    windows = []
    for entry in filter(None, (e.strip().lower() for e in schedule.split(";"))):
        match = ENTRY.fullmatch(entry)
        if not match:
            raise ValueError(f"COORDINATOR_SCHEDULE: cannot read {entry!r}; expected e.g. "
                             f"'mon-fri 08:00-17:00'")
        days, h1, m1, h2, m2 = match.groups()
        start, end = _minutes(h1, m1, entry), _minutes(h2, m2, entry)
        if start >= end:
            raise ValueError(f"COORDINATOR_SCHEDULE: {entry!r} ends before it starts")
        windows.append(Window(_days(days), start, end))
    return tuple(windows)


def within(when_utc: dt.datetime, schedule: str, timezone: str) -> bool:
    """Whether a naive-UTC time falls in the coordinator's hours."""
    local = when_utc.replace(tzinfo=dt.timezone.utc).astimezone(ZoneInfo(timezone))
    minute = local.hour * 60 + local.minute
    return any(local.weekday() in w.days and w.start <= minute < w.end
               for w in parse(schedule))


DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def describe(schedule: str) -> str:
    """The schedule as parents read it: "Monday to Friday, 8 a.m. to 5 p.m." (the one
    truth is COORDINATOR_SCHEDULE; every text that names the hours is written from it)."""
    parts = [f"{_day_text(w.days)}, " + ("all day" if (w.start, w.end) == (0, 24 * 60)
                                          else f"{_clock(w.start)} to {_clock(w.end)}")
             for w in parse(schedule)]
    text = "; ".join(parts)
    return text if not text or text.endswith(".") else text + "."


def _day_text(days: frozenset[int]) -> str:
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    names = [f"{DAY_NAMES[r[0]]} to {DAY_NAMES[r[-1]]}" if len(r) > 2
             else " and ".join(DAY_NAMES[d] for d in r) for r in runs]
    return _and(names)


def _clock(minutes: int) -> str:
    if minutes in (0, 24 * 60):
        return "midnight"
    if minutes == 12 * 60:
        return "noon"
    hour, minute = divmod(minutes, 60)
    text = str(hour % 12 or 12) + (f":{minute:02d}" if minute else "")
    return text + (" a.m." if hour < 12 else " p.m.")


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
