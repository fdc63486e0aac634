"""Screening in the dialogue: keep every fact the parent gives, ask only for what is
missing (one thing per message), then give the eligibility result."""
from __future__ import annotations

from typing import Any, Optional

from bot import cases, eligibility, intake, records, screening
from bot.answers import AgeAnswer
from bot.dialogue import intake_flow, switch_flow
from bot.dialogue.replies import Reply, say
from bot.dialogue.state import DONE, RESULT, SCREENING, Conversation
from bot.location import ZipInfo, lookup_zip
from bot.places import place_zip_info
from bot.programs import load_catalogue
from bot.settings import get_settings
from bot.understanding import Understanding

MAX_FAILURES = 3  # unusable answers in a row before we offer to stop or call
ASK = {"condition": "utter_ask_condition", "child_age": "utter_ask_child_age",
       "home_zip": "utter_ask_home_zip"}
# "I think it's scoliosis": asked once, "Has a doctor told you your child has scoliosis?"
DIAGNOSIS_CHECK = "diagnosis_check"
UNCLEAR = {"condition": "utter_condition_unclear", "child_age": "utter_age_unclear",
           "home_zip": "utter_zip_unclear", DIAGNOSIS_CHECK: "utter_diagnosis_unclear"}
WHY = {"condition": "utter_why_condition", "child_age": "utter_why_age", "home_zip": "utter_why_zip",
       DIAGNOSIS_CHECK: "utter_why_diagnosis"}
AGE_PROBLEMS = {"future_date": "utter_age_future"}


def policy() -> eligibility.Policy:
    s = get_settings()
    return eligibility.Policy(home_state=s.home_state, excluded_counties=s.atlanta_area_counties,
                              max_age_years=s.max_child_age)


# ---------------------------------------------------------------- facts

def merge(conv: Conversation, u: Understanding) -> list[str]:
    """Store what the message told us; labels of the new facts, for "Got it: ..."."""
    said: list[str] = []
    known = conv.fact("condition")
    # A numbered menu the parent did not follow: the next question says how to answer.
    conv.set("numbers_hint", True if u.numbers_confused else None)
    added = added_review(conv, u)
    confirmed = _diagnosis_answer(conv, u)
    if confirmed:
        said.append(confirmed)
    elif added:
        if not conv.case_ids:  # with cases made, the coordinator adds it (second_review)
            conv.set_fact("condition", added)
            said.append(condition_label({"kind": "program", "conditions": [
                k for k in added["conditions"] if k not in known["conditions"]]}))
    elif u.hedged and known and known.get("kind") in ("program", "undiagnosed") and set(
            u.condition.get("hedged_programs", [])) <= set(known.get("programs") or known.get("hedged_programs", [])):
        pass  # "lets do the scoliosis one, i guess": the diagnosis (or the "not yet") we have stands
    elif u.condition and (not known or u.condition["kind"] == "program" or conv.get("asked") == "condition"
                        or u.hedged):
        if u.condition != known:
            conv.set_fact("condition", u.condition)
            if not u.condition.get("unconfirmed"):  # not "no diagnosis yet": we ask first
                said.append(condition_label(u.condition))
    if u.age_years is not None and u.age_years != conv.fact("child_age"):
        conv.set_fact("child_age", u.age_years)
        conv.set_fact("child_birth_date", u.birth_date)
        said.append(age_label(u.age_years))
    said += _merge_home(conv, u)
    if u.child_sex:
        conv.set("child_sex", u.child_sex)
    if u.child_name:
        conv.set("child_name", u.child_name)
    if u.relationship:
        conv.set("relationship", u.relationship)
    if u.curve_degrees:
        conv.set("curve", u.curve_degrees)
    return said


def _unconfirmed(conv: Conversation) -> Optional[dict[str, Any]]:
    """The condition named with a weak doubt ("scoliosis i think"), not yet asked about."""
    value = conv.fact("condition")
    return value if value and value.get("kind") == "undiagnosed" and value.get("unconfirmed") else None


