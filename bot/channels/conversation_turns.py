"""What every channel that answers in one go shares: one turn through Rasa, collected,
and one asyncio lock per conversation so its messages are handled in arrival order.

Used by the SMS channel (sms_turns.py) and the web chat (web.py).
"""
from __future__ import annotations

import asyncio
import collections
import contextlib
from typing import Any, AsyncIterator, Awaitable, Callable, Optional

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.channels.conversation_ids import namespaced

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class ConversationLocks:
    """One FIFO lock per key, dropped once nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._waiting: collections.Counter[str] = collections.Counter()

    @contextlib.asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        self._waiting[key] += 1
        lock = self._locks.setdefault(key, asyncio.Lock())
        try:
            async with lock:
                yield
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:  # nobody else queued for this conversation
                del self._waiting[key]
                self._locks.pop(key, None)

    def __len__(self) -> int:
        return len(self._locks)


async def collected_turn(on_new_message: OnNewMessage, channel: str, sender: str, text: str,
                         metadata: Optional[dict] = None) -> list[dict]:
    """Run one message through Rasa and return every reply it made, in order."""
    collector = CollectingOutputChannel()
    await on_new_message(UserMessage(
        text, collector, namespaced(channel, sender), input_channel=channel,
        # The client never picks the channel name (it namespaces ids and routing).
        metadata={**(metadata or {}), "channel": channel}))
    return collector.messages
