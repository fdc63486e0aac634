"""Texts kept by MessageSid: a retry is recognised, a stranded turn is replayed once."""
from __future__ import annotations

import datetime as dt
import threading

from bot.db import SmsInbound, session_scope
from bot.sms import inbound

SID = "SM" + "1" * 32


def test_a_retry_of_the_same_message_sid_is_not_new(database_url):
    first = inbound.record(SID, "+14045550142", "hello", [], url=database_url)
    assert first is not None and first.body == "hello"
    assert inbound.record(SID, "+14045550142", "hello", [], url=database_url) is None
    with session_scope(database_url) as session:
        assert session.query(SmsInbound).count() == 1


def test_parallel_retries_make_one_row(database_url):
    results = []
    threads = [threading.Thread(target=lambda: results.append(
        inbound.record(SID, "+14045550142", "hi", [], url=database_url))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r is not None for r in results) == 1


def test_finishing_clears_the_text(database_url):
    row = inbound.record(SID, "+14045550142", "my daughter has scoliosis",
                         [{"url": "https://api.twilio.com/x", "content_type": "image/jpeg"}],
                         url=database_url)
    inbound.finish(row.id, url=database_url)
    with session_scope(database_url) as session:
        stored = session.get(SmsInbound, row.id)
        assert (stored.status, stored.body, stored.media) == ("done", None, None)
        assert stored.finished_at is not None


def _age(row_id: int, minutes: int, url: str) -> None:
    with session_scope(url) as session:
        session.get(SmsInbound, row_id).received_at -= dt.timedelta(minutes=minutes)


def test_a_stranded_text_is_claimed_once_and_a_fresh_one_is_left(database_url):
    old = inbound.record(SID, "+14045550142", "old", [], url=database_url)
    inbound.record("SM" + "2" * 32, "+14045550142", "new", [], url=database_url)
    done = inbound.record("SM" + "3" * 32, "+14045550142", "done", [], url=database_url)
    _age(old.id, 10, database_url)
    _age(done.id, 10, database_url)
    inbound.finish(done.id, url=database_url)
    claimed = inbound.claim_stranded(url=database_url)
    assert [(c.id, c.body) for c in claimed] == [(old.id, "old")]
    assert inbound.claim_stranded(url=database_url) == []  # a second replica gets nothing


def test_last_text_at_is_per_number(database_url):
    assert inbound.last_text_at("+14045550142", url=database_url) is None
    inbound.record(SID, "+14045550142", "hi", [], url=database_url)
    assert inbound.last_text_at("+14045550142", url=database_url) is not None
    assert inbound.last_text_at("+14045550100", url=database_url) is None
