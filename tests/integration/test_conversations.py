"""Whole conversations through the REST channel of the trained model, with the real
action server and database."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from bot.db import CallbackRequest, Screening, session_scope


def new_sender() -> str:
    return f"parent-{uuid.uuid4().hex[:8]}"


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text", "") for m in messages)


def screenings(servers, sender):
    with session_scope(servers.database_url) as session:
        return session.execute(select(Screening).filter_by(conversation_id=f"rest:{sender}")).scalars().all()


def test_eligible_scoliosis_family_from_macon(servers):
    sender = new_sender()
    greeting = servers.say(sender, "hi")
    assert greeting and greeting[0].get("buttons"), "the greeting offers buttons"
    ask = texts(servers.say(sender, "can my daughter get her records reviewed?"))
    assert "spine or hip problem" in ask
    assert "How old" in texts(servers.say(sender, "she has scolosis"))
    assert "ZIP" in texts(servers.say(sender, "shes 13"))
    result = texts(servers.say(sender, "31201"))
    assert "spine review" in result and "$500" in result
    assert "Three Spine Program leaders" in result
    assert "7 to 10 days" in result
    [row] = screenings(servers, sender)
    assert row.eligible and row.programs == ["spine"] and row.county == "Bibb County"


def test_atlanta_hip_family_is_routed_to_a_visit(servers):
    sender = new_sender()
    servers.say(sender, "is my son eligible for the hip review")
    servers.say(sender, "hip dysplasia")
    servers.say(sender, "he is 4")
    result = texts(servers.say(sender, "30309"))
    assert "Atlanta area" in result and "Fulton County" in result
    assert "video" in result and "404-555-0123" in result
    assert "$167" not in result
    [row] = screenings(servers, sender)
    assert not row.eligible and row.route == "visit_atlanta_area"


def test_price_question_halfway_through_then_finish(servers):
    sender = new_sender()
    servers.say(sender, "i want to check if my kid qualifies")
    assert "How old" in texts(servers.say(sender, "perthes"))
    price = texts(servers.say(sender, "wait how much does this cost?"))
    assert "$167" in price and "$500" in price
    assert "How old" in price, "the screening goes on after the answer"
    assert "ZIP" in texts(servers.say(sender, "7"))
    result = texts(servers.say(sender, "31401"))
    assert "hip review" in result and "$167" in result


def test_everything_in_one_message(servers):
    sender = new_sender()
    result = texts(servers.say(sender, "my 12yo has scoliosis and hip dysplasia, we live in 31601 - can we use this?"))
    assert "both reviews" in result and "$667" in result


def test_card_number_is_never_stored(servers):
    sender = new_sender()
    reply = texts(servers.say(sender, "my card is 4111 1111 1111 1111 exp 04/28"))
    assert "card" in reply.lower() and "phone" in reply
    tracker = servers.tracker(f"rest:{sender}")
    user_texts = [e.get("text") or "" for e in tracker["events"] if e["event"] == "user"]
    assert user_texts and all("4111" not in t for t in user_texts)


def test_red_flag_first_then_screening_waits_until_the_parent_goes_on(servers):
    sender = new_sender()
    servers.say(sender, "check eligibility")
    reply = texts(servers.say(sender, "she has scoliosis but today her legs went numb"))
    assert "911" in reply and "How old" not in reply
    assert "How old" in texts(servers.say(sender, "ok she is fine now, continue"))


def test_person_then_call_back_number_is_recorded(servers):
    sender = new_sender()
    reply = texts(servers.say(sender, "can i talk to a real person"))
    assert "404-555-0142" in reply and "phone number" in reply
    done = texts(servers.say(sender, "478-555-0199"))
    assert "(478) 555-0199" in done
    with session_scope(servers.database_url) as session:
        row = session.execute(select(CallbackRequest).filter_by(conversation_id=f"rest:{sender}")).scalar_one()
        assert row.phone == "+14785550199" and row.status == "open"


def test_out_of_scope_gets_a_polite_fallback(servers):
    reply = texts(servers.say(new_sender(), "where do i park for the cafeteria"))
    assert "spine and hip" in reply and "qualifies" in reply


def test_conversation_survives_a_server_restart(servers):
    sender = new_sender()
    servers.say(sender, "is my daughter eligible")
    servers.say(sender, "kyphosis")
    servers.stop("rasa")
    servers.start_rasa()
    assert "ZIP" in texts(servers.say(sender, "15"))
