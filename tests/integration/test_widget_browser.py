"""The website chat widget in a real browser (Playwright driving Debian's chromium) on the
portal's home page, talking to the real Rasa server's web channel with the trained model:
screening by buttons and typing, the questionnaire (each answer chosen by the question's
linkId read from the tracker), the summary, the upload link opening in a new tab, a
reload mid-way, a second browser, keyboard use, accessible names, contrast, a network
failure and an expired token. Prints the turn time seen in the browser (p50)."""
from __future__ import annotations

import json
import os
import re
import statistics
import time
import urllib.request

from typing import Optional

import pytest

from bot.channels.web_session import Sessions, conversation_id
from bot.questionnaire import engine
from bot.questionnaire.model import load_definition
from tests.browser.test_upload_page import ARGS, CHROMIUM
from tests.integration.servers import REPO_ROOT, Servers
from tests.integration.test_intake_chat import SPINE_ANSWERS

AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"  # `make test` installs it (npm ci)
# WCAG 2.1 A and AA rules; axe is run on the whole home page with the chat open.
AXE_RUN = """async () => (await axe.run(document, {runOnly: {type: 'tag',
    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations.map(
    v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))"""
PHONE, DESKTOP = {"width": 360, "height": 740}, {"width": 1280, "height": 800}
TURN_TIMEOUT_MS = 90_000
PACE_SECONDS = 1.05  # the web channel takes 10 messages per 10 s per conversation
# Resolves when the n+1-th bot bubble is on screen and the typing line is gone: the
# time since window.__sent (set just before Send), or -1 if the error line showed.
REPLY_SHOWN = """n => {
  const error = document.querySelector('.so-chat-error');
  if (error && !error.hidden) return -1;
  const done = document.querySelectorAll('.so-chat-bot').length > n
    && document.querySelector('.so-chat-typing').hidden;
  return done ? performance.now() - window.__sent : false;
}"""
# The colours of every text the widget shows, with the first opaque background behind it.
COLOURS = """() => [...document.querySelectorAll(
    '.so-chat-launcher, .so-chat-title, .so-chat-close, .so-chat-bot .so-chat-text, '
    + '.so-chat-user .so-chat-text, .so-chat-link, .so-chat-choice, .so-chat-send, '
    + '.so-chat-secondary, .so-chat-typing, .so-chat-error-text, .so-chat-retry, .so-chat-input')]
  .map(el => {
    let node = el, bg = 'rgb(255, 255, 255)';
    while (node) {
      const c = getComputedStyle(node).backgroundColor;
      if (c !== 'transparent' && !c.startsWith('rgba(0, 0, 0, 0)')) { bg = c; break; }
      node = node.parentElement;
    }
    return [el.className, getComputedStyle(el).color, bg];
  })"""
UNNAMED = """() => [...document.querySelectorAll('.so-chat-root button, .so-chat-root textarea')]
  .filter(el => !(el.getAttribute('aria-label') || el.textContent.trim()
                  || [...(el.labels || [])].some(l => l.textContent.trim())))
  .map(el => el.outerHTML)"""


@pytest.fixture(scope="module")
def chat_servers(servers):
    """The shared servers: the home page's widget talks to their Rasa (WEB_CHAT_URL)."""
    assert servers.env["WEB_CHAT_URL"] == servers.rasa_url
    return servers


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


