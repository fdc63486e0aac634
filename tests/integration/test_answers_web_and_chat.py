"""Answers given alternately in the chat (REST channel) and on the upload page's form
(portal over HTTP) all survive, through the running servers."""
from __future__ import annotations

import re
import uuid

from tests.integration.test_intake_chat import (current_link_id, intake_state,
                                                screen_and_accept, texts)
from tests.portal.helpers import Browser, csrf_of


def sign_in(link: str) -> tuple[Browser, str]:
    base, path = link.split("/u/", 1)
    path = "/u/" + path
    browser = Browser(base)
    gate = browser.get(path)
    ok = browser.post_form(path + "/birth-date", {"csrf_token": csrf_of(gate.text),
                                                   "birth_date": "04/02/2012"})
    assert ok.status == 303, ok.text
    return browser, path


def post_answers(browser: Browser, path: str, values: dict) -> None:
    """Open the page (as after every save) and post these answers."""
    csrf = csrf_of(browser.get(path).text)
    fields = {"csrf_token": csrf, **values, **{k + "_shown": "1" for k in values}}
    resp = browser.post_form(path + "/questionnaire", fields)
    assert resp.status == 303, resp.text[:2000]


def test_answers_given_alternately_in_chat_and_on_the_web_form_all_survive(servers):
    sender = f"alternate-{uuid.uuid4().hex[:6]}"
    screen_and_accept(servers, sender, "scoliosis", "4/2/2012", "31201")
    servers.say(sender, "Emma")                                               # chat
    assert current_link_id(servers, sender) == "child_last_name"
    reply = texts(servers.say(sender, "can I finish this online?"))
    link = re.search(r"http://\S+/u/\S+", reply).group(0)
    browser, path = sign_in(link)
    post_answers(browser, path, {"child_last_name": "Lopez",                  # web
                                 "guardian_name": "Maria Lopez"})
    reply = texts(servers.say(sender, "continue"))                            # chat
    assert "last name" not in reply.lower()
    assert current_link_id(servers, sender) == "child_sex"
    servers.say(sender, "girl")
    assert current_link_id(servers, sender) == "guardian_relationship"  # name: from the web
    post_answers(browser, path, {"guardian_relationship": "mother",           # web
                                 "guardian_mobile": "478-555-0188"})
    servers.say(sender, "maria@example.com")                                  # chat
    _, [case_id] = intake_state(servers, sender)
    answers = servers.api(f"/api/cases/{case_id}")["answers"]
    wanted = {"child_first_name": "Emma", "child_last_name": "Lopez", "child_sex": "female",
              "guardian_name": "Maria Lopez", "guardian_relationship": "mother",
              "guardian_mobile": "+14785550188", "guardian_email": "maria@example.com"}
    assert {k: answers.get(k) for k in wanted} == wanted
