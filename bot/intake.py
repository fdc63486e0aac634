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
from bot.portal import gate
from bot.portal.links import upload_url
from bot.portal.notices import documents_complete
from bot.programs import load_catalogue
from bot.questionnaire import engine
from bot.portal.form import field_links  # case columns filled from answers: one list
from bot.questionnaire.model import load_definition
from bot.settings import Settings, get_settings
from bot.sms.outgoing import send_sms
from bot.staff import alerts

CHAT_CHANNELS = {"rest", "web"}


@dataclass(frozen=True)
class Started:
    state: dict
    case_ids: list[int]


@dataclass(frozen=True)
class Sent:
    links: list[tuple[str, str]] = field(default_factory=list)  # (reference, url) per case
    locked: bool = False  # no link sent: too many wrong birth dates (the coordinator unlocks)
    programs: list[str] = field(default_factory=list)  # each link's program code, in order

    @property
    def references(self) -> str:
        return " and ".join(ref for ref, _ in self.links)

    @property
    def link(self) -> str:
        """One link as it is; two each on a line with its review, so the parent can
        tell them apart ("Spine ... review (SO-...): <url>")."""
        if len(self.links) < 2:
            return " ".join(url for _, url in self.links)
        return "".join(f"\n{_review_name(program)} ({ref}): {url}"
                       for (ref, url), program in zip(self.links, self.programs))


def _review_name(program: str) -> str:
    found = load_catalogue().programs.get(program)
    name = found.name if found else "Review"
    return name[:1].upper() + name[1:]


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
                             "screening.guardian_relationship": screening.get("guardian_relationship"),
                             "screening.sms_number": screening.get("sms_number")})


def flag_red_flag(case_ids: list[int]) -> None:
    """A red-flag symptom was mentioned: the coordinator must see it first."""
    flag(case_ids, "red_flag")
    alerts.red_flag(case_ids)  # the coordinator's email, once per case


def flag(case_ids: list[int], name: str) -> None:
    if case_ids:
        cases.add_flag(case_ids, name)


def message(code: str) -> str:
    return load_definition().messages[code]


def save_answers(case_ids: list[int], before: dict, after: dict) -> int:
    """Save what this turn changed (from `before`, read with current_state, to `after`)
    into the cases; returns their revision. Raises answer_merge.StaleAnswers when the
    web form changed one of the same answers meanwhile (read again and redo the turn)."""
    if not case_ids:
        return int(before.get("revision") or 0)
    return cases.save_state(case_ids, before, after, field_links())


def current_links(case_ids: list[int], versions: Optional[Mapping[int, int]] = None,
                  settings: Optional[Settings] = None) -> Sent:
    """A valid upload link per case (the version just made fresh, else the current one:
    older links keep working), with each case's reference and program."""
    settings = settings or get_settings()
    links, programs = [], []
    for case_id in case_ids:
        summary = cases.case_summary(case_id, url=settings.database_url)
        links.append((summary["reference"],
                      upload_url(case_id, (versions or {}).get(case_id), settings)))
        programs.append(summary["program"])
    return Sent(links, programs=programs)


def send_link(conversation_id: str, case_ids: list[int],
              versions: Optional[Mapping[int, int]] = None,
              body_template: Optional[str] = None, settings: Optional[Settings] = None,
              in_reply: bool = False) -> Sent:
    """A link per case, sent on the parent's channel (and by email when we have one).
    versions: the link version of each case just made fresh (else the current one).
    in_reply: the bot's reply in this turn carries the link; a texting parent then gets
    it once, in that reply, not in a second text."""
    settings = settings or get_settings()
    sent = current_links(case_ids, versions, settings)
    notifier = Notifier(settings)
    channel = channel_of(conversation_id)
    to = conversation_id if channel in CHAT_CHANNELS else conversation_id.split(":", 1)[-1]
    for case_id, (reference, url) in zip(case_ids, sent.links):
        body = (body_template or "Your second-opinion upload link ({reference}): {url}").format(
            reference=reference, url=url)
        if channel == "sms":
            if not in_reply:
                send_sms(to, body, case_id=case_id, kind="link", settings=settings,
                         notifier=notifier)
        else:
            notifier.send(Message(channel, to, body, case_id=case_id, kind="link"))
        email = (cases.case_summary(case_id, url=settings.database_url).get("guardian")
                 or {}).get("email")
        if email:
            notifier.send(Message("email", email, body, kind="link", case_id=case_id,
                                  subject="Your second-opinion upload link"))
    return sent


@dataclass(frozen=True)
class Resent:
    sent: Optional[Sent] = None
    refused: str = ""  # "locked" (too many wrong birth dates) or "limit" (too many re-sends)


def resend_link(conversation_id: str, case_ids: list[int],
                now: Optional[dt.datetime] = None) -> Resent:
    """The parent asked for the link again: a fresh one (older ones stop working), at most
    LINK_RESENDS_PER_DAY a day, and none while the birth-date gate is locked (a fresh
    link would not open either; the coordinator unlocks)."""
    settings = get_settings()
    if is_locked(case_ids, settings):
        return Resent(refused="locked")
    versions = cases.resend_links(case_ids, settings.link_resends_per_day, now,
                                  url=settings.database_url)
    if versions is None:
        return Resent(refused="limit")
    return Resent(sent=send_link(conversation_id, case_ids, versions, settings=settings,
                                 in_reply=True))


def reopen_link(case_id: int, settings: Settings) -> Sent:
    """The coordinator's unlock: a clean birth-date count and re-send count, and a fresh
    link (older ones stop working) sent to the parent as the chat would send it."""
    gate.unlock(case_id, settings.database_url)
    version = cases.revoke_links(case_id, url=settings.database_url, forget_sends=True)
    return send_link(cases.conversation_of(case_id, url=settings.database_url), [case_id],
                     {case_id: version}, settings=settings)


def current_state(case_ids: list[int], chat_state: Optional[dict]) -> dict:
    """The walk-through as the case holds it now (the one copy of the answers; the
    parent may have changed some on the web page), with its revision. A chat begun
    before answers were saved one by one may have its copy only in the chat: saved
    first."""
    stored = cases.questionnaire_of(case_ids[0])["state"]
    if stored["revision"] == 0 and not stored["answers"] and (chat_state or {}).get("answers"):
        save_answers(case_ids, stored, chat_state)
        stored = cases.questionnaire_of(case_ids[0])["state"]
    return stored


def finish(conversation_id: str, case_ids: list[int], complete: bool) -> Sent:
    """The answers are saved already (every turn saves its own). No link is sent while
    the birth-date gate is locked: it would not open."""
    settings = get_settings()
    if complete:
        for case_id in case_ids:
            if cases.mark_received(case_id, "questionnaire", url=settings.database_url):
                # The questionnaire was the last missing item (documents came first).
                documents_complete(case_id, settings)
    if is_locked(case_ids, settings):
        return Sent(locked=True)
    return send_link(conversation_id, case_ids, settings=settings, in_reply=True)


def is_locked(case_ids: list[int], settings: Optional[Settings] = None) -> bool:
    """Whether the birth-date gate of any of these cases is locked (too many wrong tries)."""
    settings = settings or get_settings()
    return any(gate.is_locked(c, settings.dob_max_tries, settings.database_url)
               for c in case_ids)
