import pytest

from bot.nlu.safety_override import override_intent
from bot.safety import has_red_flag


@pytest.mark.parametrize("text", [
    "her legs went numb this morning",
    "sudden weakness in his legs",
    "he cant feel his legs",
    "she's wetting herself since yesterday and her back hurts",
    "lost control of his bladder",
    "problems with bowel control",
    "fever of 103 and screaming hip pain",
    "my son has a fever and won't walk",
    "toddler refuses to walk today",
    "fell off the trampoline and cant put weight on his leg",
    "after the fall she can't stand",
    "his leg keeps giving out",
])
def test_red_flags_are_spotted(text):
    assert has_red_flag(text)
    assert override_intent(text) == "red_flag"


@pytest.mark.parametrize("text", [
    "she has scoliosis", "hip dysplasia, 31201", "how much does it cost",
    "he walks with a limp", "my daughter is 12", "is it covered by insurance",
    "can i pay with my visa", "who reviews the xrays",
])
def test_ordinary_messages_are_not_red_flags(text):
    assert not has_red_flag(text)
    assert override_intent(text) is None


def test_card_marker_wins():
    assert override_intent("my card [card number removed]") == "card_number"
