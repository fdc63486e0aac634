"""The printable case summary: a real case in a migrated SQLite database, the PDF read
back with pypdf (its text holds the child's name, the answers by group, the flags, the
documents and the consent), odd text that must not break it, and the route over real
HTTP (sign-in first, both roles, audit row, 404s)."""
import datetime as dt
import io
import types

import pytest
from pypdf import PdfReader

from bot import cases, checklist
from bot.exports import summary_pdf
from bot.settings import Settings
from bot.staff import audit
from tests.portal.conftest import dicom_bytes, make_case, portal, start_portal  # noqa: F401
from tests.portal.test_coordinator_case_page import store
from tests.staff.helpers import signed_in

NOW = dt.datetime(2026, 12, 7, 15, 0)
HAS_DEJAVU = (summary_pdf.FONT_DIR / summary_pdf.FONT_FILES[""]).is_file()


def text_of(pdf: bytes) -> tuple[str, int]:
    """(the words of every page joined by single spaces, number of pages)."""
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(p.extract_text() or "" for p in reader.pages).split()), \
        len(reader.pages)


@pytest.fixture()
def settings(database_url, tmp_path) -> Settings:
    return Settings(database_url=database_url, upload_dir=str(tmp_path / "uploads"))


def full_case(settings: Settings) -> dict:
    url = settings.database_url
    case = make_case(url)
    cases.update_answers([case["id"]], {
        "diagnosis": "Adolescent idiopathic scoliosis", "curve_size": 42,
        "spine_brace": True, "child_sex": "female",
        "main_questions": "Does she need surgery now, or can we wait a year?"}, url=url)
    cases.add_flag([case["id"]], "red_flag", url=url)
    holder = types.SimpleNamespace(settings=settings)
    store(holder, case["id"], dicom_bytes(birth="20110101"), checklist.IMAGING,
          "spine_xray.dcm", "application/dicom", flags={"mismatch": ["birth_date"]})
    cases.record_consent(case["id"], "Mary Doe", "v1", "ab" * 32,
                         signed_text="I agree to pay $500 for the spine review.", url=url)
    return case


def test_summary_holds_the_child_answers_by_group_flags_documents_and_consent(settings):
    case = full_case(settings)
    summary = summary_pdf.build(case["id"], settings, NOW)
    assert summary.reference == case["reference"]
    text, _ = text_of(summary.pdf)
    assert "Second opinion document review" in text and "Spine program" in text
    assert case["reference"] in text and "Intake started" in text
    assert "Jane Doe" in text and "Apr 2, 2012" in text and "14 years" in text
    assert "Mary Doe" in text and "(404) 555-0100" in text and "parent@example.org" in text
    for title in ("About your child", "About you", "Your child's condition",
                  "About the spine"):
        assert title in text, title
    assert text.index("About your child") < text.index("Your child's condition") \
        < text.index("About the spine")
    assert "Adolescent idiopathic scoliosis" in text and "Female" in text
    assert "Does she need surgery now, or can we wait a year?" in text
    assert "Red flag: the answers name a warning sign" in text
    assert "DICOM birth date does not match the child: spine_xray.dcm" in text
    assert "Missing: " in text and "Medical records" in text
    assert "spine_xray.dcm" in text and "patient birth date 2011-01-01" in text
    assert "modality CR" in text
    assert "ab" * 32 in text and "I agree to pay $500 for the spine review." in text
    assert "Confidential" in text and "contains health information" in text
    assert "Page 1 of" in text
    assert summary_pdf.case_summary_pdf(case["id"], settings).startswith(b"%PDF-")


def test_a_case_with_no_answers_still_gives_a_pdf(settings):
    case = cases.create_cases("rest:empty", ["hip"], url=settings.database_url)[0]
    text, pages = text_of(summary_pdf.case_summary_pdf(case["id"], settings))
    assert pages == 1 and "Hip program" in text and case["reference"] in text
    assert "No answers yet." in text and "No documents yet." in text
    assert "Not signed yet." in text and "not given yet" in text


def test_unknown_case_is_a_lookup_error(settings):
    with pytest.raises(LookupError):
        summary_pdf.case_summary_pdf(424242, settings)


