"""Which questions a message asks, so one reply can answer several at once."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import yaml

TOPICS_FILE = Path(__file__).parent / "data" / "faq_topics.yml"
MAX_ANSWERS = 3  # more than three answers in a row is a wall of texts


@dataclass(frozen=True)
class Topic:
    intent: str
    response: str
    patterns: tuple[re.Pattern, ...]

    def first_mention(self, text: str) -> Optional[int]:
        hits = [m.start() for rx in self.patterns for m in [rx.search(text)] if m]
        return min(hits) if hits else None


@functools.lru_cache(maxsize=None)
def load_topics(path: Path = TOPICS_FILE) -> dict[str, Topic]:
    raw = yaml.safe_load(path.read_text())["topics"]
    return {intent: Topic(intent, spec["response"],
                          tuple(re.compile(p, re.I) for p in spec.get("patterns", [])))
            for intent, spec in raw.items()}


def is_question_intent(intent: Optional[str]) -> bool:
    return intent in load_topics()


def responses_for(intent: Optional[str], text: str) -> list[str]:
    """The predicted intent's answer first, then other topics the text mentions, in order."""
    topics = load_topics()
    ordered = [topics[intent].response] if intent in topics else []
    mentioned = sorted(
        (pos, t.response) for t in topics.values()
        for pos in [t.first_mention(text or "")] if pos is not None
    )
    for _, response in mentioned:
        if response not in ordered:
            ordered.append(response)
    return ordered[:MAX_ANSWERS]
