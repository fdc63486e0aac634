"""What the assistant remembers of one conversation: plain JSON in Rasa slots.

The screening facts and the questionnaire keep their own slots (other code and the
coordinator read them); everything else the dialogue needs sits in one `dialogue`
slot, so a new flag needs no change to domain.yml.
"""
from __future__ import annotations

import copy
from typing import Any, Optional

# Slots the dialogue reads and writes (all declared in domain.yml).
SLOTS = ("condition", "child_age", "child_birth_date", "home_zip", "screening_route",
         "eligible_programs", "intake_state", "case_ids", "dialogue")
SCREENING_FACTS = ("condition", "child_age", "child_birth_date", "home_zip")

# Stages of a conversation.
IDLE, SCREENING, RESULT, INTAKE, DONE = "idle", "screening", "result", "intake", "done"


class Conversation:
    """Slots in, slots out. Attribute access for the `dialogue` slot's keys."""

    def __init__(self, slots: dict[str, Any], private: bool = False,
                 phone: Optional[str] = None):
        self.slots = {k: copy.deepcopy(slots.get(k)) for k in SLOTS}
        self.private = private  # a channel that must not carry health information (SMS)
        self.phone = phone  # the number a texting parent writes from (E.164), else None
        self.d: dict[str, Any] = self.slots["dialogue"] or {}
        self.slots["dialogue"] = self.d
        self._before = copy.deepcopy(self.slots)

    # --- the dialogue slot ---
    def get(self, key: str, default: Any = None) -> Any:
        return self.d.get(key, default)

    def set(self, key: str, value: Any) -> None:
        if value is None:
            self.d.pop(key, None)
        else:
            self.d[key] = value

    @property
    def stage(self) -> str:
        if self.slots["case_ids"] and self.d.get("stage") in (None, IDLE, SCREENING, RESULT):
            return INTAKE  # older conversations: a case means the intake began
        return self.d.get("stage") or IDLE

    @stage.setter
    def stage(self, value: str) -> None:
        self.d["stage"] = value

    # --- screening facts ---
    def fact(self, slot: str) -> Any:
        return self.slots[slot]

    def set_fact(self, slot: str, value: Any) -> None:
        self.slots[slot] = value

    def facts(self) -> dict[str, Any]:
        return {k: self.slots[k] for k in SCREENING_FACTS}

    def clear_screening(self) -> None:
        for slot in SCREENING_FACTS + ("screening_route", "eligible_programs"):
            self.slots[slot] = None
        for key in ("place", "pending_place", "asked", "failures", "child_sex", "curve",
                    "diagnosis", "offer"):
            self.d.pop(key, None)

    # --- questionnaire ---
    @property
    def intake_state(self) -> dict:
        if self.slots["intake_state"] is None:
            self.slots["intake_state"] = {}
        return self.slots["intake_state"]

    @property
    def case_ids(self) -> list[int]:
        return list(self.slots["case_ids"] or [])

    def changed_slots(self) -> dict[str, Any]:
        return {k: v for k, v in self.slots.items() if v != self._before.get(k)}

    def references(self) -> Optional[str]:
        return self.d.get("references")
