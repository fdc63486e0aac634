"""Web chat sessions: the server mints the conversation id, the browser keeps a signed token.

The id is `secrets.token_urlsafe(18)` (144 random bits, 24 characters) and the
conversation is `web:<id>`. The token is that id signed with itsdangerous
(URLSafeTimedSerializer, salt "web-chat") under WEB_SESSION_SECRET, else the portal's
key (PORTAL_SECRET_KEY or var/portal_secret). A token that is forged, signed with
another key, older than WEB_SESSION_DAYS or not holding an id we could have minted
reads as no session at all: the caller starts a new conversation and says nothing
about why. The client never names a conversation. No Rasa import here.
"""
from __future__ import annotations

import re
import secrets
from typing import Any, Optional

from itsdangerous import BadData, URLSafeTimedSerializer

from bot.channels.conversation_ids import namespaced
from bot.settings import Settings

SALT = "web-chat"
CHANNEL = "web"
ID_BYTES = 18  # 144 bits
ID_RE = re.compile(r"[A-Za-z0-9_-]{24}")  # what token_urlsafe(18) gives
MAX_TOKEN_CHARS = 200  # a real token is about 60; longer ones are not read


def new_id() -> str:
    return secrets.token_urlsafe(ID_BYTES)


def conversation_id(session_id: str) -> str:
    return namespaced(CHANNEL, session_id)


class Sessions:
    def __init__(self, secret: str, max_age_days: float):
        if len(secret) < 16:
            raise ValueError("the web session secret is too short")
        self._serializer = URLSafeTimedSerializer(secret, salt=SALT)
        self.max_age_seconds = max_age_days * 86400

    @classmethod
    def from_settings(cls, settings: Settings) -> "Sessions":
        secret = settings.web_session_secret
        if not secret:
            from bot.portal.links import secret_key  # the key upload links use

            secret = secret_key(settings)
        return cls(secret, settings.web_session_days)

    def mint(self, session_id: Optional[str] = None) -> tuple[str, str]:
        """(session id, token) for a new session, or a fresh token for a known id."""
        session_id = session_id or new_id()
        return session_id, self._serializer.dumps(session_id)

    def verify(self, token: Any) -> Optional[str]:
        """The session id the token holds, or None for anything we did not sign in time."""
        if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_CHARS:
            return None
        try:
            session_id = self._serializer.loads(token, max_age=self.max_age_seconds)
        except (BadData, UnicodeError, ValueError):  # bad signature, expired, "\ud800"...
            return None
        return session_id if isinstance(session_id, str) and ID_RE.fullmatch(session_id) \
            else None
