"""The daily digest: exactly the cases due soon or overdue at a given time, the open
call-back count, no PHI, once a day; and `python -m bot digest` as cron runs it."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

from bot import cases, records
from bot.db import Case, session_scope, utcnow
from bot.notifier import outbox
from bot.settings import REPO_ROOT, Settings
from bot.staff import digest
from tests.portal.conftest import make_case
from tests.staff.test_alerts import COORDINATOR, assert_no_phi

NOW = dt.datetime(2026, 12, 7, 15, 0)  # Monday 10:00 in New York
ALL_IN = ("questionnaire", "financial_consent", "referral", "medical_records", "imaging")


def settings_for(url: str, email: str = COORDINATOR) -> Settings:
    return Settings.from_env({"DATABASE_URL": url, "COORDINATOR_EMAIL": email,
                              "PUBLIC_BASE_URL": "https://intake.example.org"})


def case_in(url: str, days_ago: float, conversation: str, status: str = "",
            kinds=ALL_IN, now: dt.datetime = NOW) -> dict:
    """A case (with a child's name, birth date and a parent's phone) whose documents came
    in `days_ago` days before `now`."""
    case = make_case(url, conversation=conversation)
    for kind in kinds:
        cases.mark_received(case["id"], kind, when=now - dt.timedelta(days=days_ago), url=url)
    if status:
        with session_scope(url) as s:
            s.get(Case, case["id"]).status = status
    return cases.case_summary(case["id"], url=url)


def test_digest_lists_exactly_the_due_soon_and_overdue_cases(database_url):
    soon = case_in(database_url, 8, "rest:a")
    overdue = case_in(database_url, 12, "rest:b", status="in_review")
    case_in(database_url, 3, "rest:c")  # on time
    case_in(database_url, 20, "rest:d", status="closed")  # no due date any more
    case_in(database_url, 20, "rest:e", kinds=ALL_IN[:3])  # documents not all in
    records.save_callback_request("sms:+14045550100", "asked for a person")
    settings = settings_for(database_url)
    message = digest.build_digest(settings, now=NOW)
    assert [c.reference for c in digest.due_cases(settings, NOW)] == [
        overdue["reference"], soon["reference"]]  # most overdue first
    references = {line.split(" | ")[0] for line in message.body.splitlines() if " | " in line}
    assert references == {soon["reference"], overdue["reference"]}
    assert (message.channel, message.to, message.kind) == ("email", COORDINATOR, "staff_alert")
    assert "Cases due soon or overdue: 2 (1 overdue)" in message.body
    assert "Open call-back requests: 1" in message.body
    assert (f"{overdue['reference']} | spine | in_review | OVERDUE | 12 days since documents "
            f"received | due Sat 2026-12-05 10:00 EST") in message.body
    assert f"https://intake.example.org/coordinator/cases/{soon['id']}" in message.body
    assert_no_phi({"subject": message.subject, "body": message.body})


def test_send_digest_emails_once_a_day_and_nothing_when_nothing_is_due(database_url):
    settings = settings_for(database_url)
    assert digest.build_digest(settings, now=NOW) is None
    assert digest.send_digest(settings, now=NOW).note == "nothing due"
    assert outbox(url=database_url) == []
    case_in(database_url, 11, "rest:a")
    sent = digest.send_digest(settings, now=NOW)
    assert (sent.listed, sent.callbacks, sent.delivery.status) == (1, 0, "recorded")
    again = digest.send_digest(settings, now=NOW + dt.timedelta(hours=2))
    assert again.delivery is None and "sent already" in again.note
    [row] = outbox(url=database_url)
    assert (row["channel"], row["to"], row["kind"]) == ("email", COORDINATOR, "staff_alert")
    tomorrow = digest.send_digest(settings, now=NOW + dt.timedelta(days=1))
    assert tomorrow.listed == 1 and tomorrow.delivery is not None


def test_no_coordinator_email_sends_no_digest(database_url):
    case_in(database_url, 9, "rest:a")
    outcome = digest.send_digest(settings_for(database_url, email=""), now=NOW)
    assert outcome.listed == 1 and outcome.delivery is None
    assert outbox(url=database_url) == []


def run_cli(url: str, email: str = COORDINATOR) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "ENV_FILE": os.devnull,
           "COORDINATOR_EMAIL": email}
    return subprocess.run([sys.executable, "-m", "bot", "digest"], capture_output=True,
                          text=True, cwd=REPO_ROOT, env=env, timeout=120)


def test_cli_prints_the_count_and_exits_0(database_url):
    empty = run_cli(database_url)
    assert empty.returncode == 0, empty.stderr
    assert empty.stdout.strip() == "nothing due"
    now = utcnow()
    case_in(database_url, 8, "rest:a", now=now)
    case_in(database_url, 15, "rest:b", now=now)
    case_in(database_url, 1, "rest:c", now=now)
    done = run_cli(database_url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("2 cases listed, 0 open call-backs; email recorded")
    assert run_cli(database_url).stdout.strip().endswith("sent already")
    [row] = outbox(url=database_url)
    assert row["kind"] == "staff_alert" and row["to"] == COORDINATOR
