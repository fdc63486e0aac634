"""REST channel with the inbound filter and channel-namespaced conversation ids.

Mounted at /webhooks/rest/webhook (same URL and payload as Rasa's own REST channel,
without its `stream` option). The client names the conversation with `sender`, so
whoever knows a sender id can take over that chat: REST is for development and tests
(REST_CHANNEL_ENABLED, off in production, where every route here answers 404).
The body is checked (bot/channels/rest_payload.py) before Rasa sees any of it.
"""
from __future__ import annotations

import logging
from typing import Awaitable, Callable, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import rest_payload
from bot.channels.conversation_ids import namespaced
from bot.channels.input_filter import filter_inbound, typed_command
from bot.dialogue.replies import button_commands
from bot.settings import get_settings

logger = logging.getLogger(__name__)


class FilteredRestInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        enabled = get_settings().rest_channel_enabled
        webhook = Blueprint("custom_webhook_FilteredRestInput", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            if not enabled:
                return _off()
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not enabled:
                return _off()
            try:
                message = rest_payload.parse(request.body)
            except rest_payload.BadRequest as bad:
                return response.json({"error": bad.reason}, status=bad.status)
            collector = CollectingOutputChannel()
            try:
                text = typed_command(filter_inbound(message.text).text, button_commands())
                await on_new_message(UserMessage(
                    text, collector,
                    namespaced(self.name(), message.sender),
                    # The client never picks the channel name (it namespaces ids and routing).
                    input_channel=self.name(),
                    metadata={**message.metadata, "channel": self.name()}))
            except (Exception, SystemExit) as exc:
                # SystemExit too: Rasa's SQL tracker store calls sys.exit on any ValueError
                # (a text the database refuses), which would stop the whole server.
                # No message text here: it may hold health information.
                logger.error("rest message failed: %s", type(exc).__name__)
                return response.json({"error": "the message could not be handled"}, status=500)
            return response.json(collector.messages)

        return webhook


def _off() -> HTTPResponse:
    return response.json({"error": "not found"}, status=404)
