"""A real browser (Playwright driving Debian's chromium) fills the upload page."""
from __future__ import annotations

import os
import shutil

import pytest

from bot import cases
from tests.portal.conftest import png_bytes
from tests.portal.helpers import fake_pdf

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    # .ci/run installs chromium and sets REQUIRE_BROWSER=1, so CI never skips this.
    if os.environ.get("REQUIRE_BROWSER"):
        raise RuntimeError("chromium is required (apt-get install chromium)")
    pytest.skip("chromium is not installed", allow_module_level=True)

# Without these, chromium tries to reach Google's services from a closed network.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture()
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
        yield context.new_page()
        browser.close()


def test_parent_fills_the_upload_page_in_a_browser(portal, case, page, tmp_path):
    page.goto(portal.base + portal.link_path(case["id"]))
    page.get_by_label("birth date", exact=False).fill("2012-04-02")
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="Send us your child's records").is_visible()

    page.fill("#signer_name", "Mary Doe")
    page.check("#agree")
    page.get_by_role("button", name="Sign").click()
    page.wait_for_load_state()

    referral, notes, xray = tmp_path / "referral.pdf", tmp_path / "notes.pdf", tmp_path / "xray.png"
    referral.write_bytes(fake_pdf())
    notes.write_bytes(fake_pdf())
    xray.write_bytes(png_bytes())
    for kind, files in (("referral", [referral]), ("medical_records", [notes]),
                        ("imaging", [xray, notes])):
        page.set_input_files(f"#files-{kind}", [str(f) for f in files])
        page.locator(f"form[action$='/upload/{kind}'] button[type=submit]").click()
        page.wait_for_load_state()

    detail = cases.case_detail(case["id"], url=portal.settings.database_url)
    assert {d["kind"] for d in detail["documents"]} == {"referral", "medical_records", "imaging"}
    assert len(detail["documents"]) == 4
    kinds = {item["kind"]: item["status"] for item in detail["checklist"]}
    assert kinds["financial_consent"] == "received" and kinds["imaging"] == "received"
    assert page.get_by_text("Done", exact=False).count() >= 4
    page.screenshot(path=str(tmp_path / "upload-page.png"), full_page=True)
