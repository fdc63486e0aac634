"""At most N web chat messages per session in a sliding window (in memory, per process).

One parent types a message every few seconds; a script hammering one token gets 429
instead of running turns. Keyed by the session id the token holds, never by its text.
"""
from __future__ import annotations

import collections
import time
from typing import Callable


class SlidingWindow:
    def __init__(self, limit: int = 10, seconds: float = 10.0,
                 clock: Callable[[], float] = time.monotonic):
        self.limit, self.seconds, self.clock = limit, seconds, clock
        self._hits: dict[str, collections.deque[float]] = {}

    def allow(self, key: str) -> bool:
        """Count one hit for key; False when it already had `limit` within the window."""
        now = self.clock()
        hits = self._hits.setdefault(key, collections.deque())
        while hits and hits[0] <= now - self.seconds:
            hits.popleft()
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        if len(self._hits) > 10000:  # forget quiet sessions so the table stays small
            self._forget_before(now - self.seconds)
        return True

    def _forget_before(self, cutoff: float) -> None:
        for key in [k for k, hits in self._hits.items() if not hits or hits[-1] <= cutoff]:
            del self._hits[key]
