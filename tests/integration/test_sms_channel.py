"""The SMS channel against the running servers: texts signed with the real twilio
library, replies sent by the real twilio client to a fake of Twilio's REST API."""
from __future__ import annotations

import datetime as dt
import re

from bot.db import OutboxMessage, SmsContact, SmsInbound, session_scope
from bot.scrub import CARD_MARKER
from bot.sms import dev_phone, inbound, outgoing, text
from bot.sms.dev_phone import new_sid
from tests.integration.sms_phone import Phone
from tests.integration.test_scrub_everywhere import database_strings, leaks, strings_in

OPT_OUT_LINE = outgoing.OPT_OUT_LINE


def user_texts(servers, phone: Phone) -> list[str]:
    events = servers.tracker(f"sms:{phone.number}")["events"]
    return [e.get("text") for e in events if e.get("event") == "user"]


def inbound_rows(servers, sid: str) -> int:
    with session_scope(servers.database_url) as session:
        return session.query(SmsInbound).filter(SmsInbound.message_sid == sid).count()


def within_limits(body: str) -> bool:
    return len(body) <= outgoing.MAX_CHARS and text.segments(body) <= outgoing.MAX_SEGMENTS


def test_forged_missing_and_misdirected_signatures_get_403_and_leave_nothing(servers,
                                                                            fake_twilio):
    phone = Phone(servers, fake_twilio)
    from twilio.request_validator import RequestValidator

    wrong_url = RequestValidator(phone.settings.twilio_auth_token).compute_signature(
        servers.rasa_url + "/webhooks/sms/webhook", {"Body": "hi"})
    for signature in ("", "AAAAbm90IGEgc2lnbmF0dXJl", wrong_url):
        status, _, sid = phone.post("hi, my son has scoliosis", signature=signature)
        assert status == 403
        assert inbound_rows(servers, sid) == 0
    assert user_texts(servers, phone) == []
    assert phone.received() == []


def test_a_text_is_answered_at_once_and_the_reply_goes_by_sms(servers, fake_twilio):
    phone = Phone(servers, fake_twilio)
    status, answer, sid = phone.post("hi")
    assert status == 200 and "<Response></Response>" in answer
    dev_phone.wait_done(sid, phone.settings)
    first = phone.received()
    assert first and all(within_limits(b) for b in first)
    assert sum(OPT_OUT_LINE in b for b in first) == 1  # the first text carries it once
    later = phone.text("how much does it cost?")
    assert later and not any(OPT_OUT_LINE in b for b in later)
    assert any("$500" in b for b in later)
    with session_scope(servers.database_url) as session:
        rows = session.query(OutboxMessage).filter(OutboxMessage.to_address == phone.number).all()
        assert {(r.channel, r.status, r.kind) for r in rows} == {("sms", "sent", "reply")}


def test_a_retried_webhook_makes_no_second_turn_even_after_a_restart(servers, fake_twilio):
    phone = Phone(servers, fake_twilio)
    sid = new_sid()
    first = phone.text("hi there", sid=sid)
    assert first
    phone.text("hi there", sid=sid)  # Twilio's retry of the same post
    assert user_texts(servers, phone) == ["hi there"]
    # A text whose turn was cut short by a crash (still pending, a while ago).
    stranded = Phone(servers, fake_twilio)
    with servers.database():
        row = inbound.record(new_sid(), stranded.number, "how much does it cost?", [])
    with session_scope(servers.database_url) as session:
        session.get(SmsInbound, row.id).received_at -= dt.timedelta(minutes=5)
    servers.stop("rasa")
    servers.start_rasa()
    phone.text("hi there", sid=sid)
    assert user_texts(servers, phone) == ["hi there"]
    assert len(phone.received()) == len(first)
    # ...is answered once after the restart.
    assert any("$500" in r for r in stranded.wait_for(1))
    dev_phone.wait_done(row.message_sid, stranded.settings)
    assert user_texts(servers, stranded) == ["how much does it cost?"]


def test_texts_sent_together_are_answered_in_order(servers, fake_twilio):
    phone = Phone(servers, fake_twilio)
    phone.text("hi")
    sids = [phone.post(body)[2] for body in ("how much does it cost?", "how long does it take?",
                                             "who reviews the records?")]
    for sid in sids:
        dev_phone.wait_done(sid, phone.settings)
    replies = phone.received()
    cost = next(i for i, r in enumerate(replies) if "$500" in r)
    time_ = next(i for i, r in enumerate(replies) if "7 to 10 days" in r)
    assert cost < time_
    assert user_texts(servers, phone)[1:] == ["how much does it cost?", "how long does it take?",
                                             "who reviews the records?"]


def test_twilio_is_answered_before_a_slow_send_and_5xx_are_retried(servers, fake_twilio):
    phone = Phone(servers, fake_twilio)
    phone.text("hi")
    fake_twilio.delay_next(4)
    before = len(phone.received())
    status, _, sid = phone.post("how much does it cost?")
    assert status == 200 and len(phone.received()) == before  # answered; reply not sent yet
    dev_phone.wait_done(sid, phone.settings)
    assert any("$500" in r for r in phone.received()[before:])
    fake_twilio.fail_next(503, times=2)
    retried = phone.text("how long does it take?")
    assert len([r for r in retried if "7 to 10 days" in r]) == 1  # sent once, on the 3rd try


