"""The urgent-care message once per warning sign (bot/dialogue/turn.py).

Safety first: a sign told for the first time, or told as new or worse, gets the
urgent-care message. Told again ("his doctor knows", "it's been like that for
months", "like I told you"), it is noted for the team (the case is flagged already)
and the conversation goes on: the same alarm twice reads as not being listened to.
"""
from __future__ import annotations

import re

from bot import intake, safety
from bot.dialogue.replies import Reply, say
from bot.dialogue.state import Conversation

SIGNS = "red_flag_signs"  # the signs the urgent-care message was given for
# "his doctor knows, but should we go to the ER?": a question about now still gets its answer.
_ASKS_WHAT_TO_DO_RE = re.compile(r"\b(should|shall|do|must)\s+(i|we)\b|\bneed to go\b", re.I)


def alerted(conv: Conversation, text: str) -> None:
    """Remember the signs the urgent-care message was just given for."""
    signs = set(conv.get(SIGNS) or []) | safety.sign_groups(text)
    conv.set(SIGNS, sorted(signs) or None)


def told_again(conv: Conversation, text: str, red_flag: bool) -> bool:
    """A sign we already gave the urgent-care message for, told as known or the same."""
    if not conv.get("red_flag_seen") or safety.sounds_worse(text) or _ASKS_WHAT_TO_DO_RE.search(text):
        return False
    if safety.says_known(text):
        return True
    signs = safety.sign_groups(text)
    return red_flag and bool(signs) and signs <= set(conv.get(SIGNS) or [])


def noted(conv: Conversation) -> list[Reply]:
    """Noted for the team, and no more waiting for "continue"."""
    conv.set("hold", None)
    intake.flag_red_flag(conv.case_ids or [])
    return [say("utter_red_flag_noted")]


def soften(conv: Conversation, text: str, replies: list[Reply], seen_before: bool) -> list[Reply]:
    """The form's own red-flag question ("numbness or weakness?") answered yes about a
    sign already told: noted instead of the urgent-care message, and the form goes on.
    The caller adds the next question when the hold was lifted."""
    urgent = any(r.name == "utter_urgent_care" for r in replies)
    if urgent and seen_before and told_again(conv, text, True):
        return noted(conv) + [r for r in replies if r.name not in ("utter_urgent_care", "utter_hold_intake")]
    if urgent:
        alerted(conv, text)
    return replies
