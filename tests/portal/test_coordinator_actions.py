"""The case actions over real HTTP: status moves, the fee (never card data), the opinion
letter and the family's message, notes, a fresh link, a request for a missing item;
reviewers get 403, a form without the CSRF token 403, a refused move a message."""
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import cases, notifier
from bot.db import Document, session_scope
from bot.staff import audit, family, notes, workflow
from bot.staff.users import REVIEWER
from tests.portal.conftest import make_case, png_bytes
from tests.portal.helpers import csrf_of, fake_pdf
from tests.staff.helpers import case_row, frozen_clock, set_status, signed_in

CARD = "4111 1111 1111 1111"
ROUTES = ("status", "fee", "notes", "resend-link", "ask", "opinion")


@pytest.fixture(autouse=True)
def now(monkeypatch):
    return frozen_clock(monkeypatch)


def coordinator(portal):
    browser = signed_in(portal)
    return browser, csrf_of(browser.get("/coordinator").text)


def post(browser, csrf, case_id, route, **fields):
    return browser.post_form(f"/coordinator/cases/{case_id}/{route}",
                             {"csrf_token": csrf, **fields})


def test_reviewers_and_forms_without_the_token_get_403(portal, database_url):
    case_id = make_case(database_url)["id"]
    reviewer = signed_in(portal, "rita", REVIEWER)
    token = csrf_of(reviewer.get("/coordinator").text)
    for route in ROUTES:
        assert post(reviewer, token, case_id, route, to="withdrawn").status == 403, route
    browser, csrf = coordinator(portal)
    for route in ROUTES[:-1]:
        assert post(browser, "", case_id, route, to="withdrawn", text="x").status == 403
    assert case_row(database_url, case_id).status == "intake_started"
    set_status(database_url, case_id, "in_review")  # where a letter could be sent
    opinion = browser.post_files(f"/coordinator/cases/{case_id}/opinion",
                                 [("csrf_token", "wrong")],
                                 [("letter", "opinion.pdf", fake_pdf())])
    assert opinion.status == 403
    assert case_row(database_url, case_id).status == "in_review"
    with session_scope(database_url) as session:
        assert session.execute(select(Document)).first() is None
    assert not list((Path(portal.settings.upload_dir) / str(case_id)).glob("*"))
    assert notes.for_case(case_id, database_url) == []
    assert post(browser, csrf, 99999, "status", to="withdrawn").status == 404
    assert post(browser, csrf, "1x", "status", to="withdrawn").status == 404


def test_fee_assign_review_and_refused_moves(portal, database_url):
    case_id = make_case(database_url, program="hip")["id"]
    browser, csrf = coordinator(portal)
    early = post(browser, csrf, case_id, "fee", collected_on="2026-12-07", amount="167",
                 collected_by="casey")
    assert early.status == 409 and "cannot become fee collected" in early.text
    set_status(database_url, case_id, "documents_received")
    card = post(browser, csrf, case_id, "fee", collected_on="2026-12-07", amount="167",
                collected_by=f"casey, card {CARD} exp 04/29")
    assert card.status == 400 and "card number" in card.text and "1111" not in card.text
    assert case_row(database_url, case_id).fee_amount_usd is None
    done = post(browser, csrf, case_id, "fee", collected_on="2026-12-07", amount="500",
                collected_by="casey")
    assert done.status == 303 and done.location == f"/coordinator/cases/{case_id}#actions"
    row = case_row(database_url, case_id)
    assert (row.status, row.fee_amount_usd, row.fee_collected_by) == ("fee_collected", 500,
                                                                      "casey")
    (step,) = workflow.timeline(case_id, database_url)
    assert "$167" in step["details"]["warning"]  # the hip fee, not what was typed
    assert post(browser, csrf, case_id, "status", to="opinion_sent").status == 400
    assert post(browser, csrf, case_id, "status", to="assigned", team="hip").status == 303
    assert case_row(database_url, case_id).assigned_team == "hip"
    refused = post(browser, csrf, case_id, "status", to="closed")
    assert refused.status == 409 and "cannot become closed" in refused.text
    assert post(browser, csrf, case_id, "status", to="in_review").status == 303
    assert post(browser, csrf, case_id, "status", to="withdrawn",
                reason=f"paid with {CARD}").status == 400
    assert post(browser, csrf, case_id, "status", to="withdrawn",
                reason="family chose another hospital").status == 303
    assert post(browser, csrf, case_id, "status", to="in_review").status == 409
    moves = [e["detail"]["to"] for e in audit.for_case(case_id, database_url)
             if e["action"] == "case.status"]
    assert moves == ["fee_collected", "assigned", "in_review", "withdrawn"]


