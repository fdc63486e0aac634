"""GSM-7 text rules, segment counting and splitting bot messages into SMS bodies."""
from __future__ import annotations

import random
import re

import pytest

from bot.sms.text import (GSM7_BASIC, GSM7_EXTENSION, is_gsm7, is_url, segments,
                          split_message, to_gsm7)

UPLOAD_URL = ("https://intake.childrens.example.org/u/"
              "q7Vd0xk2LrT9bN4mZ1sYcH8eWfJ3aG6uPiO5tRnEyDlKwXzMhQbCvSgFjAoUp-_"
              "7rTq2Lm9Xc4Vb8Nn1Zk6Wy3Hs5Gd0Jf7Pa2Qe9Ru4Ti1Yo8I")  # 150 characters
UPLOAD_LINK_MESSAGE = ("Thank you, we started your request (SO-2026-00042). Next, please sign "
                       "the consent form and upload the referral, records and X-rays here: "
                       + UPLOAD_URL)
FEES = (
    "The spine review is $500, and three Spine Program leaders review the records. The hip "
    "review is $167, and one Hip Program leader reviews them. A child who needs both has "
    "two reviews and two fees.\n\n"
    "The review is not billed to insurance. It is a flat fee: $500 for the spine review or "
    "$167 for the hip review. For insurance on clinic or video visits, please ask our "
    "schedulers at 404-555-0123.\n\n"
    "You pay when you ask for the review. Our coordinator takes the fee over the phone, "
    "and we take all major credit cards. Please never type card numbers in this chat."
)
DOCUMENTS = ("You will send four things:\n1. A medical history form.\n2. A signed financial "
             "consent form.\n3. A referral from your child's pediatrician.\n4. Medical "
             "records, with scans like X-rays.\nWe send you a secure link to upload them.")


@pytest.mark.parametrize("text, expected", [
    ("It’s “fine” — really…", 'It\'s "fine" - really...'),
    ("Children‘s  ‚quote‛", "Children's 'quote'"),
    ("8 a.m.\u2013 5 p.m.", "8 a.m.- 5 p.m."),
    ("Call\u00a0404-555-0142\u2009now", "Call 404-555-0142 now"),
    ("• Referral\n• X-rays\n◦ MRI", "- Referral\n- X-rays\n- MRI"),
    ("Thanks 😊 see you soon", "Thanks see you soon"),
    ("Great! 👍", "Great!"),
    ("👋 Hi there", "Hi there"),
    ("Hi 😊.", "Hi."),
    ("Done ✅✅ 🎉 next", "Done next"),
    ("family 👨\u200d👩\u200d👧 here", "family here"),
    ("flag 🇺🇸 ok", "flag ok"),
    ("Reply 1️⃣ or 2️⃣", "Reply 1 or 2"),
    ("sto\u200bp here", "stop here"),
    ("soft\u00adhyphen", "softhyphen"),
    ("a😀b", "a b"),
    ("Line one 😀\nLine two", "Line one\nLine two"),
    ("Estás en el año 2026, ¿sí? ¡Hola!", "Estas en el año 2026, ¿si? ¡Hola!"),
    ("Árbol, Índice, Óscar, Úrsula", "Arbol, Indice, Oscar, Ursula"),
    ("canción, médico, niño, pingüino, después", "cancion, médico, niño, pingüino, después"),
    ("é è ñ ü ä ö à ì ò ù Ñ Ü Ä Ö Å å Æ æ ß É Ç Ø ø",
     "é è ñ ü ä ö à ì ò ù Ñ Ü Ä Ö Å å Æ æ ß É Ç Ø ø"),
    ("ç â ê î ô û ã õ ë ï ý", "c a e i o u a o e i y"),
    ("€500 [note] {x} ~ | ^ \\", "€500 [note] {x} ~ | ^ \\"),
    ("Curve of 40°", "Curve of 40 degrees"),
    ("½ dose ﬁne ＡＢＣ ²", "1/2 dose fine ABC 2"),
    ("Łódź, œuvre, ı", "Lodz, oeuvre, i"),
    ("e\u0301 decomposed", "é decomposed"),
    ("tab\there\r\nnext", "tab here\nnext"),
    ("中文 only words", "only words"),
])
def test_to_gsm7(text, expected):
    assert to_gsm7(text) == expected
    assert is_gsm7(to_gsm7(text))


