"""The queue at /coordinator over real HTTP: call-backs first until marked done, the case
table with progress, due dates and flags, filters and search, and the audit rows written
for the queue and for /api/cases/{id}."""
import datetime as dt
import re
from urllib.parse import quote

import pytest
from sqlalchemy import update

from bot import cases
from bot.db import Case, session_scope
from bot.records import save_callback_request
from bot.staff import audit
from tests.portal.conftest import make_case
from tests.portal.helpers import csrf_of, visible_text
from tests.staff.helpers import T0, frozen_clock, signed_in


@pytest.fixture()
def now(monkeypatch):
    return frozen_clock(monkeypatch)


def received(url, case_id, when):
    with session_scope(url) as session:
        session.execute(update(Case).where(Case.id == case_id).values(
            status="documents_received", documents_received_at=when))


def rows(html, table):
    body = re.search(rf'<table class="queue" id="{table}">(.*?)</table>', html, re.S)
    return [visible_text(r) for r in re.findall(r"<tr class=\"\w+\">(.*?)</tr>",
                                                body.group(1), re.S)] if body else []


def test_call_backs_come_first_until_marked_done(portal, database_url, now):
    make_case(database_url)
    first = save_callback_request("rest:p1", "fees", "+14045550101")
    save_callback_request("sms:+14045550102", "a question", "+14045550102", language="es")
    browser = signed_in(portal)
    page = browser.get("/coordinator")
    assert page.text.index('id="callbacks"') < page.text.index('id="cases"')
    listed = rows(page.text, "callbacks")
    assert len(listed) == 2 and "(404) 555-0101" in listed[0] and "English" in listed[0]
    assert "Spanish (interpreter)" in listed[1]
    for odd in ("\u0661", "\uff11", "1e0", "0", "-1"):  # Arabic-Indic and fullwidth one
        assert browser.post_form(f"/coordinator/callbacks/{quote(odd)}/done",
                                 {"csrf_token": csrf_of(page.text)}).status == 404, odd
    done = browser.post_form(f"/coordinator/callbacks/{first}/done",
                             {"csrf_token": csrf_of(page.text)})
    assert done.status == 303
    page = browser.get(done.location)
    assert "marked done" in page.text and len(rows(page.text, "callbacks")) == 1
    again = browser.post_form(f"/coordinator/callbacks/{first}/done",
                              {"csrf_token": csrf_of(page.text)})
    assert again.status == 404
    (event,) = [e for e in audit.recent(url=database_url) if e["action"] == "callback.done"]
    assert event["actor"] == "casey" and event["detail"] == {"callback_id": first}


def test_case_rows_show_progress_due_state_and_flags(portal, database_url, now):
    fresh = make_case(database_url, conversation="rest:a")
    soon = make_case(database_url, conversation="rest:b")
    late = make_case(database_url, conversation="rest:c")
    received(database_url, soon["id"], T0 - dt.timedelta(days=7, hours=1))
    received(database_url, late["id"], T0 - dt.timedelta(days=10, hours=1))
    cases.mark_received(fresh["id"], "questionnaire", url=database_url)
    cases.add_flag([fresh["id"]], "red_flag", url=database_url)
    page = signed_in(portal).get("/coordinator")
    listed = rows(page.text, "cases")
    assert [r.split()[0] for r in listed] == [late["reference"], soon["reference"],
                                              fresh["reference"]]
    assert "overdue" in listed[0] and "Dec 7, 2026" in listed[0]
    assert "due soon" in listed[1] and "Dec 10, 2026" in listed[1]
    assert "Jane Doe" in listed[2] and "1/5" in listed[2] and "Red flag" in listed[2]
    assert "awaiting documents" in listed[2] and "rest" in listed[2]


