"""The queue's rules without HTTP: the coordinator's hours, due dates, when a case
became documents_received (bot/cases.py and the 0007 backfill), call-backs in hours."""
import datetime as dt

import pytest
from alembic import command
from sqlalchemy import select, text, update

from bot import cases, checklist
from bot.db import CallbackRequest, Case, engine_for, session_scope
from bot.settings import Settings
from bot.staff import due, hours, queue
from tests.cases.test_migration import alembic_config, schema_diff
from tests.staff.helpers import T0

NY = "America/New_York"


def test_schedule_parsing_and_hours():
    assert hours.within(dt.datetime(2026, 12, 7, 13, 0), "mon-fri 08:00-17:00", NY)  # 8:00
    assert not hours.within(dt.datetime(2026, 12, 7, 12, 59), "mon-fri 08:00-17:00", NY)
    assert not hours.within(dt.datetime(2026, 12, 7, 22, 0), "mon-fri 08:00-17:00", NY)
    saturday = dt.datetime(2026, 12, 12, 15, 0)
    assert not hours.within(saturday, "mon-fri 08:00-17:00", NY)
    assert hours.within(saturday, "Mon-Fri 08:00-17:00; sat 09:00-12:00", NY)
    assert hours.within(saturday, "fri-mon 00:00-24:00", NY)  # a range over the weekend
    july = dt.datetime(2026, 7, 6, 12, 30)  # 8:30 daylight time
    assert hours.within(july, "mon,wed 08:00-17:00", NY)
    for bad in ("weekdays 8-5", "mon 17:00-08:00", "mon 08:00-25:00", "mon 08:61-09:00"):
        with pytest.raises(ValueError):
            hours.parse(bad)


@pytest.mark.parametrize("schedule, text", [
    ("mon-fri 08:00-17:00", "Monday to Friday, 8 a.m. to 5 p.m."),
    ("Mon-Fri 08:30-16:45; sat 09:00-12:00",
     "Monday to Friday, 8:30 a.m. to 4:45 p.m.; Saturday, 9 a.m. to noon."),
    ("mon,wed,fri 07:00-19:00", "Monday, Wednesday and Friday, 7 a.m. to 7 p.m."),
    ("sat,sun 00:00-24:00", "Saturday and Sunday, all day."),
    ("tue 12:00-12:30", "Tuesday, noon to 12:30 p.m."),
])
def test_the_hours_parents_read_are_written_from_the_schedule(schedule, text):
    assert hours.describe(schedule) == text


def test_due_soon_from_day_seven_and_overdue_after_day_ten():
    got = T0 - dt.timedelta(days=7)
    assert due.due_of(None, "awaiting_documents", T0) is None
    assert due.due_of(got + dt.timedelta(seconds=1), "documents_received", T0).state == due.ON_TIME
    assert due.due_of(got, "documents_received", T0) == due.Due(got + dt.timedelta(days=10),
                                                                due.DUE_SOON)
    ten = T0 - dt.timedelta(days=10)
    assert due.due_of(ten, "documents_received", T0).state == due.DUE_SOON
    assert due.due_of(ten - dt.timedelta(seconds=1), "in_review", T0).state == due.OVERDUE
    assert due.due_of(ten - dt.timedelta(days=5), "closed", T0) is None
    for ended in ("opinion_sent", "closed", "withdrawn", "not_eligible"):
        assert due.due_of(ten - dt.timedelta(days=5), ended, T0) is None, ended
    assert due.due_of(ten - dt.timedelta(days=5), "fee_collected", T0).state == due.OVERDUE


def test_documents_received_at_is_set_once_when_the_case_completes(database_url):
    (case,) = cases.create_cases("rest:p", ["spine"], url=database_url)
    for n, kind in enumerate(checklist.KINDS):
        cases.mark_received(case["id"], kind, when=T0 + dt.timedelta(hours=n), url=database_url)
    cases.mark_received(case["id"], "imaging", when=T0 + dt.timedelta(days=3), url=database_url)
    with session_scope(database_url) as session:
        got = session.get(Case, case["id"])
        assert got.status == "documents_received"
        assert got.documents_received_at == T0 + dt.timedelta(hours=4)


def test_migration_0007_backfills_complete_cases(database_url):
    (case,) = cases.create_cases("rest:p", ["hip"], url=database_url)
    for kind in checklist.KINDS:
        cases.mark_received(case["id"], kind, when=T0, url=database_url)
    command.downgrade(alembic_config(database_url), "0006")
    with engine_for(database_url).begin() as conn:
        conn.execute(text("UPDATE checklist_items SET received_at = :t WHERE kind = 'imaging'"),
                     {"t": T0 + dt.timedelta(days=2)})
    command.upgrade(alembic_config(database_url), "head")
    assert schema_diff(database_url) == []
    with session_scope(database_url) as session:
        assert session.get(Case, case["id"]).documents_received_at == T0 + dt.timedelta(days=2)


def test_call_backs_know_whether_they_came_in_during_hours(database_url):
    from bot.records import save_callback_request

    settings = Settings.from_env({"DATABASE_URL": database_url})
    day, night = save_callback_request("rest:a", "fees"), save_callback_request("rest:b", "x")
    with session_scope(database_url) as session:
        for row_id, when in ((day, T0), (night, T0.replace(hour=3))):
            session.execute(update(CallbackRequest).where(CallbackRequest.id == row_id)
                            .values(created_at=when))
    listed = queue.callbacks(settings)
    assert [(c["id"], c["in_hours"]) for c in listed] == [(night, False), (day, True)]
    assert queue.mark_done(night, database_url) and not queue.mark_done(night, database_url)
    assert [c["id"] for c in queue.callbacks(settings)] == [day]
    with session_scope(database_url) as session:
        assert session.execute(select(CallbackRequest.status).where(
            CallbackRequest.id == night)).scalar_one() == "done"


def test_pages_of_cases(database_url, monkeypatch):
    monkeypatch.setattr(queue, "PAGE_SIZE", 2)
    made = [cases.create_cases(f"rest:{n}", ["spine"], url=database_url)[0]["id"]
            for n in range(5)]
    first, total = queue.cases_page(queue.Filters(), database_url, T0)
    third, _ = queue.cases_page(queue.Filters(page=3), database_url, T0)
    assert total == 5 and [r["id"] for r in first] == made[::-1][:2]
    assert [r["id"] for r in third] == [made[0]]
