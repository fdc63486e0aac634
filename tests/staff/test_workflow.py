"""The coordinator's status workflow without HTTP: every allowed and refused move, the
timeline and audit rows, the fee's checks (never card data), notes scrubbed."""
import datetime as dt

import pytest

from bot.staff import audit, notes, workflow
from bot.staff.users import COORDINATOR, REVIEWER
from tests.portal.conftest import make_case
from tests.staff.helpers import T0, case_row, set_status

CARD = "4111 1111 1111 1111"
FEE = {"collected_on": "2026-12-07", "amount_usd": 500, "collected_by": "casey"}
DETAILS = {workflow.FEE_COLLECTED: FEE, workflow.ASSIGNED: {"team": "spine"},
           workflow.OPINION_SENT: {"document_id": 1}}
ALL = workflow.ALL_STATUSES


def test_the_table():
    assert workflow.allowed("documents_received") == ["fee_collected", "withdrawn",
                                                      "not_eligible"]
    assert workflow.allowed("in_review") == ["opinion_sent", "withdrawn", "not_eligible"]
    assert workflow.allowed("intake_started") == ["withdrawn", "not_eligible"]
    for final in ("closed", "withdrawn", "not_eligible"):
        assert workflow.allowed(final) == []
    assert workflow.allowed("no such status") == []


def test_the_whole_way_with_timeline_and_audit(database_url):
    case_id = make_case(database_url)["id"]
    set_status(database_url, case_id, "documents_received")
    path = ["fee_collected", "assigned", "in_review", "opinion_sent", "closed"]
    for n, to in enumerate(path):
        changed = workflow.change(case_id, to, "casey", COORDINATOR, DETAILS.get(to),
                                  T0 + dt.timedelta(minutes=n), database_url)
        assert changed.to_status == to and case_row(database_url, case_id).status == to
    case = case_row(database_url, case_id)
    assert (case.fee_collected_on, case.fee_amount_usd, case.fee_collected_by,
            case.assigned_team) == (dt.date(2026, 12, 7), 500, "casey", "spine")
    steps = workflow.timeline(case_id, database_url)
    assert [(s["from"], s["to"]) for s in steps] == list(zip(["documents_received"] + path,
                                                             path))
    assert steps[0]["details"] == FEE and steps[0]["actor"] == "casey"
    rows = [e for e in audit.for_case(case_id, database_url) if e["action"] == "case.status"]
    assert [r["detail"]["to"] for r in rows] == path
    with pytest.raises(workflow.Refused, match="cannot change any more"):
        workflow.change(case_id, "withdrawn", "casey", COORDINATOR, None, T0, database_url)


@pytest.mark.parametrize("current", ALL)
def test_every_move_allowed_or_refused(database_url, current):
    case_id = make_case(database_url)["id"]
    for to in ALL:
        set_status(database_url, case_id, current)
        if to in workflow.allowed(current):
            workflow.change(case_id, to, "casey", COORDINATOR, DETAILS.get(to), T0,
                            database_url)
            assert case_row(database_url, case_id).status == to
        else:
            with pytest.raises(workflow.Refused):
                workflow.change(case_id, to, "casey", COORDINATOR, DETAILS.get(to), T0,
                                database_url)
            assert case_row(database_url, case_id).status == current
    # Only the allowed moves left a trace.
    assert len(workflow.timeline(case_id, database_url)) == len(workflow.allowed(current))


def test_refusals_that_need_details_or_a_coordinator(database_url):
    case_id = make_case(database_url)["id"]
    set_status(database_url, case_id, "in_review")
    with pytest.raises(workflow.Refused, match="cannot become closed"):
        workflow.change(case_id, "closed", "casey", COORDINATOR, None, T0, database_url)
    with pytest.raises(workflow.Refused, match="opinion letter"):
        workflow.change(case_id, "opinion_sent", "casey", COORDINATOR, {}, T0, database_url)
    with pytest.raises(workflow.Refused, match="coordinator"):
        workflow.change(case_id, "withdrawn", "rita", REVIEWER, None, T0, database_url)
    set_status(database_url, case_id, "fee_collected")
    with pytest.raises(workflow.Refused, match="team"):
        workflow.change(case_id, "assigned", "casey", COORDINATOR, {"team": "knee"}, T0,
                        database_url)
    with pytest.raises(LookupError):
        workflow.change(999, "withdrawn", "casey", COORDINATOR, None, T0, database_url)
    assert workflow.timeline(case_id, database_url) == []


def test_fee_details_never_take_card_data():
    today = dt.date(2026, 12, 7)
    assert workflow.fee_details("2026-12-07", "$500", "casey", today) == FEE
    with pytest.raises(workflow.Refused, match="card number"):
        workflow.fee_details("2026-12-07", "500", f"casey card {CARD}", today)
    with pytest.raises(workflow.Refused):
        workflow.fee_details("2026-12-07", CARD, "casey", today)
    for bad in ("12.50", "-5", "0", ""):
        with pytest.raises(workflow.Refused, match="whole dollars"):
            workflow.fee_details("2026-12-07", bad, "casey", today)
    with pytest.raises(workflow.Refused, match="past year"):
        workflow.fee_details("2026-12-08", "500", "casey", today)
    assert workflow.fee_warning("spine", 500) == ""
    assert "$167" in workflow.fee_warning("hip", 500)


def test_notes_are_scrubbed_and_listed_newest_first(database_url):
    case_id = make_case(database_url)["id"]
    first = notes.add(case_id, "Mother prefers afternoons.", "casey", T0, database_url)
    second = notes.add(case_id, f"She read me her card {CARD} by mistake", "casey",
                       T0 + dt.timedelta(minutes=1), database_url)
    assert not first.scrubbed and second.scrubbed
    listed = notes.for_case(case_id, database_url)
    assert [n["id"] for n in listed] == [second.note_id, first.note_id]
    assert CARD not in listed[0]["text"] and "1111" not in listed[0]["text"]
    with pytest.raises(ValueError):
        notes.add(case_id, "   ", "casey", T0, database_url)
    with pytest.raises(LookupError):
        notes.add(999, "hello", "casey", T0, database_url)
