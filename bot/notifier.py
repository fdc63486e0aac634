"""Channel-agnostic outgoing messages: SMS (Twilio), email (SMTP), or just recorded.

Every message is written to the `outbox_messages` table with what became of it, so the
coordinator sees everything that went out:
- "recorded": no transport for that channel (the embedded default: nothing leaves the
  machine), or the parent's own chat ("rest" / "web"), which the bot answers in-line;
- "queued" -> "sent" (with the provider's id) or "failed" (with the error and the
  number of attempts): transient errors (Twilio 5xx / 429, timeouts, lost connections,
  SMTP 4xx) are retried with exponential backoff, permanent ones are not;
- "suppressed": an SMS to a number that replied STOP. Every text passes through here
  (replies, links, reminders, coordinator notices), so the opt-out holds everywhere.
send() never raises: a failed delivery must not break the conversation. Logs carry the
outbox id, channel, kind and status only, never a body or an address.
"""
from __future__ import annotations

import logging
import smtplib
import ssl
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Callable, Optional, Protocol
from urllib.parse import urlsplit, urlunsplit

import requests
from twilio.base.exceptions import TwilioRestException

from bot.db import OutboxMessage, session_scope, utcnow
from bot.settings import Settings, get_settings
from bot.sms import contacts

log = logging.getLogger(__name__)
# twilio's client logs every request line at INFO; keep that out of the app's logs.
_twilio_log = logging.getLogger(__name__ + ".twilio_http")
_twilio_log.setLevel(logging.WARNING)

CHANNELS = ("sms", "email", "rest", "web")
RECORDED, QUEUED, SENT, FAILED = "recorded", "queued", "sent", "failed"
SUPPRESSED = "suppressed"
DEFAULT_SUBJECT = "Your second opinion document review"


@dataclass(frozen=True)
class Message:
    channel: str  # sms | email | rest | web
    to: str  # phone number, email address, or conversation id for rest/web
    body: str
    subject: Optional[str] = None
    case_id: Optional[int] = None
    kind: str = ""  # what it is for: reply | link | reminder | opt_out | help | notice ...


@dataclass(frozen=True)
class Delivery:
    outbox_id: Optional[int]
    status: str  # recorded | sent | failed | suppressed
    provider_id: Optional[str] = None
    error: Optional[str] = None


class Transport(Protocol):
    def deliver(self, message: Message) -> Optional[str]:
        """Send; return the provider's message id. Raise on failure."""


class TwilioSms:
    def __init__(self, settings: Settings):
        from twilio.rest import Client

        http_client = _twilio_http_client(settings.twilio_api_base_url,
                                          settings.notifier_timeout_seconds)
        self.client = Client(settings.twilio_account_sid, settings.twilio_auth_token,
                             http_client=http_client)
        self.from_number = settings.twilio_from_number

    def deliver(self, message: Message) -> Optional[str]:
        sent = self.client.messages.create(to=message.to, from_=self.from_number,
                                           body=message.body)
        return sent.sid


def _twilio_http_client(base_url: Optional[str], timeout: float):
    """The real TwilioHttpClient; with a base URL, every request's scheme and host are
    swapped for it (Twilio builds absolute https://api.twilio.com/... URLs itself)."""
    from twilio.http.http_client import TwilioHttpClient

    # pool_connections=False: a fresh requests.Session per call, safe across worker threads.
    options = {"timeout": timeout, "logger": _twilio_log, "pool_connections": False}
    if not base_url:
        return TwilioHttpClient(**options)
    base = urlsplit(base_url)

    class BaseUrlHttpClient(TwilioHttpClient):
        def request(self, method, url, *args, **kwargs):
            parts = urlsplit(url)
            url = urlunsplit((base.scheme, base.netloc, base.path.rstrip("/") + parts.path,
                              parts.query, parts.fragment))
            return super().request(method, url, *args, **kwargs)

    return BaseUrlHttpClient(**options)


class SmtpEmail:
    def __init__(self, settings: Settings):
        self.settings = settings

    def deliver(self, message: Message) -> Optional[str]:
        s = self.settings
        email = EmailMessage()
        email["From"] = s.smtp_from
        email["To"] = message.to
        email["Subject"] = message.subject or DEFAULT_SUBJECT
        email["Date"] = formatdate(localtime=False)
        domain = s.smtp_from.rpartition("@")[2] or None
        email["Message-ID"] = message_id = make_msgid(domain=domain)
        email.set_content(message.body)
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.notifier_timeout_seconds) as smtp:
            smtp.ehlo()
            if s.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())  # verifies the cert
                smtp.ehlo()
            if s.smtp_username:
                smtp.login(s.smtp_username, s.smtp_password or "")
            smtp.send_message(email)
        return message_id.strip("<>")[:64]