def test_filters_and_search(portal, database_url, now):
    spine = make_case(database_url, conversation="rest:a")
    hip = make_case(database_url, program="hip", conversation="rest:b")
    late = make_case(database_url, conversation="rest:c")
    received(database_url, late["id"], T0 - dt.timedelta(days=11))
    with session_scope(database_url) as session:
        session.execute(update(Case).where(Case.id == hip["id"]).values(
            child_first_name="Lucía", child_last_name="Ortiz", guardian_phone="+14785550177"))
    cases.add_flag([spine["id"]], "red_flag", url=database_url)
    browser = signed_in(portal)

    def refs(query):
        page = browser.get("/coordinator?" + query)
        assert page.status == 200
        return {r.split()[0] for r in rows(page.text, "cases")}

    assert refs("program=hip") == {hip["reference"]}
    assert refs("status=documents_received") == {late["reference"]}
    assert refs("due=overdue") == {late["reference"]} and refs("due=due_soon") == set()
    assert refs("flagged=1") == {spine["reference"]}
    assert refs("q=" + hip["reference"].lower()) == {hip["reference"]}
    assert refs("q=" + quote("lucía ortiz")) == refs("q=ORTIZ") == {hip["reference"]}
    assert refs("q=(478)+555-0177") == refs("q=4785550177") == {hip["reference"]}
    assert refs("q=%25") == set()  # a LIKE wildcard is just a character
    card = browser.get("/coordinator?q=" + quote("4111 1111 1111 1111"))
    assert card.status == 200 and "1111 1111" not in card.text
    assert "1111 1111" not in str(audit.recent(url=database_url))
    assert refs("program=spine&flagged=1&q=doe") == {spine["reference"]}
    # The coordinator's statuses filter too; once the opinion is sent nothing is overdue.
    with session_scope(database_url) as session:
        session.execute(update(Case).where(Case.id == late["id"]).values(status="in_review"))
    assert refs("status=in_review") == refs("due=overdue") == {late["reference"]}
    with session_scope(database_url) as session:
        session.execute(update(Case).where(Case.id == late["id"]).values(status="opinion_sent"))
    assert refs("status=opinion_sent") == {late["reference"]} and refs("due=overdue") == set()
    assert 'value="not_eligible"' in browser.get("/coordinator").text


def test_queue_view_and_api_case_calls_are_audited(portal, database_url):
    case = make_case(database_url)
    browser = signed_in(portal)
    assert browser.get("/coordinator?program=spine").status == 200
    assert portal.api(f"/api/cases/{case['id']}").status == 200
    assert portal.api(f"/api/cases/{case['id']}/fhir").status == 200
    assert portal.api("/api/cases/999").status == 404  # nothing shown, nothing recorded
    trail = audit.for_case(case["id"], url=database_url)
    assert [(e["actor"], e["role"], e["action"]) for e in trail] == [
        ("casey", "coordinator", "queue.list"), ("api", "api", "api.case.view"),
        ("api", "api", "api.case.fhir")]
    assert all(e["ip"] == "127.0.0.1" and e["at"].endswith("Z") for e in trail)
    (view,) = [e for e in audit.recent(url=database_url) if e["action"] == "queue.view"]
    assert view["actor"] == "casey" and view["case_id"] is None
    assert view["detail"]["filters"]["program"] == "spine" and view["detail"]["total"] == 1
    portal.api("/api/cases")
    assert audit.for_case(case["id"], url=database_url)[-1]["action"] == "api.cases.list"


def test_every_control_has_a_label_and_tables_have_headers(portal, database_url):
    make_case(database_url)
    save_callback_request("rest:p1", "fees", "+14045550101")
    browser = signed_in(portal)
    page = browser.get("/coordinator").text
    controls = re.findall(r'<(?:input|select)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', page)
    assert set(controls) == {"q", "program", "status", "due", "flagged"}
    assert all(f'<label for="{c}">' in page for c in controls)
    assert '<option value="overdue" selected>Overdue</option>' in \
        browser.get("/coordinator?due=overdue").text
    assert page.count("<caption>") == 2 and 'scope="col"' in page and 'scope="row"' in page
    login = portal.browser().get("/coordinator/login").text
    assert '<label for="username">' in login and '<label for="password">' in login
