"""The questionnaire on the upload page: the chat's definition and state, as a web form.

Spine and hip cases from one chat share one walk-through (program "both"), so an edit
on either page is saved to both while their answers are the same.

Only the answers the parent changed on the page are saved, merged into the case's
current answers (the chat may have added some since the page was opened). The page
posts the revision it showed (REVISION_FIELD): an answer changed elsewhere after that
is not overwritten; the page shows the newer one for the parent to check
(bot/answer_merge.py says why).
"""
from __future__ import annotations

import copy
import datetime as dt
from typing import Any, Optional

from bot import cases, checklist
from bot.answer_merge import StaleAnswers, restore
from bot.questionnaire import apply_form, load_definition, new_state, next_item, web_form_fields
from bot.questionnaire.model import enabled
from bot.safety import has_red_flag
from bot.scrub import scrub_text
from bot.settings import Settings

# Case column -> linkId, so the coordinator's list shows names and phones (when present
# in the definition).
FIELD_LINKS = {"child_first_name": "child_first_name", "child_last_name": "child_last_name",
               "child_birth_date": "child_birth_date", "guardian_name": "guardian_name",
               "guardian_phone": "guardian_mobile", "guardian_email": "guardian_email",
               "zip_code": "home_zip"}
REVISION_FIELD = "answers_revision"  # hidden field: the revision the page showed
CHANGED_ELSEWHERE = ("This answer was changed in the chat (or in another window) while this "
                     "page was open. We kept the newer answer shown here. Please check it "
                     "and save again.")
MAX_TRIES = 3


def field_links(definition=None) -> dict[str, str]:
    definition = definition or load_definition()
    known = {item.link_id for item in definition.walk()}
    return {column: link for column, link in FIELD_LINKS.items() if link in known}


def _program_answer(summary: dict, linked: Optional[dict]) -> str:
    if linked and {summary["program"], linked["program"]} == {"spine", "hip"}:
        return "both"
    return summary["program"]


def state_of(summary: dict, linked: Optional[dict], settings: Settings) -> dict:
    """The case's walk-through state with its "revision"; a fresh one prefilled from the
    case when the chat has not started it."""
    stored = cases.questionnaire_of(summary["id"], url=settings.database_url)["state"]
    return _page_state(stored, summary, linked)


def _page_state(stored: dict, summary: dict, linked: Optional[dict]) -> dict:
    state = copy.deepcopy(stored)
    if not state["answers"]:
        state = new_state(prefill={"screening.program": _program_answer(summary, linked),
                                   "screening.home_zip": summary.get("zip"),
                                   "screening.child_birth_date": summary["child"]["birth_date"]})
        state["revision"] = stored["revision"]
    state["answers"].setdefault("program", _program_answer(summary, linked))
    return state


def sections(state: dict, errors: Optional[dict[str, str]] = None) -> list[dict]:
    """web_form_fields for the page: sections the program turns off are left out; a
    follow-up question not asked yet (e.g. brace hours) is shown with `conditional`."""
    definition = load_definition()
    shown = []
    for section in web_form_fields(definition, state, errors):
        group = definition.item(section["name"])
        if group.type == "group" and not enabled(definition, group, state["answers"]):
            continue
        for fld in section["fields"]:
            fld["conditional"] = not fld["enabled"]
        shown.append(section)
    return shown


def red_flags(state: dict) -> list[str]:
    """Questions whose answer is a warning sign (a yes to a red-flag question, or free
    text that names one): the page then shows the urgent-care message."""
    definition = load_definition()
    found = []
    for item in definition.questions():
        value = state["answers"].get(item.link_id)
        if (item.red_flag and value is True) or (
                item.type in ("string", "text") and isinstance(value, str)
                and has_red_flag(value)):
            found.append(item.link_id)
    return found


def _form_dict(form) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key in form.keys():
        values = [scrub_text(v) if isinstance(v, str) else v for v in form.getlist(key)]
        result[key] = values if len(values) > 1 else values[0]
    return result


def save(summary: dict, linked: Optional[dict], form, settings: Settings,
         today: Optional[dt.date] = None) -> tuple[dict, dict[str, str], list[int]]:
    """Apply a posted form; save every valid answer the parent changed. Returns (state,
    errors, ids of cases that just became documents_received). An answer changed
    elsewhere since the page was shown is kept and listed in errors."""
    definition = load_definition()
    posted = _form_dict(form)
    shown = _revision(posted.get(REVISION_FIELD))
    url = settings.database_url
    kept: set[str] = set()  # answers changed elsewhere: not overwritten
    for attempt in range(MAX_TRIES):
        stored = cases.questionnaire_of(summary["id"], url=url)["state"]
        state = _page_state(stored, summary, linked)
        errors = apply_form(definition, state, posted, today=today)
        for link_id in kept:
            restore(state, stored, link_id)
            errors[link_id] = CHANGED_ELSEWHERE
        for link_id in red_flags(state):  # as the chat does: the coordinator sees them too
            if link_id not in state.setdefault("red_flags", []):
                state["red_flags"].append(link_id)
        complete = not errors and next_item(state, definition) is None
        state["confirmed"] = complete
        ids = [summary["id"]]
        if linked and cases.questionnaire_of(linked["id"], url=url)["answers"] \
                in (stored["answers"], {}):
            ids.append(linked["id"])
        try:
            state["revision"] = cases.save_state(ids, stored, state, field_links(definition),
                                                 url, base_revision=shown)
            break
        except StaleAnswers as stale:
            kept |= set(stale.link_ids)
            if attempt == MAX_TRIES - 1:
                raise
    finished = []
    if complete:
        for case_id in ids:
            if cases.mark_received(case_id, checklist.QUESTIONNAIRE, url=url):
                finished.append(case_id)
    return state, errors, finished


def _revision(value: Any) -> Optional[int]:
    """The posted revision; None (no check) when missing or not a number."""
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None
