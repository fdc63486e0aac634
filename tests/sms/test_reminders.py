"""SMS reminders (bot/sms/reminders.py): who is texted, when, how often, what the text
says, and that two runs at once text a number once. On a temp SQLite database with the
dev outbox (no Twilio settings), whose rows hold exactly what would have gone out."""
from __future__ import annotations

import datetime as dt
import logging
import os
import re
import signal
import subprocess
import sys
import threading
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot import cases
from bot.db import Case, OutboxMessage, SmsInbound, session_scope
from bot.portal import gate
from bot.portal.links import check_link, serializer, upload_url
from bot.settings import REPO_ROOT, Settings
from bot.sms import contacts, reminders
from bot.sms.reminder_selection import OpenCase, in_window, open_cases_by_number
from bot.sms.text import is_gsm7
from bot.sms.text import segments as text_segments
from tests.conftest import needs_postgres

NY = ZoneInfo("America/New_York")
SECRET = "test-portal-secret-key-0123456789abcdef"
PHONE, OTHER = "+14045550177", "+14785550123"
# Dates before the real clock: the rows the notifier writes carry the real time, and
# count as sent after these "now"s.
WHEN = dt.datetime(2026, 1, 14, 11, 0, tzinfo=NY)


def settings_for(url: str, **env: str) -> Settings:
    return Settings.from_env({"DATABASE_URL": url, "PORTAL_SECRET_KEY": SECRET, **env})


def utc(when: dt.datetime) -> dt.datetime:
    return when.astimezone(dt.timezone.utc).replace(tzinfo=None)  # as the database keeps it


def make_cases(url: str, phone: str = PHONE, programs=("spine",), received=(),
               created: dt.datetime = WHEN - dt.timedelta(days=3), status=None) -> list[int]:
    """Texting cases with a child's name, birth date and diagnosis the text must not tell.
    The chat's first reply carried the one-time opt-out line already."""
    contacts.claim_opt_line(phone, url=url)
    made = cases.create_cases(f"sms:{phone}", list(programs),
                              child_birth_date=dt.date(2014, 5, 6), url=url)
    ids = [c["id"] for c in made]
    for case_id in ids:
        for kind in received:
            cases.mark_received(case_id, kind, url=url)
    values = dict(created_at=utc(created), guardian_name="maria Lopez-Garcia",
                  child_first_name="Ava", child_last_name="Lopez",
                  answers={"screening.diagnosis": "scoliosis", "child.first_name": "Ava"})
    if status:
        values["status"] = status
    with session_scope(url) as session:
        session.execute(update(Case).where(Case.id.in_(ids)).values(**values))
    return ids


def sent_texts(url: str, phone: str = None) -> list[OutboxMessage]:
    with session_scope(url) as session:
        rows = session.execute(select(OutboxMessage).where(OutboxMessage.kind == "reminder")
                               .order_by(OutboxMessage.id)).scalars()
        return [row for row in rows if phone in (None, row.to_address)]


def add_reminder(url: str, phone: str, ago: dt.timedelta, status: str = "recorded") -> None:
    """A reminder sent earlier (the outbox is where the limits are counted)."""
    with session_scope(url) as session:
        session.add(OutboxMessage(created_at=utc(WHEN - ago), channel="sms", to_address=phone,
                                  body="earlier reminder", status=status, kind="reminder"))


def token_of(url_text: str) -> str:
    return url_text.rsplit("/u/", 1)[1]


# --- the hours ---------------------------------------------------------------------------

@pytest.mark.parametrize("day", [dt.date(2026, 1, 14), dt.date(2026, 7, 15)],
                         ids=["winter-EST", "summer-EDT"])
@pytest.mark.parametrize("hour,minute,open_", [(8, 59, False), (9, 0, True), (19, 59, True),
                                               (20, 0, False)])
