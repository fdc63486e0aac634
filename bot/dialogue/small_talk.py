"""Messages that are no answer and no request: "?", hi, thanks, bye, "are you a bot?",
and what to say after the parent's questions were answered (bot/dialogue/turn.py)."""
from __future__ import annotations

import re
from typing import Callable

from bot import faq
from bot.dialogue import screening_flow
from bot.dialogue.replies import Reply, say
from bot.dialogue.state import DONE, IDLE, RESULT, SCREENING, Conversation
from bot.understanding import Understanding

# "?", "huh", "what": the parent is lost; say again what we asked.
LOST = re.compile(r"^\s*(\?+|huh\??|what\??|hello\?+|hey\?+|\?\s*\?|"
                  r"(ok(ay)?[,.]?\s+|so\s+)?(where were we|where was i|what was the question|"
                  r"what (did|do) you (ask|need)( me)?|what('?s| is) next|what now)\s*[?.!]*)\s*$",
                  re.I)

# A teen texting for themself: "i'm 16 and i have scoliosis", "i AM the child" (told
# once), "can i do it myself or does my mom have to" (a question: always answered).
TEEN_SELF = re.compile(
    r"\b(?:i'?m|im|i am)\s+the\s+(?:child|kid|patient|one with)\b|"
    r"\bit'?s (?:for )?me\b[^.?!]{0,15}\bnot my (?:kid|child|son|daughter)\b|"
    r"\b(?:i'?m|im|i am)\s+(?:1[0-7])\b(?:\s*(?:years?|yrs?|y/?o)(?:\s*old)?)?[^.?!]{0,12}"
    r"\bi (?:have|got|was diagnosed with)\b", re.I)
TEEN_ASKS = re.compile(
    r"\b(?:can|could|may) i (?:do|fill|sign|start|finish) (?:it|this|the \w+)\s*(?:out\s*)?(?:by\s*)?myself\b|"
    r"\b(?:does|do) my (?:mom|mother|mum|dad|father|parents?|guardian) (?:have|need) to\b|"
    r"\bdo i need (?:my|a) (?:mom|mother|mum|dad|father|parents?|guardian)\b", re.I)


def teen_reply(conv: Conversation, text: str) -> list[Reply]:
    """Who signs, said warmly and once, when a teen writes for themself."""
    if not TEEN_ASKS.search(text) and (conv.get("teen_told") or not TEEN_SELF.search(text)):
        return []
    conv.set("teen_told", True)
    return [say("utter_teen_self")]


def after_answers(conv: Conversation, conversation_id: str) -> list[Reply]:
    """After the parent's questions were answered: the step we were at, or an offer."""
    if conv.stage == SCREENING and conv.get("asked"):
        return screening_flow.next_step(conv, conversation_id, [])
    if conv.stage == IDLE and not conv.get("offer"):
        conv.set("offer", "screening")
        return [say("utter_offer_screening")]
    if conv.stage == RESULT:
        return [say("utter_offer_intake")]
    return []


def reply(conv: Conversation, u: Understanding, conversation_id: str,
          current_question: Callable[[], list[Reply]]) -> list[Reply]:
    """A greeting, thanks, bye, "are you a bot?" or a lost "?"; else what we can do."""
    asked = conv.get("asked") if conv.stage == SCREENING else None
    if LOST.match(u.text):
        return current_question() or [say("utter_help")]
    social = u.social or (u.intent if u.confidence >= 0.8 else None)
    if social == "greet":
        if asked:
            return screening_flow.next_step(conv, conversation_id, [])
        if conv.stage == RESULT:
            return [say("utter_offer_intake")]
        return [say("utter_greet")]
    if social == "thank":
        return [say("utter_thank")]
    if social == "goodbye":
        return [say("utter_goodbye")]
    if social == "bot_challenge":
        return [say("utter_bot_challenge")] + (screening_flow.next_step(conv, conversation_id, [])
                                               if asked else [])
    if social == "help":
        return [say("utter_help")]
    if asked:
        return screening_flow.unclear(conv, u)
    if u.intent == "out_of_scope" and u.confidence >= 0.6:
        return [say("utter_out_of_scope")]
    if faq.is_question(u.text):  # a question we have no answer for: who can answer
        return [say("utter_unknown_question")]
    if conv.stage == DONE and conv.case_ids:
        return [say("utter_after_intake")]
    return [say("utter_default")]
