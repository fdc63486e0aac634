"""The guided intake through the REST channel of the trained model: the questionnaire
in the chat, the case and its upload link. The answer for each question is chosen by
the question's linkId (read from the tracker), so rewording or adding a question
only needs an entry here, not a new script."""
from __future__ import annotations

import re
import uuid

from bot import cases
from bot.questionnaire import engine
from bot.questionnaire.model import load_definition

SPINE_ANSWERS = {
    "child_first_name": "Emma", "child_last_name": "lopez", "child_birth_date": "4/2/2012",
    "child_sex": "girl", "guardian_name": "Maria Lopez", "guardian_relationship": "mom",
    "guardian_mobile": "478-555-0188", "guardian_email": "maria@example.com",
    "contact_preference": "text", "home_zip": "31201", "diagnosis": "idiopathic scoliosis",
    "diagnosis_date": "march 2023", "diagnosed_by": "dr smith in macon",
    "current_treatment": "brace", "recommended_treatment": "surgery",
    "main_questions": "does she need surgery now or can we wait",
    "curve_size": "about 42 degrees", "spine_brace": "yes", "brace_hours": "18",
    "back_pain": "yes", "spine_red_flag": "no", "periods_started": "yes",
    "spine_family_history": "no", "spine_surgery": "no", "other_conditions": "none",
    "medicines": "none", "allergies": "penicillin", "pcp_name": "Dr. Ann Patel",
    "pcp_practice": "Macon Kids Pediatrics", "pcp_phone": "478-555-0111",
    "imaging_types": "xray and mri", "imaging_where": "Navicent Health",
    "imaging_when": "last month", "fee_call_phone": "same", "fee_call_time": "morning",
}
HIP_ANSWERS = {
    **{k: v for k, v in SPINE_ANSWERS.items() if not k.startswith(("spine", "curve", "brace", "periods"))},
    "child_first_name": "Noah", "child_sex": "boy", "diagnosis": "hip dysplasia",
    "current_treatment": "1", "recommended_treatment": "cast", "hip_age_at_diagnosis": "3 months",
    "breech": "yes", "first_born": "yes", "pavlik": "yes", "spica": "no", "hip_surgery": "no",
    "limp_or_pain": "no", "hip_family_history": "idk", "home_zip": "31401",
}


def texts(messages):
    return "\n".join(m.get("text", "") for m in messages)


def intake_state(servers, sender):
    slots = servers.tracker(f"rest:{sender}")["slots"]
    return slots.get("intake_state") or {}, slots.get("case_ids") or []


def current_link_id(servers, sender):
    state, _ = intake_state(servers, sender)
    item = engine.next_item(engine.ensure_state(dict(state)), load_definition())
    return item.link_id if item else None


def screen_and_accept(servers, sender, condition, dob, zip_code):
    servers.say(sender, "hi")
    servers.say(sender, "can my child get a records review?")
    servers.say(sender, condition)
    servers.say(sender, f"born {dob}")
    result = texts(servers.say(sender, zip_code))
    assert "Start now?" in result
    first = texts(servers.say(sender, "yes"))
    assert "one thing at a time" in first


def answer_until_confirm(servers, sender, answers, stop_at=None, limit=70):
    """Answer whatever is asked until the summary (or until `stop_at` is asked)."""
    count = 0
    for _ in range(limit):
        link_id = current_link_id(servers, sender)
        if link_id is None or link_id == stop_at:
            return count
        reply = texts(servers.say(sender, answers[link_id]))
        count += 1
        assert current_link_id(servers, sender) != link_id, f"{link_id!r} not accepted: {reply}"
    raise AssertionError("the questionnaire did not end")