def test_window_edges_in_new_york_time(database_url, day, hour, minute, open_):
    now = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=NY)
    make_cases(database_url, created=now - dt.timedelta(days=3))
    report = reminders.run(now, settings=settings_for(database_url))
    assert report.window_open is open_
    assert (report.sent, len(sent_texts(database_url))) == ((1, 1) if open_ else (0, 0))


def test_window_follows_daylight_saving_time(database_url):
    settings, z = settings_for(database_url), dt.timezone.utc
    # 13:30 UTC is 8:30 in New York before the spring change, 9:30 after it;
    # 00:30 UTC is 19:30 before the autumn change, 20:30 the day before it.
    assert not in_window(dt.datetime(2026, 3, 6, 13, 30, tzinfo=z), settings)
    assert in_window(dt.datetime(2026, 3, 9, 13, 30, tzinfo=z), settings)
    assert in_window(dt.datetime(2026, 11, 2, 0, 30, tzinfo=z), settings)
    assert not in_window(dt.datetime(2026, 10, 31, 0, 30, tzinfo=z), settings)
    assert in_window(dt.datetime(2026, 3, 9, 13, 30), settings)  # naive means UTC
    # The settings decide the zone and hours.
    la, la_zone = settings_for(database_url, SMS_REMINDER_TIMEZONE="America/Los_Angeles",
                               SMS_REMINDER_START_HOUR="10", SMS_REMINDER_END_HOUR="12"), \
        ZoneInfo("America/Los_Angeles")
    assert in_window(dt.datetime(2026, 3, 9, 10, 0, tzinfo=la_zone), la)
    assert not in_window(dt.datetime(2026, 3, 9, 12, 0, tzinfo=la_zone), la)


# --- how often ---------------------------------------------------------------------------

@pytest.mark.parametrize("earlier,sent", [
    ((PHONE, 23, "recorded"), False), ((PHONE, 25, "recorded"), True),
    ((PHONE, 2, "sent"), False), ((PHONE, 2, "claimed"), False),  # another run's claim
    ((PHONE, 2, "failed"), True), ((PHONE, 2, "suppressed"), True),  # never reached them
    ((OTHER, 1, "recorded"), True),  # another number's
])
def test_one_a_day(database_url, earlier, sent):
    make_cases(database_url)
    phone, hours, status = earlier
    add_reminder(database_url, phone, dt.timedelta(hours=hours), status=status)
    report = reminders.run(WHEN, settings=settings_for(database_url))
    assert report.sent == int(sent)
    assert report.skipped == ({} if sent else {"daily_limit": 1})
    assert len(sent_texts(database_url, PHONE)) == int(phone == PHONE) + int(sent)


@pytest.mark.parametrize("days_ago,sent", [((2, 3, 4), False), ((2, 3, 8), True),
                                           ((2, 3), True)])
def test_three_a_week(database_url, days_ago, sent):
    make_cases(database_url, created=WHEN - dt.timedelta(days=10))
    for days in days_ago:
        add_reminder(database_url, PHONE, dt.timedelta(days=days))
    report = reminders.run(WHEN, settings=settings_for(database_url))
    assert report.sent == int(sent)
    assert report.skipped == ({} if sent else {"weekly_limit": 1})


def test_limits_come_from_the_settings(database_url):
    make_cases(database_url)
    add_reminder(database_url, PHONE, dt.timedelta(hours=2))
    settings = settings_for(database_url, SMS_REMINDERS_PER_DAY="2")
    assert reminders.run(WHEN, settings=settings).sent == 1


# --- who is never texted -----------------------------------------------------------------

def test_opted_out_numbers_are_never_texted(database_url):
    make_cases(database_url)
    make_cases(database_url, phone=OTHER)
    contacts.opt_out(PHONE, url=database_url)
    report = reminders.run(WHEN, settings=settings_for(database_url))
    assert (report.considered, report.sent, dict(report.skipped)) == (2, 1, {"opted_out": 1})
    with session_scope(database_url) as session:  # not even a suppressed row
        assert session.execute(select(OutboxMessage).where(
            OutboxMessage.to_address == PHONE)).first() is None
    assert [r.to_address for r in sent_texts(database_url)] == [OTHER]