@pytest.mark.parametrize("text", [
    UPLOAD_LINK_MESSAGE, FEES, DOCUMENTS,
    "Got it: scoliosis, age 12, ZIP 31201.",
    "Please send your 5-digit home ZIP code, like 31201.",
    "Our coordinator calls during office hours (Monday to Friday, 8 a.m. to 5 p.m.).",
])
def test_bot_texts_in_gsm7_are_left_alone(text):
    assert to_gsm7(text) == text


def test_to_gsm7_always_gives_gsm7_and_never_double_spaces():
    rng = random.Random(8)
    alphabet = ("abc XYZ 123 .,!? áéíóúñü ¿¡ “”‘’ —–… • \u00a0\u2009\u200b €[] 😀👍🏽❤️ 中 "
                "\u0301 \t\n")
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        out = to_gsm7(text)
        assert is_gsm7(out), repr(text)
        assert not re.search(r"\S {2}", out), repr(text)


def test_to_gsm7_keeps_every_gsm7_character():
    text = "".join(c for c in GSM7_BASIC + GSM7_EXTENSION if c not in " \r")
    assert to_gsm7(text) == text


@pytest.mark.parametrize("text, expected", [
    ("Hello", True), ("¿Qué?", True), ("¿Cuándo?", False), ("€ [x]", True), ("😀", False),
    ("“quote”", False), ("á", False), ("à", True), ("Ç", True), ("ç", False), ("", True),
])
def test_is_gsm7(text, expected):
    assert is_gsm7(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("", 0),
    ("a", 1),
    ("a" * 160, 1),
    ("a" * 161, 2),
    ("a" * 306, 2),
    ("a" * 307, 3),
    ("€" * 80, 1),   # 160 septets: each extension character is two
    ("€" * 81, 2),
    ("a" * 152 + "€" + "a" * 152, 3),  # 306 septets, but the escape pair is not cut
    ("á" * 70, 1),
    ("á" * 71, 2),
    ("á" * 134, 2),
    ("á" * 135, 3),
    ("😀" * 35, 1),   # two UTF-16 code units each
    ("😀" * 36, 2),
    ("á" * 66 + "😀" + "á" * 66, 3),  # 134 units, but the surrogate pair is not cut
    ("a" * 159 + "😀", 3),  # one emoji makes it all UCS-2: 161 units, 67 + 67 + 27
])
def test_segments(text, expected):
    assert segments(text) == expected


def fits(body: str, max_segments: int = 3, max_chars: int = 1600, reserve: int = 0) -> bool:
    return (len(body) + reserve <= max_chars
            and segments(body + " " * reserve) <= max_segments)


def words_kept(text: str, bodies: list[str]) -> bool:
    return " ".join(bodies).split() == text.split()


def test_short_message_is_one_body():
    assert split_message("Please send your 5-digit home ZIP code, like 31201.") == [
        "Please send your 5-digit home ZIP code, like 31201."]


@pytest.mark.parametrize("text", ["", "   ", "\n\n", " \t\n "])
def test_nothing_to_send_gives_no_body(text):
    assert split_message(text) == []


def test_upload_link_message_fits_one_body():
    assert split_message(UPLOAD_LINK_MESSAGE) == [UPLOAD_LINK_MESSAGE]


def test_upload_link_is_never_cut():
    assert len(UPLOAD_URL) == 150
    bodies = split_message(UPLOAD_LINK_MESSAGE, max_segments=1)
    assert len(bodies) == 2
    assert bodies[1] == UPLOAD_URL  # cut after "here:", not before it
    assert all(fits(body, max_segments=1) for body in bodies)
    assert words_kept(UPLOAD_LINK_MESSAGE, bodies)


def test_link_longer_than_a_body_stands_alone():
    url = "https://example.org/u/" + "x" * 200
    text = f"Here is a new secure link: {url} It works for 72 hours."
    bodies = split_message(text, max_segments=1)
    assert bodies == ["Here is a new secure link:", url, "It works for 72 hours."]


def test_fee_explanation_splits_at_a_paragraph():
    bodies = split_message(FEES)
    assert len(bodies) == 2
    assert "\n\n".join(bodies) == FEES
    assert all(fits(body) for body in bodies)


def test_sentences_come_before_words():
    bodies = split_message(FEES, max_segments=1, reserve=25)
    assert len(bodies) == 5
    assert all(body.endswith(".") for body in bodies)
    assert all(fits(body, max_segments=1, reserve=25) for body in bodies)
    assert words_kept(FEES, bodies)


def test_fewest_bodies_come_before_a_nicer_cut():
    """Cutting at sentences only would take five texts; four do with one cut between
    words."""
    bodies = split_message(FEES, max_segments=1)
    assert len(bodies) == 4
    assert sum(not body.endswith(".") for body in bodies) == 1
    assert all(fits(body, max_segments=1) for body in bodies)


