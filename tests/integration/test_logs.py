"""No personal data in the servers' logs (runs after the conversation tests)."""
import uuid

MARKERS = {
    "phone": "478-555-0177",
    "birth date": "7/14/2013",
    "card": "4111 1111 1111 1111",
}


def test_server_logs_hold_no_personal_data(servers):
    sender = f"log-check-{uuid.uuid4().hex[:6]}"
    servers.say(sender, "is my son eligible")
    servers.say(sender, f"scoliosis, born {MARKERS['birth date']}")
    servers.say(sender, f"my card {MARKERS['card']}")
    servers.say(sender, "talk to a person")
    servers.say(sender, MARKERS["phone"])
    logs = "".join(p.read_text(errors="replace") for p in servers.workdir.glob("*.log"))
    assert len(logs) > 0, "the servers wrote logs"
    for what, value in MARKERS.items():
        assert value not in logs, f"{what} appears in a server log"
    # Conversation ids are phone numbers on SMS: they stay out of the logs too.
    assert sender not in logs
