"""Alert emails to the coordinator, fired from the real code paths: the portal upload and
the chat's questionnaire that complete a case, the chat's red flag and call-back request.
One email per event, none when COORDINATOR_EMAIL is empty, and never any PHI."""
from __future__ import annotations

import logging
import threading

import pytest
from sqlalchemy import select

from bot import cases, intake, records
from bot.db import Case, session_scope
from bot.notifier import outbox
from bot.settings import Settings, get_settings
from bot.staff import alerts
from bot.staff.alerts_db import StaffAlert
from tests.cases.test_notifier import fake_smtp  # noqa: F401 (fixture)
from tests.dialogue.test_turn_records import Chat, eligible_in_intake
from tests.portal.conftest import (make_case, portal, sign_in, start_portal,  # noqa: F401
                                   dicom_bytes)

COORDINATOR = "coord@example.org"
# Everything the family told that must stay out of an email.
PHI = ("Jane", "Doe", "Mary", "2012-04-02", "04/02/2012", "4045550100", "404-555-0100",
       "555-0100", "parent@example.org", "scoliosis", "numb", "feet", "2295550177",
       "229-555-0177", "555-0177", "rest:")
BEFORE_THE_LAST = ("questionnaire", "financial_consent", "referral", "medical_records")


@pytest.fixture()
def alerts_on(database_url, monkeypatch) -> Settings:
    """get_settings() as the chat and records read it, with COORDINATOR_EMAIL set."""
    monkeypatch.setenv("COORDINATOR_EMAIL", COORDINATOR)
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def staff_alerts(url: str) -> list[dict]:
    return [r for r in outbox(url=url) if r["kind"] == "staff_alert"]


def assert_no_phi(row: dict) -> None:
    text = f"{row['subject']}\n{row['body']}"
    for value in PHI:
        assert value.lower() not in text.lower(), f"{value!r} in an alert email:\n{text}"
    assert "Sign in to see the details." in row["body"]


def test_upload_that_completes_a_case_emails_the_coordinator_once(start_portal):  # noqa: F811
    portal = start_portal(COORDINATOR_EMAIL=f"{COORDINATOR}, lead@example.org")
    url = portal.settings.database_url
    case = make_case(url)
    cases.update_answers([case["id"]], {"diagnosis": "scoliosis"}, url=url)
    for kind in BEFORE_THE_LAST:
        assert not cases.mark_received(case["id"], kind, url=url)
    browser, path, csrf = sign_in(portal, case["id"])
    resp = browser.post_files(path + "/upload/imaging", [("csrf_token", csrf)],
                              [("files", "IM1", dicom_bytes())])
    assert resp.status == 303, resp.text
    [row] = staff_alerts(url)
    assert (row["channel"], row["to"], row["case_id"]) == (
        "email", f"{COORDINATOR}, lead@example.org", case["id"])
    assert case["reference"] in row["subject"] and "All documents in" in row["subject"]
    assert f"{portal.base}/coordinator/cases/{case['id']}" in row["body"]
    assert "spine review" in row["body"] and "coordinator hours" in row["body"]
    assert_no_phi(row)
    # The parent's own confirmation still went out.
    assert any(r["kind"] == "notice" for r in outbox(url=url))
    # A second upload, a retried request: no second email.
    browser.post_files(path + "/upload/imaging", [("csrf_token", csrf)],
                       [("files", "IM2", dicom_bytes())])
    assert not alerts.case_ready(case["id"], portal.settings)
    assert len(staff_alerts(url)) == 1


def test_chat_questionnaire_that_completes_a_case_emails_once(alerts_on):
    url = alerts_on.database_url
    case = make_case(url)
    for kind in BEFORE_THE_LAST[1:] + ("imaging",):
        cases.mark_received(case["id"], kind, url=url)
    intake.finish("rest:parent-1", [case["id"]], complete=True)
    intake.finish("rest:parent-1", [case["id"]], complete=True)  # a retried action
    [row] = staff_alerts(url)
    assert row["to"] == COORDINATOR and case["reference"] in row["subject"]
    assert_no_phi(row)


