"""The web portal: the parent's upload page (/u/<token>) and the coordinator API (/api).

Run: `.venv/bin/python -m bot.portal` (after `make migrate`).
`app` is built on first access, so importing this module has no side effects;
tests call create_app(settings) directly.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Optional

from fastapi import FastAPI, Request
from fastapi.exception_handlers import (http_exception_handler,
                                        request_validation_exception_handler)
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.portal import api, coordinator, home, links, pages
from bot.portal.proxies import TrustedProxies
from bot.portal.views import PortalError, error_page
from bot.settings import Settings, get_settings

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
log = logging.getLogger(__name__)

CSP = ("default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
       "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),  # upload links must never leak in a Referer
    (b"x-frame-options", b"DENY"),
]
CHAT_PAGES = ("/",)  # pages with the chat widget: their fetch() may reach the Rasa server


def content_security_policy(chat_origin: str = "") -> bytes:
    """The one CSP. A chat page also allows connections to the chat server's origin."""
    return (CSP + (f"; connect-src 'self' {chat_origin}" if chat_origin else "")).encode()


class SecurityHeaders:
    """Pure ASGI (no body buffering, so uploads still stream)."""

    def __init__(self, app, https: bool, chat_origin: str = ""):
        self.app = app
        self.headers = SECURITY_HEADERS + ([(b"strict-transport-security",
                                             b"max-age=31536000")] if https else [])
        self.csp = content_security_policy()
        self.chat_csp = content_security_policy(chat_origin)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        csp = self.chat_csp if scope["path"] in CHAT_PAGES else self.csp

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + self.headers + [
                    (b"content-security-policy", csp)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RedactLinks(logging.Filter):
    """Access logs show /u/*** instead of the token (a link is a key to the page)."""

    pattern = re.compile(r"/u/[^/?\s\"]+")

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(self.pattern.sub("/u/***", a) if isinstance(a, str) else a
                                for a in record.args)
        return True


class Static(StaticFiles):
    """A NUL in the path is no file (os.stat would raise: a 500)."""

    def lookup_path(self, path: str):
        return ("", None) if "\x00" in path else super().lookup_path(path)


def _check_folders(settings: Settings) -> None:
    upload = Path(settings.upload_dir).resolve()
    if upload == STATIC.resolve() or STATIC.resolve() in upload.parents \
            or HERE.resolve() in upload.parents:
        raise RuntimeError("UPLOAD_DIR must be outside the portal's served folders")
    upload.mkdir(parents=True, exist_ok=True, mode=0o700)


def create_app(settings: Optional[Settings] = None) -> FastAPI:
    settings = settings or get_settings()
    links.secret_key(settings)  # make (or read) the signing key now, not mid-request
    _check_folders(settings)
    app = FastAPI(title="Second opinion document review: portal and coordinator API",
                  version="1.0", docs_url=None, redoc_url=None,  # their pages load a CDN
                  openapi_url="/openapi.json")
    app.state.settings = settings
    app.mount("/static", Static(directory=str(STATIC)), name="static")
    app.include_router(home.router)  # / : the service in brief and the chat widget
    app.include_router(pages.router)
    app.include_router(api.router)
    coordinator.mount(app)  # /coordinator: the staff workspace

    @app.exception_handler(PortalError)
    async def portal_error(request: Request, exc: PortalError):
        return error_page(request, exc.status, exc.code, exc.detail)

    @app.exception_handler(links.LinkError)
    async def link_error(request: Request, exc: links.LinkError):
        code = "revoked" if isinstance(exc, links.LinkRevoked) else \
            "expired" if exc.status_code == 410 else "not_found"
        return error_page(request, exc.status_code, code)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith(("/api", "/openapi")):
            return await http_exception_handler(request, exc)
        return error_page(request, exc.status_code,
                          "not_found" if exc.status_code in (404, 405) else "server_error")

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        if request.url.path.startswith("/api"):
            return await request_validation_exception_handler(request, exc)
        return error_page(request, 404, "not_found")

    @app.get("/healthz", include_in_schema=False)
    def health():
        return {"ok": True}

    access_log = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactLinks) for f in access_log.filters):
        access_log.addFilter(RedactLinks())
    app.add_middleware(SecurityHeaders, https=settings.public_base_url.startswith("https://"),
                       chat_origin=home.chat_origin(settings))
    app.add_middleware(TrustedProxies, trusted=settings.trusted_proxies)  # outermost
    return app


_app: Optional[FastAPI] = None


def __getattr__(name: str):
    """`uvicorn bot.portal.app:app` builds the app from the environment on first use."""
    global _app
    if name == "app":
        if _app is None:
            _app = create_app()
        return _app
    raise AttributeError(name)
