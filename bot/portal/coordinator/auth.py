"""Who is signed in, what their role may do, and the CSRF checks.

Cookies (Path=/coordinator, HttpOnly, SameSite=Strict, Secure on https):
- staff_session: the session token (bot/staff/sessions.py keeps only its hash);
- staff_login: before sign-in, the login form's CSRF token, signed with the portal key.
Every POST form carries csrf_token: the session's token (the login form: the signed
cookie's), compared with hmac.compare_digest; missing or wrong -> 403.
"""
from __future__ import annotations

import hmac
import secrets
from typing import Callable, Optional
from urllib.parse import quote

from itsdangerous import BadSignature
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from bot.portal import bodies
from bot.portal.ids import path_id
from bot.portal.links import serializer
from bot.portal.views import PortalError
from bot.settings import Settings
from bot.staff import clock, sessions
from bot.staff.sessions import Staff

PREFIX = "/coordinator"
LOGIN_PATH = PREFIX + "/login"
SESSION_COOKIE = "staff_session"
LOGIN_COOKIE = "staff_login"
LOGIN_SALT = "staff-login"
LOGIN_MAX_AGE = 3600  # the login form is good for an hour
CSRF_FIELD = "csrf_token"


class StaffError(Exception):
    """Rendered by views.error_response: a redirect (to), JSON (json) or a page."""

    def __init__(self, status: int, message: str = "", *, to: Optional[str] = None,
                 json: bool = False):
        super().__init__(message)
        self.status, self.message, self.to, self.json = status, message, to, json


def id_in_path(segment: str, not_found: str) -> int:
    """A case or document id from the URL; anything that names no row is this 404."""
    number = path_id(segment)
    if not number:
        raise StaffError(404, not_found)
    return number


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def client_ip(request: Request) -> Optional[str]:
    return request.client.host if request.client else None


def wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def safe_next(target: Optional[str]) -> str:
    """Only a path of the workspace (never another site) is followed after sign-in."""
    if target and target.startswith(PREFIX) and not target.startswith(LOGIN_PATH) \
            and "\\" not in target and "//" not in target:
        return target
    return PREFIX


def require_staff(role: Optional[str] = None) -> Callable[[Request], Staff]:
    """Dependency: the signed-in staff member. No session: to the login page (401 for a
    JSON client); another role than `role`: 403. A coordinator may do everything."""

    def dependency(request: Request) -> Staff:
        staff = sessions.current(request.cookies.get(SESSION_COOKIE),
                                 settings_of(request).database_url, clock.now())
        if staff is None:
            if wants_json(request):
                raise StaffError(401, "Sign in first.", json=True)
            if request.method != "GET":  # a form posted after expiry: no page to go back to
                raise StaffError(303, to=LOGIN_PATH)
            here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise StaffError(303, to=f"{LOGIN_PATH}?next={quote(safe_next(here), safe='/')}")
        if role is not None and staff.role != role and staff.role != "coordinator":
            raise StaffError(403, "Your role can only read. Ask a coordinator to do this.",
                             json=wants_json(request))
        return staff

    return dependency


def tokens_match(expected: Optional[str], posted: object) -> bool:
    return bool(expected) and isinstance(posted, str) and bool(posted) and \
        hmac.compare_digest(expected.encode(), posted.encode())


async def read_form(request: Request) -> FormData:
    """The posted fields (capped at MAX_FORM_BYTES)."""
    try:
        return await bodies.read_form(request, settings_of(request).max_form_bytes)
    except PortalError as exc:
        raise StaffError(exc.status, "We could not read this form. Please go back, "
                                     "reload the page and try again.") from None


async def checked_form(request: Request, staff: Staff) -> FormData:
    posted = await read_form(request)
    if not tokens_match(staff.csrf, posted.get(CSRF_FIELD)):
        raise StaffError(403, "This form has expired. Please reload the page and try again.")
    return posted


# --- cookies -----------------------------------------------------------------------------

def _cookie(response: Response, name: str, value: str, max_age: int, settings: Settings) -> None:
    response.set_cookie(name, value, max_age=max_age, path=PREFIX, httponly=True,
                        samesite="strict",
                        secure=settings.public_base_url.startswith("https://"))


def login_token(request: Request) -> Optional[str]:
    """The login form's token from the signed staff_login cookie, if it is valid."""
    raw = request.cookies.get(LOGIN_COOKIE)
    if not raw:
        return None
    try:
        value = serializer(settings_of(request), LOGIN_SALT).loads(raw, max_age=LOGIN_MAX_AGE)
    except BadSignature:  # also expired
        return None
    return value if isinstance(value, str) else None


def new_login_token() -> str:
    return secrets.token_urlsafe(32)


def set_login_cookie(response: Response, token: str, settings: Settings) -> None:
    _cookie(response, LOGIN_COOKIE, serializer(settings, LOGIN_SALT).dumps(token),
            LOGIN_MAX_AGE, settings)


def set_session_cookie(response: Response, token: str, settings: Settings) -> None:
    _cookie(response, SESSION_COOKIE, token, int(settings.staff_session_hours * 3600), settings)
    response.delete_cookie(LOGIN_COOKIE, path=PREFIX)


def end_session(request: Request, response: Response) -> None:
    sessions.end(request.cookies.get(SESSION_COOKIE), settings_of(request).database_url)
    response.delete_cookie(SESSION_COOKIE, path=PREFIX, httponly=True, samesite="strict")


async def current_or_none(request: Request) -> Optional[Staff]:
    return await run_in_threadpool(sessions.current, request.cookies.get(SESSION_COOKIE),
                                   settings_of(request).database_url, clock.now())