class Chat:
    """The widget on the portal's home page, used the way a parent would."""

    def __init__(self, browser, servers: Servers, viewport=PHONE, init_script: str = ""):
        self.servers, self.context = servers, browser.new_context(viewport=viewport)
        if init_script:
            self.context.add_init_script(init_script)
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.busy_retries, self.last_sent, self.choices_clicked = 0, 0.0, []
        self.page.on("console", lambda m: self.console.append(m.text))
        self.page.goto(f"http://127.0.0.1:{servers.portal_port}/")
        self.box = self.page.get_by_label("Type your message")

    def open(self) -> None:
        self.page.get_by_role("button", name="Chat with us").click()
        self.page.locator(".so-chat-bot").first.wait_for()

    def bots(self) -> int:
        return self.page.locator(".so-chat-bot").count()

    def _wait(self, before: int) -> float:
        took = self.page.wait_for_function(REPLY_SHOWN, arg=before, polling="raf",
                                           timeout=TURN_TIMEOUT_MS).json_value()
        assert took >= 0, self.page.locator(".so-chat-error").inner_text()
        return took

    def _send(self, press) -> Optional[float]:
        """Time from Send to the reply on screen, in ms. At most a message a second, as
        the server allows (10 in 10 s); a 429 all the same shows the widget's Try again,
        and the turn is then retried (untimed)."""
        time.sleep(max(0.0, self.last_sent + PACE_SECONDS - time.monotonic()))
        self.last_sent = time.monotonic()
        before = self.bots()
        self.page.evaluate("() => { window.__sent = performance.now(); }")
        press()
        took = self.page.wait_for_function(REPLY_SHOWN, arg=before, polling="raf",
                                           timeout=TURN_TIMEOUT_MS).json_value()
        if took >= 0:
            return took
        assert "sending messages quickly" in self.page.get_by_role("alert").inner_text()
        self.busy_retries += 1
        self.page.wait_for_timeout(10_000)
        self.page.get_by_role("button", name="Try again").click()
        self._wait(before)
        return None

    def type(self, text: str) -> Optional[float]:
        self.box.fill(text)
        return self._send(lambda: self.box.press("Enter"))

    def click(self, title: str) -> Optional[float]:
        return self._send(lambda: self.page.get_by_role("button", name=title, exact=True).click())

    def answer(self, text: str) -> float:
        """A choice button when one says the answer ("1. Yes" for "yes"), else typing."""
        for title in self.page.locator(".so-chat-choice").all_inner_texts():
            if re.sub(r"^\d+\.\s*", "", title).strip().lower() == text.lower():
                self.choices_clicked.append(title)
                return self.click(title)
        return self.type(text)

    def last_replies(self, count: int = 3) -> str:
        return "\n".join(self.page.locator(".so-chat-bot").all_inner_texts()[-count:])

    def token(self) -> str:
        return self.page.evaluate("() => Object.entries(localStorage)"
                                  ".find(([k]) => k.startsWith('so-chat:'))[1]")

    def conversation(self) -> str:
        secret = self.servers.env["PORTAL_SECRET_KEY"]
        return conversation_id(Sessions(secret, 30).verify(self.token()))


def asked_link_id(servers: Servers, conversation: str):
    """The linkId of the question the conversation is on (None: the questionnaire is done)."""
    state = servers.tracker(conversation)["slots"].get("intake_state") or {}
    item = engine.next_item(engine.ensure_state(dict(state)), load_definition())
    return item.link_id if item else None


def contrast(fg: str, bg: str) -> float:
    def luminance(css: str) -> float:
        channels = [float(v) / 255 for v in re.findall(r"[\d.]+", css)[:3]]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_home_page_names_the_service_and_allows_only_the_chat_server(chat_servers):
    with urllib.request.urlopen(f"http://127.0.0.1:{chat_servers.portal_port}/") as resp:
        html, csp = resp.read().decode(), resp.headers["content-security-policy"]
    for fact in ("$500", "$167", "7 to 10 days", "Georgia", "scoliosis", "hip dysplasia",
                 f'data-chat-url="{chat_servers.rasa_url}"', 'src="/static/widget.js"'):
        assert fact in html
    assert f"connect-src 'self' {chat_servers.rasa_url}" in csp and "script-src 'self'" in csp
    with urllib.request.urlopen(f"http://127.0.0.1:{chat_servers.portal_port}/healthz") as resp:
        assert "connect-src" not in resp.headers["content-security-policy"]


