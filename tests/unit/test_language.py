import pytest

from bot.language import asks_for_spanish, is_spanish


@pytest.mark.parametrize("text", [
    "hola, mi hija tiene escoliosis, cuanto cuesta?",
    "Buenas tardes. Mi hijo tiene 14 años y tiene escoliosis",
    "necesito ayuda por favor",
    "vivimos en Dalton y mi niña tiene displasia de cadera",
    "gracias",
])
def test_spanish_messages(text):
    assert is_spanish(text)


@pytest.mark.parametrize("text", [
    "my daughter has scoliosis, she is 12",
    "how much does it cost",
    "we live in Macon, GA",
    "Dr. Sanchez said she needs a brace",
    "no",
    "ok",
])
def test_english_messages(text):
    assert not is_spanish(text)


@pytest.mark.parametrize("text,asks", [
    ("hay alguien que hable español?", True),
    ("do you have someone who speaks spanish", True),
    ("my mom only speaks Spanish, can she get an interpreter", True),
    ("how much is the spine review", False),
])
def test_asking_for_spanish(text, asks):
    assert asks_for_spanish(text) is asks
