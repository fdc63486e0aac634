"""A whole spine intake by text, from the parent's first message to the case and its
upload link, then a photo texted onto the case. Prints the texts and segments used."""
from __future__ import annotations

import re
import urllib.request

from bot import cases
from bot.questionnaire import engine
from bot.questionnaire.model import load_definition
from bot.sms import text as sms_text
from tests.integration.sms_phone import Phone
from tests.integration.test_intake_chat import SPINE_ANSWERS

FIRST = ("Hi, my daughter Emma is 13 and has scoliosis, her curve is about 42 degrees. "
         "Her doctor in Macon wants surgery and we want a second opinion. We live in 31201.")
MAX_PARENT_TEXTS = 40
# What the parent told us that must never come back in a text (the rule: nothing
# clinical or identifying beyond the parent's own first name).
PRIVATE = ["Emma", "lopez", "42 degree", "2012", "Patel", "Navicent", "penicillin",
           "Macon Kids", "smith"]


def current_item(servers, phone: Phone):
    slots = servers.tracker(f"sms:{phone.number}")["slots"]
    if (slots.get("dialogue") or {}).get("stage") != "intake":
        return None, slots
    item = engine.next_item(engine.ensure_state(dict(slots.get("intake_state") or {})),
                            load_definition())
    return item, slots


def run_intake(servers, phone: Phone) -> str:
    """Texts until the upload link arrives; returns the link."""
    phone.text(FIRST)
    for _ in range(MAX_PARENT_TEXTS + 10):
        item, slots = current_item(servers, phone)
        link = re.search(r"https?://\S+/u/\S+", "\n".join(phone.replies[-3:]))
        if link and slots.get("case_ids") and item is None \
                and "Thank you, we started" in "\n".join(phone.replies[-3:]):
            return link.group(0)
        if item is None:
            phone.text("yes")  # start now / everything is right / yes, I live there
        else:
            phone.text(SPINE_ANSWERS.get(item.link_id, "not sure"))
    raise AssertionError("no upload link: " + "\n---\n".join(phone.replies[-4:]))


def test_a_full_spine_intake_by_text(servers, fake_twilio):
    phone = Phone(servers, fake_twilio)
    link = run_intake(servers, phone)
    segments = [sms_text.segments(r) for r in phone.replies]
    chars = sum(len(r) for r in phone.replies) / len(phone.replies)
    print(f"\nSMS intake: {phone.texts_sent} parent texts, {len(phone.replies)} bot texts, "
          f"{sum(segments)} segments, {sum(segments) / len(segments):.2f} segments and "
          f"{chars:.0f} characters per text")
    transcript = servers.workdir / "sms-intake-transcript.txt"
    transcript.write_text(phone.show())
    assert phone.texts_sent <= MAX_PARENT_TEXTS
    with servers.database():
        [case] = cases.cases_for_conversation(f"sms:{phone.number}")
        assert case["status"] == "awaiting_documents" and case["program"] == "spine"
        assert case["channel"] == "sms"
        assert cases.case_detail(case["id"])["answers"]["curve_size"] == 42
    with urllib.request.urlopen(link, timeout=30) as page:
        assert page.status == 200
    for reply in phone.replies:
        for value in PRIVATE:
            assert value.lower() not in reply.lower(), (value, reply)

    photo = fake_twilio.add_media(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 4000,
                                  "image/jpeg", redirect="path")
    replies = phone.text("here is her xray", media=[(photo, "image/jpeg")])
    assert any(case["reference"] in r for r in replies)
    with servers.database():
        documents = cases.case_detail(case["id"])["documents"]
    assert [d["kind"] for d in documents] == ["texted"]
