import pytest

from bot.channels.conversation_ids import channel_of, namespaced
from bot.channels.input_filter import CARD_MARKER, filter_inbound, luhn_valid


@pytest.mark.parametrize("text", [
    "my card is 4111 1111 1111 1111",
    "4111-1111-1111-1111 exp 04/28 cvv 123",
    "visa 4111111111111111",
    "amex 3782 822463 10005 thx",
    "here 5555555555554444 pls charge it",
    "card 4111 1111 1111 1112",  # mistyped (fails Luhn): still a card, still removed
])
def test_card_numbers_never_pass(text):
    out = filter_inbound(text)
    assert out.removed_card
    assert CARD_MARKER in out.text
    digits = "".join(ch for ch in out.text if ch.isdigit())
    assert len(digits) < 13


def test_security_code_and_expiry_next_to_a_card_are_removed():
    out = filter_inbound("4111111111111111 exp 04/28 cvv 123")
    assert "123" not in out.text and "04/28" not in out.text


@pytest.mark.parametrize("text", [
    "31201", "she is 12", "born 3/5/2015", "call me at 478-555-0199",
    "(404) 555-0142", "her curve is 35 degrees", "", "zip 30309-1234",
])
def test_ordinary_answers_are_untouched(text):
    out = filter_inbound(text)
    assert out.text == text and not out.removed_card


def test_luhn():
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111112")


def test_conversation_ids_are_namespaced_once():
    assert namespaced("rest", "abc") == "rest:abc"
    assert namespaced("rest", "rest:abc") == "rest:abc"
    assert channel_of("sms:+14045550100") == "sms"
    assert channel_of("abc") == "unknown"


def test_only_our_buttons_may_send_commands():
    from bot.channels.input_filter import typed_command
    from bot.dialogue.replies import button_commands

    allowed = button_commands()
    assert {"affirm", "request_human", "check_eligibility"} <= allowed
    assert typed_command("/affirm", allowed) == "/affirm"
    # Rasa's own commands typed by anyone are words, not orders.
    for typed in ("/restart", " /restart", "//restart", "/session_start", "/back"):
        assert not typed_command(typed, allowed).lstrip().startswith("/")
    # Entities in a command could set slots: refused too.
    assert not typed_command('/affirm{"case_ids": [3]}', allowed).startswith("/")
    assert typed_command("my son said /restart lol", allowed) == "my son said /restart lol"
