"""The notifier against the fake Twilio API: transient errors retried with backoff,
permanent ones not, opted-out numbers suppressed, kinds recorded, nothing in the logs."""
from __future__ import annotations

import logging
import smtplib
import socket
import ssl

import pytest
import requests
from twilio.base.exceptions import TwilioRestException

from bot.notifier import Message, Notifier, is_transient, outbox
from bot.settings import Settings
from bot.sms import contacts
from tests.fakes.twilio_api import FROM, TOKEN, FakeTwilioApi, fake_twilio  # noqa: F401

PARENT = "+14785550177"
BODY = "Hi, here is the upload link for Ava: http://localhost:8000/u/abc"
MESSAGES_PATH = "/2010-04-01/Accounts/{sid}/Messages.json"


@pytest.fixture()
def no_secrets_logged(caplog):
    caplog.set_level(logging.DEBUG)
    yield
    for secret in (BODY, PARENT, TOKEN, "5550177"):
        assert secret not in caplog.text, "a body, number or secret reached the logs"


def notifier(database_url, api: FakeTwilioApi, waits, **env) -> Notifier:
    env = {"DATABASE_URL": database_url, "NOTIFIER_RETRY_BACKOFF_SECONDS": "0.5", **env}
    return Notifier(Settings.from_env(api.env(**env)), sleep=waits.append)


def sends(api: FakeTwilioApi) -> int:
    return sum(r.method == "POST" and r.path == MESSAGES_PATH.format(sid=api.account_sid)
               for r in api.requests)


@pytest.mark.parametrize("status", [500, 503, 429])
def test_busy_twilio_is_retried_with_backoff(database_url, fake_twilio, no_secrets_logged, status):
    fake_twilio.fail_next(status, times=2)
    waits: list[float] = []
    delivery = notifier(database_url, fake_twilio, waits).send(
        Message("sms", PARENT, BODY, kind="link"))
    assert delivery.status == "sent" and delivery.provider_id.startswith("SM")
    assert waits == [0.5, 1.0]
    assert sends(fake_twilio) == 3
    [text] = fake_twilio.messages
    assert (text.to, text.from_, text.body, text.sid) == (PARENT, FROM, BODY,
                                                          delivery.provider_id)
    [row] = outbox(url=database_url)
    assert (row["status"], row["kind"], row["error"]) == ("sent", "link", None)


def test_retries_run_out(database_url, fake_twilio, no_secrets_logged):
    fake_twilio.fail_next(503, times=10)
    waits: list[float] = []
    delivery = notifier(database_url, fake_twilio, waits, NOTIFIER_RETRIES="2").send(
        Message("sms", PARENT, BODY, kind="reminder"))
    assert delivery.status == "failed" and "[3 attempts]" in delivery.error
    assert "status 503" in delivery.error
    assert waits == [0.5, 1.0] and sends(fake_twilio) == 3 and fake_twilio.messages == []
    [row] = outbox(url=database_url)
    assert (row["status"], row["error"], row["kind"]) == ("failed", delivery.error, "reminder")


@pytest.mark.parametrize("code", [21610, 21211])
def test_permanent_refusals_are_not_retried(database_url, fake_twilio, no_secrets_logged, code):
    fake_twilio.fail_next(400, code=code, message="Attempt to send to unsubscribed recipient")
    waits: list[float] = []
    delivery = notifier(database_url, fake_twilio, waits).send(Message("sms", PARENT, BODY))
    assert delivery.status == "failed"
    assert f"code {code}" in delivery.error and "[1 attempt]" in delivery.error
    assert waits == [] and sends(fake_twilio) == 1
    assert outbox(url=database_url)[0]["status"] == "failed"


def test_wrong_credentials_are_not_retried(database_url, fake_twilio):
    waits: list[float] = []
    settings = Settings.from_env(fake_twilio.env(DATABASE_URL=database_url,
                                          TWILIO_AUTH_TOKEN="not-the-token"))
    delivery = Notifier(settings, sleep=waits.append).send(Message("sms", PARENT, BODY))
    assert delivery.status == "failed" and "status 401" in delivery.error
    assert waits == [] and sends(fake_twilio) == 1 and fake_twilio.messages == []


def test_a_timeout_is_retried(database_url, fake_twilio, no_secrets_logged):
    fake_twilio.delay_next(3)
    waits: list[float] = []
    delivery = notifier(database_url, fake_twilio, waits, NOTIFIER_TIMEOUT_SECONDS="0.5").send(
        Message("sms", PARENT, BODY, kind="reply"))
    assert delivery.status == "sent"
    assert waits == [0.5] and sends(fake_twilio) == 2