def test_red_flag_in_the_chat_emails_once_without_the_symptom(alerts_on):
    chat = Chat()
    eligible_in_intake(chat)
    chat.say("Jane")
    assert "911" in chat.say("her legs went numb today and she can't feel her feet")
    chat.say("her legs went numb today and she can't feel her feet")  # told again
    chat.say("ok she is fine now, let's continue")
    with session_scope() as s:
        [case] = s.execute(select(Case)).scalars().all()
        reference, case_id = case.reference, case.id
    [row] = staff_alerts(alerts_on.database_url)
    assert (row["channel"], row["to"], row["case_id"]) == ("email", COORDINATOR, case_id)
    assert "Red flag" in row["subject"] and reference in row["subject"]
    assert_no_phi(row)


def test_red_flag_before_the_case_emails_when_the_case_exists(alerts_on):
    chat = Chat()
    assert "911" in chat.say("my son has scoliosis and he suddenly can't move his legs")
    assert staff_alerts(alerts_on.database_url) == []  # no case yet: nothing to link to
    for text in ("continue", "14", "31201", "yes"):
        chat.say(text)
    [row] = staff_alerts(alerts_on.database_url)
    assert "Red flag" in row["subject"]
    assert_no_phi(row)


def test_call_back_request_emails_once_without_the_number(alerts_on):
    chat = Chat()
    chat.say("pls have someone call me at 229-555-0177, my daughter has scoliosis")
    chat.say("can someone call me please")  # the same open request: no second email
    records.save_callback_request("rest:records-test", "asked for a person")
    [row] = staff_alerts(alerts_on.database_url)
    assert (row["channel"], row["to"]) == ("email", COORDINATOR)
    assert "Call-back requested" in row["subject"]
    assert f"{alerts_on.public_base_url}/coordinator" in row["body"]
    assert_no_phi(row)


def test_no_coordinator_email_means_no_alert_anywhere(database_url, caplog):
    caplog.set_level(logging.INFO)
    alerts._log_off.cache_clear()
    get_settings.cache_clear()
    callback_id = records.save_callback_request("sms:+12295550177", "asked for a person")
    case = make_case(database_url)
    intake.flag_red_flag([case["id"]])
    assert callback_id and staff_alerts(database_url) == []
    with session_scope(database_url) as s:
        assert s.execute(select(StaffAlert)).scalars().all() == []
    assert caplog.text.count("coordinator alerts off") == 1


def test_a_failing_alert_never_breaks_the_parent_and_logs_no_phi(database_url, monkeypatch,
                                                                  caplog):
    caplog.set_level(logging.INFO)
    monkeypatch.setenv("COORDINATOR_EMAIL", COORDINATOR)
    monkeypatch.setenv("COORDINATOR_SCHEDULE", "whenever")  # hours.within raises
    get_settings.cache_clear()
    callback_id = records.save_callback_request("sms:+12295550177", "my daughter scoliosis")
    assert callback_id > 0
    assert "staff alert callback_requested failed (ValueError)" in caplog.text
    assert "2295550177" not in caplog.text and "scoliosis" not in caplog.text
    get_settings.cache_clear()


def test_two_replicas_at_once_send_one_email(alerts_on):
    url = alerts_on.database_url
    case = make_case(url)
    for kind in BEFORE_THE_LAST + ("imaging",):
        cases.mark_received(case["id"], kind, url=url)
    results, start = [], threading.Barrier(4)

    def replica():
        start.wait()
        results.append(alerts.case_ready(case["id"], alerts_on))

    threads = [threading.Thread(target=replica) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == [False, False, False, True]
    assert len(staff_alerts(url)) == 1


def test_with_smtp_a_real_email_leaves(database_url, fake_smtp):  # noqa: F811
    settings = Settings.from_env({
        "DATABASE_URL": database_url, "COORDINATOR_EMAIL": COORDINATOR,
        "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(fake_smtp.server_address[1]),
        "SMTP_STARTTLS": "false", "SMTP_FROM": "intake@example.org"})
    case = make_case(database_url)
    cases.add_flag([case["id"]], "red_flag", url=database_url)
    assert alerts.red_flag(case["id"], settings) == 1
    [mail] = fake_smtp.messages
    assert mail["rcpt"] == [COORDINATOR]
    assert f"Subject: [Second opinion] Red flag: Case {case['reference']}" in mail["data"]
    [row] = staff_alerts(database_url)
    assert row["status"] == "sent"
    assert_no_phi(row)
