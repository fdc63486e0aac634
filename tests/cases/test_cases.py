"""Cases on SQLite: creation, linking, idempotency, references, checklist and status."""
import datetime as dt
import re
import threading

import pytest
from sqlalchemy import update

from bot import cases
from bot.db import Case, session_scope
from bot.references import next_reference

REF = re.compile(r"^SO-\d{4}-\d{5}$")
LINKS = {"child_first_name": "child.first", "child_last_name": "child.last",
         "child_birth_date": "child.dob", "guardian_name": "guardian.name",
         "guardian_phone": "guardian.phone", "guardian_email": "guardian.email",
         "zip_code": "home.zip"}


def test_create_one_case(database_url):
    [case] = cases.create_cases("sms:+14785550101", ["spine"], zip_code="31201", county="Bibb")
    assert REF.match(case["reference"]) and case["reference"].endswith("-00001")
    assert case["reference"][3:7] == str(dt.datetime.utcnow().year)
    assert (case["program"], case["status"], case["channel"]) == ("spine", "intake_started", "sms")
    assert (case["zip"], case["county"], case["linked_case_id"]) == ("31201", "Bibb", None)
    assert case["child"] == {"first_name": None, "last_name": None, "birth_date": None}
    assert case["guardian"] == {"name": None, "phone": None, "email": None}
    assert [i["kind"] for i in case["checklist"]] == [
        "questionnaire", "financial_consent", "referral", "medical_records", "imaging"]
    assert {(i["status"], i["received_at"]) for i in case["checklist"]} == {("missing", None)}
    assert case["created_at"].endswith("Z")
    assert cases.case_summary(case["id"]) == case


def test_spine_and_hip_are_two_linked_cases(database_url):
    spine, hip = cases.create_cases("rest:parent-1", ["spine", "hip"], zip_code="31201")
    assert (spine["program"], hip["program"]) == ("spine", "hip")
    assert spine["linked_case_id"] == hip["id"] and hip["linked_case_id"] == spine["id"]
    assert spine["reference"] != hip["reference"]
    assert hip["zip"] == "31201" and hip["channel"] == "rest"


def test_create_is_idempotent(database_url):
    first = cases.create_cases("rest:p", ["spine", "hip"], child_birth_date=dt.date(2012, 4, 2))
    again = cases.create_cases("rest:p", ["spine", "hip"], zip_code="30901")
    assert [c["id"] for c in again] == [c["id"] for c in first]
    assert [c["reference"] for c in again] == [c["reference"] for c in first]
    assert again[0]["zip"] == "30901"  # a missing screening value is filled in
    assert again[0]["child"]["birth_date"] == "2012-04-02"
    assert cases.create_cases("rest:p", ["hip"])[0]["id"] == first[1]["id"]
    assert len(cases.list_cases()) == 2
    # Another intake (e.g. a sibling, later screening) from the same phone: new cases.
    [other] = cases.create_cases("rest:p", ["hip"], intake_key="screening-7")
    assert other["id"] not in {c["id"] for c in first}


def test_bad_programs(database_url):
    with pytest.raises(ValueError):
        cases.create_cases("rest:p", [])
    with pytest.raises(ValueError):
        cases.create_cases("rest:p", ["knee"])
    with pytest.raises(LookupError):
        cases.case_summary(999)
    with pytest.raises(LookupError):
        cases.mark_received(999, "referral")
    with pytest.raises(ValueError):
        cases.mark_received(1, "xray")


def test_references_are_unique_and_consecutive_under_threads(database_url):
    results, errors = [], []

    def worker(n):
        try:
            results.extend(cases.create_cases(f"rest:t{n}", ["spine", "hip"]))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    numbers = sorted(int(c["reference"][-5:]) for c in results)
    assert numbers == list(range(1, 41))


def test_racing_retries_create_one_case(database_url):
    results, errors = [], []

    def worker():
        try:
            results.append(cases.create_cases("sms:+14785550102", ["spine", "hip"]))
        except Exception as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len({tuple(c["id"] for c in r) for r in results}) == 1
    assert len(cases.list_cases()) == 2


def test_sequence_restarts_each_year(database_url):
    with session_scope() as session:
        assert next_reference(session, 2031) == "SO-2031-00001"
        assert next_reference(session, 2031) == "SO-2031-00002"
        assert next_reference(session, 2032) == "SO-2032-00001"
    with pytest.raises(RuntimeError):  # a rolled-back transaction gives its number back
        with session_scope() as session:
            assert next_reference(session, 2031) == "SO-2031-00003"
            raise RuntimeError
    with session_scope() as session:
        assert next_reference(session, 2031) == "SO-2031-00003"


