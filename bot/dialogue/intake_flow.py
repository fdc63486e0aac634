"""The questionnaire in the dialogue: start it, feed it answers, finish it.

Commands and service questions never reach the engine (bot/dialogue/turn.py takes
them first), so they are never saved as answers.

The case holds the answers (the parent may also change them on the web page): each
turn first reads them from the case into the `intake_state` slot (a copy the
dialogue works on), then saves back only what the turn changed (bot/answer_merge.py).
"""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
import weakref
from typing import Any, Callable, Optional, TypeVar

from bot import faq, intake
from bot.answer_merge import StaleAnswers
from bot.dialogue import privacy
from bot.dialogue.replies import Reply, plain, say
from bot.dialogue.state import DONE, INTAKE, Conversation
from bot.phones import extract_phone
from bot.questionnaire import engine
from bot.questionnaire.answers import clean
from bot.questionnaire.confirm import set_value, value_fields
from bot.questionnaire.model import Definition, Item, load_definition
from bot.questionnaire.prompts import render

T = TypeVar("T")
MAX_TRIES = 3  # a turn redone on newer answers at most this often (web saves meanwhile)
# "same" to the fee-call number once a call-back number was given: that number; "this
# number", "my cell": the mobile (the questionnaire's own "same").
SAME_CALLBACK = re.compile(r"\b(same|that one|that number|the one i gave|call-?back|yes|yep|yeah|sure|ok|"
                           r"okay|please)\b|^\s*1\s*[.!]*\s*$", re.I)
MOBILE = re.compile(r"\b(this (number|phone|one)|mobile|cell)\b", re.I)
_READ_THIS_TURN: "weakref.WeakSet[Conversation]" = weakref.WeakSet()  # one per turn


def refresh(conv: Conversation) -> dict:
    """The case's current answers and walk-through, read once per turn (a Conversation
    lives for one turn) before the parent's message is applied: a web edit made since
    the last turn is seen, and the next question asked is the right one."""
    if conv.case_ids and conv not in _READ_THIS_TURN:
        conv.slots["intake_state"] = intake.current_state(conv.case_ids,
                                                          conv.slots["intake_state"])
        _READ_THIS_TURN.add(conv)
    return conv.intake_state


def change(conv: Conversation, edit: Callable[[dict], T]) -> T:
    """Run `edit` on the current state and save only what it changed. When the web form
    changed one of the same answers in between, read again and redo the edit on the
    newer answers (edits are pure functions of the state and the message)."""
    for attempt in range(MAX_TRIES):
        state = refresh(conv)
        before = copy.deepcopy(state)
        result = edit(state)
        try:
            state["revision"] = intake.save_answers(conv.case_ids, before, state)
            return result
        except StaleAnswers:
            _READ_THIS_TURN.discard(conv)
            if attempt == MAX_TRIES - 1:
                raise
    raise AssertionError("unreachable")


def prefill(conv: Conversation) -> dict[str, Any]:
    """What the screening already told us, so the questionnaire does not ask again."""
    condition = conv.fact("condition") or {}
    diagnosis = None
    if condition.get("kind") == "program" and condition.get("conditions"):
        from bot.dialogue.screening_flow import condition_label
        label = condition_label(condition)
        diagnosis = None if label.startswith("a ") else label
    return {"programs": conv.fact("eligible_programs") or [],
            "home_zip": conv.fact("home_zip"),
            "child_birth_date": conv.fact("child_birth_date"),
            "county": (conv.get("place") or {}).get("county"),
            "diagnosis": diagnosis,
            "child_sex": conv.get("child_sex"),
            "curve_size": conv.get("curve"),
            "child_first_name": conv.get("child_name"),
            "guardian_relationship": conv.get("relationship"),
            "sms_number": conv.phone}  # texting us: their mobile, not asked again


def start(conv: Conversation, conversation_id: str) -> list[Reply]:
    if conv.case_ids:
        return resume(conv)
    started = intake.start(conversation_id, prefill(conv))
    conv.slots["case_ids"] = started.case_ids
    _replace(conv, started.state)
    conv.stage = INTAKE
    conv.set("offer", None)
    if conv.get("red_flag_seen"):
        intake.flag_red_flag(started.case_ids)
    out = [say("utter_intake_intro")]
    known = known_facts(conv)
    if known:
        out.append(say("utter_intake_known", facts=", ".join(known)))
    return out + [plain(_question(conv, started.state))]


def known_facts(conv: Conversation) -> list[str]:
    """What the form will not ask again, as the parent said it."""
    from bot.dialogue.screening_flow import age_label, condition_label
    facts = prefill(conv)
    said = [conv.get("child_name")] if facts["child_first_name"] else []
    if facts["child_birth_date"]:
        said.append("the birth date")
    if facts["diagnosis"]:
        said.append(condition_label(conv.fact("condition")))
    if facts["curve_size"]:
        said.append(f"{facts['curve_size']} degrees")
    if facts["home_zip"]:
        said.append(f"ZIP {facts['home_zip']}")
    return said


