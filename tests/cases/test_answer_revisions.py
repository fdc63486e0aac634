"""Answers are merged one by one into the case, with a revision that catches stale writes
(bot/answer_merge.py, cases.update_answers)."""
from __future__ import annotations

import pytest

from bot import cases
from bot.answer_merge import Changes, StaleAnswers, changes, merge


def test_two_writers_from_one_revision_changing_different_answers_both_survive(database_url):
    [case] = cases.create_cases("rest:rev-1", ["spine"])
    base = cases.questionnaire_of(case["id"])["revision"]
    assert base == 0
    first = cases.update_answers([case["id"]], Changes(answers={"child_first_name": "Ava"}),
                                 base_revision=base)
    second = cases.update_answers([case["id"]], Changes(answers={"child_last_name": "Lee"}),
                                  base_revision=base)
    stored = cases.questionnaire_of(case["id"])
    assert stored["answers"] == {"child_first_name": "Ava", "child_last_name": "Lee"}
    assert (first, second, stored["revision"]) == (1, 2, 2)


def test_changing_an_answer_someone_changed_since_is_refused_and_nothing_is_saved(database_url):
    [case] = cases.create_cases("rest:rev-2", ["spine"])
    cases.update_answers([case["id"]], {"child_first_name": "Ava"})
    base = cases.questionnaire_of(case["id"])["revision"]
    cases.update_answers([case["id"]], Changes(answers={"child_first_name": "Emma"}),
                         base_revision=base)  # the chat, say
    with pytest.raises(StaleAnswers) as refused:  # the web page opened at `base`
        cases.update_answers([case["id"]], Changes(answers={"child_first_name": "Ava",
                                                            "child_sex": "female"}),
                             base_revision=base)
    assert refused.value.link_ids == ["child_first_name"]
    stored = cases.questionnaire_of(case["id"])
    assert stored["answers"] == {"child_first_name": "Emma"} and stored["revision"] == 2
    # The same value again is no change, so no conflict; a newer base is no conflict.
    cases.update_answers([case["id"]], Changes(answers={"child_first_name": "Emma"}),
                         base_revision=base)
    cases.update_answers([case["id"]], Changes(answers={"child_first_name": "Eve"}),
                         base_revision=stored["revision"])
    assert cases.questionnaire_of(case["id"])["answers"]["child_first_name"] == "Eve"


def test_removals_skips_and_unknowns_are_changes_of_their_answer(database_url):
    [case] = cases.create_cases("rest:rev-3", ["spine"])
    cases.update_answers([case["id"]], {"breech": True, "pcp_name": "Dr. Lee"})
    base = cases.questionnaire_of(case["id"])["revision"]
    cases.update_answers([case["id"]], Changes(removed=["breech"], skipped=["pcp_name"],
                                               unknown=["spica"]), base_revision=base)
    state = cases.questionnaire_of(case["id"])["state"]
    assert state["answers"] == {} and state["skipped"] == ["pcp_name"]
    assert state["unknown"] == ["spica"]
    with pytest.raises(StaleAnswers):
        cases.update_answers([case["id"]], Changes(answers={"breech": False}),
                             base_revision=base)


def test_linked_cases_are_saved_together_with_one_revision(database_url):
    spine, hip = cases.create_cases("rest:rev-4", ["spine", "hip"])
    ids = [spine["id"], hip["id"]]
    cases.update_answers([spine["id"]], {"child_first_name": "Ava"})  # spine alone: revision 1
    revision = cases.update_answers(ids, Changes(answers={"child_last_name": "Lee"}),
                                    base_revision=0)
    assert revision == 2
    for case_id in ids:
        stored = cases.questionnaire_of(case_id)
        assert stored["revision"] == 2 and stored["answers"]["child_last_name"] == "Lee"


def test_a_chat_state_saved_by_its_changes_keeps_the_walk_through_consistent(database_url):
    [case] = cases.create_cases("rest:rev-5", ["spine"])
    chat = cases.questionnaire_of(case["id"])["state"]
    after = {**chat, "answers": {"child_first_name": "Kayleigh", "child_last_name": "T"},
             "history": ["child_first_name", "child_last_name"], "red_flags": ["spine_red_flag"],
             "offer": {"link_id": "child_last_name", "from": "child_first_name",
                       "value": "Thompson"}, "confirmed": True, "summary_sent": True}
    cases.save_state([case["id"]], chat, after)
    web = cases.questionnaire_of(case["id"])["state"]
    assert web["confirmed"] is True
    page = {**web, "answers": {**web["answers"], "child_last_name": "Thompson"},
            "red_flags": [], "confirmed": False}
    cases.save_state([case["id"]], web, page)
    stored = cases.questionnaire_of(case["id"])["state"]
    assert stored["history"] == ["child_first_name"]  # "back" never undoes a web answer
    assert "offer" not in stored  # the last name is answered: nothing to offer
    assert stored["red_flags"] == ["spine_red_flag"]  # a red flag stays seen
    assert stored["confirmed"] is False and stored["summary_sent"] is True


def test_a_confirmation_of_answers_changed_meanwhile_is_not_kept():
    answers, state = merge({"a": 1}, {"revisions": {"a": 5}}, Changes(walk={"confirmed": True}),
                           base_revision=4, revision=6)
    assert state["confirmed"] is False
    answers, state = merge({"a": 1}, {"revisions": {"a": 3}}, Changes(walk={"confirmed": True}),
                           base_revision=4, revision=6)
    assert state["confirmed"] is True


def test_changes_lists_only_what_the_writer_changed():
    before = {"answers": {"a": 1, "b": 2, "c": 3}, "skipped": ["d"], "unknown": [],
              "history": ["a"], "revision": 7}
    after = {"answers": {"a": 1, "b": 20, "e": 5}, "skipped": [], "unknown": ["d"],
             "history": ["a", "e"], "revision": 7}
    found = changes(before, after)
    assert found.answers == {"b": 20, "e": 5} and found.removed == ["c"]
    assert found.unknown == ["d"] and found.skipped == []
    assert found.walk == {"history": ["a", "e"], "confirmed": False}
    assert not changes(before, dict(before))