def test_a_parent_goes_from_hello_to_the_upload_link(chat_servers, browser, tmp_path, capsys):
    chat = Chat(browser, chat_servers)
    chat.open()
    times = [chat.type(text) for text in ("hi", "can my child get a records review?",
                                          "scoliosis", "born 4/2/2012", "31201")]
    assert "Start now?" in chat.last_replies()
    times.append(chat.click("Start now"))
    assert "one thing at a time" in chat.last_replies()
    conversation, answered = chat.conversation(), 0
    while (link_id := asked_link_id(chat_servers, conversation)) is not None:
        if answered == 10:  # a reload mid-way: the history comes back and the chat goes on
            said = chat.page.locator(".so-chat-user").all_inner_texts()
            chat.page.reload()
            chat.page.wait_for_function("n => document.querySelectorAll('.so-chat-user')"
                                        ".length >= n", arg=len(said))
            assert chat.page.locator(".so-chat-user").all_inner_texts()[-3:] == said[-3:]
            assert chat.page.locator(".so-chat-panel").is_visible()
        times.append(chat.answer(SPINE_ANSWERS[link_id]))
        assert asked_link_id(chat_servers, conversation) != link_id, chat.last_replies()
        answered += 1
        assert answered < 70, "the questionnaire did not end"
    assert answered >= 25 and "Emma" in chat.last_replies()  # the short summary
    # The questions' "1) Yes 2) No" options were buttons, and clicking them answered.
    assert {"Yes", "Brace"} <= set(chat.choices_clicked), chat.choices_clicked
    times.append(chat.answer("yes"))
    assert "SO-" in chat.last_replies()
    upload_link = chat.page.locator(".so-chat-link[href*='/u/']").last
    assert upload_link.get_attribute("target") == "_blank"
    assert "noopener" in upload_link.get_attribute("rel")
    chat.page.screenshot(path=str(tmp_path / "widget-phone-360.png"))
    with chat.context.expect_page() as opened:
        upload_link.click()
    upload_page = opened.value
    upload_page.wait_for_load_state()
    assert "/u/" in upload_page.url and upload_page.get_by_label("birth date", exact=False).count()
    assert not any(SPINE_ANSWERS["guardian_email"] in line or "Content Security Policy" in line
                   for line in chat.console)
    timed = [t for t in times if t is not None]
    with capsys.disabled():
        print(f"\nwidget turn time seen in the browser: p50 {statistics.median(timed):.0f} ms, "
              f"max {max(timed):.0f} ms over {len(timed)} turns ({chat.busy_retries} retried "
              f"after a 429); screenshots in {tmp_path}")
    chat.context.close()


def test_a_second_browser_sees_nothing_of_the_first(chat_servers, browser):
    first = Chat(browser, chat_servers)
    first.open()
    first.type("my daughter has scoliosis, can you review her x rays?")
    # A forged token (the first one's, altered) in the second browser: a new conversation.
    forged = first.token()[:-2] + ("AA" if not first.token().endswith("AA") else "BB")
    key = f"so-chat:{chat_servers.rasa_url}:token"
    second = Chat(browser, chat_servers, init_script=f"localStorage.setItem({key!r}, {forged!r})")
    second.open()
    second.page.wait_for_function("() => !localStorage.getItem(%r).endsWith(%r)"
                                  % (key, forged[-2:]))
    assert second.page.locator(".so-chat-user").count() == 0
    assert "scoliosis" not in second.page.locator(".so-chat-log").inner_text()
    assert second.conversation() != first.conversation()
    first.context.close()
    second.context.close()


def test_keyboard_only(chat_servers, browser):
    chat = Chat(browser, chat_servers, viewport=DESKTOP)
    page, focused = chat.page, "() => document.activeElement.className"
    for _ in range(40):
        page.keyboard.press("Tab")
        if "so-chat-launcher" in page.evaluate(focused):
            break
    assert "so-chat-launcher" in page.evaluate(focused)
    page.keyboard.press("Enter")
    assert page.locator(".so-chat-panel").is_visible()
    assert page.evaluate("() => document.activeElement.id") == "so-chat-input"
    page.keyboard.type("hi")
    page.keyboard.press("Shift+Enter")  # a new line, not a send
    page.keyboard.type("there")
    assert chat.box.input_value() == "hi\nthere" and page.locator(".so-chat-user").count() == 0
    before = chat.bots()
    page.evaluate("() => { window.__sent = performance.now(); }")
    page.keyboard.press("Enter")
    chat._wait(before)
    assert chat.box.input_value() == ""
    page.keyboard.press("Escape")
    assert not page.locator(".so-chat-panel").is_visible()
    assert "so-chat-launcher" in page.evaluate(focused)
    assert page.get_by_role("button", name="Chat with us").get_attribute("aria-expanded") == "false"
    chat.context.close()