def _diagnosis_answer(conv: Conversation, u: Understanding) -> Optional[str]:
    """Yes to "Has a doctor told you...?" makes the condition named the diagnosis; no
    keeps "no diagnosis yet" (see a doctor first). A diagnosis named outright instead
    is merged as any other. The label of what we now know, or None."""
    value = _unconfirmed(conv)
    if not value or conv.get("asked") != DIAGNOSIS_CHECK or u.doctor_said is None \
            or (u.condition and u.condition["kind"] == "program"):
        return None
    if u.doctor_said:
        answer = {"kind": "program", "conditions": value["unconfirmed"],
                  "programs": value["hedged_programs"], "other": value.get("other", [])}
    else:
        answer = {k: v for k, v in value.items() if k != "unconfirmed"}
    conv.set_fact("condition", answer)
    return condition_label(answer)


def ask_diagnosis(conv: Conversation) -> Optional[Reply]:
    """"Has a doctor told you your child has scoliosis?" while the doubt is open."""
    value = _unconfirmed(conv)
    if not value:
        return None
    conv.stage = SCREENING
    conv.set("asked", DIAGNOSIS_CHECK)
    return say("utter_ask_diagnosis", facts=condition_label(
        {"kind": "program", "conditions": value["unconfirmed"]}))


def added_review(conv: Conversation, u: Understanding,
                 reviews_only: bool = False) -> Optional[dict[str, Any]]:
    """"can he have the hip review too", "he also has hip subluxation": the condition we
    know plus the other program's (its generic condition when none is named), or None.
    "oops i meant hip dysplasia" replaces instead (see merge). `reviews_only`: only a
    review asked for as one counts (in the questionnaire a diagnosis may be an answer)."""
    known = conv.fact("condition")
    if not known or known.get("kind") != "program":
        return None
    catalogue = load_catalogue()
    keys = list(known.get("conditions", []))
    named = u.condition if u.condition and u.condition.get("kind") == "program" and not u.hedged \
        and (u.adds or not u.corrects) and not reviews_only else {}
    new_programs = set(named.get("programs", [])) | set(u.reviews_named if reviews_only else u.wants_programs)
    new_programs -= set(known.get("programs", []))
    if not new_programs:
        return None
    for key in named.get("conditions", []):
        cond = catalogue.condition(key)
        if cond and cond.program in new_programs and key not in keys:
            keys.append(key)
    for program in sorted(new_programs):
        if not any((c := catalogue.condition(k)) and c.program == program for k in keys):
            keys.append(_generic_condition(program))
    other = list(dict.fromkeys(list(known.get("other", [])) + list(named.get("other", []))))
    programs = sorted(set(known.get("programs", [])) | new_programs)
    return {"kind": "program", "conditions": keys, "programs": programs, "other": other}


def _generic_condition(program: str) -> str:
    """"a diagnosed hip condition": the records name the diagnosis."""
    conditions = load_catalogue().programs[program].conditions
    return next((c.key for c in conditions if c.key == f"{program}_condition"), conditions[0].key)


def second_review(conv: Conversation, u: Understanding, conversation_id: str) -> list[Reply]:
    """The other program asked for once the cases exist: we cannot add a case here, so
    the coordinator adds the review; a call-back request tells them. Asked for again
    when the result already has it: the result again."""
    eligible = conv.fact("eligible_programs") or []
    if conv.stage == RESULT and u.wants_programs and set(u.wants_programs) <= set(eligible):
        return [say(f"utter_eligible_{'_'.join(sorted(eligible))}"), say("utter_offer_intake")]
    switched = switch_flow.switch(conv, u, conversation_id) if conv.case_ids else []
    if switched:  # "it's hip not spine": a change, not a second review
        return switched
    added = added_review(conv, u, reviews_only=True) if conv.case_ids else None
    if not added:
        return []
    switch_flow.remember_asked(conv, u)
    wanted = sorted(set(added["programs"]) - set(conv.fact("condition")["programs"]))
    records.save_callback_request(conversation_id, f"add the {' and '.join(wanted)} review")
    intake.flag(conv.case_ids, "second_review_requested")
    return [say("utter_second_review_by_coordinator")]


