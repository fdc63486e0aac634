"""The website chat widget's channel: JSON over HTTPS at /webhooks/web/ on the Rasa server.

- POST /session  `{}` or `{"token"}` -> `{"token", "resumed", "messages"}`: the server
  mints the conversation (web_session.py); a token we did not sign, or signed too long
  ago, silently starts a new one. The history comes from the tracker store.
- POST /message  `{"token", "text"}` or `{"token", "payload"}` -> `{"messages"}`: the
  whole turn, every reply in order (the widget needs no push, so no Socket.IO). 401
  `{"error": "session"}` for a bad token, 413/400 for bad bodies (web_request.py), 429
  past 10 messages in 10 s per session (web_rate.py).
Every text is scrubbed (cards, SSNs) before Rasa sees, stores or logs it, and the
messages of one conversation run one at a time. Only pages in WEB_ALLOWED_ORIGINS may
call it from a browser (web_cors.py). No message text or id is logged.
"""
from __future__ import annotations

import logging
from typing import Awaitable, Callable, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import web_request
from bot.channels.conversation_turns import ConversationLocks, collected_turn
from bot.channels.input_filter import filter_inbound, typed_command
from bot.channels.web_cors import Origins
from bot.channels.web_history import bot_message, history
from bot.channels.web_rate import SlidingWindow
from bot.channels.web_session import CHANNEL, Sessions, conversation_id
from bot.dialogue.replies import button_commands
from bot.portal.proxies import client_host, networks
from bot.settings import get_settings

logger = logging.getLogger(__name__)

MESSAGES_PER_WINDOW, WINDOW_SECONDS = 10, 10.0
# New conversations per client address (WEB_NEW_SESSIONS_PER_ADDRESS) in this window: a
# script minting tokens to get round the per-session limit gets 429.
NEW_SESSION_WINDOW_SECONDS = 600.0
# Bodies hold tokens and health history: never cached, never sniffed.
PRIVATE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


class WebChatInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        settings = get_settings()
        sessions, origins = Sessions.from_settings(settings), Origins.from_settings(settings)
        rate, locks = SlidingWindow(MESSAGES_PER_WINDOW, WINDOW_SECONDS), ConversationLocks()
        minted = SlidingWindow(settings.web_new_sessions_per_address, NEW_SESSION_WINDOW_SECONDS)
        proxies = networks(settings.trusted_proxies)
        webhook = Blueprint("custom_webhook_WebChatInput", __name__)

        @webhook.middleware("request")
        async def refuse_other_pages(request: Request) -> Optional[HTTPResponse]:
            if origins.refused(request.headers.get("origin")):
                return _refused()
            return None

        @webhook.middleware("response")
        async def cors(request: Request, answer: HTTPResponse) -> Optional[HTTPResponse]:
            # Rasa's app-wide sanic_cors answers every OPTIONS before our routes run (and
            # lists no origin): the preflight's final answer is made here.
            origin = request.headers.get("origin")
            if origins.refused(origin):
                return _refused()
            preflight = request.method == "OPTIONS"
            headers = {"Vary": "Origin", **PRIVATE, **origins.headers(origin, preflight)}
            if preflight:
                return response.empty(status=204, headers=headers)
            for added in ("access-control-allow-credentials", "access-control-expose-headers"):
                answer.headers.pop(added, None)  # Rasa's app-wide CORS; no cookies here
            answer.headers.update(headers)
            return None

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/session", methods=["POST", "OPTIONS"])
        async def session(request: Request) -> HTTPResponse:
            if request.method == "OPTIONS":
                return response.empty(status=204)
            try:
                session_id = sessions.verify(web_request.parse_session(request.body))
            except web_request.BadRequest as bad:
                return _error(bad.reason, bad.status)
            messages: list[dict] = []
            if session_id:
                try:
                    messages = await _history(request, conversation_id(session_id))
                except (Exception, SystemExit) as exc:  # SystemExit: see rest.py
                    logger.error("web session history failed: %s", type(exc).__name__)
                    return _error("the conversation could not be read, try again", 503)
            if session_id is None and not minted.allow(_client(request, proxies)):
                return _error("too many new conversations, try again later", 429)
            _, token = sessions.mint(session_id)  # a fresh token: WEB_SESSION_DAYS from now
            return response.json({"token": token, "resumed": session_id is not None,
                                  "messages": messages})

        @webhook.route("/message", methods=["POST", "OPTIONS"])
        async def message(request: Request) -> HTTPResponse:
            if request.method == "OPTIONS":
                return response.empty(status=204)
            try:
                posted = web_request.parse_message(request.body)
            except web_request.BadRequest as bad:
                return _error(bad.reason, bad.status)
            session_id = sessions.verify(posted.token)
            if session_id is None:
                return _error("session", 401)
            if not rate.allow(session_id):
                return _error("too many messages, wait a few seconds", 429)
            # Scrubbed before Rasa parses, stores or logs it; only our buttons' "/intent".
            scrubbed = filter_inbound(posted.text).text
            text = typed_command(scrubbed, button_commands())
            try:
                async with locks.hold(session_id):  # one turn per conversation at a time
                    replies = await collected_turn(
                        on_new_message, CHANNEL, session_id, text,
                        {"button": True} if posted.from_button else None)
            except (Exception, SystemExit) as exc:
                # SystemExit too: Rasa's SQL tracker store exits on a ValueError. No text.
                logger.error("web message failed: %s", type(exc).__name__)
                return _error("the message could not be handled", 500)
            # "you": the parent's words as kept (a card number removed), for their bubble.
            return response.json({"you": None if posted.from_button else scrubbed, "messages": [
                bot_message(r.get("text"), r.get("buttons")) for r in replies
                if r.get("text") or r.get("buttons")]})

        return webhook


async def _history(request: Request, conversation: str) -> list[dict]:
    """The conversation's lines from the tracker store the agent uses (all sessions)."""
    tracker = await request.app.ctx.agent.tracker_store.retrieve_full_tracker(conversation)
    return history(e.as_dict() for e in tracker.events) if tracker else []


def _client(request: Request, proxies) -> str:
    """The client's address: X-Forwarded-For only from TRUSTED_PROXIES."""
    return client_host(request.ip, request.headers.getall("x-forwarded-for", []), proxies) \
        or "unknown"


def _error(reason: str, status: int) -> HTTPResponse:
    return response.json({"error": reason}, status=status)


def _refused() -> HTTPResponse:
    return response.json({"error": "origin"}, status=403)
