"""The notifier: dev outbox by default; the real twilio client against a local fake
Twilio API; smtplib against a local fake SMTP server; failures recorded, never raised."""
import base64
import json
import logging
import socket
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from bot.cases import create_cases
from bot.notifier import Message, Notifier, outbox
from bot.settings import Settings

SID, TOKEN, FROM = "AC" + "0" * 32, "test-token", "+14785550100"
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

class FakeTwilio(BaseHTTPRequestHandler):
    requests: list = []
    fail = False

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        self.requests.append({"path": self.path, "auth": self.headers.get("Authorization"),
                              "form": form})
        if self.fail:
            status, payload = 400, {"code": 21211, "status": 400, "more_info": "",
                                    "message": "The 'To' number is not a valid phone number."}
        else:
            status, payload = 201, {"sid": "SM" + "1" * 32, "status": "queued",
                                    "to": form.get("To"), "from": form.get("From"),
                                    "body": form.get("Body"), "account_sid": SID}
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture()
def fake_twilio(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    handler = type("Handler", (FakeTwilio,), {"requests": [], "fail": False})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield handler, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def twilio_settings(url, base):
    return settings_for(url, TWILIO_ACCOUNT_SID=SID, TWILIO_AUTH_TOKEN=TOKEN,
                        TWILIO_FROM_NUMBER=FROM, TWILIO_API_BASE_URL=base)


def test_sms_goes_through_the_twilio_client(database_url, fake_twilio, quiet_then_check_logs):
    handler, base = fake_twilio
    notifier = Notifier(twilio_settings(database_url, base))
    assert notifier.describe()["sms"] == "TwilioSms"
    delivery = notifier.send(Message("sms", PARENT, BODY))
    assert (delivery.status, delivery.provider_id) == ("sent", "SM" + "1" * 32)
    [request] = handler.requests
    assert request["path"] == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert request["form"] == {"To": PARENT, "From": FROM, "Body": BODY}
    assert request["auth"] == "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
    [row] = outbox(url=database_url)
    assert (row["status"], row["provider_id"], row["error"]) == ("sent", "SM" + "1" * 32, None)
    # The parent's chat is never sent by SMS, only recorded.
    assert notifier.send(Message("rest", "rest:p", BODY)).status == "recorded"
    assert len(handler.requests) == 1


def test_twilio_error_is_recorded_not_raised(database_url, fake_twilio, quiet_then_check_logs):
    handler, base = fake_twilio
    handler.fail = True
    delivery = Notifier(twilio_settings(database_url, base)).send(Message("sms", PARENT, BODY))
    assert delivery.status == "failed" and "21211" in delivery.error
    [row] = outbox(url=database_url)
    assert row["status"] == "failed" and "status 400" in row["error"]


def test_twilio_unreachable_is_recorded(database_url, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    settings = settings_for(database_url, TWILIO_ACCOUNT_SID=SID, TWILIO_AUTH_TOKEN=TOKEN,
                            TWILIO_FROM_NUMBER=FROM, NOTIFIER_TIMEOUT_SECONDS="2",
                            TWILIO_API_BASE_URL=f"http://127.0.0.1:{free_port()}")
    delivery = Notifier(settings).send(Message("sms", PARENT, BODY))
    assert delivery.status == "failed" and "ConnectionError" in delivery.error


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
                if server.reject:
                    reply("550 no such user")
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
    down = Notifier(smtp_settings(database_url, free_port(), NOTIFIER_TIMEOUT_SECONDS="2"))
    refused = down.send(Message("email", "sam@example.org", BODY))
    assert refused.status == "failed" and "ConnectionRefusedError" in refused.error
    # STARTTLS required by default: a server without it fails instead of sending in clear.
    tls = Notifier(settings_for(database_url, SMTP_HOST="127.0.0.1",
                                SMTP_PORT=str(fake_smtp.server_address[1])))
    assert tls.send(Message("email", "sam@example.org", BODY)).status == "failed"
    assert [r["status"] for r in outbox(url=database_url)] == ["failed"] * 3
    assert fake_smtp.messages == []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
