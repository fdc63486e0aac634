"""Which web pages may call the web chat: WEB_ALLOWED_ORIGINS, else PUBLIC_BASE_URL's origin.

A browser sends `Origin` with every cross-site fetch; a page we did not list gets 403
and no CORS headers, so its script cannot read anything. A request without `Origin`
(curl, a server) is let through: CORS protects browsers, and the token is the real
check. No cookies are involved, so no Allow-Credentials. No wildcard: every origin is
named. No Rasa or Sanic import here.
"""
from __future__ import annotations

from typing import Iterable, Optional
from urllib.parse import urlsplit

from bot.settings import Settings

DEFAULT_PORTS = {"http": 80, "https": 443}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "600",
}


def origin_of(url: str) -> Optional[str]:
    """"https://Example.org:443/chat" -> "https://example.org"; None if not http(s)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:  # a port that is not a number
        return None
    if parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname:
        return None
    scheme = parts.scheme.lower()
    shown = f":{port}" if port and port != DEFAULT_PORTS[scheme] else ""
    return f"{scheme}://{parts.hostname.lower()}{shown}"


class Origins:
    def __init__(self, allowed: Iterable[str]):
        self.allowed = frozenset(o for o in map(origin_of, allowed) if o)

    @classmethod
    def from_settings(cls, settings: Settings) -> "Origins":
        return cls(settings.web_allowed_origins or (settings.public_base_url,))

    def refused(self, origin: Optional[str]) -> bool:
        """True for a browser request from a page not listed (no Origin: not refused)."""
        if origin is None:
            return False
        return origin_of(origin) not in self.allowed

    def headers(self, origin: Optional[str], preflight: bool) -> dict[str, str]:
        """The CORS headers for an allowed request (none without Origin)."""
        if origin is None or self.refused(origin):
            return {}
        headers = {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
        return {**headers, **PREFLIGHT_HEADERS} if preflight else headers
