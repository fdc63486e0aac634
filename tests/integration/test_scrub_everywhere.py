"""Card numbers and SSNs typed anywhere a parent can type (chat: first message, an
answer, a free-text answer; the web form's free text; the consent signer name) appear
nowhere afterwards: not in a tracker event, not in any row of any table, not in a log.

"Appear" is checked on normalised text: separators between digits are dropped, so
"4111 1111\\t1111-1111" still counts as 4111111111111111."""
from __future__ import annotations

import json
import re
import uuid

import sqlalchemy as sa

from bot.scrub import CARD_MARKER, SSN_MARKER
from tests.integration.test_intake_chat import (SPINE_ANSWERS, current_link_id, intake_state,
                                                screen_and_accept, texts)
from tests.portal.helpers import Browser, csrf_of
from tests.portal.test_forms_and_flow import SPINE_FORM, post_questionnaire

# Where each number is typed -> (message, digits that must never be stored).
CHAT_FIRST = ("hi can you charge my card 4111.1111.1111.1111 exp 04/28 cvv 123",
              "4111111111111111")
CHAT_FIRST_SSN = ("my social is 078051120 is that needed", "078051120")
CHAT_ANSWER = ("219-09-9999", "219099999")  # typed as the answer to the phone question
CHAT_FREE_TEXT = ("does she need surgery? card 5555\t5555  5555\n5555 ssn 536 22 1234",
                  "5555555555554444 536221234")
FORM_FREE_TEXT = ("can we wait? amex 3782 822463 10005", "378282246310005")
FORM_OTHER = ("his ssn 457 55 5462", "457555462")
CONSENT_NAMES = (("Maria Lopez 6011.0009.9013.9424", "6011000990139424"),
                 ("Maria Lopez 514-27-3896", "514273896"))
INJECT = {"guardian_mobile": CHAT_ANSWER, "main_questions": CHAT_FREE_TEXT}

SECRETS = [d for _, digits in (CHAT_FIRST, CHAT_FIRST_SSN, CHAT_ANSWER, CHAT_FREE_TEXT,
                               FORM_FREE_TEXT, FORM_OTHER, *CONSENT_NAMES)
           for d in digits.split()]
_BETWEEN_DIGITS = re.compile(r"(?<=\d)(?:[\s.\-/\\_()+*|,]|\\[tnr])+(?=\d)")


def normalised(text: str) -> str:
    return _BETWEEN_DIGITS.sub("", text)


def leaks(text: str) -> list[str]:
    flat = normalised(text)
    return [s for s in SECRETS if s in flat]


def strings_in(value):
    """Every string leaf of a value; JSON held in a string is opened up too."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from strings_in(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from strings_in(v)
    elif isinstance(value, (bytes, memoryview)):
        yield from strings_in(bytes(value).decode("utf-8", "replace"))
    elif isinstance(value, str):
        yield value
        if value[:1] in "{[":
            try:
                yield from strings_in(json.loads(value))
            except ValueError:
                pass
    elif value is not None:
        yield str(value)


def chat_through_the_questionnaire(servers, sender):
    servers.say(sender, CHAT_FIRST[0])
    screen_and_accept(servers, sender, "scoliosis", "4/2/2012", "31201")
    injected = set()
    for _ in range(80):
        link_id = current_link_id(servers, sender)
        if link_id is None:
            break
        if link_id in INJECT and link_id not in injected:
            injected.add(link_id)
            servers.say(sender, INJECT[link_id][0])
            continue
        servers.say(sender, SPINE_ANSWERS[link_id])
    assert injected == set(INJECT), "the card and SSN were typed as answers"
    done = texts(servers.say(sender, "yes"))
    return re.search(r"http://\S+/u/\S+", done).group(0)


def post_on_the_page(link):
    base, path = link.split("/u/", 1)
    path, browser = "/u/" + path, Browser(base)
    gate = browser.get(path)
    assert browser.post_form(path + "/birth-date", {"csrf_token": csrf_of(gate.text),
                                                     "birth_date": "04/02/2012"}).status == 303
    csrf = csrf_of(browser.get(path).text)
    values = {**SPINE_FORM, "main_questions": FORM_FREE_TEXT[0], "other_conditions": FORM_OTHER[0]}
    resp = post_questionnaire(browser, path, csrf, values)
    assert resp.status == 303, resp.text[:800]
    for name, _ in CONSENT_NAMES:
        resp = browser.post_form(path + "/consent", {"csrf_token": csrf, "signer_name": name,
                                                     "agree": "yes"})
        assert resp.status == 303, resp.text[:800]


def database_strings(url):
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    meta.reflect(engine)
    try:
        with engine.connect() as conn:
            for table in meta.sorted_tables:
                for row in conn.execute(table.select()):
                    for value in row:
                        yield table.name, value
    finally:
        engine.dispose()


def test_card_and_ssn_digits_are_stored_nowhere(servers):
    sender = f"scrub-{uuid.uuid4().hex[:6]}"
    other = f"scrub-ssn-{uuid.uuid4().hex[:6]}"
    servers.say(other, CHAT_FIRST_SSN[0])
    link = chat_through_the_questionnaire(servers, sender)
    post_on_the_page(link)
    _, case_ids = intake_state(servers, sender)

    tracker_text = []
    for conversation in (f"rest:{sender}", f"rest:{other}"):
        for event in servers.tracker(conversation)["events"]:
            tracker_text.extend(strings_in(event))
    joined = "\n".join(tracker_text)
    assert CARD_MARKER in joined and SSN_MARKER in joined  # the messages did arrive
    assert not leaks(joined), "a card or SSN is in a tracker event"

    found = {}
    for table, value in database_strings(servers.database_url):
        for text in strings_in(value):
            found.setdefault(table, []).append(text)
    rows = "\n".join(t for texts_ in found.values() for t in texts_)
    assert "events" in found and "consents" in found and "cases" in found
    assert f"Maria Lopez {CARD_MARKER}" in rows and f"Maria Lopez {SSN_MARKER}" in rows
    assert "can we wait? amex " + CARD_MARKER in rows
    for table, texts_ in found.items():
        assert not leaks("\n".join(texts_)), f"a card or SSN is stored in table {table}"

    for case_id in case_ids:
        for path in (f"/api/cases/{case_id}", f"/api/cases/{case_id}/fhir"):
            assert not leaks("\n".join(strings_in(servers.api(path)))), path
    assert not leaks("\n".join(strings_in(servers.api("/api/outbox"))))

    logs = list(servers.workdir.glob("*.log"))
    assert logs
    for log in logs:
        assert not leaks(log.read_text(errors="replace")), f"a card or SSN is in {log.name}"
