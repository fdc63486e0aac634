"""The case page at /coordinator/cases/{id} over real HTTP: sign-in first, 404s, answers
by group, flags, documents (download, inline preview, DICOM header and frame), the signed
consent, the transcript from Rasa's events table, and the audit rows it writes."""
import hashlib
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from bot import cases, checklist
from bot.db import engine_for
from bot.sms import contacts
from bot.staff import audit
from tests.portal.conftest import dicom_bytes, make_case, png_bytes
from tests.portal.helpers import fake_pdf, visible_text
from tests.staff.helpers import signed_in


def store(portal, case_id: int, data: bytes, kind: str, name: str, content_type: str,
          flags=None) -> int:
    """A document as the upload code leaves it: a random-looking name in upload_dir/<id>."""
    digest = hashlib.sha256(data).hexdigest()
    stored = digest[:32] + {"image/png": ".png", "application/pdf": ".pdf",
                            "application/dicom": ".dcm"}[content_type]
    folder = Path(portal.settings.upload_dir) / str(case_id)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / stored).write_bytes(data)
    return cases.add_document(case_id, kind, name, stored, content_type, len(data), digest,
                              flags=flags, url=portal.settings.database_url).id


def section(html: str, title_id: str) -> str:
    found = re.search(rf'<section aria-labelledby="{title_id}">(.*?)</section>', html, re.S)
    assert found, title_id
    return visible_text(found.group(1))


def test_sign_in_first_then_404_for_unknown_and_odd_ids(portal, database_url):
    case = make_case(database_url)
    anonymous = portal.browser().get(f"/coordinator/cases/{case['id']}")
    assert anonymous.status == 303
    assert anonymous.location == f"/coordinator/login?next=/coordinator/cases/{case['id']}"
    download = portal.browser().get(f"/coordinator/cases/{case['id']}/documents/1/download")
    assert download.status == 303 and download.location.startswith("/coordinator/login")
    browser = signed_in(portal)
    for path in ("/coordinator/cases/999", "/coordinator/cases/0", "/coordinator/cases/-1",
                 "/coordinator/cases/9223372036854775808",
                 "/coordinator/cases/1e3", "/coordinator/cases/%2e%2e",
                 f"/coordinator/cases/{case['id']}/documents/..%2F..%2Fetc%2Fpasswd/download",
                 f"/coordinator/cases/{case['id']}/documents/99999999999999999999/preview",
                 f"/coordinator/cases/{case['id']}/documents/1/download"):
        assert browser.get(path).status == 404, path
    assert audit.for_case(999, url=database_url) == []


def test_page_shows_header_answers_flags_consent_and_transcript(portal, database_url):
    case = make_case(database_url, conversation="sms:+14045550100")
    cases.add_flag([case["id"]], "red_flag", url=database_url)
    cases.record_consent(case["id"], "Mary Doe", "v1", "0" * 64,
                         signed_text="I agree to pay $500 for the spine review.",
                         url=database_url)
    contacts.opt_out("+14045550100", url=database_url)
    with engine_for(database_url).begin() as conn:  # Rasa's SQLTrackerStore table
        conn.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, "
                          "type_name TEXT, timestamp REAL, intent_name TEXT, "
                          "action_name TEXT, data TEXT)"))
        for n, (kind, said) in enumerate([("user", "hi, my daughter has scoliosis"),
                                          ("bot", "I can help with that."),
                                          ("action", None)]):
            conn.execute(text("INSERT INTO events (sender_id, type_name, timestamp, data) "
                              "VALUES (:s, :t, :at, :d)"),
                         {"s": "sms:+14045550100", "t": kind, "at": 1796000000 + n,
                          "d": json.dumps({"text": said} if said else {})})
        conn.execute(text("INSERT INTO events (sender_id, type_name, timestamp, data) "
                          "VALUES ('rest:other', 'user', 1, '{\"text\": \"not ours\"}')"))
    page = signed_in(portal).get(f"/coordinator/cases/{case['id']}")
    assert page.status == 200 and page.headers["cache-control"] == "no-store"
    assert re.search(r"<h1>Case SO-\d{4}-\d+: Jane Doe</h1>", page.text)
    head = visible_text(page.text.split('id="case-head"')[1].split("</dl>")[0])
    assert "spine" in head and "intake started" in head and "sms" in head
    assert "1 of 5 received" in head
    flags = section(page.text, "flags-title")
    assert "Red flag" in flags and "Opted out of SMS (+14045550100)" in flags
    assert "Missing: Fee agreement" not in flags and "Medical records" in flags
    answers = section(page.text, "answers-title")
    assert "About your child" in answers and "Jane" in answers and "Apr 2, 2012" in answers
    assert answers.index("About your child") < answers.index("About you ")
    assert "<dl class=\"answers\">" in page.text and "<dt>" in page.text
    consent = section(page.text, "consent-title")
    assert "Mary Doe" in consent and "I agree to pay $500 for the spine review." in consent
    said = section(page.text, "transcript-title")
    assert said.index("Parent") < said.index("hi, my daughter") < said.index("Assistant") \
        < said.index("I can help with that.")
    assert "not ours" not in said


def test_choice_codes_show_as_their_display_text(portal, database_url):
    case = make_case(database_url, program="hip")
    cases.update_answers([case["id"]], {"contact_preference": "sms", "child_sex": "female",
                                        "guardian_relationship": "grandparent"},
                         url=database_url)
    page = signed_in(portal).get(f"/coordinator/cases/{case['id']}")
    answers = section(page.text, "answers-title")
    assert "Best way to reach you Text message" in answers and "Sex Female" in answers
    assert "Relationship Grandparent" in answers and "Review Hip" in answers
    assert " sms " not in answers and "female" not in answers


