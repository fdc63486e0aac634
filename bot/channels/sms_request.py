"""What one Twilio webhook post says, checked: the signature, then the fields.

The signature covers the public URL Twilio called, rebuilt from PUBLIC_BASE_URL (the
scheme from X-Forwarded-Proto only when the peer is one of TRUSTED_PROXIES), and every
posted field. Without TWILIO_AUTH_TOKEN (development) nothing is signed and nothing is
checked; the channel says so in the log at start-up.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping, Optional
from urllib.parse import parse_qs, urlsplit, urlunsplit

from twilio.request_validator import RequestValidator

from bot.phones import to_e164
from bot.portal.proxies import networks, trusted_peer
from bot.settings import Settings

# Twilio's ids: two letters and 32 hex digits (SM... for SMS, MM... for MMS).
MESSAGE_SID = re.compile(r"(SM|MM)[0-9a-fA-F]{32}")
E164 = re.compile(r"\+[1-9][0-9]{6,14}")
# C0 and C1 controls but tab and line breaks, and DEL.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MAX_TEXT = 1600  # the longest text Twilio delivers
MAX_MEDIA = 10  # Twilio's limit per MMS


class Refused(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass(frozen=True)
class Posted:
    message_sid: str
    phone: str  # E.164
    text: str
    media: list[dict] = field(default_factory=list)  # [{"url", "content_type"}]


class Form(dict):
    """The posted fields, each a list of values, blank ones kept: Twilio signs them all
    ("Body=" of a photo-only text included). getall() is what RequestValidator reads."""

    @classmethod
    def parse(cls, body: bytes) -> "Form":
        try:
            return cls(parse_qs(body.decode("utf-8"), keep_blank_values=True,
                                max_num_fields=200, errors="strict"))
        except (UnicodeDecodeError, ValueError):  # not UTF-8, a bad %-escape, too many fields
            raise Refused(400, "not a form Twilio would post") from None

    def getall(self, name: str) -> list[str]:
        return list(self[name])


def signed_url(path: str, query: str, peer: Optional[str],
               headers: Mapping[str, str], settings: Settings) -> str:
    """The URL Twilio signed: the public base URL with this request's path and query."""
    base = urlsplit(settings.public_base_url)
    scheme = base.scheme
    proto = (headers.get("x-forwarded-proto") or "").split(",")[0].strip().lower()
    if proto in ("http", "https") and trusted_peer(peer, networks(settings.trusted_proxies)):
        scheme = proto
    return urlunsplit((scheme, base.netloc, base.path.rstrip("/") + path, query, ""))


def check_signature(url: str, form: Mapping, signature: Optional[str],
                    settings: Settings) -> None:
    """Raises Refused(403) unless Twilio signed this post (always passes without a token)."""
    token = settings.twilio_auth_token
    if not token:
        return
    if not signature or not RequestValidator(token).validate(url, form, signature):
        raise Refused(403, "bad signature")


def parse(form: Mapping) -> Posted:
    """The fields we use, each checked; Refused(400) for a post that is not a text."""
    sid = _one(form, "MessageSid") or _one(form, "SmsMessageSid")
    if not sid or not MESSAGE_SID.fullmatch(sid):
        raise Refused(400, "MessageSid missing or malformed")
    sender = _one(form, "From") or ""
    # Twilio sends SMS senders in E.164; anything else (whatsapp:, tel:, letters) is not
    # an SMS parent.
    phone = to_e164(sender) if E164.fullmatch(sender) else None
    if phone is None or phone != sender:
        raise Refused(400, "From is not an E.164 phone number")
    text = _one(form, "Body") or ""
    if len(text) > MAX_TEXT:
        raise Refused(400, "Body too long")
    # Control characters mean nothing in a text and some databases refuse them (NUL).
    text = CONTROL.sub("", text)
    try:
        count = min(int(_one(form, "NumMedia") or 0), MAX_MEDIA)
    except ValueError:
        raise Refused(400, "NumMedia is not a number") from None
    media = []
    for n in range(max(count, 0)):
        url = _one(form, f"MediaUrl{n}")
        if url:
            media.append({"url": url, "content_type": _one(form, f"MediaContentType{n}") or ""})
    return Posted(sid, phone, text, media)


def _one(form: Mapping, name: str) -> Optional[str]:
    """The first value of a field (sanic gives lists), or None."""
    value = form.get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) else None
