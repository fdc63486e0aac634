"""'Send me the link again' in chat: at most LINK_RESENDS_PER_DAY fresh links per case in
any 24 hours, none while the birth-date gate is locked; the coordinator is named instead."""
from __future__ import annotations

import datetime as dt

from bot import cases, notifier
from bot.db import Case, session_scope
from bot.portal import gate
from bot.settings import get_settings
from tests.dialogue.test_turn_records import Chat, eligible_in_intake

ASK = "can you send me the link again"


def case_in_intake() -> tuple[Chat, int]:
    chat = Chat()
    eligible_in_intake(chat)
    [case_id] = chat.slots["case_ids"]
    return chat, case_id


def sent_count(case_id: int) -> int:
    return len(notifier.outbox(case_id=case_id))


def test_three_resends_a_day_then_the_coordinator(database_url):
    chat, case_id = case_in_intake()
    phone = get_settings().coordinator_phone
    for n in range(1, 4):
        reply = chat.say(ASK)
        assert "new secure link" in reply and "/u/" in reply
        assert cases.link_version(case_id) == 1 + n and sent_count(case_id) == n
    fourth = chat.say(ASK)
    assert phone in fourth and "/u/" not in fourth and "new secure link" not in fourth
    assert "first name" in fourth  # the questionnaire question comes back after it
    assert cases.link_version(case_id) == 4 and sent_count(case_id) == 3


def test_resends_work_again_once_the_24_hours_pass(database_url, monkeypatch):
    chat, case_id = case_in_intake()
    start = dt.datetime(2026, 11, 30, 9, 0)
    monkeypatch.setattr(cases, "utcnow", lambda: start)
    for _ in range(3):
        assert "new secure link" in chat.say(ASK)
    monkeypatch.setattr(cases, "utcnow", lambda: start + dt.timedelta(hours=23, minutes=59))
    assert "/u/" not in chat.say(ASK)
    monkeypatch.setattr(cases, "utcnow", lambda: start + dt.timedelta(hours=24, minutes=1))
    assert "new secure link" in chat.say(ASK)
    assert cases.link_version(case_id) == 5 and sent_count(case_id) == 4
    with session_scope() as session:  # only the times still inside the window are kept
        assert session.get(Case, case_id).link_sends == ["2026-12-01T09:01:00"]


def test_a_locked_case_gets_the_coordinator_not_a_link(database_url):
    chat, case_id = case_in_intake()
    settings = get_settings()
    for _ in range(settings.dob_max_tries):
        gate.record_try(case_id, False, settings.dob_max_tries, database_url)
    reply = chat.say(ASK)
    assert settings.coordinator_phone in reply and "locked" in reply and "/u/" not in reply
    assert cases.link_version(case_id) == 1 and sent_count(case_id) == 0


def test_finishing_while_locked_sends_no_dead_link(database_url):
    """Leaving for the web form (or finishing) while the gate is locked: the answers are
    kept, and the parent is told to call instead of getting a link that shows a lock."""
    chat, case_id = case_in_intake()
    chat.say("Ava")
    settings = get_settings()
    for _ in range(settings.dob_max_tries):
        gate.record_try(case_id, False, settings.dob_max_tries, database_url)
    before = sent_count(case_id)
    reply = chat.say("I'd rather finish on the website")
    assert "locked" in reply and settings.coordinator_phone in reply and "/u/" not in reply
    assert sent_count(case_id) == before
    assert cases.questionnaire_of(case_id)["answers"]["child_first_name"] == "Ava"


def test_link_alone_asks_for_a_new_link(database_url):
    chat, case_id = case_in_intake()
    assert "new secure link" in chat.say("link")
    assert "new secure link" in chat.say("link pls")
    assert cases.link_version(case_id) == 3
