"""Per-number SMS state: opt-out and opt-in, the one-time opt-out line, the menu; on
SQLite and (with TEST_POSTGRES_URL) PostgreSQL, with writers racing on a new number."""
from __future__ import annotations

import datetime as dt
import threading

import pytest

from bot.db import SmsContact, session_scope
from bot.migrate import upgrade
from bot.sms import contacts
from tests.conftest import needs_postgres

PHONE = "+14785550177"
T0 = dt.datetime(2026, 12, 1, 15, 0)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=needs_postgres)])
def url(request):
    if request.param == "sqlite":
        return request.getfixturevalue("database_url")
    pg = request.getfixturevalue("pg_url")
    upgrade(pg)
    return pg


def row(url: str, phone: str = PHONE) -> SmsContact:
    with session_scope(url) as session:
        found = session.get(SmsContact, phone)
        assert found is not None, "no sms_contacts row"
        return found


def race(count: int, work) -> list:
    """Run work(i) in `count` threads released at the same moment."""
    start, results, errors = threading.Barrier(count), [None] * count, []

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # reported below, with the test's failure
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    return results


def test_a_new_number_is_not_opted_out_and_has_no_menu(url):
    assert contacts.is_opted_out(PHONE, url=url) is False
    assert contacts.menu_of(PHONE, url=url) == []
    with session_scope(url) as session:
        assert session.get(SmsContact, PHONE) is None  # reading creates nothing


def test_stop_then_start(url):
    contacts.opt_out(PHONE, now=T0, url=url)
    assert contacts.is_opted_out(PHONE, url=url) is True
    assert (row(url).opted_out_at, row(url).created_at) == (T0, T0)
    contacts.opt_out(PHONE, now=T0 + dt.timedelta(hours=1), url=url)  # a second STOP
    assert contacts.is_opted_out(PHONE, url=url) is True
    contacts.opt_in(PHONE, now=T0 + dt.timedelta(days=1), url=url)
    assert contacts.is_opted_out(PHONE, url=url) is False
    again = row(url)
    assert (again.opted_out_at, again.opted_in_at) == (None, T0 + dt.timedelta(days=1))
    assert again.created_at == T0


def test_numbers_are_keyed_in_e164(url):
    contacts.opt_out("(478) 555-0177", url=url)
    assert contacts.is_opted_out(PHONE, url=url) is True
    assert contacts.is_opted_out("478.555.0177", url=url) is True
    assert contacts.is_opted_out("+14785550178", url=url) is False
    # A conversation id or an email is no number: never opted out, never stored.
    assert contacts.is_opted_out("rest:parent-1", url=url) is False
    with pytest.raises(ValueError):
        contacts.opt_out("sam@example.org", url=url)


def test_the_opt_line_is_claimed_once_ever(url):
    assert contacts.claim_opt_line(PHONE, now=T0, url=url) is True
    assert contacts.claim_opt_line(PHONE, url=url) is False
    contacts.opt_out(PHONE, url=url)
    contacts.opt_in(PHONE, url=url)
    assert contacts.claim_opt_line(PHONE, url=url) is False  # START does not re-arm it
    assert row(url).opt_line_sent_at == T0
    # An existing row (created by a STOP) still gets its one claim.
    contacts.opt_out("+14785550111", url=url)
    assert contacts.claim_opt_line("+14785550111", url=url) is True
    assert contacts.claim_opt_line("+14785550111", url=url) is False


def test_menu_round_trip_and_other_fields_untouched(url):
    menu = [{"title": "Spine", "payload": "/choose{\"program\":\"spine\"}"},
            {"title": "Hip", "payload": "/choose{\"program\":\"hip\"}"}]
    contacts.claim_opt_line(PHONE, now=T0, url=url)
    contacts.save_menu(PHONE, menu, url=url)
    assert contacts.menu_of("(478) 555-0177", url=url) == menu
    contacts.opt_out(PHONE, url=url)
    assert contacts.menu_of(PHONE, url=url) == menu
    assert row(url).opt_line_sent_at == T0
    contacts.save_menu(PHONE, None, url=url)
    assert contacts.menu_of(PHONE, url=url) == []
    assert contacts.is_opted_out(PHONE, url=url) is True


def test_concurrent_first_texts_claim_the_opt_line_once(url):
    claims = race(8, lambda i: contacts.claim_opt_line(PHONE, url=url))
    assert sorted(claims) == [False] * 7 + [True]


def test_concurrent_writes_to_a_new_number_do_not_collide(url):
    phone = "+14785550123"

    def work(i: int) -> None:
        if i % 3 == 0:
            contacts.opt_out(phone, url=url)
        elif i % 3 == 1:
            contacts.save_menu(phone, [{"title": "Yes", "payload": "/affirm"}], url=url)
        else:
            contacts.claim_opt_line(phone, url=url)

    race(9, work)
    assert contacts.is_opted_out(phone, url=url) is True
    assert contacts.menu_of(phone, url=url) == [{"title": "Yes", "payload": "/affirm"}]
    assert row(url, phone).opt_line_sent_at is not None