def test_stop_start_and_help(servers, fake_twilio):
    phone = Phone(servers, fake_twilio)
    phone.text("hi")
    [confirmation] = phone.text("Stop texting me links")
    assert "START" in confirmation
    assert phone.text("hi are you there?") == []
    with servers.database():
        [delivery] = outgoing.send_sms(phone.number, "Your upload link: https://x.example/u/1",
                                       kind="link")
    assert delivery.status == "suppressed"
    assert phone.text("HELP") == []  # opted out: not even help
    welcome = phone.text("start")
    assert welcome and "STOP" in welcome[0]
    [help_text] = phone.text("help")
    assert "Msg & data rates may apply" in help_text and "STOP" in help_text
    assert servers.env.get("COORDINATOR_PHONE", "404-555-0142") in help_text
    brace = phone.text("when can we stop the brace")  # a question, not an opt-out
    assert brace and not any("START" in b for b in brace)
    with session_scope(servers.database_url) as session:
        assert session.get(SmsContact, phone.number).opted_out_at is None


def test_buttons_become_a_numbered_menu_and_a_number_picks_one(servers, fake_twilio):
    phone = Phone(servers, fake_twilio)
    greeting = "\n".join(phone.text("hello"))
    assert re.search(r"\b1\b", greeting) and re.search(r"\b2\b", greeting)
    assert "/check_eligibility" not in greeting and "/ask_cost" not in greeting
    picked = "\n".join(phone.text("1"))
    assert "spine or hip problem" in picked


def test_a_card_number_texted_is_stored_and_logged_nowhere(servers, fake_twilio):
    phone = Phone(servers, fake_twilio)
    phone.text("can you take my card 4111 1111 1111 1111 exp 04/28 for the fee?")
    events = "\n".join(t for e in servers.tracker(f"sms:{phone.number}")["events"]
                       for t in strings_in(e))
    assert CARD_MARKER in events and not leaks(events)
    for table, value in database_strings(servers.database_url):
        assert not leaks("\n".join(strings_in(value))), table
    for log in servers.workdir.glob("*.log"):
        assert not leaks(log.read_text(errors="replace")), log.name
    assert not any(leaks(m.body) for m in fake_twilio.messages)


def test_every_text_sent_fits_three_segments(servers, fake_twilio):
    phone = Phone(servers, fake_twilio)
    phone.text("hi, what is this service and how does it work and what do i send?")
    phone.text("what does it cost and who reviews it?")
    assert fake_twilio.messages
    assert all(within_limits(m.body) for m in fake_twilio.messages)
    assert all(text.is_gsm7(m.body) for m in fake_twilio.messages)


def test_a_photo_without_a_request_is_not_kept(servers, fake_twilio):
    phone = Phone(servers, fake_twilio)
    url = fake_twilio.add_media(b"\xff\xd8\xff\xe0" + b"\0" * 2000, "image/jpeg")
    replies = phone.text("", media=[(url, "image/jpeg")])
    assert any("upload link" in r.lower() or "request is started" in r for r in replies)
    assert fake_twilio.bytes_sent(url) == 0


def test_the_dev_phone_texts_the_bot_and_prints_its_texts(servers):
    import subprocess

    from tests.integration.servers import PYTHON, REPO_ROOT

    run = subprocess.run([str(PYTHON), "-m", "bot.sms.dev_phone", "--from", "+14045550177",
                          "--rasa", servers.rasa_url], input="hi\nhow much does it cost?\n",
                         capture_output=True, text=True, cwd=REPO_ROOT, env=servers.env,
                         timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "$500" in run.stdout and "segment(s)]" in run.stdout
    assert "webhook answered" not in run.stdout


def test_a_huge_body_is_refused_from_its_length_before_it_is_read(servers):
    import http.client
    import urllib.parse

    host = urllib.parse.urlsplit(servers.rasa_url)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
    conn.putrequest("POST", "/webhooks/sms/webhook")
    conn.putheader("Content-Type", "application/x-www-form-urlencoded")
    conn.putheader("Content-Length", str(90 * 1024 * 1024))
    conn.putheader("Expect", "100-continue")
    conn.endheaders()
    conn.send(b"Body=" + b"x" * 1000)  # 90 MB announced, 1 KB sent: no wait for the rest
    assert conn.getresponse().status == 413
    conn.close()


def test_stop_twice_gets_one_confirmation(servers, fake_twilio):
    phone = Phone(servers, fake_twilio)
    assert len(phone.text("STOP")) == 1
    assert phone.text("stop") == [] and phone.text("Stop the texts please") == []


def test_files_refused_together_get_one_text(servers, fake_twilio):
    phone = Phone(servers, fake_twilio)
    phone.text("hi")
    with servers.database():
        from bot import cases

        cases.create_cases(f"sms:{phone.number}", ["spine"])
    exe = [(fake_twilio.add_media(b"MZ\x90\x00" + b"\x00" * 500, "application/octet-stream"),
            "application/octet-stream") for _ in range(3)]
    replies = phone.text("", media=exe)
    assert len(replies) == 1 and "couldn't keep" in replies[0]
