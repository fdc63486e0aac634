"""Our Twilio SMS channel, at POST /webhooks/sms/webhook.

Rasa's own twilio connector checks no signature, dedupes nothing, runs the whole turn
inside the webhook and sends with a blocking call. Here:
- the X-Twilio-Signature is checked (bot/channels/sms_request.py), else 403;
- the text is scrubbed (cards, SSNs) before it is stored, logged or read by Rasa;
- the MessageSid is recorded first: a retry of the same post makes no second turn;
- Twilio gets an empty TwiML answer at once and the turn runs in the background
  (bot/channels/sms_turns.py); replies go out through the notifier.
One conversation per phone number: "sms:+14045550142". No other channel can reach it:
every channel namespaces the ids it is given.
"""
from __future__ import annotations

import asyncio
import functools
import logging
from typing import Awaitable, Callable, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import sms_request
from bot.channels.input_filter import filter_inbound
from bot.channels.sms_turns import TextTurns
from bot.settings import get_settings
from bot.sms import inbound

logger = logging.getLogger(__name__)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
MAX_BODY = 64 * 1024  # a Twilio post is a few KB


class TwilioSmsInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "sms"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        settings = get_settings()
        if not settings.twilio_auth_token:
            logger.warning("sms channel: no TWILIO_AUTH_TOKEN, unsigned posts are accepted "
                           "(development only)")
        turns = TextTurns(on_new_message, settings)
        webhook = Blueprint("custom_webhook_TwilioSmsInput", __name__)

        @webhook.listener("after_server_start")
        async def replay_stranded(app, loop) -> None:
            """Texts a stopped process left half done are handled now, once."""
            stranded = await asyncio.to_thread(functools.partial(
                inbound.claim_stranded, url=settings.database_url))
            if stranded:
                logger.info("sms channel: replaying %d stranded text(s)", len(stranded))
            for text in stranded:
                turns.start(text)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if len(request.body or b"") > MAX_BODY:
                return response.text("too large", status=413)
            try:
                form = sms_request.Form.parse(request.body or b"")
                url = sms_request.signed_url(request.path, request.query_string, request.ip,
                                             request.headers, settings)
                sms_request.check_signature(url, form, request.headers.get(
                    "x-twilio-signature"), settings)
                posted = sms_request.parse(form)
            except sms_request.Refused as refused:
                logger.warning("sms webhook refused: %s", refused.reason)
                return response.text(refused.reason, status=refused.status)
            text = filter_inbound(posted.text).text  # before anything stores or logs it
            try:
                new = await asyncio.to_thread(functools.partial(
                    inbound.record, posted.message_sid, posted.phone, text, posted.media,
                    url=settings.database_url))
            except Exception as exc:
                # Twilio retries a 5xx: the text is not lost.
                logger.error("sms webhook could not record a text: %s", type(exc).__name__)
                return response.text("try again", status=503)
            if new is not None:
                turns.start(new)
            return response.text(EMPTY_TWIML, content_type="text/xml")

        return webhook
