"""A change of review once the request exists: "it's hip not spine", "switch to the hip
one", "wrong one, it's his hip", "cancel the spine one". Not a second review (that is
screening_flow.second_review): the case becomes the other program's while nothing is
in yet (the reference stays; fee, reviewers and the program's questions follow), else
the coordinator switches it."""
from __future__ import annotations

import re
from typing import Optional

from bot import cases, intake, records
from bot.dialogue import intake_flow
from bot.dialogue.replies import Reply, say
from bot.dialogue.state import Conversation
from bot.programs import load_catalogue
from bot.questionnaire.model import Definition, Item, item_enabled, load_definition
from bot.understanding import Understanding

# Words that name a program's review or its usual conditions.
_PROGRAM_WORDS = {
    "spine": r"spine|spinal|scoliosis|kyphosis|curve|back (?:one|review|program)",
    "hip": r"hips?|dysplasia|ddh|perthes|scfe|slipped capital",
}
_MENTION_RE = re.compile(r"\b(?:" + "|".join(f"(?P<{p}>{w})" for p, w in _PROGRAM_WORDS.items()) + r")\b",
                         re.I)
# "not", "no", "doesn't have", "cancel the": the program after it is not wanted.
_NEGATION_RE = re.compile(r"\b(not|no|isn'?t|wasn'?t|doesn'?t|don'?t|never|cancel|drop|instead of|"
                          r"rather than|without)\b(?:\W+\w+){0,3}\W*$", re.I)
# Words that make it a change, not an addition; weak ones only with a review named
# ("the hip one instead"), and in a question only a verb ("can we switch to the hip one?";
# "is something wrong with his hip?" is a question for the team).
_SWITCH_VERB_RE = re.compile(r"\b(switch\w*|swap\w*|chang\w* (it|to|the|this|that|over)|cancel\w*|"
                             r"(don'?t|do not|dont) (want|need) both|not both)\b", re.I)
_SWITCH_RE = re.compile(r"\b(wrong|mix(ed)? ?up|mixup|i meant|meant to say)\b", re.I)
_WEAK_RE = re.compile(r"\b(instead|only|mistake)\b", re.I)
_REVIEW_RE = re.compile(r"\b(reviews?|one|program|request|team|both)\b", re.I)


def _asks_change(text: str) -> bool:
    if _SWITCH_VERB_RE.search(text):
        return True
    if "?" in text:
        return False
    return bool(_SWITCH_RE.search(text) or (_WEAK_RE.search(text) and _REVIEW_RE.search(text)))


def mentions(text: str) -> tuple[set[str], set[str]]:
    """(programs named as wanted, programs named as not wanted)."""
    wanted, unwanted = set(), set()
    for m in _MENTION_RE.finditer(text):
        program = next(p for p in _PROGRAM_WORDS if m.group(p))
        negated = _NEGATION_RE.search(text[max(0, m.start() - 40):m.start()])
        (unwanted if negated else wanted).add(program)
    return wanted - unwanted, unwanted


def target(conv: Conversation, u: Understanding) -> Optional[str]:
    """The program the parent wants instead of the one the request has, or None (no
    change asked, or a wish for both reviews)."""
    current = set(conv.fact("eligible_programs") or [])
    if len(current) != 1 or len(conv.case_ids) != 1:
        return None
    wanted, unwanted = mentions(u.text)
    new = wanted - current
    if not new and current & unwanted and conv.get("review_asked"):
        new = {conv.get("review_asked")}  # "cancel the spine one" after asking for the hip
    if len(new) != 1 or not (current & unwanted or _asks_change(u.text)):
        return None
    return new.pop()


def switch(conv: Conversation, u: Understanding, conversation_id: str) -> list[Reply]:
    """The change done and said with the new fee; or, once records are in, asked of the
    coordinator. [] when the message asks no change."""
    program = target(conv, u)
    if program is None:
        return _already(conv, u)
    old = conv.fact("eligible_programs")[0]
    conv.set("review_asked", None)
    reference = cases.case_summary(conv.case_ids[0])["reference"]
    if not cases.change_program(conv.case_ids[0], program):
        records.save_callback_request(conversation_id, f"change the review from {old} to {program}")
        intake.flag(conv.case_ids, "program_change_requested")
        return [say(f"utter_review_switch_requested_{program}", reference=reference)]
    _switch_facts(conv, u, program)
    intake_flow.change(conv, lambda state: _switch_answers(state, program, _diagnosis(conv)))
    return [say(f"utter_review_switched_{program}", reference=reference)]


def _already(conv: Conversation, u: Understanding) -> list[Reply]:
    """"no I don't want both!! only the hip" when the request is the hip one: it is."""
    current = set(conv.fact("eligible_programs") or [])
    wanted, unwanted = mentions(u.text)
    if len(current) != 1 or len(conv.case_ids) != 1 or not unwanted or unwanted & current \
            or not wanted <= current or not (_asks_change(u.text) and _REVIEW_RE.search(u.text)):
        return []
    conv.set("review_asked", None)
    reference = cases.case_summary(conv.case_ids[0])["reference"]
    return [say(f"utter_review_only_{current.pop()}", reference=reference)]


def _switch_facts(conv: Conversation, u: Understanding, program: str) -> None:
    from bot.dialogue.screening_flow import _generic_condition
    catalogue = load_catalogue()
    named = [k for k in (u.condition or {}).get("conditions", [])
             if (c := catalogue.condition(k)) and c.program == program]
    conv.set_fact("condition", {"kind": "program", "conditions": named or [_generic_condition(program)],
                                "programs": [program], "other": []})
    conv.set_fact("eligible_programs", [program])
    conv.set("curve", None)


def _diagnosis(conv: Conversation) -> Optional[str]:
    """The new diagnosis as the questionnaire holds it, or None (the records name it)."""
    return intake_flow.prefill(conv)["diagnosis"]


def _switch_answers(state: dict, program: str, diagnosis: Optional[str]) -> None:
    """The program's questions follow; answers that no longer apply are dropped."""
    definition = load_definition()
    answers = state.setdefault("answers", {})
    answers["program"] = program
    answers.pop("diagnosis", None)
    if diagnosis:
        answers["diagnosis"] = diagnosis
    dropped = {item.link_id for item in definition.questions() if not _applies(definition, item, answers)}
    for link_id in dropped:
        answers.pop(link_id, None)
    for key in ("history", "skipped", "unknown"):
        state[key] = [h for h in state.get(key, []) if h not in dropped]


def _applies(definition: Definition, item: Item, answers: dict) -> bool:
    node: Optional[Item] = item
    while node is not None:
        if not item_enabled(node, answers):
            return False
        node = definition.parents[node.link_id]
    return True


def remember_asked(conv: Conversation, u: Understanding) -> None:
    """A second review asked for: kept, so "cancel the spine one" next means a change."""
    wanted, _ = mentions(u.text)
    others = wanted - set(conv.fact("eligible_programs") or [])
    if len(others) == 1:
        conv.set("review_asked", next(iter(others)))
