"""Text the bot locally as a phone would: `python -m bot.sms.dev_phone`.

Each line you type is posted to the running Rasa server's SMS webhook exactly as Twilio
posts it (form fields, a fresh MessageSid, and X-Twilio-Signature when TWILIO_AUTH_TOKEN
is set), then the bot's texts are read back from the outbox table and printed with
their segment counts. Needs `make run` (or the Rasa and action servers) on the same
database. The tests use the same post() to text the servers.
"""
from __future__ import annotations

import argparse
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Optional

from twilio.request_validator import RequestValidator

from bot.db import OutboxMessage, SmsInbound, session_scope
from bot.phones import to_e164
from bot.settings import Settings, get_settings
from bot.sms import inbound, text

WEBHOOK_PATH = "/webhooks/sms/webhook"
DEMO_NUMBER = "+14045550199"  # fictional (555-01xx)


def new_sid(prefix: str = "SM") -> str:
    return prefix + secrets.token_hex(16)


def post(rasa_url: str, form: dict[str, str], settings: Settings,
         signature: Optional[str] = None, timeout: float = 30) -> tuple[int, str]:
    """POST a Twilio-style form to the webhook, signed for the URL the server rebuilds
    (PUBLIC_BASE_URL + path) with TWILIO_AUTH_TOKEN, unless a signature is given."""
    if signature is None and settings.twilio_auth_token:
        signature = RequestValidator(settings.twilio_auth_token).compute_signature(
            settings.public_base_url + WEBHOOK_PATH, form)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    request = urllib.request.Request(rasa_url.rstrip("/") + WEBHOOK_PATH, method="POST",
                                     data=urllib.parse.urlencode(form).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def text_form(phone: str, body: str, settings: Settings, sid: Optional[str] = None,
              media: Optional[list[tuple[str, str]]] = None) -> dict[str, str]:
    """The fields Twilio posts for one incoming text (media: (url, content type) pairs)."""
    form = {"MessageSid": sid or new_sid("MM" if media else "SM"),
            "AccountSid": settings.twilio_account_sid or "AC" + "0" * 32,
            "From": phone, "To": settings.twilio_from_number or "+15005550006",
            "Body": body, "NumMedia": str(len(media or []))}
    for n, (url, content_type) in enumerate(media or []):
        form[f"MediaUrl{n}"], form[f"MediaContentType{n}"] = url, content_type
    return form


def wait_done(message_sid: str, settings: Settings, timeout: float = 120) -> str:
    """Wait until the bot has handled the text (its replies are then in the outbox)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with session_scope(settings.database_url) as session:
            row = session.query(SmsInbound.status).filter(
                SmsInbound.message_sid == message_sid).first()
        if row and row[0] not in (inbound.PENDING, inbound.REPLAYING):
            return row[0]
        time.sleep(0.2)
    raise TimeoutError("the bot did not answer in time")


def texts_since(phone: str, after_id: int, settings: Settings) -> list[tuple[int, str, str]]:
    """(outbox id, status, body) of the texts sent to this number after after_id."""
    with session_scope(settings.database_url) as session:
        rows = session.query(OutboxMessage).filter(
            OutboxMessage.channel == "sms", OutboxMessage.to_address == phone,
            OutboxMessage.id > after_id).order_by(OutboxMessage.id).all()
        return [(r.id, r.status, r.body) for r in rows]


def last_outbox_id(settings: Settings) -> int:
    with session_scope(settings.database_url) as session:
        row = session.query(OutboxMessage.id).order_by(OutboxMessage.id.desc()).first()
        return row[0] if row else 0


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="phone", default=DEMO_NUMBER,
                        help="the parent's number (default: a fictional 555 number)")
    parser.add_argument("--rasa", default="http://localhost:5005", help="Rasa server URL")
    args = parser.parse_args(argv)
    settings = get_settings()
    phone = to_e164(args.phone)
    if phone is None:
        parser.error("--from is not a phone number")
    print(f"Texting as {phone}. Type a message, Enter to send, Ctrl-D to quit.")
    seen = last_outbox_id(settings)
    for line in sys.stdin:
        body = line.rstrip("\n")
        form = text_form(phone, body, settings)
        status, answer = post(args.rasa, form, settings)
        if status != 200:
            print(f"[webhook answered {status}: {answer}]")
            continue
        wait_done(form["MessageSid"], settings)
        for outbox_id, state, reply in texts_since(phone, seen, settings):
            print(f"\n{reply}\n  [{state}, {text.segments(reply)} segment(s)]")
            seen = outbox_id
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