def _replace(conv: Conversation, fresh: dict) -> None:
    """The whole walk-through becomes `fresh` (answers it lacks are removed)."""
    def edit(state: dict) -> None:
        revision = state.get("revision")
        state.clear()
        state.update(copy.deepcopy(fresh), revision=revision)
    change(conv, edit)


def _set_paused(conv: Conversation, paused: bool) -> None:
    change(conv, lambda state: state.__setitem__("paused", paused))


def resume(conv: Conversation) -> list[Reply]:
    _set_paused(conv, False)
    conv.stage = INTAKE
    conv.set("offer", None)
    if current_item(conv) is None:  # finished (maybe on the web): the summary if unseen
        return [plain(m) for m in _confirm_messages(conv, [intake.message("resumed")])]
    return [plain(intake.message("resumed")), plain(_question(conv, conv.intake_state))]


def prompt(conv: Conversation) -> Reply:
    if current_item(conv) is None:  # never "Is all of this right?" without the summary
        return plain("\n".join(_confirm_messages(conv)))
    return plain(_question(conv, refresh(conv)))


def _question(conv: Conversation, state: dict) -> str:
    """The current question (or the confirm ask) as the channel may say it."""
    definition = privacy.definition(conv)
    item = engine.next_item(engine.ensure_state(dict(state)), definition)
    if _offers_callback(conv, item):
        return _callback_question(conv, item, definition)
    return engine.prompt(dict(state), definition)


def _offers_callback(conv: Conversation, item: Optional[Item]) -> bool:
    """The fee-call number asked after the parent gave a call-back number."""
    return item is not None and item.format == "phone" and bool(item.same_as) \
        and bool(conv.get("callback_phone"))


def _callback_question(conv: Conversation, item: Item, definition: Definition) -> str:
    """"What is the best number ...? Reply same to use the number you gave for the
    call-back." (the number itself is not said: never over SMS)."""
    question = item.text.split("?")[0] + "?"
    offer = say("utter_fee_call_callback").text
    return render(dataclasses.replace(item, text=f"{question} {offer}"), definition)


def _confirm_messages(conv: Conversation, prefix: Optional[list[str]] = None) -> list[str]:
    """The confirm step: the short summary when the parent has not seen it, else the ask."""
    return change(conv, lambda state: engine.confirm_messages(state, privacy.definition(conv), prefix))


def pause(conv: Conversation) -> list[Reply]:
    _set_paused(conv, True)
    return [plain(intake.message("paused"))]


def restart(conv: Conversation) -> list[Reply]:
    """Back to the first question; the case (and its reference) is kept."""
    _replace(conv, intake.restart_state(prefill(conv)))
    return [say("utter_restarted_intake"), prompt(conv)]


def answer(conv: Conversation, text: str, today: dt.date, conversation_id: str) -> list[Reply]:
    state = refresh(conv)
    definition = privacy.definition(conv)
    item = engine.next_item(engine.ensure_state(state), definition)
    if item is None:  # the confirm step
        values = engine.asks_for_value(state, text, today, definition)
        if values:  # "what did you put for breech?": show it, change nothing
            return [plain("\n".join(values)), plain(definition.messages["ask_confirm"])]
        picked = _value_picked(conv, text, today, conversation_id)
        if picked is not None:
            return picked
        clauses = engine.edit_clauses(state, text, today, definition)
        if len(clauses) > 1:
            return _several_edits(conv, clauses, today, conversation_id)
        fields = None if engine.is_command(text) else value_fields(state, text, today, definition)
        if fields is not None:  # "5/3/2015" alone: which answer is it for?
            return [_ask_which_answer(conv, text, fields)]
    elif _offers_callback(conv, item) and SAME_CALLBACK.search(text) and not MOBILE.search(text) \
            and not extract_phone(text):
        text = conv.get("callback_phone")  # "same": the call-back number
    outcome = change(conv, lambda fresh: engine.apply(fresh, text, today, definition))
    return _outcome(conv, outcome, conversation_id)


def _outcome(conv: Conversation, outcome: engine.Outcome, conversation_id: str) -> list[Reply]:
    """What the parent is told after the walk took a message."""
    messages = list(outcome.messages)
    if outcome.item is not None and messages and _offers_callback(conv, outcome.item):
        messages[-1] = _callback_question(conv, outcome.item, privacy.definition(conv))
    out: list[Reply] = []
    if outcome.kind == "red_flag":  # the form's own red-flag question answered yes
        out.append(say("utter_urgent_care"))
        intake.flag_red_flag(conv.case_ids)
        conv.set("red_flag_seen", True)
        conv.set("hold", "red_flag")  # no next question until the parent says continue
        return out + [plain(m) for m in messages[:-1]] + check_home(conv) + [say("utter_hold_intake")]
    out += [plain(m) for m in messages]
    out += check_home(conv)
    if outcome.kind == "done":
        out += finish(conv, conversation_id, complete=True)
        out += _answer_question(outcome.question)
    elif outcome.kind == "web_form":
        _set_paused(conv, True)
        out += finish(conv, conversation_id, complete=False)
    return out


