"""The notifier: dev outbox by default; the real twilio client against a local fake
Twilio API; smtplib against a local fake SMTP server; failures recorded, never raised."""
import base64
import logging
import socket
import socketserver
import threading

import pytest

from bot.cases import create_cases
from bot.notifier import Message, Notifier, outbox
from bot.settings import Settings
from tests.fakes.twilio_api import FROM, SID, TOKEN, fake_twilio  # noqa: F401 (fixture)

PARENT = "+14785550177"
BODY = "Hi Sam, here is Ava's upload link: http://localhost:8000/u/abc"


def settings_for(url, **env):
    return Settings.from_env({"DATABASE_URL": url, **env})


@pytest.fixture()
def quiet_then_check_logs(caplog):
    caplog.set_level(logging.DEBUG)
    yield
    text = caplog.text
    for secret in (BODY, PARENT, "sam@example.org", TOKEN):
        assert secret not in text, "a message body, address or secret reached the logs"


# --- dev outbox --------------------------------------------------------------------------

def test_default_is_the_dev_outbox(database_url, quiet_then_check_logs):
    notifier = Notifier(settings_for(database_url))
    assert notifier.describe() == {"sms": "outbox", "email": "outbox", "rest": "outbox",
                                   "web": "outbox"}
    sms = notifier.send(Message("sms", PARENT, BODY, case_id=None))
    email = notifier.send(Message("email", "sam@example.org", BODY, subject="Your link"))
    [case] = create_cases("rest:parent-1", ["hip"])
    chat = notifier.send(Message("rest", "rest:parent-1", BODY, case_id=case["id"]))
    assert {d.status for d in (sms, email, chat)} == {"recorded"}
    assert [r["id"] for r in outbox(case_id=case["id"], url=database_url)] == [chat.outbox_id]
    rows = outbox(url=database_url)
    assert [(r["channel"], r["to"], r["status"]) for r in rows] == [
        ("rest", "rest:parent-1", "recorded"), ("email", "sam@example.org", "recorded"),
        ("sms", PARENT, "recorded")]
    assert rows[1]["subject"] == "Your link" and rows[2]["body"] == BODY


def test_unknown_channel_and_database_down_do_not_raise(tmp_path, database_url):
    notifier = Notifier(settings_for(database_url))
    assert notifier.send(Message("fax", PARENT, BODY)).status == "failed"
    broken = Notifier(settings_for(f"sqlite:///{tmp_path / 'no-tables.db'}"))
    delivery = broken.send(Message("sms", PARENT, BODY))
    assert (delivery.outbox_id, delivery.status) == (None, "failed")


def test_settings_are_read_from_the_environment():
    s = Settings.from_env({"TWILIO_ACCOUNT_SID": SID, "TWILIO_AUTH_TOKEN": TOKEN,
                           "TWILIO_FROM_NUMBER": FROM, "TWILIO_API_BASE_URL": "http://x:1",
                           "SMTP_HOST": "mail", "SMTP_PORT": "2525", "SMTP_USERNAME": "u",
                           "SMTP_PASSWORD": "p", "SMTP_FROM": "a@b.org",
                           "SMTP_STARTTLS": "false", "NOTIFIER_TIMEOUT_SECONDS": "3"})
    assert (s.twilio_account_sid, s.twilio_from_number, s.twilio_api_base_url) == (
        SID, FROM, "http://x:1")
    assert (s.smtp_host, s.smtp_port, s.smtp_username, s.smtp_from, s.smtp_starttls) == (
        "mail", 2525, "u", "a@b.org", False)
    assert s.notifier_timeout_seconds == 3.0
    assert TOKEN not in repr(s) and "'p'" not in repr(s)
    d = Settings.from_env({})
    assert (d.smtp_host, d.twilio_account_sid, d.smtp_port, d.smtp_starttls) == (
        None, None, 587, True)


# --- Twilio ------------------------------------------------------------------------------

def twilio_settings(url, fake):
    return settings_for(url, **fake.env())


def test_sms_goes_through_the_twilio_client(database_url, fake_twilio, quiet_then_check_logs):
    notifier = Notifier(twilio_settings(database_url, fake_twilio))
    assert notifier.describe()["sms"] == "TwilioSms"
    delivery = notifier.send(Message("sms", PARENT, BODY))
    assert delivery.status == "sent" and delivery.provider_id.startswith("SM")
    [request] = fake_twilio.requests
    assert (request.method, request.path, request.had_auth) == (
        "POST", f"/2010-04-01/Accounts/{SID}/Messages.json", True)
    [text] = fake_twilio.messages
    assert (text.to, text.from_, text.body, text.sid) == (PARENT, FROM, BODY,
                                                          delivery.provider_id)
    [row] = outbox(url=database_url)
    assert (row["status"], row["provider_id"], row["error"]) == ("sent", text.sid, None)
    # The parent's chat is never sent by SMS, only recorded.
    assert notifier.send(Message("rest", "rest:p", BODY)).status == "recorded"
    assert len(fake_twilio.requests) == 1


def test_twilio_error_is_recorded_not_raised(database_url, fake_twilio, quiet_then_check_logs):
    fake_twilio.fail_next(400, code=21211,
                          message="The 'To' number is not a valid phone number.")
    delivery = Notifier(twilio_settings(database_url, fake_twilio)).send(
        Message("sms", PARENT, BODY))
    assert delivery.status == "failed" and "21211" in delivery.error
    [row] = outbox(url=database_url)
    assert row["status"] == "failed" and "status 400" in row["error"]


