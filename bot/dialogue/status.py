"""Where a family's request stands, told from the case itself.

The web page and the chat write the same case: its checklist says what is in (health
questions, fee agreement, uploads), so "what else is left?" and "did you get my
x-rays?" are answered from it, never guessed. No case in this chat: the steps.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

from bot import cases, checklist, intake
from bot.dialogue.replies import Reply, say

CASE_STATUS = "case_status"  # "what else is left?"
RECEIVED = "documents_received"  # "did you get my x-rays?"
TOPICS = (CASE_STATUS, RECEIVED)

# The checklist item a "did you get my ...?" names (normalized or raw text).
_KIND_WORDS = {
    checklist.IMAGING: r"x-? ?rays?|images?|imaging|scans?|mri|ct|ultrasound|films?|cd|disc",
    checklist.REFERRAL: r"referral",
    checklist.MEDICAL_RECORDS: r"records|notes|reports?",
    checklist.FINANCIAL_CONSENT: r"consent|fee agreement|agreement|signature|signed",
    checklist.QUESTIONNAIRE: r"questionnaire|health questions|answers|medical history",
}
_KIND_RES = {kind: re.compile(rf"\b({words})\b", re.I) for kind, words in _KIND_WORDS.items()}


def kind_named(text: str) -> Optional[str]:
    """The one checklist item the message names, if exactly one."""
    found = [kind for kind, rx in _KIND_RES.items() if rx.search(text or "")]
    return found[0] if len(found) == 1 else None


def answer(topic: str, case_ids: Iterable[int], text: str) -> list[Reply]:
    """The status of each case of this chat; for a "did you get ...?" about one item,
    a yes or a not yet first."""
    details = []
    for case_id in case_ids:
        try:
            details.append(cases.case_summary(case_id))  # the checklist; uploads tick it
        except LookupError:  # a case removed by the coordinator: nothing to tell
            continue
    if not details:
        return [say("utter_status_no_case")]
    out: list[Reply] = []
    kind = kind_named(text) if topic == RECEIVED else None
    if kind:
        have = all(kind in _received(d) for d in details)
        out.append(say("utter_status_yes" if have else "utter_status_not_yet"))
    out += [_case_status(d) for d in details]
    complete = all(not _missing(d) for d in details)
    if complete:
        out.append(say("utter_status_complete"))
    elif intake.is_locked([d["id"] for d in details]):
        out.append(say("utter_link_locked"))  # no "type: send me the link" to a locked page
    else:
        out.append(say("utter_status_send_rest"))
    return out


def _received(detail: dict) -> set[str]:
    return {i["kind"] for i in detail["checklist"] if i["status"] == checklist.RECEIVED}


def _missing(detail: dict) -> list[str]:
    received = _received(detail)
    return [i["kind"] for i in detail["checklist"] if i["required"] and i["kind"] not in received]


def _case_status(detail: dict) -> Reply:
    """Here is where your request SO-2026-00042 stands. / We have: / - Health questions. / ..."""
    have = [i["kind"] for i in detail["checklist"] if i["kind"] in _received(detail)]
    lines = [say("utter_status_intro", references=detail["reference"]).text]
    for response, kinds in (("utter_status_have", have), ("utter_status_needed", _missing(detail))):
        if kinds:  # one item a line, with the web page's labels: easy to scan on a phone
            lines.append(say(response).text)
            lines += [f"- {checklist.LABELS.get(kind, kind)}." for kind in kinds]
    return Reply(text="\n".join(lines), name="utter_status_intro")
