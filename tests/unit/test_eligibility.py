"""Routing decisions, end to end from what a parent typed."""
from datetime import date

import pytest

from bot.answers import AgeAnswer, extract_age, extract_zip
from bot.eligibility import Decision, Policy, Route, decide
from bot.location import ZipInfo, lookup_zip
from bot.programs import ConditionMatch, load_catalogue

TODAY = date(2025, 6, 15)
MACON = ZipInfo(zip="31201", state="GA", county="Bibb County", city="Macon")


def screen(condition: str, age: str, zip_text: str, **kw) -> Decision:
    """The whole pipeline on free text, as the bot runs it."""
    catalogue = load_catalogue()
    match = catalogue.match(condition)
    assert match is not None, condition
    zip_code = extract_zip(zip_text)
    info = lookup_zip(zip_code) if zip_code else None
    return decide(match, extract_age(age, TODAY), info, catalogue=catalogue, **kw)


def years(n: float) -> AgeAnswer:
    return AgeAnswer(years=n, birth_date=None)


def test_macon_twelve_year_old_with_scoliosis_gets_the_spine_review():
    decision = screen("scoliosis", "12", "31201")
    assert decision.eligible
    assert decision.route is Route.DOCUMENT_REVIEW
    assert [p.key for p in decision.programs] == ["spine"]
    assert decision.total_fee_usd == 500
    assert decision.programs[0].reviewers == "three Spine Program leaders"
    assert decision.reasons == ("diagnosed_spine", "age_ok", "georgia_resident",
                                "outside_atlanta_area")


def test_everything_in_one_message():
    text = "my 12 yo dd has scolio, we're in 31201"
    decision = screen(text, text, text)
    assert decision.route is Route.DOCUMENT_REVIEW and decision.total_fee_usd == 500


def test_savannah_hip_dysplasia_gets_the_hip_review():
    decision = screen("hip dysplasia", "18 months", "Savannah 31401")
    assert decision.eligible
    assert [p.key for p in decision.programs] == ["hip"]
    assert decision.total_fee_usd == 167
    assert decision.programs[0].reviewers == "one Hip Program leader"
    assert "diagnosed_hip" in decision.reasons


@pytest.mark.parametrize("condition", ["scoliosis and hip dysplasia",
                                       "perthes + kyphosis", "DDH n scolio"])
def test_spine_and_hip_means_two_reviews_and_two_fees(condition):
    decision = screen(condition, "9", "31201")
    assert decision.eligible
    assert sorted(p.key for p in decision.programs) == ["hip", "spine"]
    assert decision.total_fee_usd == 667
    assert {"diagnosed_spine", "diagnosed_hip"} <= set(decision.reasons)


@pytest.mark.parametrize("zip_code", ["30309", "30030", "30060", "30043", "30012", "30114"])
def test_atlanta_area_families_are_offered_a_visit(zip_code):
    decision = screen("hip dysplasia", "10", zip_code)
    assert not decision.eligible
    assert decision.route is Route.VISIT_ATLANTA
    assert decision.programs == () and decision.total_fee_usd == 0
    assert decision.reasons[-1] == "atlanta_area"


@pytest.mark.parametrize("zip_code", ["35203", "10001", "32202", "29401"])
def test_out_of_state_families_are_offered_a_visit(zip_code):
    decision = screen("scoliosis", "12", zip_code)
    assert decision.route is Route.VISIT_OUT_OF_STATE
    assert not decision.eligible
    assert decision.reasons[-1] == "out_of_state"


@pytest.mark.parametrize("condition", ["broken arm", "torn ACL", "clubfoot", "knock knees"])
def test_other_orthopedic_conditions_get_a_visit(condition):
    decision = screen(condition, "12", "31201")
    assert decision.route is Route.VISIT_OTHER_CONDITION
    assert decision.reasons == ("other_condition",)


@pytest.mark.parametrize("condition", ["not diagnosed yet", "idk", "just a limp",
                                       "back pain but no diagnosis"])
def test_undiagnosed_children_see_a_pediatrician_first(condition):
    decision = screen(condition, "12", "31201")
    assert decision.route is Route.SEE_PEDIATRICIAN
    assert decision.reasons == ("undiagnosed",)


@pytest.mark.parametrize("age, route", [
    ("20", Route.DOCUMENT_REVIEW),
    ("20 years old", Route.DOCUMENT_REVIEW),
    ("6/16/2004", Route.DOCUMENT_REVIEW),  # 21st birthday is tomorrow
    ("21", Route.TOO_OLD),
    ("she's 21", Route.TOO_OLD),
    ("6/15/2004", Route.TOO_OLD),  # 21 today
    ("25", Route.TOO_OLD),
    ("newborn", Route.DOCUMENT_REVIEW),
    ("3 weeks old", Route.DOCUMENT_REVIEW),
])
def test_age_limit_is_under_21(age, route):
    assert screen("scoliosis", age, "31201").route is route


def test_too_old_is_checked_before_location():
    decision = screen("scoliosis", "30 yrs", "10001")
    assert decision.route is Route.TOO_OLD
    assert decision.reasons == ("diagnosed_spine", "over_age_limit")


def test_condition_is_checked_before_age_and_location():
    catalogue = load_catalogue()
    decision = decide(catalogue.match("idk"), None, None)
    assert decision.route is Route.SEE_PEDIATRICIAN
    decision = decide(catalogue.match("broken leg"), years(40), None)
    assert decision.route is Route.VISIT_OTHER_CONDITION


def test_program_match_needs_age_and_zip():
    match = load_catalogue().match("scoliosis")
    with pytest.raises(ValueError):
        decide(match, None, MACON)
    with pytest.raises(ValueError):
        decide(match, years(12), None)


def test_program_found_with_other_condition_still_gets_the_review():
    decision = screen("scoliosis and a broken wrist", "12", "31201")
    assert decision.eligible and decision.total_fee_usd == 500


def test_policy_is_configurable():
    match = load_catalogue().match("scoliosis")
    assert decide(match, years(19), MACON, Policy(max_age_years=18)).route is Route.TOO_OLD
    assert decide(match, years(12), MACON, Policy(excluded_counties=("Bibb",))).route \
        is Route.VISIT_ATLANTA
    assert decide(match, years(12), MACON, Policy(home_state="AL")).route \
        is Route.VISIT_OUT_OF_STATE
    assert decide(match, years(12), MACON, Policy(excluded_counties=())).eligible


def test_state_comparison_ignores_case():
    match = load_catalogue().match("perthes")
    lower = ZipInfo(zip="31201", state="ga", county="Bibb County", city="Macon")
    assert decide(match, years(7), lower).eligible


def test_match_without_program_conditions_is_not_a_review():
    empty = ConditionMatch(kind="program", conditions=(), other=())
    assert decide(empty, years(12), MACON).route is Route.VISIT_OTHER_CONDITION


def test_route_values_are_stable_strings():
    assert {r.value for r in Route} == {
        "document_review", "visit_atlanta_area", "visit_out_of_state",
        "visit_other_condition", "see_pediatrician_first", "over_age_limit"}
    assert Route.TOO_OLD == "over_age_limit"
