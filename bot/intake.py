"""Guided intake after an eligible screening: cases, questionnaire state, upload links.

Blocking functions for the action server (called in a worker thread); no Rasa here.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional

from bot import cases
from bot.channels.conversation_ids import channel_of
from bot.location import lookup_zip
from bot.notifier import Message, Notifier
from bot.portal.links import upload_url
from bot.portal.notices import send_confirmation
from bot.questionnaire import engine
from bot.questionnaire.model import load_definition
from bot.settings import get_settings

# Case columns filled from questionnaire answers (linkIds of the definition).
FIELD_LINKS = {
    "child_first_name": "child_first_name",
    "child_last_name": "child_last_name",
    "child_birth_date": "child_birth_date",
    "guardian_name": "guardian_name",
    "guardian_phone": "guardian_mobile",
    "guardian_email": "guardian_email",
    "zip_code": "home_zip",
}
CHAT_CHANNELS = {"rest", "web"}


@dataclass(frozen=True)
class Started:
    state: dict
    case_ids: list[int]


@dataclass(frozen=True)
class Sent:
    links: list[tuple[str, str]] = field(default_factory=list)  # (reference, url) per case

    @property
    def references(self) -> str:
        return " and ".join(ref for ref, _ in self.links)

    @property
    def link(self) -> str:
        return " ".join(url for _, url in self.links)


def program_code(programs: Iterable[str]) -> Optional[str]:
    found = sorted(set(programs))
    return {("spine",): "spine", ("hip",): "hip", ("hip", "spine"): "both"}.get(tuple(found))


def start(conversation_id: str, screening: Mapping[str, Any]) -> Started:
    programs = list(screening.get("programs") or [])
    zip_code = screening.get("home_zip")
    info = lookup_zip(zip_code) if zip_code else None
    birth = screening.get("child_birth_date")
    created = cases.create_cases(conversation_id, programs, zip_code=zip_code,
                                 county=info.county if info else screening.get("county"),
                                 child_birth_date=dt.date.fromisoformat(birth) if birth else None)
    return Started(restart_state(screening), [c["id"] for c in created])


def restart_state(screening: Mapping[str, Any]) -> dict:
    """A questionnaire with what the screening already told us filled in."""
    return engine.new_state({"screening.program": program_code(screening.get("programs") or []),
                             "screening.home_zip": screening.get("home_zip"),
                             "screening.child_birth_date": screening.get("child_birth_date"),
                             "screening.diagnosis": screening.get("diagnosis"),
                             "screening.child_sex": screening.get("child_sex"),
                             "screening.curve_size": screening.get("curve_size"),
                             "screening.child_first_name": screening.get("child_first_name"),
                             "screening.guardian_relationship": screening.get("guardian_relationship")})


def flag_red_flag(case_ids: list[int]) -> None:
    """A red-flag symptom was mentioned: the coordinator must see it first."""
    flag(case_ids, "red_flag")


def flag(case_ids: list[int], name: str) -> None:
    if case_ids:
        cases.add_flag(case_ids, name)


def message(code: str) -> str:
    return load_definition().messages[code]


def current_prompt(state: dict) -> str:
    """The current question (or the confirm ask), with any offered last name."""
    return engine.prompt(dict(state), load_definition())


def save_answers(case_ids: list[int], state: dict) -> None:
    if case_ids:
        cases.update_answers(case_ids, state.get("answers", {}), state, FIELD_LINKS)


def send_link(conversation_id: str, case_ids: list[int], fresh: bool = False,
              body_template: Optional[str] = None) -> Sent:
    """A link per case, sent on the parent's channel (and by email when we have one).
    fresh=True ("send me the link again") revokes older links and their lockouts."""
    links = []
    notifier = Notifier()
    for case_id in case_ids:
        summary = cases.case_summary(case_id)
        url = upload_url(case_id, fresh=fresh)
        links.append((summary["reference"], url))
        body = (body_template or "Your second-opinion upload link ({reference}): {url}").format(
            reference=summary["reference"], url=url)
        channel = channel_of(conversation_id)
        to = conversation_id if channel in CHAT_CHANNELS else conversation_id.split(":", 1)[-1]
        notifier.send(Message(channel, to, body, case_id=case_id))
        email = (summary.get("guardian") or {}).get("email")
        if email:
            notifier.send(Message("email", email, body, subject="Your second-opinion upload link",
                                  case_id=case_id))
    return Sent(links)


def resume_state(case_ids: list[int], chat_state: Optional[dict]) -> Optional[dict]:
    """The newest answers: the parent may have edited them on the web page meanwhile."""
    stored = cases.questionnaire_of(case_ids[0])["state"] if case_ids else {}
    return dict(stored) if stored.get("answers") else chat_state


def finish(conversation_id: str, case_ids: list[int], state: dict, complete: bool) -> Sent:
    save_answers(case_ids, state)
    if complete:
        for case_id in case_ids:
            if cases.mark_received(case_id, "questionnaire"):
                # The questionnaire was the last missing item (documents came first).
                send_confirmation(case_id, get_settings())
    return send_link(conversation_id, case_ids)
