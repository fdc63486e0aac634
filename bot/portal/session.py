"""The upload page's cookie: signed (itsdangerous), bound to one case and link version,
holding the CSRF token and whether the birth date was given.

The cookie's path is the link itself (/u/<token>), so two links (spine and hip) keep
two separate sessions. HttpOnly, SameSite=Lax, Secure when PUBLIC_BASE_URL is https.
"""
from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, replace
from typing import Optional

from itsdangerous import BadSignature
from starlette.requests import Request
from starlette.responses import Response

from bot.portal.links import serializer
from bot.settings import Settings

COOKIE = "portal_session"
SALT = "portal-session"
MAX_AGE_SECONDS = 8 * 3600  # then the birth date is asked again
CSRF_FIELD = "csrf_token"


@dataclass(frozen=True)
class PortalSession:
    case_id: int
    version: int
    csrf: str
    authed: bool = False

    def signed_in(self) -> "PortalSession":
        """After the birth date: a new CSRF token too (no fixation of the old one)."""
        return replace(self, csrf=secrets.token_urlsafe(32), authed=True)


def new_session(case_id: int, version: int) -> PortalSession:
    return PortalSession(case_id, version, secrets.token_urlsafe(32))


def load(request: Request, settings: Settings, case_id: int,
         version: int) -> Optional[PortalSession]:
    """The cookie's session when it is valid and belongs to this case and link version."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data = serializer(settings, SALT).loads(raw, max_age=MAX_AGE_SECONDS)
    except BadSignature:  # also expired
        return None
    if not isinstance(data, dict) or data.get("c") != case_id or data.get("v") != version \
            or not isinstance(data.get("t"), str):
        return None
    return PortalSession(case_id, version, data["t"], bool(data.get("a")))


def save(response: Response, session: PortalSession, settings: Settings, token: str) -> None:
    value = serializer(settings, SALT).dumps(
        {"c": session.case_id, "v": session.version, "t": session.csrf, "a": session.authed})
    response.set_cookie(COOKIE, value, max_age=MAX_AGE_SECONDS, path=f"/u/{token}",
                        httponly=True, samesite="lax",
                        secure=settings.public_base_url.startswith("https://"))


def csrf_ok(session: Optional[PortalSession], posted: Optional[str]) -> bool:
    return bool(session and posted) and hmac.compare_digest(session.csrf.encode(),
                                                            str(posted).encode())