def test_documents_listed_downloaded_and_previewed(portal, database_url):
    case = make_case(database_url)
    photo = store(portal, case["id"], png_bytes(3, 2), checklist.TEXTED_DOCUMENT,
                  "IMG_0001.png", "image/png")
    pdf_data = fake_pdf()
    letter = store(portal, case["id"], pdf_data, checklist.REFERRAL, 'ref "x".pdf',
                   "application/pdf")
    browser = signed_in(portal, "rita", "reviewer")  # a reviewer may read everything
    page = browser.get(f"/coordinator/cases/{case['id']}")
    assert page.status == 200
    rows = [visible_text(r) for r in re.findall(r'<tr class="document">(.*?)</tr>',
                                                page.text, re.S)]
    assert "IMG_0001.png texted, to sort 73 bytes" in rows[0]
    assert "Referral from your child's doctor" in rows[1]
    base = f"/coordinator/cases/{case['id']}/documents"
    assert f'<img src="{base}/{photo}/preview"' in page.text
    assert f'href="{base}/{letter}/preview" target="_blank"' in page.text

    got = browser.get(f"{base}/{letter}/download")
    assert got.status == 200 and got.body == pdf_data
    assert got.headers["content-type"] == "application/octet-stream"
    assert got.headers["content-disposition"].startswith('attachment; filename="ref _x_.pdf"')
    shown = browser.get(f"{base}/{photo}/preview")
    assert shown.status == 200 and shown.body == png_bytes(3, 2)
    assert shown.headers["content-type"] == "image/png"
    assert shown.headers["content-disposition"].startswith("inline;")
    assert browser.get(f"{base}/{letter}/preview").headers["content-type"] == "application/pdf"

    other = make_case(database_url, conversation="rest:other")
    assert browser.get(f"/coordinator/cases/{other['id']}/documents/{photo}/download") \
        .status == 404  # a document of another case
    trail = audit.for_case(case["id"], url=database_url)
    assert [(e["actor"], e["action"], e["detail"]) for e in trail] == [
        ("rita", "case.view", {}), ("rita", "document.download", {"document_id": letter}),
        ("rita", "document.view", {"document_id": photo}),
        ("rita", "document.view", {"document_id": letter})]
    again = browser.get(f"/coordinator/cases/{case['id']}")
    assert section(again.text, "audit-title").index("case.view") \
        < section(again.text, "audit-title").index("document.download")  # newest first
    # Many later views cannot push the download off the page: the whole trail is a click away.
    for _ in range(55):
        browser.get(f"/coordinator/cases/{case['id']}/summary.pdf")
    page = browser.get(f"/coordinator/cases/{case['id']}").text
    assert "document.download" not in section(page, "audit-title") and "?audit=all" in page
    everything = browser.get(f"/coordinator/cases/{case['id']}?audit=all").text
    assert "document.download" in section(everything, "audit-title")
    assert "?audit=all" not in everything


def test_stored_file_that_is_not_what_it_claims_is_not_shown_inline(portal, database_url):
    case = make_case(database_url)
    doc = store(portal, case["id"], b"<html><script>alert(1)</script>" + b" " * 600,
                checklist.MEDICAL_RECORDS, "x.png", "image/png")
    browser = signed_in(portal)
    base = f"/coordinator/cases/{case['id']}/documents/{doc}"
    assert browser.get(base + "/preview").status == 404
    assert browser.get(base + "/download").status == 200


def test_dicom_header_fields_and_frame(portal, database_url):
    case = make_case(database_url)
    doc = store(portal, case["id"], dicom_bytes(name="Roe^Jim"), checklist.IMAGING,
                "IM0001.dcm", "application/dicom",
                flags={"mismatch": ["patient_name"], "needs_review": True})
    browser = signed_in(portal)
    page = browser.get(f"/coordinator/cases/{case['id']}")
    figure = visible_text(page.text.split(f'id="preview-{doc}"')[1].split("</figure>")[0])
    assert "Patient name Roe^Jim" in figure and "Birth date 2012-04-02" in figure
    assert "Study date 2024-01-05" in figure and "Modality CR" in figure
    assert "DICOM patient name does not match the child: IM0001.dcm" in \
        section(page.text, "flags-title")
    frame = browser.get(f"/coordinator/cases/{case['id']}/documents/{doc}/frame.png")
    assert frame.status == 200 and frame.headers["content-type"] == "image/png"
    assert frame.body.startswith(b"\x89PNG\r\n\x1a\n")
    assert browser.get(f"/coordinator/cases/{case['id']}/documents/{doc}/preview") \
        .status == 404  # browsers cannot show DICOM itself


def test_queue_rows_link_to_the_case(portal, database_url):
    case = make_case(database_url)
    page = signed_in(portal).get("/coordinator")
    assert f'<a href="/coordinator/cases/{case["id"]}">{case["reference"]}</a>' in page.text


@pytest.mark.parametrize("pillow", [True, False])
def test_png_writers_make_a_png(monkeypatch, pillow):
    import builtins

    import numpy as np

    from bot.portal.coordinator import case_view
    if not pillow:
        real = builtins.__import__
        monkeypatch.setattr(builtins, "__import__", lambda name, *a, **k: (
            (_ for _ in ()).throw(ImportError(name)) if name == "PIL" else real(name, *a, **k)))
    png = case_view._png(np.arange(12, dtype=np.uint8).reshape(3, 4))
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and b"IEND" in png