def test_very_long_and_non_latin_answers_do_not_break_it(settings):
    url = settings.database_url
    case = make_case(url)
    long_text = " ".join(f"word{n}" for n in range(700))[:4980] + " LONG-ANSWER-END"
    assert len(long_text) >= 4990
    cases.update_answers([case["id"]], {
        "main_questions": long_text, "medicines": "x" * 5000 + "NOSPACE-END",
        "allergies": "Мария: пенициллин; José Ñúñez; 脊柱侧弯 🙂 \x00\x07 tab\there",
        "diagnosis": ""}, url=url)
    text, pages = text_of(summary_pdf.case_summary_pdf(case["id"], settings))
    assert pages >= 2 and f"Page {pages} of {pages}" in text
    assert "word0 word1" in text and "LONG-ANSWER-END" in text
    assert "NOSPACE-END" in text.replace(" ", "")  # a word wider than the page is cut
    assert "José Ñúñez" in text
    if HAS_DEJAVU:  # DejaVu has Cyrillic but neither CJK nor emoji
        assert "Мария: пенициллин" in text and "???? ?" in text
    assert "脊" not in text and "🙂" not in text


def test_without_the_unicode_font_helvetica_prints_latin1(settings, monkeypatch, tmp_path):
    monkeypatch.setattr(summary_pdf, "FONT_DIR", tmp_path / "no-fonts")
    case = make_case(settings.database_url)
    cases.update_answers([case["id"]], {"allergies": "José — Мария 🙂"},
                         url=settings.database_url)
    text, _ = text_of(summary_pdf.case_summary_pdf(case["id"], settings))
    assert "Jane Doe" in text and "José - ????? ?" in text
    assert "Confidential - contains health information" in text


# --- over HTTP -----------------------------------------------------------------------------

def test_route_needs_sign_in_and_serves_the_pdf_to_a_reviewer(portal, database_url):
    case = full_case(portal.settings)
    path = f"/coordinator/cases/{case['id']}/summary.pdf"
    anonymous = portal.browser().get(path)
    assert anonymous.status == 303
    assert anonymous.location == f"/coordinator/login?next={path}"
    as_json = portal.browser().get(path, headers={"Accept": "application/json"})
    assert as_json.status == 401
    assert audit.for_case(case["id"], url=database_url) == []

    got = signed_in(portal, "rita", "reviewer").get(path)
    assert got.status == 200
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"] == \
        f'inline; filename="{case["reference"]}-summary.pdf"'
    assert got.headers["cache-control"] == "no-store"
    text, _ = text_of(got.body)
    assert "Jane Doe" in text and "Adolescent idiopathic scoliosis" in text
    rows = [r for r in audit.for_case(case["id"], url=database_url)
            if r["action"] == "case.export.pdf"]
    assert [(r["actor"], r["role"]) for r in rows] == [("rita", "reviewer")]


@pytest.mark.parametrize("export, action", [("summary.pdf", "case.export.pdf"),
                                            ("fhir.json", "case.export.fhir")])
def test_routes_404_for_unknown_and_odd_ids(portal, database_url, export, action):
    browser = signed_in(portal)
    for case_id in ("999", "0", "-1", "1e3", "9223372036854775808", "%2e%2e"):
        got = browser.get(f"/coordinator/cases/{case_id}/{export}")
        assert got.status == 404, case_id
    assert [r for r in audit.recent(url=database_url) if r["action"] == action] == []


def test_the_fhir_bundle_downloads_for_signed_in_staff_only(portal, database_url):
    from fhir.resources.R4B.bundle import Bundle

    case = full_case(portal.settings)
    path = f"/coordinator/cases/{case['id']}/fhir.json"
    assert portal.browser().get(path).status == 303  # to the sign-in page
    got = signed_in(portal, "rita", "reviewer").get(path)
    assert got.status == 200 and got.headers["content-type"] == "application/fhir+json"
    assert got.headers["content-disposition"] == \
        f'attachment; filename="{case["reference"]}-fhir.json"'
    bundle = Bundle.parse_raw(got.body)
    assert {e.resource.resource_type for e in bundle.entry} >= {"Patient", "Task"}
    assert [r["actor"] for r in audit.for_case(case["id"], url=database_url)
            if r["action"] == "case.export.fhir"] == ["rita"]
    page = signed_in(portal).get(f"/coordinator/cases/{case['id']}").text
    assert f'href="{path}"' in page and 'summary.pdf"' in page