class Notifier:
    """Picks a transport per channel from Settings; records every message."""

    def __init__(self, settings: Optional[Settings] = None,
                 transports: Optional[dict[str, Transport]] = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.settings = settings or get_settings()
        self.transports = dict(transports) if transports is not None \
            else self._from_settings(self.settings)
        self.sleep = sleep  # tests pass a recorder instead of waiting

    @staticmethod
    def _from_settings(s: Settings) -> dict[str, Transport]:
        transports: dict[str, Transport] = {}
        if s.twilio_account_sid and s.twilio_auth_token and s.twilio_from_number:
            transports["sms"] = TwilioSms(s)
        elif s.twilio_account_sid or s.twilio_auth_token or s.twilio_from_number:
            log.warning("Twilio settings incomplete: SMS goes to the dev outbox")
        if s.smtp_host:
            transports["email"] = SmtpEmail(s)
        return transports

    def describe(self) -> dict[str, str]:
        """Which transport each channel uses (for a start-up log line or a health page)."""
        return {c: type(self.transports[c]).__name__ if c in self.transports else "outbox"
                for c in CHANNELS}

    def send(self, message: Message, even_if_opted_out: bool = False) -> Delivery:
        """even_if_opted_out: only for the one confirmation of a STOP."""
        if message.channel not in CHANNELS:
            log.error("notifier: unknown channel %r, message dropped", message.channel)
            return Delivery(None, FAILED, error=f"unknown channel {message.channel!r}")
        transport = self.transports.get(message.channel)
        try:
            if self._suppressed(message, even_if_opted_out):
                transport, first_status = None, SUPPRESSED
            else:
                first_status = QUEUED if transport else RECORDED
            outbox_id = self._record(message, first_status)
        except Exception as exc:  # the database is down: do not break the conversation
            log.error("notifier: could not record a %s message (%s)", message.channel,
                      type(exc).__name__)
            return Delivery(None, FAILED, error=f"outbox: {type(exc).__name__}")
        if transport is None:
            log.info("notifier: outbox %s %s %s %s", outbox_id, message.channel,
                     message.kind or "-", first_status)
            return Delivery(outbox_id, first_status)
        provider_id, status, error = self._deliver(transport, message)
        self._finish(outbox_id, status, provider_id, error)
        log.log(logging.INFO if status == SENT else logging.WARNING,
                "notifier: outbox %s %s %s %s%s", outbox_id, message.channel,
                message.kind or "-", status,
                "" if status == SENT else f" ({_error_class(error)})")
        return Delivery(outbox_id, status, provider_id, error)

    def send_all(self, messages: list[Message]) -> list[Delivery]:
        return [self.send(m) for m in messages]

    def _suppressed(self, message: Message, even_if_opted_out: bool) -> bool:
        return (message.channel == "sms" and not even_if_opted_out
                and contacts.is_opted_out(message.to, url=self.settings.database_url))

    def _deliver(self, transport: Transport,
                 message: Message) -> tuple[Optional[str], str, Optional[str]]:
        """(provider id, status, error): retries transient errors with backoff."""
        retries, attempts = max(0, self.settings.notifier_retries), 0
        while True:
            attempts += 1
            try:
                return transport.deliver(message), SENT, None
            except Exception as exc:
                if attempts > retries or not is_transient(exc):
                    plural = "s" if attempts > 1 else ""
                    return None, FAILED, f"{_describe(exc)} [{attempts} attempt{plural}]"
                log.info("notifier: %s %s failed (%s), retry %d of %d", message.channel,
                         message.kind or "-", type(exc).__name__, attempts, retries)
                self.sleep(self.settings.notifier_retry_backoff_seconds * 2 ** (attempts - 1))

    def _record(self, message: Message, status: str) -> int:
        with session_scope(self.settings.database_url) as session:
            row = OutboxMessage(created_at=utcnow(), channel=message.channel,
                                to_address=message.to[:254], subject=message.subject,
                                body=message.body, case_id=message.case_id, status=status,
                                kind=message.kind[:32] or None)
            session.add(row)
            session.flush()
            return row.id

    def _finish(self, outbox_id: int, status: str, provider_id: Optional[str],
                error: Optional[str]) -> None:
        try:
            with session_scope(self.settings.database_url) as session:
                row = session.get(OutboxMessage, outbox_id)
                row.status, row.provider_id, row.error = status, provider_id, error
        except Exception as exc:
            log.error("notifier: could not update outbox %s (%s)", outbox_id,
                      type(exc).__name__)


def is_transient(exc: BaseException) -> bool:
    """Worth another try: the provider was busy or down, or the network failed. A
    refusal (invalid number, unsubscribed, bad credentials, no STARTTLS) is final."""
    if isinstance(exc, TwilioRestException):
        return exc.status == 429 or exc.status >= 500
    if isinstance(exc, (requests.exceptions.SSLError, ssl.SSLError)):
        return False  # a certificate problem does not fix itself
    if isinstance(exc, (requests.exceptions.Timeout, requests.exceptions.ConnectionError)):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, (smtplib.SMTPException, requests.exceptions.RequestException)):
        # both subclass OSError; of the rest only a dropped SMTP connection may pass
        return isinstance(exc, smtplib.SMTPServerDisconnected)
    return isinstance(exc, OSError)  # refused or reset connections, socket timeouts


def _describe(exc: Exception) -> str:
    """Stored in the outbox (which already holds the address), never logged whole."""
    code = getattr(exc, "code", None)
    status = getattr(exc, "status", None)
    detail = getattr(exc, "msg", None) or str(exc)
    parts = [type(exc).__name__]
    if status is not None:
        parts.append(f"status {status}")
    if code is not None:
        parts.append(f"code {code}")
    return (" ".join(parts) + f": {detail}")[:1000]


def _error_class(error: Optional[str]) -> str:
    return (error or "").split(":", 1)[0].split(" ", 1)[0]


def outbox(limit: int = 100, case_id: Optional[int] = None,
           url: Optional[str] = None) -> list[dict]:
    """Newest first, as GET /api/outbox shows it."""
    with session_scope(url) as session:
        query = session.query(OutboxMessage)
        if case_id is not None:
            query = query.filter(OutboxMessage.case_id == case_id)
        rows = query.order_by(OutboxMessage.id.desc()).limit(limit).all()
        return [{"id": r.id, "created_at": r.created_at.replace(microsecond=0).isoformat() + "Z",
                 "channel": r.channel, "to": r.to_address, "subject": r.subject, "body": r.body,
                 "case_id": r.case_id, "status": r.status, "provider_id": r.provider_id,
                 "error": r.error, "kind": r.kind or ""} for r in rows]
