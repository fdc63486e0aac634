"""One texted message, after Twilio already has its answer: keywords, files, the turn.

Runs in the background of the webhook (Twilio gives up after 15 s; a turn can take
longer under load). Texts from one number are handled one at a time, in the order
they came, and their replies leave in that order. Everything blocking (database,
Twilio) runs in a worker thread, never on the event loop.
"""
from __future__ import annotations

import asyncio
import functools
import logging
from typing import Any, Callable, Optional

from bot import cases
from bot.channels.conversation_ids import namespaced
from bot.channels.conversation_turns import ConversationLocks, OnNewMessage, collected_turn
from bot.channels.input_filter import typed_command
from bot.dialogue.replies import button_commands, say
from bot.settings import Settings
from bot.sms import contacts, inbound, keywords, media, menus
from bot.sms.inbound import Inbound
from bot.sms.outgoing import send_sms

logger = logging.getLogger(__name__)
CHANNEL = "sms"


async def _blocking(func: Callable, *args: Any, **kwargs: Any) -> Any:
    return await asyncio.to_thread(functools.partial(func, *args, **kwargs))


class TextTurns:
    def __init__(self, on_new_message: OnNewMessage, settings: Settings):
        self.on_new_message, self.settings = on_new_message, settings
        self._locks = ConversationLocks()
        self.tasks: set[asyncio.Task] = set()

    def start(self, text: Inbound) -> asyncio.Task:
        """Handle the text in the background; the task is kept until it ends."""
        task = asyncio.get_running_loop().create_task(self.handle(text))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def handle(self, text: Inbound) -> None:
        phone = text.phone
        try:
            async with self._locks.hold(phone):  # FIFO: texts of one number in arrival order
                status = await self._handle(text)
                await _blocking(inbound.finish, text.id, status, url=self.settings.database_url)
        except (Exception, SystemExit) as exc:
            # SystemExit too: Rasa's SQL tracker store exits on a ValueError. No text here.
            logger.error("sms turn failed: %s", type(exc).__name__)
            await self._send_safely(phone, say("utter_sms_error").text, kind="error")
            await _blocking(inbound.finish, text.id, inbound.FAILED,
                            url=self.settings.database_url)

    async def _handle(self, text: Inbound) -> str:
        phone, url = text.phone, self.settings.database_url
        word = keywords.classify(text.body)
        opted_out = await _blocking(contacts.is_opted_out, phone, url=url)
        if word == "opt_out":
            if opted_out:
                return inbound.IGNORED  # one confirmation only, however often STOP comes
            await _blocking(contacts.opt_out, phone, url=url)
            await self._send(phone, say("utter_sms_opt_out").text, kind="opt_out",
                             even_if_opted_out=True)
            return inbound.DONE
        if opted_out:
            if word != "opt_in":
                return inbound.IGNORED  # nothing may go to them until START
            await _blocking(contacts.opt_in, phone, url=url)
            await self._send(phone, say("utter_sms_opt_in").text, kind="opt_in")
            return inbound.DONE
        # "start" from a number that never opted out is an answer ("Start now?"): the bot's.
        if word == "help":
            await self._send(phone, say("utter_sms_help").text, kind="help")
            return inbound.DONE
        if text.media:
            await self._files(phone, text.media)
        if text.body.strip():
            await self._turn(phone, text.body)
        return inbound.DONE

    async def _turn(self, phone: str, body: str) -> None:
        url = self.settings.database_url
        menu = await _blocking(contacts.menu_of, phone, url=url)
        chosen = menus.choose(body, menu) if menu else None
        message = chosen or typed_command(body, button_commands())
        replies = await collected_turn(self.on_new_message, CHANNEL, phone, message)
        case_id = await self._case_id(phone)
        last_menu: list[dict] = []
        for reply in replies:
            words, last_menu = menus.render(reply.get("text") or "", reply.get("buttons") or [])
            await self._send(phone, words, case_id=case_id)
        # The menu of this turn's replies (or none): "2" means what the parent just saw.
        await _blocking(contacts.save_menu, phone, last_menu or None, url=url)

    async def _files(self, phone: str, files: list[dict]) -> None:
        """Texted photos and PDFs go on the parent's request, sorted later by the coordinator."""
        found = await _blocking(cases.cases_for_conversation, namespaced(CHANNEL, phone),
                                url=self.settings.database_url)
        if not found:
            await self._send(phone, say("utter_sms_files_no_case").text)
            return
        case = found[0]
        results = await _blocking(media.fetch_and_attach, case["id"], files, self.settings)
        stored = [r for r in results if r.stored]
        if stored:
            await self._send(phone, say("utter_sms_files_saved", count=len(stored),
                                        reference=case["reference"]).text, case_id=case["id"])
        reasons = list(dict.fromkeys(r.reason for r in results if not r.stored))
        if reasons:  # one text, however many files were refused
            await self._send(phone, say("utter_sms_file_refused",
                                        reason="; ".join(reasons)).text, case_id=case["id"])

    async def _case_id(self, phone: str) -> Optional[int]:
        found = await _blocking(cases.cases_for_conversation, namespaced(CHANNEL, phone),
                                url=self.settings.database_url)
        return found[-1]["id"] if found else None

    async def _send(self, phone: str, words: str, *, case_id: Optional[int] = None,
                    kind: str = "reply", even_if_opted_out: bool = False) -> None:
        await _blocking(send_sms, phone, words, case_id=case_id, kind=kind,
                        settings=self.settings, even_if_opted_out=even_if_opted_out)

    async def _send_safely(self, phone: str, words: str, kind: str) -> None:
        try:
            await self._send(phone, words, kind=kind)
        except Exception as exc:
            logger.error("sms error reply failed: %s", type(exc).__name__)
