"""A web conversation as the widget shows it again, from the tracker's events. Pure Python.

Texts come from the tracker, where they were stored already scrubbed. A button the
parent pressed (the message's metadata says `button`) shows as the button's title,
taken from the bot's buttons just before it, not as its payload ("/check_eligibility").
"""
from __future__ import annotations

from typing import Iterable, Optional

MAX_MESSAGES = 200  # a long intake is ~100 lines; older ones stay in the tracker


def bot_message(text: Optional[str], buttons: Optional[list]) -> dict:
    """The shape of every bot line the web API returns: {"from", "text", "buttons"}."""
    return {"from": "bot", "text": text or "",
            "buttons": [{"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                        for b in buttons or [] if isinstance(b, dict)]}


def history(events: Iterable[dict]) -> list[dict]:
    lines: list[dict] = []
    buttons: list[dict] = []  # the last buttons the bot offered
    for event in events:
        kind = event.get("event")
        if kind == "bot" and (event.get("text") or (event.get("data") or {}).get("buttons")):
            lines.append(bot_message(event.get("text"), (event.get("data") or {}).get("buttons")))
            buttons = lines[-1]["buttons"] or buttons
        elif kind == "user" and event.get("text"):
            text = event["text"]
            if (event.get("metadata") or {}).get("button"):
                text = next((b["title"] for b in buttons if b["payload"] == text), text)
            lines.append({"from": "user", "text": text})
    return lines[-MAX_MESSAGES:]