def test_complete_cases_and_coordinator_statuses_are_never_texted(database_url):
    make_cases(database_url, received=("questionnaire", "financial_consent", "referral",
                                       "medical_records", "imaging"))
    make_cases(database_url, phone=OTHER, status="in_review")
    make_cases(database_url, phone="+14045550188", status="closed")
    [rest] = cases.create_cases("rest:parent-1", ["hip"], url=database_url)  # not a text chat
    report = reminders.run(WHEN, settings=settings_for(database_url))
    assert (report.considered, report.sent) == (0, 0)
    assert sent_texts(database_url) == []
    assert cases.case_summary(rest["id"], url=database_url)["status"] == "intake_started"


def test_reminders_stop_when_the_case_is_complete(database_url):
    [case_id] = make_cases(database_url, received=("questionnaire",))
    settings = settings_for(database_url)
    assert reminders.run(WHEN, settings=settings).sent == 1
    for kind in ("financial_consent", "referral", "medical_records", "imaging"):
        cases.mark_received(case_id, kind, url=database_url)
    report = reminders.run(WHEN + dt.timedelta(days=2), settings=settings)
    assert (report.considered, report.sent) == (0, 0)
    assert len(sent_texts(database_url)) == 1


def test_new_cases_parents_still_texting_and_locked_links_wait(database_url):
    settings = settings_for(database_url)
    make_cases(database_url, created=WHEN - dt.timedelta(hours=2))  # too new
    make_cases(database_url, phone=OTHER)  # texted us an hour ago
    with session_scope(database_url) as session:
        session.add(SmsInbound(message_sid="SM" + "1" * 32, phone=OTHER, status="done",
                               received_at=utc(WHEN - dt.timedelta(hours=1))))
    [locked] = make_cases(database_url, phone="+14045550188")
    for _ in range(settings.dob_max_tries):
        gate.record_try(locked, False, settings.dob_max_tries, database_url)
    report = reminders.run(WHEN, settings=settings)
    assert (report.considered, report.sent) == (3, 0)
    assert dict(report.skipped) == {"too_new": 1, "texting": 1, "locked": 1}
    assert sent_texts(database_url) == []
    # Two days on, the new case and the quiet parent get theirs; the locked one does not.
    later = reminders.run(WHEN + dt.timedelta(days=2), settings=settings)
    assert (later.sent, dict(later.skipped)) == (2, {"locked": 1})


# --- what the text says --------------------------------------------------------------------

def test_one_text_for_two_cases_of_one_number(database_url):
    spine, hip = make_cases(database_url, programs=("spine", "hip"))
    cases.mark_received(hip, "referral", url=database_url)
    settings = settings_for(database_url)
    report = reminders.run(WHEN, settings=settings)
    assert (report.considered, report.sent) == (1, 1)
    # One reminder; two links make it longer than three segments, so it may go as two SMS.
    parts = sent_texts(database_url)
    assert 1 <= len(parts) <= 2
    body = "\n".join(p.body for p in parts)
    refs = [cases.case_summary(c, url=database_url)["reference"] for c in (spine, hip)]
    assert body.count(f"Request {refs[0]} still needs: health questions, fee agreement, "
                      "referral, records, X-rays.") == 1
    assert body.count(f"Request {refs[1]} still needs: health questions, fee agreement, "
                      "records, X-rays.") == 1  # the hip case has its referral
    links = re.findall(r"(SO-\S+): (https?://\S+/u/\S+)", body)
    assert [ref for ref, _ in links] == refs
    assert [check_link(token_of(link), settings)[0] for _, link in links] == [spine, hip]
    assert body.count("Reply continue to finish the questions.") == 1
    assert reminders.run(WHEN, settings=settings).sent == 0


