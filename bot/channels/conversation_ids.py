"""Conversation ids carry their channel ("rest:abc", "sms:+14045550100") so ids from
different channels never collide in one tracker store."""
from __future__ import annotations

SEPARATOR = ":"


def namespaced(channel: str, sender: str) -> str:
    prefix = channel + SEPARATOR
    return sender if sender.startswith(prefix) else prefix + sender


def channel_of(conversation_id: str) -> str:
    head, sep, _ = conversation_id.partition(SEPARATOR)
    return head if sep else "unknown"
