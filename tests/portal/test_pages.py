"""Every page a parent can see: plain language (grade <= 8), labelled controls, no
external resources, security headers; links never reach the access log."""
import logging
import re
from html.parser import HTMLParser

import pytest

from bot.portal import consent, uploads
from bot.portal.app import RedactLinks
from bot.portal.notices import confirmation_text
from tests.portal.conftest import sign_in
from tests.portal.helpers import csrf_of, visible_text
from tests.readability import grade

MAX_GRADE = 8


class Controls(HTMLParser):
    """Collects form controls, labels, and legends to check that each has a name."""

    def __init__(self):
        super().__init__()
        self.inputs, self.labels, self.urls, self.h1 = [], set(), [], 0
        self.fieldsets, self.legends = 0, 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("input", "textarea", "select") and a.get("type") not in ("hidden", "submit"):
            self.inputs.append(a)
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        for key in ("src", "href", "action"):
            if a.get(key):
                self.urls.append(a[key])
        self.h1 += tag == "h1"
        self.fieldsets += tag == "fieldset"
        self.legends += tag == "legend"


def check_page(html: str, max_grade: float = MAX_GRADE, text: str = None):
    parser = Controls()
    parser.feed(html)
    assert '<html lang="en">' in html and parser.h1 == 1
    assert 'name="viewport"' in html
    for control in parser.inputs:
        assert control.get("id") in parser.labels, f"no label for {control}"
    assert parser.fieldsets == parser.legends
    for url in parser.urls:  # nothing from another site: no CDN, no web fonts
        assert not re.match(r"(?i)(https?:)?//", url), url
    words = text if text is not None else visible_text(html)
    assert grade(words) <= max_grade, (grade(words), words[:500])


def test_gate_and_error_pages_are_plain_and_accessible(start_portal, case):
    portal = start_portal(DOB_MAX_TRIES=1)
    browser = portal.browser()
    path = portal.link_path(case["id"])
    gate = browser.get(path)
    check_page(gate.text)
    assert 'type="date"' in gate.text and 'for="birth_date"' in gate.text
    check_page(portal.browser().get("/u/nope").text)  # 404
    check_page(portal.browser().get("/nothing-here").text)  # unknown page: HTML too
    wrong = browser.post_form(path + "/birth-date", {"csrf_token": csrf_of(gate.text),
                                                     "birth_date": "1/1/2011"})
    assert wrong.status == 429
    check_page(wrong.text)
    stale = portal.browser().post_form(path + "/consent", {"signer_name": "x"})
    assert stale.status == 403
    check_page(stale.text)


def test_case_page_is_plain_and_accessible(portal, case):
    browser, path, csrf = sign_in(portal, case["id"])
    html = browser.get(path).text
    # The questionnaire's own wording is checked by tests/questionnaire; here the rest.
    page_text = visible_text(re.sub(r'(?s)<form method="post" action="[^"]+/questionnaire".*?'
                                    r"</form>", " ", html))
    check_page(html, text=page_text)
    assert html.count('type="file"') == 3 and html.count(" multiple ") >= 3
    assert 'enctype="multipart/form-data"' in html
    # Every POST form carries the CSRF token as its first field.
    for form in re.findall(r'(?s)<form method="post".*?</form>', html):
        first = re.search(r"<input[^>]*>", form).group(0)
        assert 'name="csrf_token"' in first


def test_upload_refusal_page_is_plain(portal, case):
    browser, path, csrf = sign_in(portal, case["id"])
    resp = browser.post_files(path + "/upload/referral", [("csrf_token", csrf)],
                              [("files", "notes.pdf", b"plain text " * 100)])
    assert resp.status == 415
    check_page(resp.text)


@pytest.mark.parametrize("program", ["spine", "hip"])
def test_consent_and_confirmation_are_plain(portal, program):
    assert grade(consent.consent_text(program, portal.settings)) <= MAX_GRADE
    summary = {"program": program, "reference": "SO-2026-00042"}
    text = confirmation_text(summary, portal.settings)
    assert grade(text) <= MAX_GRADE and len(text) <= 320 and "7 to 10 days" in text
    assert grade(uploads.ALLOWED) <= MAX_GRADE


def test_css_is_served_and_has_focus_styles(portal):
    resp = portal.browser().get("/static/portal.css")
    assert resp.status == 200 and resp.headers["content-type"].startswith("text/css")
    assert ":focus-visible" in resp.text and "@import" not in resp.text
    assert "url(" not in resp.text  # no fonts or images from anywhere


def test_security_headers_and_no_caching(portal, case):
    browser, path, _ = sign_in(portal, case["id"])
    resp = browser.get(path)
    assert resp.headers["referrer-policy"] == "no-referrer"  # the link is a key
    assert "default-src 'self'" in resp.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in resp.headers["content-security-policy"]
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert resp.headers["cache-control"] == "no-store"


def test_access_log_hides_link_tokens():
    record = logging.LogRecord("uvicorn.access", logging.INFO, "", 0,
                               '%s - "%s %s HTTP/%s" %d', ("127.0.0.1:5", "GET",
                               "/u/eyJjYXNlIjoxfQ.abc.def/upload/imaging", "1.1", 200), None)
    RedactLinks().filter(record)
    assert "eyJ" not in record.getMessage() and "/u/***/upload/imaging" in record.getMessage()


def test_uploads_are_not_served(portal, case):
    browser, path, csrf = sign_in(portal, case["id"])
    browser.post_files(path + "/upload/referral", [("csrf_token", csrf)],
                       [("files", "a.pdf", b"%PDF-1.4\n" + b"0" * 600)])
    from bot import cases
    (doc,) = cases.case_detail(case["id"], url=portal.settings.database_url)["documents"]
    from bot.db import Document, session_scope
    with session_scope(portal.settings.database_url) as session:
        stored = session.get(Document, doc["id"]).stored_name
    for guess in (f"/static/{stored}", f"/uploads/{case['id']}/{stored}",
                  f"/static/../../var/uploads/{case['id']}/{stored}"):
        assert portal.browser().get(guess).status == 404