def test_a_comma_comes_before_a_plain_space():
    text = "Please call our coordinator, who answers on weekdays"
    assert split_message(text, max_chars=40) == ["Please call our coordinator,",
                                                 "who answers on weekdays"]


def test_numbered_list_splits_at_lines_not_after_the_number():
    bodies = split_message(DOCUMENTS, max_segments=1)
    assert bodies == [DOCUMENTS[:DOCUMENTS.index("\n4.")], DOCUMENTS[DOCUMENTS.index("4."):]]


def test_reserve_keeps_room_in_every_body():
    text = "Okay. " * 30  # 179 characters once stripped
    assert [len(body) for body in split_message(text, max_segments=1)] == [155, 23]
    assert [len(body) for body in split_message(text, max_segments=1, reserve=40)] == [119, 59]


def test_max_chars_is_kept():
    bodies = split_message(FEES, max_chars=120)
    assert all(len(body) <= 120 for body in bodies)
    assert words_kept(FEES, bodies)


def test_ucs2_text_gets_smaller_bodies():
    text = "¿Qué necesito enviar? 😊 " * 20
    bodies = split_message(text)
    assert all(segments(body) <= 3 and not is_gsm7(body) for body in bodies)
    assert all(sum(2 if ord(c) > 0xFFFF else 1 for c in body) <= 3 * 67 for body in bodies)
    assert words_kept(text, bodies)


def test_a_word_longer_than_a_body_is_cut_only_when_it_must_be():
    word = "A" * 200
    bodies = split_message(f"Start {word} end", max_segments=1)
    assert "".join(bodies).replace(" ", "") == f"Start{word}end"
    assert all(fits(body, max_segments=1) for body in bodies)


@pytest.mark.parametrize("word, expected", [
    ("https://x.org/u/abc", True), ("http://x", True), ("(https://x.org)", True),
    ("www.choa.org", True), ("HTTPS://X.ORG", True), ("x.org", False), ("here:", False),
])
def test_is_url(word, expected):
    assert is_url(word) is expected


# --- properties over many random texts ---

VOCABULARY = ("the spine hip review records X-rays coordinator fee $500 €167 child's "
              "pediatrician referral scoliosis consent upload form office hours "
              "Monday Friday 8 a.m. to 5 p.m. niño médico canción ¿Qué? ¡Hola! 😊 [note] "
              "curve 40 degrees 404-555-0142 SO-2026-00042 a an of").split()


def random_text(rng: random.Random) -> str:
    paragraphs = []
    for _ in range(rng.randint(1, 5)):
        lines = []
        for _ in range(rng.randint(1, 4)):
            sentences = []
            for _ in range(rng.randint(1, 5)):
                words = [rng.choice(VOCABULARY) for _ in range(rng.randint(1, 18))]
                if rng.random() < 0.15:
                    words.insert(rng.randint(0, len(words)),
                                 "https://example.org/u/" + "k" * rng.randint(5, 180))
                words[0] = words[0].capitalize()
                sentences.append(" ".join(words) + rng.choice(".?!,:"))
            prefix = f"{len(lines) + 1}. " if rng.random() < 0.3 else ""
            lines.append(prefix + " ".join(sentences))
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def greedy_count(text: str, max_segments: int, max_chars: int, reserve: int) -> int:
    """Filling each body with as many words as fit: the fewest bodies possible."""
    spans = [m.span() for m in re.finditer(r"\S+", text)]
    count, i = 0, 0
    while i < len(spans):
        j = i + 1
        while j < len(spans) and fits(text[spans[i][0]:spans[j][1]], max_segments,
                                      max_chars, reserve):
            j += 1
        count, i = count + 1, j
    return count


def test_split_properties_over_random_texts():
    rng = random.Random(20260308)
    for _ in range(300):
        text = random_text(rng)
        max_segments = rng.randint(1, 3)
        max_chars = rng.choice([100, 160, 300, 1600])
        reserve = rng.choice([0, 0, 10, 30])
        bodies = split_message(text, max_segments, max_chars, reserve)
        context = (text, max_segments, max_chars, reserve)
        assert bodies and all(body and body == body.strip() for body in bodies), context
        for body in bodies:
            assert fits(body, max_segments, max_chars, reserve) or is_url(body), context
        assert words_kept(text, bodies), context
        urls = [w for w in text.split() if is_url(w)]
        assert all(any(url in body.split() for body in bodies) for url in urls), context
        assert len(bodies) == greedy_count(text, max_segments, max_chars, reserve), context
