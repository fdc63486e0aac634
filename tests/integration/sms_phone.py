"""A phone that texts the running servers as Twilio would, and reads what the fake
Twilio API received in return."""
from __future__ import annotations

import secrets
import time
from typing import Optional

from bot.settings import Settings
from bot.sms import dev_phone
from tests.fakes.twilio_api import FakeTwilioApi
from tests.integration.servers import Servers


def signing_settings(servers: Servers) -> Settings:
    """What Twilio knows: the auth token and the public URL of the webhook."""
    return Settings.from_env({k: v for k, v in servers.env.items() if k.isupper()})


def new_number() -> str:
    return f"+1404555{secrets.randbelow(10 ** 4):04d}"


class Phone:
    def __init__(self, servers: Servers, fake: FakeTwilioApi, number: Optional[str] = None):
        self.servers, self.fake = servers, fake
        self.number = number or new_number()
        self.settings = signing_settings(servers)
        self.texts_sent = 0
        self.replies: list[str] = []  # every text the bot sent to this phone, in order
        self.transcript: list[tuple[str, list[str]]] = []  # (parent's text, bot's texts)

    def post(self, body: str, sid: Optional[str] = None,
             media: Optional[list[tuple[str, str]]] = None,
             signature: Optional[str] = None) -> tuple[int, str, str]:
        """Only the webhook call: (status, answer, MessageSid)."""
        form = dev_phone.text_form(self.number, body, self.settings, sid=sid, media=media)
        status, answer = dev_phone.post(self.servers.rasa_url, form, self.settings,
                                        signature=signature)
        return status, answer, form["MessageSid"]

    def text(self, body: str, sid: Optional[str] = None,
             media: Optional[list[tuple[str, str]]] = None) -> list[str]:
        """Text the bot and wait for its handling to end; the texts it sent back."""
        before = len(self.received())
        status, answer, sid = self.post(body, sid=sid, media=media)
        assert status == 200, answer
        self.texts_sent += 1
        dev_phone.wait_done(sid, self.settings)
        new = self.received()[before:]
        self.replies += new
        self.transcript.append((body, new))
        return new

    def show(self) -> str:
        return "\n".join(f"PARENT: {said}\n" + "\n".join(f"BOT: {r}" for r in replies)
                         for said, replies in self.transcript)

    def received(self) -> list[str]:
        return [m.body for m in list(self.fake.messages) if m.to == self.number]

    def wait_for(self, count: int, timeout: float = 30) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.received()) < count:
            time.sleep(0.1)
        return self.received()