def moved_after_request(conv: Conversation, u: Understanding) -> list[Reply]:
    """"we moved, new zip is 31405" once the request exists: the new home ZIP goes into
    the case's answers (the county follows), the parent is told, and a home outside the
    service area is flagged for the coordinator. No new screening, no second "Start now?"."""
    if conv.stage != DONE or not conv.case_ids or not u.zip or u.someone_elses_home \
            or (conv.get("other_address") and not u.home_said):
        return []
    intake_flow.refresh(conv)
    intake_flow.change(conv, lambda state: state.setdefault("answers", {}).update(home_zip=u.zip))
    outside = intake_flow.check_home(conv)  # before the fact changes: it skips the screened ZIP
    conv.set_fact("home_zip", u.zip)
    conv.set("place", None)
    summaries = [cases.case_summary(case_id) for case_id in conv.case_ids]
    out = [say("utter_home_zip_updated", place=u.zip,
               references=" and ".join(s["reference"] for s in summaries))]
    if outside:
        out.append(say("utter_moved_outside_area", county=summaries[0]["county"] or "another state"))
    return out


def _merge_home(conv: Conversation, u: Understanding) -> list[str]:
    """Where the family lives. A relative's address never replaces it; the family's own
    ("actually we live in...", "we moved", a ZIP alone) always does, and the result is
    decided again."""
    if u.someone_elses_home and location(conv):
        # "I can use my sister's address in Macon": the review goes by the child's home,
        # and from now on only the family's own home changes where that is.
        conv.set("other_address", True)
        return []
    if conv.get("other_address") and location(conv) and not u.home_said:
        return []  # "her zip is 31204", right after the sister's address
    if u.home_said and (u.zip or u.place):
        conv.set("other_address", None)
    if u.zip and u.zip != conv.fact("home_zip"):
        conv.set_fact("home_zip", u.zip)
        conv.set("place", None)
        conv.set("pending_place", None)
        conv.set("place_unclear", None)
        info = lookup_zip(u.zip)
        return [f"{info.city.title()} {u.zip}" if info and info.city else u.zip]
    if u.place and not u.zip:
        return _merge_place(conv, u)
    return []


def _merge_place(conv: Conversation, u: Understanding) -> list[str]:
    place = u.place
    known = conv.fact("home_zip") or conv.get("place")
    if known and not u.home_said:
        return []  # "my sister's address in Macon": where the family lives is known
    here = location(conv)
    if here and here.zip and (here.city or "").lower() == place.name.lower():
        return []  # "she lives with me in Athens" after 30606: the ZIP says more
    if place.cue == "home" and not u.home_said and place.kind != "state":
        place = type(place)(place.name, place.state, place.counties, place.kind, "provider")
    if place.cue == "provider" and not known:
        conv.set("pending_place", {"name": place.name, "state": place.state,
                                   "counties": list(place.counties), "kind": place.kind})
        return [place.name]
    if place.cue == "provider":
        return []
    info = place_zip_info(place)
    if info is None and place.kind == "state":  # "we're in Georgia": the ZIP decides
        return [place.name]
    if info is None:  # a Georgia town in and out of the Atlanta area: the ZIP decides
        conv.set("place", None)
        conv.set("place_unclear", place.name)
        return [place.name]
    conv.set_fact("home_zip", None)
    conv.set("pending_place", None)
    conv.set("place_unclear", None)
    conv.set("place", {"name": place.name, "state": info.state, "county": info.county})
    return [place.name]


def condition_label(value: dict[str, Any]) -> str:
    if value.get("kind") == "undiagnosed":
        return "no diagnosis yet"
    if value.get("kind") == "other":
        return "another bone or joint problem"
    catalogue = load_catalogue()
    conds = [c for c in map(catalogue.condition, value.get("conditions", [])) if c]
    named = {c.program for c in conds if not c.name.startswith("a ")}
    names = []
    for cond in conds:  # "a hip problem" only when no hip diagnosis is named
        name = cond.name.split(" (")[0]
        if not (name.startswith("a ") and cond.program in named):
            names.append({"a diagnosed spine condition": "a spine problem",
                          "a diagnosed hip condition": "a hip problem"}.get(name, name))
    return " and ".join(names) or "a spine or hip problem"


def age_label(years: float) -> str:
    if years < 1:
        months = max(round(years * 12), 0)
        return f"{months} month{'s' if months != 1 else ''} old"
    whole = int(years + 1e-6)
    return f"age {whole}"


