"""The one scrub (bot.scrub) against the corpus in tests/data/card_formats.yml: every
card and SSN format loses its digits, and what the bot asks for comes out unchanged."""
import time

import pytest
import yaml

from bot.channels import input_filter
from bot.scrub import CARD_MARKER, SSN_MARKER, scrub
from bot.settings import REPO_ROOT

CORPUS = yaml.safe_load((REPO_ROOT / "tests" / "data" / "card_formats.yml").read_text("utf-8"))


def digits_of(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def check_gone(entry: dict, out: str) -> None:
    # Every digit left is one the entry says to keep: nothing of the secret survives,
    # whatever separators remain around it.
    assert digits_of(out) == "".join(digits_of(k) for k in entry.get("kept", [])), out
    for secret in entry["secret"].split():
        assert secret not in digits_of(out)
    for word in entry.get("gone", []):
        assert word not in out
    for word in entry.get("kept", []):
        assert word in out


def test_the_corpus_is_big_enough():
    assert len(CORPUS["cards"]) + len(CORPUS["ssns"]) >= 50
    assert len(CORPUS["keep"]) >= 40


@pytest.mark.parametrize("entry", CORPUS["cards"], ids=lambda e: repr(e["text"])[:40])
def test_card_formats_are_removed(entry):
    out = scrub(entry["text"])
    assert out.removed_card and CARD_MARKER in out.text
    check_gone(entry, out.text)


@pytest.mark.parametrize("entry", CORPUS["ssns"], ids=lambda e: repr(e["text"])[:40])
def test_ssn_formats_are_removed(entry):
    out = scrub(entry["text"])
    assert out.removed_ssn and SSN_MARKER in out.text and not out.removed_card
    check_gone(entry, out.text)


@pytest.mark.parametrize("text", CORPUS["keep"], ids=lambda t: repr(t)[:40])
def test_what_the_bot_asks_for_survives(text):
    out = scrub(text)
    assert out.text == text and not out.removed


def test_the_chat_filter_is_this_scrub():
    assert input_filter.filter_inbound("078-05-1120").text == SSN_MARKER
    assert input_filter.CARD_MARKER == CARD_MARKER


def test_the_markers_carry_no_digits():
    # A marker must never itself look like a number the next pass could read.
    out = scrub("4111 1111 1111 1111 078-05-1120 cvv 123 exp 04/28").text
    assert digits_of(out) == ""


@pytest.mark.parametrize("text", [
    "1 " * 500_000, "31201 " * 150_000, "4" * 1_000_000, "1-" * 500_000,
    "ssn " + "123 45 6789 " * 50_000,
], ids=["digits-and-spaces", "zips", "one-long-run", "digits-and-dashes", "ssns"])
def test_a_huge_message_is_scrubbed_quickly(text):
    started = time.monotonic()
    out = scrub(text)
    assert time.monotonic() - started < 5
    assert "123 45 6789" not in out.text and "4444444444444" not in out.text
