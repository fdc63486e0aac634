"""A person on the phone: the hand-off, the Spanish call-back with an interpreter, and
the number to call. Each request is one row for the coordinator (bot/records.py)."""
from __future__ import annotations

import re
from typing import Optional

from bot import records
from bot.dialogue import intake_flow
from bot.dialogue.replies import Reply, say
from bot.dialogue.state import Conversation
from bot.phones import display, extract_phone
from bot.understanding import Understanding

FRUSTRATED = re.compile(r"\b(ridiculous|frustrat\w*|annoy\w*|ugh+|wtf|angry|upset|fed up|"
                        r"useless|stupid|called \w+ times)\b|!!!", re.I)
SAME_NUMBER = re.compile(r"\b(same|that|this) (number|one|cell|phone)\b|\bthe one i gave\b|"
                         r"\b(my|this) (mobile|cell|phone)\b|\bthe (number|one) i'?m (texting|using)\b", re.I)
# "Okay, I'll keep going here for now": no call after all, back to the questions.
KEEP_GOING = re.compile(r"\b(keep|carry|go) (going|on)\b|\bcontinue\b|\bnever ?mind\b|"
                        r"\b(here|chat(ting)?) (is|for now)\b|\bno need\b", re.I)
THIS_NUMBER = re.compile(r"\bthis (number|one|cell|phone|mobile)\b|\bi'?m (texting|using)\b", re.I)


def handoff(conv: Conversation, u: Understanding, conversation_id: str) -> list[Reply]:
    """"I want to speak to a real human": the number and hours, a call-back request,
    and the number to call if the message did not hold one."""
    phone = extract_phone(u.text)
    records.save_callback_request(conversation_id, "asked for a person", phone=phone)
    if not phone and conv.get("handoff_asked"):  # asked once already: no second round
        return noted(u)
    conv.set("handoff_asked", True)
    out = [say("utter_sorry_frustrated")] if FRUSTRATED.search(u.text) else []
    out.append(say("utter_handoff"))
    if phone:
        out.append(say("utter_callback_saved", callback_number=display(phone)))
    else:
        conv.set("awaiting_phone", "en")
        out.append(say("utter_ask_callback_phone"))
    return out


def spanish(conv: Conversation, u: Understanding, conversation_id: str) -> list[Reply]:
    """A Spanish message or a request for Spanish: a short Spanish reply and a call-back
    with an interpreter (the full Spanish experience comes later)."""
    phone = extract_phone(u.text)
    out = [say("utter_urgent_care_es")] if u.red_flag else []
    records.save_callback_request(conversation_id, "asked for Spanish", phone=phone, language="es")
    conv.set("language", "es")
    if phone:
        conv.set("awaiting_phone", None)
        out.append(say("utter_callback_saved_es", callback_number=display(phone)))
    else:
        conv.set("awaiting_phone", "es")
        out.append(say("utter_callback_offer_es"))
    return out


def noted(u: Understanding) -> list[Reply]:
    """The request is noted; an apology only to a parent who sounds upset."""
    return ([say("utter_sorry_frustrated")] if FRUSTRATED.search(u.text) else []) + \
        [say("utter_callback_noted")]


def number_given(conv: Conversation, u: Understanding, conversation_id: str) -> Optional[list[Reply]]:
    """The reply after we asked for a number: the number, "no thanks", or something
    else (then None: the message is handled as usual). Asked at most twice."""
    lang = conv.get("awaiting_phone")
    conv.set("awaiting_phone", None)
    phone = extract_phone(u.text)
    if not phone and SAME_NUMBER.search(u.text):
        mobile = (conv.intake_state.get("answers") or {}).get("guardian_mobile")
        # "this one" over SMS: the number texting us; "same number": the one in the form.
        phone = (conv.phone or mobile) if THIS_NUMBER.search(u.text) else (mobile or conv.phone)
    if phone:
        records.set_callback_phone(conversation_id, phone)
        name = "utter_callback_saved_es" if lang == "es" else "utter_callback_saved"
        return [say(name, callback_number=display(phone))]
    if u.social in ("deny", "thank", "goodbye") or u.intent in ("deny", "stop") \
            or KEEP_GOING.search(u.text):
        return [say("utter_callback_declined")]
    if SAME_NUMBER.search(u.text) and not conv.get("phone_asked_again"):  # no number to point at
        conv.set("phone_asked_again", True)
        conv.set("awaiting_phone", lang)
        return [say("utter_callback_phone_unclear")]
    if u.has_facts or u.asks or u.requests or u.social or intake_flow.is_active(conv):
        return None
    if conv.get("phone_asked_again"):  # asked twice already: never a third time
        conv.set("phone_asked_again", None)
        return noted(u)
    conv.set("phone_asked_again", True)
    conv.set("awaiting_phone", lang)
    return [say("utter_callback_phone_unclear")]