def test_update_answers_copies_known_fields(database_url):
    spine, hip = cases.create_cases("rest:p", ["spine", "hip"], zip_code="31201")
    answers = {"child.first": "Ava", "child.last": "Lee", "child.dob": dt.date(2012, 4, 2),
               "guardian.name": "Sam Lee", "guardian.phone": "+14785550103",
               "guardian.email": "", "home.zip": None, "spine.curve": 32}
    cases.update_answers([spine["id"], hip["id"]], answers, {"at": "spine.curve"},
                         field_links=LINKS)
    for case_id in (spine["id"], hip["id"]):
        s = cases.case_summary(case_id)
        assert s["child"] == {"first_name": "Ava", "last_name": "Lee", "birth_date": "2012-04-02"}
        assert s["guardian"] == {"name": "Sam Lee", "phone": "+14785550103", "email": None}
        assert s["zip"] == "31201"  # empty answers leave screening values alone
    detail = cases.case_detail(spine["id"])
    assert detail["answers"]["child.dob"] == "2012-04-02" and detail["answers"]["spine.curve"] == 32
    assert cases.questionnaire_of(hip["id"])["state"]["at"] == "spine.curve"
    # Answers are merged one by one (never replaced as a whole); state kept when not given.
    cases.update_answers([spine["id"]], {"child.first": "Eva"}, field_links=LINKS)
    q = cases.questionnaire_of(spine["id"])
    assert q["answers"] == {**detail["answers"], "child.first": "Eva"}
    assert q["state"]["at"] == "spine.curve" and q["revision"] == 2
    assert cases.case_summary(spine["id"])["child"]["first_name"] == "Eva"
    with pytest.raises(ValueError):
        cases.update_answers([spine["id"]], {}, field_links={"status": "x"})


def test_status_moves_with_the_checklist(database_url):
    [case] = cases.create_cases("rest:p", ["hip"])
    cid = case["id"]
    t0 = dt.datetime(2026, 3, 5, 14, 2, 11)
    assert cases.mark_received(cid, "referral", when=t0) is False
    assert cases.case_summary(cid)["status"] == "intake_started"
    assert cases.mark_received(cid, "questionnaire") is False
    assert cases.case_summary(cid)["status"] == "awaiting_documents"
    assert cases.record_consent(cid, "Sam Lee", "v1", "ab" * 32, ip="127.0.0.1",
                                user_agent="pytest").documents_received is False
    assert cases.add_document(cid, "medical_records", "notes.pdf", "r1", "application/pdf",
                              1234, "cd" * 32).documents_received is False
    assert cases.add_document(cid, "other", "letter.pdf", "r2", "application/pdf",
                              10, "ef" * 32).documents_received is False
    done = cases.add_document(cid, "imaging", "xray.dcm", "r3", "application/dicom", 99,
                              "01" * 32, flags={"name_mismatch": True})
    assert done.documents_received is True
    assert cases.mark_received(cid, "imaging") is False  # only once
    assert cases.mark_received(cid, "referral", when=t0 + dt.timedelta(days=1)) is False
    detail = cases.case_detail(cid)
    assert detail["status"] == "documents_received"
    items = {i["kind"]: i for i in detail["checklist"]}
    assert {i["status"] for i in items.values()} == {"received"}
    assert items["referral"]["received_at"] == "2026-03-05T14:02:11Z"  # first time counts
    assert [(d["name"], d["kind"], d["size"]) for d in detail["documents"]] == [
        ("notes.pdf", "medical_records", 1234), ("letter.pdf", "other", 10),
        ("xray.dcm", "imaging", 99)]
    assert detail["documents"][2]["flags"] == {"name_mismatch": True}
    assert detail["documents"][0]["sha256"] == "cd" * 32


def test_coordinator_status_is_left_alone(database_url):
    [case] = cases.create_cases("rest:p", ["spine"])
    with session_scope() as session:
        session.execute(update(Case).where(Case.id == case["id"]).values(status="in_review"))
    for kind in ("questionnaire", "financial_consent", "referral", "medical_records", "imaging"):
        assert cases.mark_received(case["id"], kind) is False
    assert cases.case_summary(case["id"])["status"] == "in_review"


def test_last_two_items_at_once_complete_exactly_once(database_url):
    for n in range(5):
        [case] = cases.create_cases(f"rest:race{n}", ["spine"])
        for kind in ("questionnaire", "financial_consent", "referral"):
            cases.mark_received(case["id"], kind)
        outcomes = []
        threads = [threading.Thread(target=lambda k=k: outcomes.append(
            cases.mark_received(case["id"], k))) for k in ("medical_records", "imaging")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(outcomes) == [False, True]
        assert cases.case_summary(case["id"])["status"] == "documents_received"


def test_lists_and_links(database_url):
    a = cases.create_cases("rest:a", ["spine"])[0]
    b, c = cases.create_cases("sms:+14785550104", ["spine", "hip"])
    cases.mark_received(b["id"], "questionnaire")
    assert [x["id"] for x in cases.list_cases()] == [c["id"], b["id"], a["id"]]
    assert [x["id"] for x in cases.list_cases(status="awaiting_documents")] == [b["id"]]
    assert [x["id"] for x in cases.cases_for_conversation("sms:+14785550104")] == [b["id"], c["id"]]
    assert cases.link_version(a["id"]) == 1
    assert cases.revoke_links(a["id"]) == 2 and cases.link_version(a["id"]) == 2


def test_a_new_zip_in_the_answers_brings_its_county(database_url):
    [case] = cases.create_cases("rest:moved", ["spine"], zip_code="31201", county="Bibb County")
    cases.update_answers([case["id"]], {"home_zip": "30030"}, field_links={"zip_code": "home_zip"})
    summary = cases.case_summary(case["id"])
    assert summary["zip"] == "30030" and summary["county"] == "DeKalb County"