def test_cases_needing_the_same_share_a_line(database_url):
    spine, hip = make_cases(database_url, programs=("spine", "hip"),
                            received=("questionnaire", "financial_consent", "referral"))
    settings = settings_for(database_url)
    assert reminders.run(WHEN, settings=settings).sent == 1
    [text] = sent_texts(database_url)
    refs = [cases.case_summary(c, url=database_url)["reference"] for c in (spine, hip)]
    assert f"Requests {refs[0]} and {refs[1]} still need: records, X-rays.\nUpload them " \
           "here:\n" in text.body
    assert text_segments(text.body) <= 3


def test_a_fresh_link_only_when_documents_are_missing(database_url):
    settings = settings_for(database_url)
    make_cases(database_url, received=("financial_consent", "referral", "medical_records",
                                       "imaging"))
    [docs_case] = make_cases(database_url, phone=OTHER, received=("questionnaire",))
    older = upload_url(docs_case, None, settings)
    started = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    assert reminders.run(WHEN, settings=settings).sent == 2
    answers_only, = sent_texts(database_url, PHONE)
    assert "Reply continue to finish the questions." in answers_only.body
    assert "/u/" not in answers_only.body and "still needs: health questions." in \
        answers_only.body
    docs, = sent_texts(database_url, OTHER)
    assert "Reply here" not in docs.body
    [link] = re.findall(r"https?://\S+/u/\S+", docs.body)
    _, signed = serializer(settings).loads(token_of(link), return_timestamp=True)
    assert signed >= started  # freshly signed (a new LINK_MAX_AGE_DAYS) ...
    assert check_link(token_of(link), settings) == (docs_case, 1)  # ... and it opens,
    assert check_link(token_of(older), settings) == (docs_case, 1)  # older ones still do


def test_the_text_tells_no_health_information(database_url, caplog):
    caplog.set_level(logging.DEBUG)
    [case_id] = make_cases(database_url)
    settings = settings_for(database_url)
    reminders.run(WHEN, settings=settings)
    [text] = sent_texts(database_url)
    body = text.body
    assert body.startswith("Hi Maria, this is the second-opinion review team at "
                           "Children's Healthcare of Atlanta.")
    assert cases.case_summary(case_id, url=database_url)["reference"] in body
    assert "still needs: health questions, fee agreement, referral, records, X-rays." in body
    assert settings.coordinator_phone in body
    for secret in ("Ava", "Lopez", "Garcia", "scoliosis", "2014", "spine", "Spine", "hip",
                   "Hip"):
        assert not re.search(rf"\b{secret}\b", body), secret
    for secret in ("Maria", "Ava", PHONE, "4045550177", body[:40]):
        assert secret not in caplog.text


@pytest.mark.parametrize("received,longest", [
    ((), 3 * 153),  # nothing in yet, the longest it gets: still one SMS (three segments)
    (("questionnaire",), 319)])  # the usual: documents missing
def test_one_case_is_one_short_sms(database_url, received, longest):
    [case_id] = make_cases(database_url, received=received)
    settings = settings_for(database_url, PUBLIC_BASE_URL="https://secondopinion.example.org")
    [found] = open_cases_by_number(database_url)[PHONE]
    body = reminders.reminder_text([found], settings,
                                   links={case_id: upload_url(case_id, None, settings)})
    assert len(body) <= longest and text_segments(body) <= 3, (len(body), body)
    assert body.count("/u/") == 1 and is_gsm7(body)


@pytest.mark.parametrize("name,expected", [
    ("maria Lopez", "Maria"), ("  Ana-Sofia  ", "Ana-Sofia"), ("O'Neil, Pat", "O'Neil"),
    ("Mrs. Lopez", None), ("", None), (None, None), ("4045550177", None)])