@pytest.mark.parametrize("conversation", ["rest:parent-1", "sms:+14045550100"])
def test_opinion_letter_is_kept_and_the_family_told(portal, database_url, monkeypatch,
                                                    conversation):
    texts = []
    real_send_sms = family.send_sms

    def spy(phone, body, **kwargs):
        texts.append((phone, body))
        return real_send_sms(phone, body, **kwargs)

    monkeypatch.setattr(family, "send_sms", spy)
    case_id = make_case(database_url, conversation=conversation)["id"]
    set_status(database_url, case_id, "in_review")
    browser, csrf = coordinator(portal)
    path = f"/coordinator/cases/{case_id}/opinion"
    image = browser.post_files(path, [("csrf_token", csrf)],
                               [("letter", "opinion.png", png_bytes())])
    assert image.status == 400 and "PDF" in image.text
    for cut in (b"%PDF", fake_pdf()[:-40]):  # four bytes; a letter cut off before its end
        short = browser.post_files(path, [("csrf_token", csrf)], [("letter", "opinion.pdf", cut)])
        assert short.status == 400 and case_row(database_url, case_id).status == "in_review"
    sent = browser.post_files(path, [("csrf_token", csrf)],
                              [("letter", "opinion.pdf", fake_pdf())])
    assert sent.status == 303, sent.text
    with session_scope(database_url) as session:
        (doc,) = session.execute(select(Document).where(Document.case_id == case_id)).scalars()
    assert (doc.kind, doc.content_type) == ("opinion_letter", "application/pdf")
    assert case_row(database_url, case_id).status == "opinion_sent"
    told = [m for m in notifier.outbox(case_id=case_id, url=database_url)
            if m["kind"] == "opinion_ready"]
    channels = sorted(m["channel"] for m in told)
    assert channels == sorted([conversation.split(":")[0], "email"])
    for message in told:
        body = message["body"]
        assert "coordinator will call" in body
        assert not re.search(r"(?i)jane|doe|spine|scoliosis|curve|surgery", body)
    if conversation.startswith("sms"):
        assert [p for p, _ in texts] == ["+14045550100"]
    else:
        assert texts == []
    assert [t["action"] for t in workflow.timeline(case_id, database_url)] == [
        "status", "family_told"]
    again = browser.post_files(path, [("csrf_token", csrf)],
                               [("letter", "opinion.pdf", fake_pdf())])
    assert again.status == 409


def test_notes_resend_link_and_ask_for_an_item(portal, database_url):
    case_id = make_case(database_url)["id"]
    browser, csrf = coordinator(portal)
    assert post(browser, csrf, case_id, "notes", text=f"Card {CARD} read out").status == 303
    assert post(browser, csrf, case_id, "notes", text="  ").status == 400
    (note,) = notes.for_case(case_id, database_url)
    assert "1111 1111" not in note["text"] and note["author"] == "casey"
    old_link = portal.link_path(case_id)
    before = cases.link_version(case_id, url=database_url)
    assert post(browser, csrf, case_id, "resend-link").status == 303
    assert cases.link_version(case_id, url=database_url) == before + 1
    new_link = portal.link_path(case_id)
    links = [m["body"] for m in notifier.outbox(case_id=case_id, url=database_url)
             if m["kind"] == "link"]
    assert links and new_link in links[0] and old_link not in links[0]
    assert post(browser, csrf, case_id, "ask", item="imaging").status == 303
    assert post(browser, csrf, case_id, "ask", item="nonsense").status == 400
    asked = [m for m in notifier.outbox(case_id=case_id, url=database_url)
             if m["kind"] == "item_request"]
    assert {m["channel"] for m in asked} == {"rest", "email"}
    assert "please send the images (X-ray, MRI, CT or ultrasound) when you can" in asked[0]["body"]
    assert "please send the images" in asked[0]["body"]
    actions_done = [t["action"] for t in workflow.timeline(case_id, database_url)]
    assert actions_done == ["link_resent", "item_requested"]
    set_status(database_url, case_id, "closed")
    assert post(browser, csrf, case_id, "resend-link").status == 409
    assert post(browser, csrf, case_id, "ask", item="imaging").status == 409
    assert len(workflow.timeline(case_id, database_url)) == 2
    trail = {e["action"] for e in audit.for_case(case_id, database_url)}
    assert {"case.note", "case.link_resent", "case.item_requested"} <= trail


def test_the_case_page_shows_the_forms_to_coordinators_only(portal, database_url):
    case_id = make_case(database_url)["id"]
    set_status(database_url, case_id, "documents_received")
    notes.add(case_id, "Call after 3 pm <b>", "casey", url=database_url)
    browser, _ = coordinator(portal)
    page = browser.get(f"/coordinator/cases/{case_id}").text
    assert 'id="fee-form"' in page and 'value="500"' in page and 'id="ask-form"' in page
    assert "Call after 3 pm &lt;b&gt;" in page and 'id="opinion-form"' not in page
    assert re.search(r'<option value="withdrawn">Withdrawn</option>', page)
    reviewer = signed_in(portal, "rita", REVIEWER)
    read_only = reviewer.get(f"/coordinator/cases/{case_id}").text
    section = read_only[read_only.index('id="actions"'):read_only.index('id="timeline"')]
    assert "<form" not in section and "Call after 3 pm" in section
    assert "Documents received" in section
