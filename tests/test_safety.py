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


# ---------------------------------------------------------------- parent-message corpus

from pathlib import Path  # noqa: E402

import yaml  # noqa: E402

from bot.safety import asks_emergency_question  # noqa: E402
from bot.safety_normalise import normalise  # noqa: E402

CORPUS = yaml.safe_load((Path(__file__).parent / "data" / "red_flags.yml").read_text("utf-8"))


def test_corpus_is_big_enough():
    sizes = {key: len(CORPUS[key]) for key in CORPUS}
    assert sizes["urgent"] >= 75 and sizes["not_urgent"] >= 45, sizes
    assert sizes["emergency_questions"] >= 25 and sizes["not_emergency_questions"] >= 20, sizes


def test_urgent_recall():
    missed = [t for t in CORPUS["urgent"] if not has_red_flag(t)]
    recall = 1 - len(missed) / len(CORPUS["urgent"])
    assert recall >= 0.97, missed


def test_false_alarms():
    alarms = [t for t in CORPUS["not_urgent"] if has_red_flag(t)]
    assert len(alarms) <= 1, alarms


def test_emergency_questions():
    asks, other = CORPUS["emergency_questions"], CORPUS["not_emergency_questions"]
    missed = [t for t in asks if not asks_emergency_question(t)]
    wrong = [t for t in other if asks_emergency_question(t)]
    assert 1 - len(missed) / len(asks) >= 0.95, missed
    assert 1 - len(wrong) / len(other) >= 0.95, wrong


# ---------------------------------------------------------------- negation and context

@pytest.mark.parametrize("text", [
    "no numbness", "no numbness or weakness", "never had bladder issues",
    "denies weakness", "no fever", "she has no fever and no limp",
    "she hasn't had any bladder problems", "he doesn't have any tingling",
    "without any numbness", "negative for weakness", "numbness? no",
    "bladder and bowel are normal", "her legs aren't weak",
    "the doctor checked for numbness and it was fine",
    "the pediatrician asked if she had numbness",
    "call us if she ever gets numbness", "what if he can't walk after surgery",
    "is there a risk of paralysis", "years ago she had a fever and a limp",
    "when he was 2 he had a fever and wouldn't walk",
])
def test_negated_hypothetical_or_past_symptoms_do_not_fire(text):
    assert not has_red_flag(text), text


@pytest.mark.parametrize("text", [
    "no fever but she won't walk today",
    "no fever, wont walk today",
    "no numbness but some weakness in her legs",
    "no numbness and her legs are weak",
    "she never had numbness until today",
    "no fever, but her legs went numb",
    "she doesn't have a fever and she can't stand",
    "her fever broke but she still wont walk",
    "not sure if it matters but she wet herself twice",
    "i dont know why her legs are numb",
    "oh no her feet are numb",
    "theres no feeling in her toes",          # the negation is the symptom
    "she has no strength in her legs",
    "he has no control of his bladder",
    "the doctor said no to surgery. today he can't feel his feet",
])
def test_negation_stays_inside_its_clause(text):
    assert has_red_flag(text), text


@pytest.mark.parametrize("text", [
    "legs r numb", "numbnes in her feet", "feverr and hip pain", "cant wlak",
    "she sez her legs r tingly", "WEAKNES IN HIS LEGS", "he cn't feel his feet",
    "her leg is numbbbb", "shes got a fevr and wont stand",
])
def test_typos_and_sms_shorthand(text):
    assert has_red_flag(text), text


@pytest.mark.parametrize("text", [
    "he can't talk right now, can you call later",   # talk is not walk
    "she weighs 90 pounds", "never mind", "fell in love with the doctor lol",
    "we fell behind on her brace hours", "he can't stand the brace",
    "she can't sit still", "he can't walk far without getting tired",
    "his back hurts a lot after practice", "a fewer number of visits",
])
def test_near_misses_are_not_red_flags(text):
    assert not has_red_flag(text), text


@pytest.mark.parametrize("pair", [
    ("fever and hip pain", True), ("hip pain", False), ("fever", False),
    ("fell off his bike and his hip hurts so bad", True), ("fell off his bike", False),
    ("her back hurts so bad", False), ("sudden severe back pain", True),
    ("fever after her surgery last week", True), ("fever, surgery is next month", False),
])
def test_signs_that_count_only_together(pair):
    text, expected = pair
    assert has_red_flag(text) is expected, text


def test_normalise_expands_shorthand_and_fixes_typos():
    assert normalise("Legs r numbnes!!") == "legs are numbness ! !"
    assert normalise("he can't wlak 2day") == "he cant walk today"
    assert normalise("she is unable to stand") == "she cant stand"


@pytest.mark.parametrize("text", [
    "should i go to the ER in augusta or drive to atlanta to yalls hospital? its 2.5 hrs",
    "which ER should we go to", "urgent care or emergency room?", "do i call 911",
    "can we come to your hospital instead", "is it ok to wait until monday",
    "should we drive to you", "his legs are numb what do we do",
])
def test_emergency_questions_from_the_brief(text):
    assert asks_emergency_question(text), text


@pytest.mark.parametrize("text", [
    "how long does the review take", "how much is it", "can i talk to someone",
    "do we have to come to atlanta for the review", "should we do the surgery or wait",
    "who is the emergency contact", "can we come to atlanta to meet the doctor", "", None,
])
def test_service_questions_are_not_emergency_questions(text):
    assert not asks_emergency_question(text)