def test_first_name(name, expected):
    assert reminders.first_name([name]) == expected
    case = OpenCase(1, "SO-2026-00001", ("referral",), dt.datetime(2026, 1, 1), name)
    body = reminders.reminder_text([case], Settings.from_env({}), links={1: "https://x/u/t"})
    assert body.startswith(f"Hi{' ' + expected if expected else ''}, this is the second-opinion")
    assert body.endswith("Upload them here:\nhttps://x/u/t\nQuestions? Call 404-555-0142.")


# --- concurrency ---------------------------------------------------------------------------

def _check_race(url: str, runs: int = 4) -> None:
    """Four runs start together over six due numbers: each number is texted once."""
    phones = [f"+1404555{n:04d}" for n in range(10, 16)]
    for phone in phones:
        make_cases(url, phone=phone)
    start, reports = threading.Barrier(runs), []

    def one() -> None:
        start.wait()
        reports.append(reminders.run(WHEN, settings=settings_for(url)))

    threads = [threading.Thread(target=one) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(reports) == runs
    assert sum(r.sent for r in reports) == len(phones)
    assert sum(r.skipped["daily_limit"] for r in reports) == 3 * len(phones)
    texts = sent_texts(url)
    assert sorted(t.to_address for t in texts) == phones  # once each
    assert {t.status for t in texts} == {"recorded"}  # and no claim is left behind


def test_concurrent_runs_text_each_number_once(database_url):
    _check_race(database_url)


@needs_postgres
def test_concurrent_runs_text_each_number_once_on_postgres(pg_url):
    from bot.migrate import upgrade

    upgrade(pg_url)
    _check_race(pg_url)


# --- the command ---------------------------------------------------------------------------

def _env(url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "SMTP_"))}
    return {**env, "ENV_FILE": os.devnull, "DATABASE_URL": url, "PORTAL_SECRET_KEY": SECRET}


def _command(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot.sms.reminders", *args], cwd=REPO_ROOT,
                          env=_env(url), capture_output=True, text=True, timeout=120)


def test_the_command_prints_counts_only(database_url):
    make_cases(database_url)
    make_cases(database_url, phone=OTHER)
    contacts.opt_out(OTHER, url=database_url)
    now = WHEN.isoformat()
    dry = _command(database_url, "--now", now, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "(dry run): considered=2 would_send=1 skipped=1 (opted_out=1)" in dry.stdout
    with session_scope(database_url) as session:  # no text, no claim
        assert session.execute(select(OutboxMessage)).first() is None
    done = _command(database_url, "--now", now)
    assert done.returncode == 0, done.stderr
    assert "considered=2 sent=1 skipped=1 (opted_out=1)" in done.stdout
    again = _command(database_url, "--now", "2026-01-14T16:30:00Z")  # 11:30 in New York
    assert "sent=0 skipped=2 (daily_limit=1 opted_out=1)" in again.stdout
    night = _command(database_url, "--now", "2026-01-15T02:00:00Z")  # 21:00 in New York
    assert night.returncode == 0 and "outside 9:00-20:00 America/New_York" in night.stdout
    assert len(sent_texts(database_url)) == 1
    for result in (dry, done, again, night):
        output = result.stdout + result.stderr
        for secret in (PHONE, OTHER, "4045550177", "Maria", "Ava", "SO-"):
            assert secret not in output


def test_the_command_refuses_bad_arguments(database_url):
    assert _command(database_url, "--now", "yesterday").returncode == 2
    assert _command(database_url, "--every", "5", "--now", WHEN.isoformat()).returncode == 2


def test_every_loops_until_sigterm(database_url):
    proc = subprocess.Popen([sys.executable, "-m", "bot.sms.reminders", "--every", "0.2"],
                            cwd=REPO_ROOT, env=_env(database_url), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(2)]  # two runs went by
        assert all(line.startswith("sms reminders") for line in lines), lines
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
