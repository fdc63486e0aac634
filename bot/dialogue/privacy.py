"""No health information in a text message (issue 8).

An SMS travels through carriers and sits on a phone's lock screen, so over SMS the
bot never repeats what the parent told us about the child (names, birth date,
diagnosis, curve, symptoms, doctors, town or ZIP, any answer): the answers stay
behind the upload link. Questions, menus and the service's own facts are fine.

The conversation id names the channel; for a private one, two things change, both
decided here:
- a domain response that quotes the parent has a variant that does not (NO_ECHO),
  swapped in as the turn's replies go out;
- the questionnaire speaks through a definition whose messages quote no answer
  (bot/questionnaire/private.py) and whose confirm step gives the upload link.
"""
from __future__ import annotations

import weakref
from typing import Iterable, Optional

from bot import intake
from bot.channels.conversation_ids import channel_of
from bot.dialogue.replies import Reply, say
from bot.dialogue.state import Conversation
from bot.questionnaire.model import Definition, load_definition
from bot.questionnaire.private import private_definition

PRIVATE_CHANNELS = frozenset({"sms"})

# Responses filled in with what the parent told us -> the same without it.
NO_ECHO = {
    "utter_got_it": "utter_noted",
    "utter_intake_known": "utter_intake_known_private",
    "utter_confirm_place": "utter_confirm_place_private",
    "utter_ask_diagnosis": "utter_ask_diagnosis_private",
    "utter_place_needs_zip": "utter_place_needs_zip_private",
    "utter_home_zip_updated": "utter_home_zip_updated_private",
    "utter_zip_outside_area": "utter_zip_outside_area_private",
    "utter_moved_outside_area": "utter_moved_outside_area_private",
    "utter_route_visit_atlanta_area": "utter_route_visit_atlanta_area_private",
    "utter_callback_saved": "utter_callback_saved_private",
    "utter_callback_saved_es": "utter_callback_saved_private_es",
}
# The placeholders that carry the parent's words (or what follows from them).
PARENT_VALUES = frozenset({"facts", "place", "county", "callback_number"})

_DEFINITIONS: "weakref.WeakKeyDictionary[Conversation, Definition]" = weakref.WeakKeyDictionary()


def is_private(conversation_id: str) -> bool:
    return channel_of(conversation_id) in PRIVATE_CHANNELS


def texting_number(conversation_id: str) -> Optional[str]:
    """The parent's own number when they text us ("sms:+14045550142" -> "+14045550142")."""
    if channel_of(conversation_id) != "sms":
        return None
    return conversation_id.partition(":")[2] or None


def outgoing(replies: Iterable[Reply], private: bool) -> list[Reply]:
    """The turn's replies as the channel may carry them."""
    if not private:
        return list(replies)
    return [say(NO_ECHO[r.name], **r.values) if r.name in NO_ECHO else r for r in replies]


def definition(conv: Conversation) -> Definition:
    """The questionnaire as this conversation's channel may speak it (one per turn:
    a Conversation lives for one turn)."""
    if not conv.private:
        return load_definition()
    found = _DEFINITIONS.get(conv)
    if found is None:
        found = _DEFINITIONS[conv] = private_definition(
            load_definition(), lambda: upload_links(conv.case_ids))
    return found


def upload_links(case_ids: list[int]) -> str:
    """The current upload link of each case, as the chat sends links (one bare, two
    each with its review): made without voiding the links sent before."""
    return intake.current_links(case_ids).link
