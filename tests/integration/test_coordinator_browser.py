"""The coordinator's day in a real browser (Playwright driving Debian's chromium) against
the servers `make run` starts: a parent's chat through the trained model creates the case
and asks for a person; the parent uploads on the real page; the coordinator (an account
made with the real CLI) signs in, finds the call-back at the top of the queue, opens the
case, previews the X-ray, records the fee taken by phone and marks the call-back done."""
from __future__ import annotations

import re
import subprocess
import uuid

from sqlalchemy import select

from bot.db import AuditEvent, CallbackRequest, Case, session_scope
from tests.browser.test_upload_page import ARGS, CHROMIUM
from tests.integration.servers import PYTHON, REPO_ROOT
from tests.integration.test_intake_chat import (SPINE_ANSWERS, answer_until_confirm,
                                                intake_state, screen_and_accept, texts,
                                                upload_everything)

PASSWORD = "a long pass phrase for casey"


def chat_to_a_case(servers) -> tuple[int, str]:
    sender = f"browser-{uuid.uuid4().hex[:6]}"
    screen_and_accept(servers, sender, "scoliosis", "4/2/2012", "31201")
    answer_until_confirm(servers, sender, SPINE_ANSWERS)
    done = texts(servers.say(sender, "yes"))
    link = re.search(r"http://\S+/u/\S+", done).group(0)
    asked = texts(servers.say(sender, "can I talk to a real person? 478-555-0166"))
    assert "478" in asked, asked
    _, [case_id] = intake_state(servers, sender)
    upload_everything(servers, link, case_id)
    return case_id, f"rest:{sender}"


def add_coordinator(servers) -> None:
    made = subprocess.run([str(PYTHON), "-m", "bot", "users", "add", "casey", "--role",
                           "coordinator", "--password-stdin"], input=PASSWORD + "\n",
                          cwd=REPO_ROOT, env=servers.env, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr


def test_a_coordinator_works_a_case_from_a_real_chat_in_a_browser(servers, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    case_id, conversation = chat_to_a_case(servers)
    add_coordinator(servers)
    base = f"http://127.0.0.1:{servers.portal_port}"
    with session_scope(servers.database_url) as session:
        reference = session.get(Case, case_id).reference

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.goto(base + f"/coordinator/cases/{case_id}")  # not signed in: the login page
        page.get_by_label("Username").fill("casey")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/coordinator/cases/{case_id}"), page.url  # back where it was
        page.goto(base + "/coordinator")

        callbacks = page.locator("#callbacks")
        expect(callbacks).to_contain_text("(478) 555-0166")
        expect(callbacks).to_contain_text("asked for a person")
        page.locator("#cases").get_by_role("link", name=reference).click()
        page.wait_for_load_state()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Emma")
        expect(page.locator("#case-status")).to_have_text("Documents received")

        xray = page.get_by_role("img", name=re.compile("xray.png"))
        xray.scroll_into_view_if_needed()
        expect(xray).to_be_visible()
        assert xray.evaluate("img => img.complete && img.naturalWidth > 0"), "preview loaded"
        with page.context.expect_page() as opened:
            page.get_by_role("link", name=re.compile("Open PDF.*referral.pdf")).click()
        pdf_tab = opened.value
        pdf_tab.wait_for_load_state()
        assert f"/coordinator/cases/{case_id}/documents/" in pdf_tab.url
        pdf_tab.close()

        page.get_by_label("Amount in dollars", exact=False).fill("500")
        page.get_by_role("button", name="Record the fee").click()
        page.wait_for_load_state()
        expect(page.locator("#case-status")).to_have_text("Fee collected")
        expect(page.locator("#timeline")).to_contain_text("Fee collected")
        page.screenshot(path=str(tmp_path / "case-page.png"), full_page=True)

        page.goto(base + "/coordinator")
        # Other tests' parents may be waiting too: this parent's row, by its number.
        ours = page.locator("#callbacks tr", has_text="(478) 555-0166")
        ours.get_by_role("button", name=re.compile("Mark done")).click()
        page.wait_for_load_state()
        expect(page.get_by_role("status")).to_contain_text("marked done")
        expect(page.locator("#callbacks tr", has_text="(478) 555-0166")).to_have_count(0)
        page.screenshot(path=str(tmp_path / "queue.png"), full_page=True)
        browser.close()

    with session_scope(servers.database_url) as session:
        case = session.get(Case, case_id)
        assert (case.status, case.fee_amount_usd, case.fee_collected_by) == \
            ("fee_collected", 500, "casey")
        assert session.execute(select(CallbackRequest.status).where(
            CallbackRequest.conversation_id == conversation)).scalars().all() == ["done"]
        actions = set(session.execute(select(AuditEvent.action).where(
            AuditEvent.actor == "casey", AuditEvent.case_id == case_id)).scalars())
    assert {"case.view", "document.view"} <= actions, actions
    assert any("fee" in a or "status" in a for a in actions), actions
