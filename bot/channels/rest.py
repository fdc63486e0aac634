"""REST channel with the inbound filter and channel-namespaced conversation ids.

Mounted at /webhooks/rest/webhook (same URL and payload as Rasa's own REST channel).
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.channels.rest import RestInput
from sanic.request import Request

from bot.channels.conversation_ids import namespaced
from bot.channels.input_filter import filter_inbound


class FilteredRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        sender = await super()._extract_sender(req)
        return namespaced(self.name(), sender) if sender else sender

    def _extract_message(self, req: Request) -> Optional[Text]:
        return filter_inbound(super()._extract_message(req)).text

    def _extract_input_channel(self, req: Request) -> Text:
        # The client must not pick its own channel name (it namespaces ids and routing).
        return self.name()

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        metadata = dict(super().get_metadata(request) or {})
        metadata["channel"] = self.name()
        return metadata