def test_twilio_unreachable_is_retried_then_failed(database_url, fake_twilio):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        nobody = f"http://127.0.0.1:{s.getsockname()[1]}"  # closed when the block ends
    waits: list[float] = []
    env = fake_twilio.env(DATABASE_URL=database_url, TWILIO_API_BASE_URL=nobody)
    delivery = Notifier(Settings.from_env(env), sleep=waits.append).send(
        Message("sms", PARENT, BODY))
    assert delivery.status == "failed" and "ConnectionError" in delivery.error
    assert "[4 attempts]" in delivery.error and waits == [1.0, 2.0, 4.0]


# --- opt-out -----------------------------------------------------------------------------

def test_opted_out_numbers_get_nothing(database_url, fake_twilio, no_secrets_logged):
    waits: list[float] = []
    sender = notifier(database_url, fake_twilio, waits)
    contacts.opt_out(PARENT, url=database_url)
    # However the number was written, on every kind of text.
    for to, kind in ((PARENT, "reminder"), ("(478) 555-0177", "link"), (PARENT, "notice")):
        delivery = sender.send(Message("sms", to, BODY, kind=kind))
        assert (delivery.status, delivery.provider_id) == ("suppressed", None)
    assert fake_twilio.requests == [] and fake_twilio.messages == []
    rows = outbox(url=database_url)
    assert [(r["status"], r["kind"]) for r in rows] == [
        ("suppressed", "notice"), ("suppressed", "link"), ("suppressed", "reminder")]
    # The one STOP confirmation goes out anyway; other numbers are not affected.
    confirm = sender.send(Message("sms", PARENT, "You are unsubscribed.", kind="opt_out"),
                          even_if_opted_out=True)
    other = sender.send(Message("sms", "+14785550178", BODY, kind="reply"))
    assert (confirm.status, other.status) == ("sent", "sent")
    assert [t.body for t in fake_twilio.messages] == ["You are unsubscribed.", BODY]
    contacts.opt_in(PARENT, url=database_url)
    assert sender.send(Message("sms", PARENT, BODY)).status == "sent"


def test_opt_out_holds_in_the_dev_outbox_and_spares_other_channels(database_url):
    sender = Notifier(Settings.from_env({"DATABASE_URL": database_url}))
    contacts.opt_out(PARENT, url=database_url)
    assert sender.send(Message("sms", PARENT, BODY)).status == "suppressed"
    assert sender.send(Message("rest", "rest:" + PARENT, BODY)).status == "recorded"
    assert sender.send(Message("email", "sam@example.org", BODY)).status == "recorded"


def test_if_the_opt_out_cannot_be_read_nothing_is_sent(tmp_path, fake_twilio):
    broken = f"sqlite:///{tmp_path / 'no-tables.db'}"
    delivery = Notifier(Settings.from_env(fake_twilio.env(DATABASE_URL=broken))).send(
        Message("sms", PARENT, BODY))
    assert (delivery.outbox_id, delivery.status) == (None, "failed")
    assert fake_twilio.requests == []


# --- which errors are transient ---------------------------------------------------------

@pytest.mark.parametrize("exc, transient", [
    (TwilioRestException(503, "/x"), True),
    (TwilioRestException(500, "/x"), True),
    (TwilioRestException(429, "/x", code=20429), True),
    (TwilioRestException(400, "/x", code=21610), False),
    (TwilioRestException(404, "/x", code=20404), False),
    (requests.exceptions.ReadTimeout(), True),
    (requests.exceptions.ConnectTimeout(), True),
    (requests.exceptions.ConnectionError(), True),
    (requests.exceptions.SSLError(), False),
    (requests.exceptions.InvalidURL(), False),
    (smtplib.SMTPServerDisconnected("lost"), True),
    (smtplib.SMTPConnectError(421, b"busy"), True),
    (smtplib.SMTPSenderRefused(451, b"try later", "a@b.org"), True),
    (smtplib.SMTPRecipientsRefused({"a@b.org": (450, b"mailbox busy")}), True),
    (smtplib.SMTPRecipientsRefused({"a@b.org": (550, b"no such user")}), False),
    (smtplib.SMTPRecipientsRefused({"a@b.org": (450, b"busy"), "c@d.org": (550, b"no")}),
     False),
    (smtplib.SMTPAuthenticationError(535, b"bad credentials"), False),
    (smtplib.SMTPNotSupportedError("STARTTLS extension not supported"), False),
    (ConnectionRefusedError(), True),
    (socket.timeout(), True),
    (ssl.SSLCertVerificationError(), False),
    (ValueError("a bug"), False),
])
def test_is_transient(exc, transient):
    assert is_transient(exc) is transient