def test_names_live_region_contrast_and_layouts(chat_servers, browser, tmp_path):
    chat = Chat(browser, chat_servers, viewport=DESKTOP)
    chat.open()
    chat.type("hi")
    chat.click("Start over")  # the assistant asks, with numbered choices as buttons
    assert chat.page.get_by_role("button", name="2. No, keep going").is_visible()
    chat.click("2. No, keep going")
    chat.click("Talk to a person")
    page = chat.page
    assert page.get_by_role("dialog", name="Second opinion assistant").is_visible()
    log = page.get_by_role("log")
    assert log.get_attribute("aria-live") == "polite"
    assert page.evaluate(UNNAMED) == []
    for hovered in ("Send", "Start over", "Chat with us", "Close chat"):  # and at rest
        page.get_by_role("button", name=hovered).hover()
        for name, fg, bg in page.evaluate(COLOURS):
            assert contrast(fg, bg) >= 4.5, (hovered, name, fg, bg)
    page.screenshot(path=str(tmp_path / "widget-desktop-1280.png"))
    # A phone, and text at 200% (the same CSS width as 1280 px zoomed): the panel fits.
    for size in (PHONE, {"width": 640, "height": 400}):
        page.set_viewport_size(size)
        box = page.locator(".so-chat-panel").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"] + 0.5
        assert page.evaluate("() => document.documentElement.scrollWidth") <= size["width"]
        assert page.get_by_role("button", name="Send").is_visible()
    chat.context.close()


def test_a_lost_connection_and_an_expired_token(chat_servers, browser):
    chat = Chat(browser, chat_servers)
    chat.open()
    chat.type("hi")
    conversation = chat.conversation()
    chat.page.route("**/webhooks/web/message", lambda route: route.abort(), times=1)
    chat.box.fill("can my child get a records review?")
    chat.box.press("Enter")
    alert = chat.page.get_by_role("alert")
    alert.wait_for()
    assert "try again" in alert.inner_text().lower()
    assert chat.box.input_value() == "can my child get a records review?"  # not lost

    def forge(route):  # the server answers 401; the widget asks /session and retries
        body = route.request.post_data_json
        route.continue_(post_data=json.dumps({**body, "token": body["token"][:-4] + "AAAA"}))

    chat.page.route("**/webhooks/web/message", forge, times=1)
    sessions = []
    chat.page.on("request", lambda r: sessions.append(r) if r.url.endswith("/session") else None)
    before = chat.bots()
    chat.page.evaluate("() => { window.__sent = performance.now(); }")
    chat.page.get_by_role("button", name="Try again").click()
    chat._wait(before)
    assert [r.method for r in sessions] == ["POST"]  # once, after the 401
    assert chat.box.input_value() == "" and chat.conversation() == conversation
    assert "review" in chat.last_replies().lower()
    chat.context.close()


def test_axe_finds_no_wcag_aa_violations_on_phone_or_desktop(chat_servers, browser):
    if not AXE.exists():
        if os.environ.get("REQUIRE_BROWSER"):  # CI: `make test` must have installed it
            raise RuntimeError(f"{AXE} is missing: run `npm ci`")
        pytest.skip("axe-core is not installed (npm ci)")
    for viewport in (PHONE, DESKTOP):
        chat = Chat(browser, chat_servers, viewport=viewport)
        chat.open()
        chat.type("hi")
        chat.click("Start over")  # buttons and numbered choices on screen
        # evaluate() runs the script without the page's CSP, which forbids inline code.
        chat.page.evaluate(AXE.read_text())
        assert chat.page.evaluate(AXE_RUN) == [], viewport
        chat.context.close()
