from bot.faq import MAX_ANSWERS, load_topics, responses_for


def test_primary_intent_answered_first():
    assert responses_for("ask_cost", "how much is it")[0] == "utter_cost"


def test_several_questions_in_one_message():
    got = responses_for("ask_cost", "how much is it, does insurance cover it and how long does it take?")
    assert got == ["utter_cost", "utter_insurance", "utter_timeline"]


def test_order_follows_the_message_after_the_primary():
    got = responses_for("ask_timeline", "do u take amex? and when will we hear back")
    assert got[0] == "utter_timeline" and "utter_payment" in got


def test_no_topic_no_answer():
    assert responses_for("greet", "hello there") == []


def test_answers_are_capped():
    text = "how much, insurance, how long, who reviews, what paperwork, virtual visit?"
    assert len(responses_for("ask_cost", text)) == MAX_ANSWERS


def test_every_topic_has_patterns():
    assert all(t.patterns for t in load_topics().values())
