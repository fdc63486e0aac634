"""Revision 0002 on SQLite (and on PostgreSQL when TEST_POSTGRES_URL is set): it matches
the models, downgrades cleanly, and the case functions work on the migrated schema."""
import threading

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.db import Base, engine_for
from bot.settings import REPO_ROOT

NEW_TABLES = {"cases", "checklist_items", "documents", "consents", "outbox_messages",
              "reference_counters"}
from tests.conftest import needs_postgres


def alembic_config(url):
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    config.attributes["database_url"] = url
    return config


def schema_diff(url):
    def include(obj, name, type_, reflected, compare_to):
        return not (type_ == "table" and name == "events")

    with engine_for(url).connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "include_object": include})
        return compare_metadata(context, Base.metadata)


def check_round_trip(url):
    assert schema_diff(url) == []
    command.downgrade(alembic_config(url), "0001")
    assert not NEW_TABLES & set(inspect(engine_for(url)).get_table_names())
    command.upgrade(alembic_config(url), "head")
    assert NEW_TABLES <= set(inspect(engine_for(url)).get_table_names())
    assert schema_diff(url) == []


def test_sqlite_migration_matches_models_and_round_trips(database_url):
    check_round_trip(database_url)


@needs_postgres
def test_postgres_migration_and_cases(pg_url):
    from bot import cases
    from bot.migrate import upgrade
    from bot.notifier import Message, Notifier, outbox

    upgrade(pg_url)
    upgrade(pg_url)  # idempotent
    check_round_trip(pg_url)

    spine, hip = cases.create_cases("sms:+14785550105", ["spine", "hip"], zip_code="31201")
    assert spine["linked_case_id"] == hip["id"] and hip["linked_case_id"] == spine["id"]
    assert [c["id"] for c in cases.create_cases("sms:+14785550105", ["spine", "hip"])] == [
        spine["id"], hip["id"]]
    cases.update_answers([spine["id"]], {"child.dob": "2012-04-02", "n": [1, {"a": None}]},
                         {"at": "n"}, field_links={"child_birth_date": "child.dob"})
    assert cases.case_detail(spine["id"])["answers"]["n"] == [1, {"a": None}]
    assert cases.case_summary(spine["id"])["child"]["birth_date"] == "2012-04-02"

    results, errors = [], []

    def create(n):
        try:
            results.extend(cases.create_cases(f"rest:pg{n % 10}", ["spine", "hip"]))
        except Exception as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=create, args=(n,)) for n in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len({c["id"] for c in results}) == 20  # 10 conversations x 2, retries reused
    numbers = sorted(int(c["reference"][-5:]) for c in cases.list_cases())
    assert numbers == list(range(1, 23))  # no duplicates, no gaps

    for kind in ("questionnaire", "financial_consent", "referral"):
        cases.mark_received(hip["id"], kind)
    outcomes = []
    racers = [threading.Thread(target=lambda k=k: outcomes.append(
        cases.mark_received(hip["id"], k))) for k in ("medical_records", "imaging")]
    for t in racers:
        t.start()
    for t in racers:
        t.join()
    assert sorted(outcomes) == [False, True]

    Notifier().send(Message("sms", "+14785550105", "hello", case_id=hip["id"]))
    assert [r["status"] for r in outbox(case_id=hip["id"])] == ["recorded"]
