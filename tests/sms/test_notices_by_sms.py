"""The "we received everything" notice to a texting family leaves like every text:
through bot.sms.outgoing (opt-out line once, nothing to an opted-out number), and it
names no program (that would say what the child has)."""
from __future__ import annotations

from bot import cases
from bot.notifier import outbox
from bot.portal.notices import send_confirmation
from bot.settings import get_settings
from bot.sms import contacts, outgoing

NUMBER = "+14785550166"


def test_the_notice_goes_by_sms_without_the_program(database_url):
    [case] = cases.create_cases(f"sms:{NUMBER}", ["spine"])
    [delivery] = send_confirmation(case["id"], get_settings())
    assert delivery.status == "recorded"  # the dev outbox: no Twilio settings
    [row] = outbox(case_id=case["id"])
    assert (row["channel"], row["to"], row["kind"]) == ("sms", NUMBER, "notice")
    assert case["reference"] in row["body"] and "spine" not in row["body"].lower()
    assert row["body"].endswith(outgoing.OPT_OUT_LINE)


def test_no_notice_reaches_a_number_that_replied_stop(database_url):
    [case] = cases.create_cases(f"sms:{NUMBER}", ["hip"])
    contacts.opt_out(NUMBER)
    [delivery] = send_confirmation(case["id"], get_settings())
    assert delivery.status == "suppressed"
