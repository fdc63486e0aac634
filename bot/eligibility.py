"""Who can use the second-opinion document review: a pure decision with reasons.

The rules come from the hospital's service page: a child or teen *diagnosed*
with a spine or hip condition, living in Georgia outside the Atlanta area.
Everyone else is routed to the option that fits them. Pure Python, no Rasa.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Optional

from bot.answers import AgeAnswer
from bot.location import ATLANTA_REGIONAL_COMMISSION_COUNTIES, ZipInfo, in_counties
from bot.programs import (KIND_OTHER, KIND_UNDIAGNOSED, Catalogue, ConditionMatch, Program,
                          load_catalogue)


class Route(str, Enum):
    DOCUMENT_REVIEW = "document_review"
    VISIT_ATLANTA = "visit_atlanta_area"
    VISIT_OUT_OF_STATE = "visit_out_of_state"
    VISIT_OTHER_CONDITION = "visit_other_condition"
    SEE_PEDIATRICIAN = "see_pediatrician_first"
    TOO_OLD = "over_age_limit"


@dataclass(frozen=True)
class Policy:
    home_state: str = "GA"
    excluded_counties: tuple[str, ...] = ATLANTA_REGIONAL_COMMISSION_COUNTIES
    max_age_years: int = 21  # eligible while age < max_age_years


@dataclass(frozen=True)
class Decision:
    eligible: bool
    route: Route
    programs: tuple[Program, ...]  # reviews the family can request (empty unless eligible)
    reasons: tuple[str, ...]  # machine-readable, in the order checked

    @property
    def total_fee_usd(self) -> int:
        return sum(p.fee_usd for p in self.programs)


def _refer(route: Route, reasons: list[str]) -> Decision:
    return Decision(eligible=False, route=route, programs=(), reasons=tuple(reasons))


def decide(match: ConditionMatch, age: Optional[AgeAnswer], zip_info: Optional[ZipInfo],
           policy: Policy = Policy(), catalogue: Optional[Catalogue] = None) -> Decision:
    """Route one family. Checks run in a fixed order and stop at the first that
    fails, so the condition alone can decide (age and ZIP may then be None)."""
    if match.kind == KIND_UNDIAGNOSED:
        # The review is a *second* opinion and needs a pediatrician's referral.
        return _refer(Route.SEE_PEDIATRICIAN, ["undiagnosed"])
    if match.kind == KIND_OTHER or not match.programs:
        return _refer(Route.VISIT_OTHER_CONDITION, ["other_condition"])
    reasons = [f"diagnosed_{key}" for key in match.programs]

    if age is None:
        raise ValueError("age is needed to decide for a diagnosed spine/hip condition")
    if age.years >= policy.max_age_years:
        return _refer(Route.TOO_OLD, reasons + ["over_age_limit"])
    reasons.append("age_ok")

    if zip_info is None:
        raise ValueError("zip_info is needed to decide for a diagnosed spine/hip condition")
    if zip_info.state.upper() != policy.home_state.upper():
        return _refer(Route.VISIT_OUT_OF_STATE, reasons + ["out_of_state"])
    reasons.append("georgia_resident")
    if in_counties(zip_info, policy.excluded_counties):
        return _refer(Route.VISIT_ATLANTA, reasons + ["atlanta_area"])
    reasons.append("outside_atlanta_area")

    catalogue = catalogue or load_catalogue()
    programs = tuple(catalogue.programs[key] for key in match.programs)
    return Decision(eligible=True, route=Route.DOCUMENT_REVIEW, programs=programs,
                    reasons=tuple(reasons))
