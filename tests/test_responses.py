"""Every English response is plain (grade <= 8) and fits in SMS-sized messages."""
from __future__ import annotations

import copy
import dataclasses
import re
import string

import pytest
from tests.readability import grade
import yaml

from bot.dialogue import replies
from bot.programs import fee_values, load_catalogue
from bot.settings import REPO_ROOT, Settings

DOMAIN = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())
MAX_GRADE = 8
MAX_CHARS = 320

# Realistic values for placeholders, as long as they may get in production.
SAMPLE_VALUES = {
    **Settings().contact_slots(),
    **fee_values(),
    "county": "Rockdale County",
    "max_age": "21",
    "callback_number": "(478) 555-0100",
    # Two cases (spine and hip) at most; links as long as the portal makes them.
    "references": "SO-2026-00042 and SO-2026-00043",
    "link": "https://second-opinion.example.org/u/" + "x" * 80,
    "place": "Saint Simons Island",
    "facts": "scoliosis, age 14, Warner Robins 31088",
    "reference": "SO-2026-00042",
    "count": "2",
    "reason": "that type of file can't be used",
}


def all_texts():
    for name, variants in DOMAIN["responses"].items():
        for i, variant in enumerate(variants):
            if "text" in variant and not variant.get("condition"):
                yield pytest.param(name, variant["text"], id=f"{name}[{i}]")


def filled(text: str, reading: bool = False) -> str:
    fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
    missing = fields - SAMPLE_VALUES.keys()
    assert not missing, f"add a sample value for {missing}"
    # Nobody reads a URL aloud: for the grade it counts as one short word.
    return text.format(**{**SAMPLE_VALUES, **({"link": "link"} if reading else {})})


@pytest.mark.parametrize("name,text", list(all_texts()))
def test_message_fits_in_two_sms_segments(name, text):
    assert len(filled(text)) <= MAX_CHARS, f"{name} is {len(filled(text))} characters"


@pytest.mark.parametrize("name,text", [p for p in all_texts() if not p.values[0].endswith("_es")])
def test_plain_language(name, text):
    level = grade(filled(text, reading=True))
    assert level <= MAX_GRADE, f"{name} reads at grade {level:.1f}"


def test_spanish_replies_are_short_and_name_the_interpreter():
    spanish = {name: v for name, v in DOMAIN["responses"].items() if name.endswith("_es")}
    assert "utter_callback_offer_es" in spanish
    assert "intérprete" in spanish["utter_callback_offer_es"][0]["text"]
    assert "911" in spanish["utter_callback_offer_es"][0]["text"]


def test_fees_and_reviewers_match_the_service_page():
    page = (REPO_ROOT.parent / "shared" / "reference" / "service-page.txt")
    texts = " ".join(filled(v["text"]) for vs in DOMAIN["responses"].values() for v in vs)
    assert "$500" in texts and "$167" in texts
    assert "three Spine Program leaders" in texts and "one Hip Program leader" in texts.replace("One Hip", "one Hip")
    assert "7 to 10 days" in texts
    # No other dollar amounts than the two fees and their sum.
    assert set(re.findall(r"\$\d+", texts)) <= {"$500", "$167", "$667"}
    if page.exists():
        source = page.read_text()
        assert "$500" in source and "$167" in source


def test_every_response_used_by_an_action_or_story_exists():
    code = "".join(p.read_text() for p in (REPO_ROOT / "actions").glob("*.py"))
    code += (REPO_ROOT / "bot" / "data" / "faq_topics.yml").read_text()
    named = set(re.findall(r"\"(utter_[a-z_]+)\"", code)) | set(re.findall(r"response: (utter_[a-z_]+)", code))
    assert named, "found no response names: the pattern is wrong"
    assert named - DOMAIN["responses"].keys() == set()


def test_fees_are_written_only_in_the_catalogue(monkeypatch):
    raw = " ".join(v["text"] for vs in DOMAIN["responses"].values() for v in vs)
    assert not re.search(r"\$\s?\d", raw), "a fee is written in domain.yml"
    catalogue = load_catalogue()
    spine = catalogue.programs["spine"]
    dearer = copy.copy(catalogue)
    dearer.programs = {**catalogue.programs, "spine": dataclasses.replace(spine, fee_usd=550)}
    monkeypatch.setattr("bot.programs.load_catalogue", lambda path=None: dearer)
    text = replies.say("utter_eligible_hip_spine").text
    assert "$550" in text and "$717" in text and "$500" not in text
