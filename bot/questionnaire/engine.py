"""The chat walk-through of the questionnaire: one short question at a time.

Stateless over one plain JSON dict (a Rasa slot or a DB column), so "later" then a
message days later - even after a restart - resumes at the same question. The
current question is never stored: it is always the first enabled one without an
answer, so it cannot go stale. state = {"answers": {linkId: value}, "history":
[linkId...], "skipped": [...], "unknown": [...], "red_flags": [...], "paused",
"confirmed", "summary_sent" (the short summary went out once: later edits only get
"Changed: ..."), "offer" (a last name taken from "Kayleigh Thompson", offered when
the last-name question comes)}."""
from __future__ import annotations

import re
from datetime import date
from typing import Optional

from bot.questionnaire.answers import ERROR, Parsed, clean, parse_answer
from bot.questionnaire.confirm import (_NO_RE, _confirm_step, _yes_then_question, edit_clauses,
                                       is_yes)
from bot.questionnaire.corrections import _CUE_RE, _correction
from bot.questionnaire.facts import _facts, _store_facts
from bot.questionnaire.model import Definition, Item, load_definition
from bot.questionnaire.prompts import _changed_line, render
from bot.questionnaire.state import Outcome, _forget, _offered, _store, ensure_state, next_item
from bot.questionnaire.steps import _after, _next, _reask

# The walk's API as callers use it (engine.record(...), engine.prompt(...)), kept here
# since the split into the modules above.
from bot.questionnaire.confirm import asks_for_value  # noqa: F401
from bot.questionnaire.prompts import prompt  # noqa: F401
from bot.questionnaire.state import new_state, progress, record  # noqa: F401
from bot.questionnaire.summary import confirm_messages  # noqa: F401

_BACK_RE = re.compile(r"(go )?back|undo|previous( question)?|change (my )?(last|that)( answer)?")
_PAUSE_RE = re.compile(r"stop|pause|later|not now|maybe later|another time|brb|gtg|got to go|"
                       r"gotta go|ttyl|talk later|(i'?ll |can i )?(finish|do (this|it)|continue)"
                       r"( this)? later")
# "finish on the web": a short message naming the web form, website or online.
_WEB_RE = re.compile(r"\b(web ?form|web ?site|web ?page|online|on the web|on the site|"
                     r"on (the|my) (computer|laptop)|the link)\b")
MAX_WEB_WORDS = 12  # longer messages are answers that happen to say "online"
_RESUME_RE = re.compile(r"hi|hello|hey|ok(ay)?|ready|i'?m back|back|continue|resume|"
                        r"let'?s (go|continue|finish)|go on|start")


def apply(state: dict, text: str, today: date,
          definition: Optional[Definition] = None) -> Outcome:
    """Handle one parent message: a command, a correction, or the current answer.
    Mutates `state`; the caller stores it again."""
    definition = definition or load_definition()
    state, say = ensure_state(state), definition.messages
    command = re.sub(r"[\s.!,?]+$", "", clean(text).lower())  # "Later!" is "later"
    current = next_item(state, definition)
    if state.pop("paused", False) and _RESUME_RE.fullmatch(command):
        return _next(definition, state, "resumed", prefix=[say["resumed"]])
    if _PAUSE_RE.fullmatch(command):
        state["paused"] = True
        return Outcome("paused", current, messages=[say["paused"]])
    if _WEB_RE.search(command) and len(command.split()) <= MAX_WEB_WORDS:
        return Outcome("web_form", current)
    if _BACK_RE.fullmatch(command):
        return _back(definition, state, current)
    editing = state.pop("editing", None)
    if current is None and (question := _yes_then_question(text)) is not None:
        state["confirmed"] = True  # before edits: "looks good" changes nothing
        return Outcome("done", None, messages=[say["done"]], question=question or None)
    if (offered := _offered(state, current)) and (answer := _answer_offer(
            definition, state, current, offered, text, command)):
        return answer
    if current is not None and (facts := _facts(definition, state, current, text, today)):
        return _store_facts(definition, state, facts)
    if current is None and len(clauses := edit_clauses(state, text, today, definition)) == 1:
        text = clauses[0]  # an edit and a clause that changes nothing: only the edit
    if current is None and (step := _confirm_step(definition, state, text, today, editing)):
        return step
    if corrected := _correction(definition, state, text, today, current):
        return corrected
    if current is None:
        return _reask(definition, None, "confirm")
    parsed = parse_answer(current, _CUE_RE.sub("", text), today, state["answers"])
    if parsed.status == ERROR:
        return _reask(definition, current, parsed.reason, state=state)
    _store(definition, state, current, parsed)
    state["history"].append(current.link_id)
    prefix = (_changed_line(definition, current, state),) if state.get("summary_sent") else ()
    return _after(definition, state, current, parsed, "ask", prefix=prefix)


def _back(definition: Definition, state: dict, current: Optional[Item]) -> Outcome:
    """Undo the last answer given in the chat (prefilled ones are not in history)."""
    if not state["history"]:
        return _reask(definition, current, "cannot_go_back", state=state)
    link_id = state["history"].pop()
    _forget(state, link_id)
    return _next(definition, state, "back", link_id=link_id)


def _answer_offer(definition: Definition, state: dict, current: Item, offer: dict,
                  text: str, command: str) -> Optional[Outcome]:
    """"Is Thompson the last name?": yes stores it; no puts the whole name back as the
    first name ("Mary Kate") and asks the question plainly; a typed name is an answer."""
    if is_yes(text):
        parsed = Parsed.ok(offer["value"])
        _store(definition, state, current, parsed)
        state["history"].append(current.link_id)
        return _after(definition, state, current, parsed, "ask")
    if _NO_RE.fullmatch(command):
        del state["offer"]
        if offer["from"] in state["answers"]:
            state["answers"][offer["from"]] = offer["full"]
        kept = definition.messages["name_kept"].format(value=offer["full"])
        return Outcome("ask", current, messages=[kept, render(current, definition)])
    return None


def is_command(text: str) -> bool:
    """Whether `apply` takes the message as a command (pause, web form, back), not
    as an answer; callers use it to let such messages through to the engine."""
    command = re.sub(r"[\s.!,?]+$", "", clean(text).lower())
    return bool(_PAUSE_RE.fullmatch(command) or _BACK_RE.fullmatch(command) or (
        _WEB_RE.search(command) and len(command.split()) <= MAX_WEB_WORDS))
