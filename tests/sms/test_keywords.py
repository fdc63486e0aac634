"""Carrier SMS keywords: what opts out, opts in or asks for help, and what the bot reads."""
from __future__ import annotations

import pytest

from bot.sms.keywords import HELP_WORDS, OPT_IN_WORDS, OPT_OUT_WORDS, classify

OPT_OUT = [
    "STOP", "stop", "Stop", "  stop  ", "Stop.", "STOP!!", "stop?", "STOP 🛑", "🛑🛑 stop",
    "stop 🙏", "ＳＴＯＰ", "Stop\n", "STOPALL", "stop all", "Stop All!", "UNSUBSCRIBE",
    "unsubscribe.", "Cancel", "CANCEL!", "end", "END.", "quit", "Quit!", "revoke", "REVOKE",
    "optout", "opt out", "Opt-Out", "OPT OUT!!",
    # typos
    "stopp", "stpo", "sotp", "Sttop", "unsubscibe", "unsubcribe", "cancle", "cancell",
    "qiut", "revoek", "optuot",
    # short sentences only about our messages
    "stop texting me links", "Stop texting me", "please stop", "Please stop!!",
    "unsubscribe me", "stop sending me messages", "stop the texts", "quit texting",
    "stop texting me please", "Stop messaging me.", "STOP SENDING ME TEXTS",
    "pls stop texting", "stop it", "stop now", "stop these reminders", "cancel the texts",
    "end all messages", "stop stop stop", "Stop, thanks", "stop textign me 😡",
    "unsubscribe me from this list", "stop contacting me", "quit sending links",
]
OPT_IN = ["START", "start", "Start!", "start.", "UNSTOP", "unstop", "SUBSCRIBE",
          "subscribe 🙂", "RESUME", "Resume.", "  START  ", "ＳＴＡＲＴ"]
HELP = ["HELP", "help", "Help!", "help?", "HELP!!!", "INFO", "info", "Info.", "🆘 help",
        "hlep", "helpp", "ifno"]
NOT_KEYWORDS = [
    "when can we stop the brace", "stop the brace?", "stop the brace", "cancel my appointment",
    "the end of the form", "she had to quit soccer", "can I cancel?", "can I stop?",
    "I want to stop", "don't stop", "should she stop wearing the brace",
    "stop texting me?", "stop the form", "stop for now", "stop here",
    "Please cancel the appointment", "end of the day works", "we quit going to that doctor",
    "revoke the consent?", "my son says stop", "STOP! the brace hurts her",
    "stop by the office", "top", "and", "step", "shop", "please", "ok", "yes", "no", "2",
    "start now", "start over", "start again", "let's start", "strat", "resume the form",
    "I need help with the form", "help me", "help with the upload", "more info",
    "info about the fee", "hello", "Hi!", "what is this", "helpful thanks",
    "stopping the brace", "stopped", "cancelled", "ending", "", "   ", "😀", "?!",
]


@pytest.mark.parametrize("message", OPT_OUT)
def test_opt_out(message):
    assert classify(message) == "opt_out"


@pytest.mark.parametrize("message", OPT_IN)
def test_opt_in(message):
    assert classify(message) == "opt_in"


@pytest.mark.parametrize("message", HELP)
def test_help(message):
    assert classify(message) == "help"


@pytest.mark.parametrize("message", NOT_KEYWORDS)
def test_not_a_keyword(message):
    assert classify(message) is None


def test_the_tables_are_big_enough():
    assert len(OPT_OUT) >= 40 and len(NOT_KEYWORDS) >= 40


@pytest.mark.parametrize("words, kind", [(OPT_OUT_WORDS, "opt_out"), (OPT_IN_WORDS, "opt_in"),
                                         (HELP_WORDS, "help")])
def test_every_listed_word_works_in_any_case_with_punctuation(words, kind):
    for word in words:
        for message in (word, word.lower(), word.capitalize(), f" {word}! ", f"{word} 👍"):
            assert classify(message) == kind, message


def test_the_lists_are_carrier_keywords():
    assert {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"} <= set(OPT_OUT_WORDS)
    assert {"START", "UNSTOP"} <= set(OPT_IN_WORDS)
    assert set(HELP_WORDS) == {"HELP", "INFO"}
    assert not set(OPT_OUT_WORDS) & (set(OPT_IN_WORDS) | set(HELP_WORDS))