def test_spine_intake_from_first_message_to_upload_link(servers):
    sender = f"spine-{uuid.uuid4().hex[:6]}"
    screen_and_accept(servers, sender, "scoliosis", "4/2/2012", "31201")
    answered = answer_until_confirm(servers, sender, SPINE_ANSWERS)
    assert answered >= 25
    done = texts(servers.say(sender, "yes"))
    assert "/u/" in done and "SO-" in done
    link = re.search(r"http://\S+/u/\S+", done).group(0)
    _, case_ids = intake_state(servers, sender)
    with servers.database():
        [case] = [cases.case_summary(i) for i in case_ids]
        assert case["status"] == "awaiting_documents"
        assert case["child"]["first_name"] == "Emma" and case["child"]["birth_date"] == "2012-04-02"
        assert case["guardian"]["phone"] == "+14785550188"
        assert cases.case_detail(case["id"])["answers"]["curve_size"] == 42
        from bot.notifier import outbox
        assert any("/u/" in m["body"] for m in outbox(case_id=case["id"]))
    upload_everything(servers, link, case["id"])


def upload_everything(servers, link, case_id):
    """Consent and uploads through the real page over HTTP, to documents_received."""
    from tests.portal.conftest import png_bytes
    from tests.portal.helpers import Browser, csrf_of, fake_pdf

    base, path = link.split("/u/", 1)
    path = "/u/" + path
    browser = Browser(base)
    gate = browser.get(path)
    assert gate.status == 200 and "birth" in gate.text.lower()
    wrong = browser.post_form(path + "/birth-date", {"csrf_token": csrf_of(gate.text),
                                                      "birth_date": "1/1/2015"})
    assert wrong.status in (200, 400, 403)
    page = browser.get(path)
    ok = browser.post_form(path + "/birth-date", {"csrf_token": csrf_of(page.text),
                                                   "birth_date": "04/02/2012"})
    assert ok.status == 303, ok.text
    csrf = csrf_of(browser.get(path).text)
    assert browser.post_form(path + "/consent", {"csrf_token": csrf, "signer_name": "Maria Lopez",
                                                 "agree": "yes"}).status == 303
    for kind, name, data in (("referral", "referral.pdf", fake_pdf()),
                             ("medical_records", "notes.pdf", fake_pdf()),
                             ("imaging", "xray.png", png_bytes())):
        resp = browser.post_files(path + f"/upload/{kind}", [("csrf_token", csrf)],
                                  [("files", name, data)])
        assert resp.status == 303, resp.text
    with servers.database():
        from bot.notifier import outbox
        assert cases.case_summary(case_id)["status"] == "documents_received"
        confirmations = [m for m in outbox(case_id=case_id) if "7 to 10 days" in m["body"]]
        assert confirmations, "the 'we received everything' message is in the outbox"
    api = servers.api(f"/api/cases/{case_id}")
    assert api["status"] == "documents_received" and len(api["documents"]) == 3


def test_hip_intake_skip_back_correction_pause_restart_resume(servers):
    sender = f"hip-{uuid.uuid4().hex[:6]}"
    screen_and_accept(servers, sender, "hip dysplasia", "5/6/2019", "31401")
    answer_until_confirm(servers, sender, HIP_ANSWERS, stop_at="breech")
    assert current_link_id(servers, sender) == "breech"
    servers.say(sender, "skip")                      # optional: skipped
    assert current_link_id(servers, sender) == "first_born"
    servers.say(sender, "no")
    servers.say(sender, "back")                      # undo "no" for first born
    assert current_link_id(servers, sender) == "first_born"
    servers.say(sender, "yes")
    servers.say(sender, "actually his birthday is 5/7/2019")  # a correction
    state, _ = intake_state(servers, sender)
    assert state["answers"]["child_birth_date"] == "2019-05-07"
    asked_before_pause = current_link_id(servers, sender)
    assert "pick up" in texts(servers.say(sender, "later"))
    servers.stop("rasa")
    servers.stop("actions")
    servers.start_actions()
    servers.start_rasa()
    resumed = texts(servers.say(sender, "ok im back"))
    assert "pick up where we left off" in resumed
    assert current_link_id(servers, sender) == asked_before_pause
    answer_until_confirm(servers, sender, HIP_ANSWERS)
    assert "/u/" in texts(servers.say(sender, "yes"))
    state, case_ids = intake_state(servers, sender)
    assert "breech" in state["skipped"]
    assert state["answers"]["first_born"] is True
    with servers.database():
        assert cases.case_summary(case_ids[0])["child"]["birth_date"] == "2019-05-07"