def location(conv: Conversation) -> Optional[ZipInfo]:
    if conv.fact("home_zip"):
        return lookup_zip(conv.fact("home_zip"))
    place = conv.get("place")
    if place:
        return ZipInfo(zip="", state=place["state"], county=place.get("county") or "",
                       city=place["name"])
    return None


# ---------------------------------------------------------------- next step

def missing(conv: Conversation) -> list[str]:
    values = conv.facts()
    if location(conv):
        values["home_zip"] = values.get("home_zip") or "place"
    needed = screening.required_slots(values, policy().max_age_years)
    return [s for s in needed if values.get(s) is None]


def next_step(conv: Conversation, conversation_id: str, ack: list[str]) -> list[Reply]:
    """"Got it" for what we just learned, then one question, or the result."""
    out = [say("utter_got_it", facts=", ".join(ack))] if ack else []
    hint = [say("utter_numbers_hint")] if conv.get("numbers_hint") else []
    conv.set("numbers_hint", None)
    diagnosis = ask_diagnosis(conv)
    if diagnosis:
        return out + hint + [diagnosis]
    pending = conv.get("pending_place")
    todo = missing(conv)
    if todo == ["home_zip"] and pending:
        conv.set("asked", "place_confirm")
        return out + [say("utter_confirm_place", place=pending["name"])]
    if todo:
        slot = todo[0]
        conv.stage = SCREENING
        conv.set("asked", slot)
        if slot == "home_zip" and conv.get("place_unclear"):
            return out + hint + [say("utter_place_needs_zip", place=conv.get("place_unclear"))]
        return out + hint + [say(ASK[slot])]
    return out + result(conv, conversation_id)


def unclear(conv: Conversation, u: Understanding) -> list[Reply]:
    """The asked question got no usable answer: say so; after a few, offer a way out."""
    asked = conv.get("asked")
    failures = int(conv.get("failures") or 0) + 1
    if failures >= MAX_FAILURES:
        conv.set("failures", 0)
        return [say("utter_screening_stuck")]
    conv.set("failures", failures)
    if conv.get("numbers_hint") and asked in ASK:
        conv.set("numbers_hint", None)
        return [say("utter_numbers_hint"), say(ASK[asked])]
    name = AGE_PROBLEMS.get(u.age_problem or "") if asked == "child_age" else None
    if asked == "home_zip" and u.zip_unknown:
        name = "utter_zip_unknown"
    out = [say(name or UNCLEAR.get(asked, "utter_default"))]
    if failures == MAX_FAILURES - 1 and asked in WHY:
        out.append(say(WHY[asked]))
    return out


def confirm_place(conv: Conversation, yes: bool) -> None:
    pending = conv.get("pending_place")
    conv.set("pending_place", None)
    if yes and pending:
        from bot.places import Place  # the stored dict back into a Place
        place = Place(name=pending["name"], state=pending["state"],
                      counties=tuple(pending["counties"]), kind=pending["kind"], cue="home")
        info = place_zip_info(place)
        if info:
            conv.set("place", {"name": place.name, "state": info.state, "county": info.county})
        else:
            conv.set("place_unclear", place.name)


def result(conv: Conversation, conversation_id: str) -> list[Reply]:
    value = conv.fact("condition")
    match = screening.match_from_value(value)
    info = location(conv)
    age = conv.fact("child_age")
    decision = eligibility.decide(match, AgeAnswer(age, None) if age is not None else None,
                                  info, policy())
    same = (conv.stage == RESULT and conv.slots["screening_route"] == decision.route.value
            and conv.slots["eligible_programs"] == [p.key for p in decision.programs])
    if same:  # nothing changed: no second "Good news" block
        conv.set("offer", "intake")
        return [say("utter_offer_intake_again")]
    records.save_screening(conversation_id, match, age, info, decision)
    conv.slots["screening_route"] = decision.route.value
    conv.slots["eligible_programs"] = [p.key for p in decision.programs]
    conv.set("asked", None)
    conv.set("failures", None)
    if decision.eligible:
        conv.stage = RESULT
        conv.set("offer", "intake")
        keys = "_".join(sorted(p.key for p in decision.programs))
        return [say(f"utter_eligible_{keys}"), say("utter_offer_intake")]
    conv.stage = DONE
    conv.set("offer", None)
    return [say(f"utter_route_{decision.route.value}", county=info.county if info else "")]