def _ask_which_answer(conv: Conversation, text: str, fields: list[Item]) -> Reply:
    """"Which answer is that for? Reply with a number: 1) Date of birth 2) Something
    else"; the value waits for the pick. No likely answer: how to name it."""
    if not fields:
        return say("utter_confirm_name_the_answer")
    conv.set("value_for", {"text": text, "fields": [f.link_id for f in fields]})
    labels = [f.short_label for f in fields] + [say("utter_confirm_other_answer").text]
    choices = " ".join(f"{n}) {label}" for n, label in enumerate(labels, 1))
    return plain(f"{say('utter_confirm_which_answer').text}\n{choices}")


def _value_picked(conv: Conversation, text: str, today: dt.date,
                  conversation_id: str) -> Optional[list[Reply]]:
    """The reply to "Which answer is that for?": the number (or the name) of an answer
    changes it to the value sent before; "something else" asks to name it. None: the
    message is something else (the value is dropped)."""
    pending = conv.get("value_for")
    conv.set("value_for", None)
    if not pending:
        return None
    command = clean(text).lower().strip(" .!")
    fields = [load_definition().item(link_id) for link_id in pending["fields"]]
    names = [{f.short_label.lower(), *(k.lower() for k in f.keywords)} for f in fields]
    picked = int(command) if command.isdigit() else next(
        (n for n, words in enumerate(names, 1) if command in words), None)
    if picked == len(fields) + 1 or command in ("something else", "other", "none"):
        return [say("utter_confirm_name_the_answer")]
    if picked is None and engine.is_yes(text):  # "yes": the one answer listed, or which?
        if len(fields) > 1:
            return [_ask_which_answer(conv, pending["text"], fields)]
        picked = 1
    if picked is None or not 1 <= picked <= len(fields):
        return None
    definition, link_id = privacy.definition(conv), fields[picked - 1].link_id
    outcome = change(conv, lambda fresh: set_value(fresh, link_id, pending["text"], today, definition)
                     or engine.apply(fresh, pending["text"], today, definition))
    return _outcome(conv, outcome, conversation_id)


def _answer_question(question: Optional[str]) -> list[Reply]:
    """"yes. did my card go thru?": the yes confirmed the answers; the question after
    it gets the same answer turn.py gives a question (or who can answer it)."""
    if not question:
        return []
    topics = faq.questions_in(question)[:faq.MAX_ANSWERS]
    return [say(faq.response_for(t)) for t in topics] or [say("utter_unknown_question")]


def _several_edits(conv: Conversation, clauses: list[str], today: dt.date,
                   conversation_id: str) -> list[Reply]:
    """Each edit in turn; the "Changed:" lines together, the ask once at the end."""
    lines, last = [], []
    for clause in clauses:
        last = answer(conv, clause, today, conversation_id)
        lines += [r for r in last[:-1]]
    return lines + last[-1:]


def check_home(conv: Conversation) -> list[Reply]:
    """A home ZIP typed in the form that the screening did not see: if it is in the
    Atlanta area or out of state, say so plainly and flag the case for the coordinator."""
    zip_code = conv.intake_state.get("answers", {}).get("home_zip")
    if not zip_code or zip_code == conv.fact("home_zip") or zip_code == conv.get("checked_zip"):
        return []
    conv.set("checked_zip", zip_code)
    from bot.dialogue.screening_flow import policy
    from bot.location import in_counties, lookup_zip
    info = lookup_zip(zip_code)
    if info is None:
        return []
    rules = policy()
    if info.state.upper() != rules.home_state.upper() or in_counties(info, rules.excluded_counties):
        intake.flag(conv.case_ids, "home_outside_service_area")
        return [say("utter_zip_outside_area", county=info.county or info.state)]
    return []


def finish(conv: Conversation, conversation_id: str, complete: bool) -> list[Reply]:
    sent = intake.finish(conversation_id, conv.case_ids, complete)
    if complete:
        conv.stage = DONE
    if sent.locked:
        return [say("utter_answers_saved_link_locked")]
    conv.set("references", sent.references)
    if complete:
        return [say("utter_upload_link", references=sent.references, link=sent.link)]
    return [say("utter_web_form_link", references=sent.references, link=sent.link)]


def accepts(conv: Conversation, item, text: str, today: dt.date) -> bool:
    """Whether `text` is a usable answer to `item` (nothing is stored); at the confirm
    step (`item` None) whether it is a yes."""
    from bot.questionnaire.answers import parse_answer
    if item is None:
        return engine.is_yes(text)
    return parse_answer(item, text, today, refresh(conv).get("answers", {})).is_ok


def is_paused(conv: Conversation) -> bool:
    return bool(refresh(conv).get("paused"))


def is_active(conv: Conversation) -> bool:
    return conv.stage == INTAKE and bool(conv.case_ids)


def current_item(conv: Conversation):
    return engine.next_item(engine.ensure_state(refresh(conv)), load_definition())