def test_twilio_unreachable_is_recorded(database_url, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    settings = settings_for(database_url, TWILIO_ACCOUNT_SID=SID, TWILIO_AUTH_TOKEN=TOKEN,
                            TWILIO_FROM_NUMBER=FROM, NOTIFIER_TIMEOUT_SECONDS="2",
                            TWILIO_API_BASE_URL=f"http://127.0.0.1:{free_port()}")
    waits = []
    delivery = Notifier(settings, sleep=waits.append).send(Message("sms", PARENT, BODY))
    assert delivery.status == "failed" and "ConnectionError" in delivery.error
    assert len(waits) == settings.notifier_retries  # retried, then given up


def test_incomplete_twilio_settings_fall_back_to_the_outbox(database_url):
    notifier = Notifier(settings_for(database_url, TWILIO_ACCOUNT_SID=SID))
    assert notifier.send(Message("sms", PARENT, BODY)).status == "recorded"


# --- SMTP --------------------------------------------------------------------------------

class FakeSmtp(socketserver.StreamRequestHandler):
    """Just enough ESMTP for smtplib: EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT."""

    def handle(self):
        server = self.server
        reply = lambda line: self.wfile.write(line.encode() + b"\r\n")  # noqa: E731
        reply("220 fake ESMTP")
        envelope = {"rcpt": []}
        while True:
            line = self.rfile.readline().decode().rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            if not line or verb == "QUIT":
                reply("221 bye")
                return
            if verb in ("EHLO", "HELO"):
                reply("250-fake")
                reply("250 AUTH PLAIN")
            elif verb == "AUTH":
                server.auth.append(base64.b64decode(line.split()[2]).split(b"\0")[1:])
                reply("235 ok")
            elif verb == "MAIL":
                envelope["from"] = line[10:].split(">")[0].strip("<")
                reply("250 ok")
            elif verb == "RCPT":
                if server.reject or server.rcpt_replies:
                    reply(server.rcpt_replies.pop(0) if server.rcpt_replies
                          else "550 no such user")
                    continue
                envelope["rcpt"].append(line[8:].split(">")[0].strip("<"))
                reply("250 ok")
            elif verb == "DATA":
                reply("354 go on")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data.decode())
                server.messages.append({**envelope, "data": "".join(lines)})
                envelope = {"rcpt": []}
                reply("250 queued")
            else:
                reply("250 ok")


@pytest.fixture()
def fake_smtp():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), FakeSmtp)
    server.daemon_threads = True
    server.messages, server.auth, server.reject = [], [], False
    server.rcpt_replies = []  # the next RCPTs answer these, then "250 ok"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def smtp_settings(url, port, **extra):
    return settings_for(url, SMTP_HOST="127.0.0.1", SMTP_PORT=str(port), SMTP_STARTTLS="false",
                        SMTP_FROM="coordinator@example.org", SMTP_USERNAME="bot",
                        SMTP_PASSWORD="s3cret", **extra)


def test_email_goes_through_smtplib(database_url, fake_smtp, quiet_then_check_logs):
    notifier = Notifier(smtp_settings(database_url, fake_smtp.server_address[1]))
    delivery = notifier.send(Message("email", "sam@example.org", BODY, subject="Your link",
                                     case_id=None))
    assert delivery.status == "sent" and delivery.provider_id
    [mail] = fake_smtp.messages
    assert (mail["from"], mail["rcpt"]) == ("coordinator@example.org", ["sam@example.org"])
    assert "Subject: Your link" in mail["data"] and BODY in mail["data"]
    assert "To: sam@example.org" in mail["data"]
    assert fake_smtp.auth == [[b"bot", b"s3cret"]]
    [row] = outbox(url=database_url)
    assert (row["status"], row["channel"], row["provider_id"]) == (
        "sent", "email", delivery.provider_id)
    # SMS still goes to the outbox when only SMTP is configured.
    assert notifier.send(Message("sms", PARENT, BODY)).status == "recorded"


def test_email_rejected_or_unreachable_is_recorded(database_url, fake_smtp,
                                                   quiet_then_check_logs):
    fake_smtp.reject = True
    notifier = Notifier(smtp_settings(database_url, fake_smtp.server_address[1]))
    rejected = notifier.send(Message("email", "sam@example.org", BODY))
    assert rejected.status == "failed" and "SMTPRecipientsRefused" in rejected.error
    assert "[1 attempt]" in rejected.error  # a 5xx is final
    waits = []
    down = Notifier(smtp_settings(database_url, free_port(), NOTIFIER_TIMEOUT_SECONDS="2"),
                    sleep=waits.append)
    refused = down.send(Message("email", "sam@example.org", BODY))
    assert refused.status == "failed" and "ConnectionRefusedError" in refused.error
    assert waits == [1.0, 2.0, 4.0] and "[4 attempts]" in refused.error
    # STARTTLS required by default: a server without it fails instead of sending in clear.
    tls = Notifier(settings_for(database_url, SMTP_HOST="127.0.0.1",
                                SMTP_PORT=str(fake_smtp.server_address[1])))
    assert tls.send(Message("email", "sam@example.org", BODY)).status == "failed"
    assert [r["status"] for r in outbox(url=database_url)] == ["failed"] * 3
    assert fake_smtp.messages == []


def test_email_greylisted_is_retried(database_url, fake_smtp, quiet_then_check_logs):
    fake_smtp.rcpt_replies = ["451 greylisted, try again later"]
    waits = []
    notifier = Notifier(smtp_settings(database_url, fake_smtp.server_address[1]),
                        sleep=waits.append)
    delivery = notifier.send(Message("email", "sam@example.org", BODY, kind="link"))
    assert delivery.status == "sent" and waits == [1.0]
    [mail] = fake_smtp.messages
    assert mail["rcpt"] == ["sam@example.org"]
    assert outbox(url=database_url)[0]["kind"] == "link"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
