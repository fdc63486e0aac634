"""Which service questions a message asks, so one reply can answer several at once.

Parents write long stories, SMS shorthand and several questions in one message
("...her surgeon wants a fusion. How does this work and what does it cost?"). This
module finds the *topics* asked (keys of bot/data/faq_topics.yml), in the order they
were asked, and whether the message asks for medical advice about the child.

How a message is read:
  1. normalized: lowercase, apostrophes dropped, shorthand expanded ("u" -> "you",
     "y'all" -> "yall", "insurence" -> "insurance"; the `shorthand` table in the YAML);
  2. cut into clauses at ? ! . ; and new lines, and before "and/or/but + question word"
     ("how much is it and how long does it take");
  3. every topic's patterns are searched; a hit is dropped when one of the topic's
     `unless` patterns matches in the same clause, or when it overlaps a hit of a more
     specific topic that lists it in `instead_of` ("how much is a VIDEO VISIT" is the
     visit-cost topic, not the review's fee);
  4. hits count when the message asks something (`is_question`) or is a few words long;
     a topic's `statements` patterns count in any message ("we have medicaid").
The NLU intent counts as one more signal: only when confident enough (MIN_CONFIDENCE),
and only when no pattern contradicts it. Spanish questions are spotted too (the
patterns include a few Spanish phrasings). Pure Python, no Rasa.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import yaml

TOPICS_FILE = Path(__file__).parent / "data" / "faq_topics.yml"
MAX_ANSWERS = 3  # more than three answers in a row is a wall of texts
MIN_CONFIDENCE = 0.6  # an NLU intent below this is a guess, not a question asked
SHORT_MESSAGE_WORDS = 4  # "insurance?" "payment plans" "cost": asked, even without a '?'

# `~` in a pattern: a short gap that stays inside one clause (never crosses and/or/but,
# a comma before a question word, or ? ! . ;).
GAP = (r"(?:(?!\b(?:and|or|but|also|plus)\b|,\s*(?:how|what|when|where|who|why|which)\b)"
       r"[^?!.;\n]){0,50}?")

_WH = r"(?:how|what|when|where|who|whom|whose|why|which)"
# An auxiliary opens a question only before its subject: "is it covered", not "and is limping".
_SUBJECT = (r"(?:you|yall|your|i|we|she|he|they|it|its|this|that|there|these|those|the|a|an|my|"
            r"our|her|his|their|insurance|medicaid|peachcare|someone|anyone|childrens)")
_AUX = (r"(?:(?:is|are|am|was|were|do|does|did|can|could|will|would|should|shall|may|might|"
        rf"isnt|arent|dont|doesnt|didnt|cant|couldnt|wont|wouldnt|shouldnt)(?= {_SUBJECT}\b)|"
        r"(?:have|has|had)(?= (?:you|yall|she|he|they|we|i|it|there|anyone|my|our|the)\b))")
_FILLER = (r"(?:(?:ok(?:ay)?|so|and|also|but|hi|hello|hey|um+|uh+|well|oh|yes|yeah|no|sorry|"
           r"thanks|thank you|quick question|one more (?:thing|question)|another question|"
           r"question|just|like|then|hmm+|dear \w+)\b[\s,:;!-]*)*")
_QUESTION_START_RE = re.compile(
    rf"^\W*{_FILLER}(?:{_WH}\b|{_AUX}|(?:is|are|isnt) \d|(?:do|does|did|is|are|can|will) \w+ing\b)")
_QUESTION_ANYWHERE_RE = re.compile("|".join([
    r"\?",
    r"\b(?:i|we) (?:wonder|was wondering|were wondering|am wondering|are wondering)\b",
    r"\bwondering\b", r"\bcurious\b",
    r"\b(?:tell|show|explain to) (?:me|us)\b", r"\blet (?:me|us) know\b",
    r"\b(?:want|wanted|need|needed|like|trying|hoping) to (?:know|ask|find out|understand|learn)\b",
    r"\bany ?(?:idea|info|information)\b",
    r"\b(?:not sure|unsure|dont know|do not know|no idea) (?:how|what|when|if|whether|who|where|why)\b",
    r"\bplease (?:explain|advise|send (?:me |us )?(?:info|information|details))\b",
    r"\b(?:info|information|details) (?:on|about|regarding|for)\b",
    r"\bquestions? (?:about|on|regarding)\b", r"\bhelp me understand\b",
    # inverted auxiliary anywhere: "...my daughter is 14 can yall help"
    r"\b(?:can|could|do|does|will|would|should|is|are) (?:yall|you|your|i|we|she|he|they|insurance|"
    r"medicaid|peachcare|there)\b",
    rf"\b{_WH} (?:much|long|soon|many|often|old|do|does|did|is|are|was|were|can|could|will|"
    r"would|should|about|if|happens|kind|type|time|day|days|else|exactly)\b",
    r"\bhow come\b", r"\bthen what\b", r"\b(?:dont|do not) understand (?:how|what|why|the|if)\b",
    r"\b(?:who|what|which) (?:fills?|signs?|pays?|reviews?|reads?|looks|decides|happens|comes)\b",
]))
_CLAUSE_BREAK_RE = re.compile(
    r"[?!;\n]+|\.+(?=\s|$)|"
    rf",?\s+(?:and|or|but|also|plus)\s+(?=(?:{_WH}\b|{_AUX}|if\b|any\b|then\b))|"
    rf",\s*(?=(?:{_WH}\b|{_AUX}))")


@dataclass(frozen=True)
class Topic:
    key: str
    response: str
    intent: Optional[str]
    patterns: tuple[re.Pattern, ...]
    unless: tuple[re.Pattern, ...]
    instead_of: tuple[str, ...]
    statements: tuple[re.Pattern, ...] = ()  # count even when the message asks nothing


@dataclass(frozen=True)
class _Hit:
    topic: str
    start: int
    end: int
    told: bool = False  # from a `statements` pattern: counts without a question


@dataclass(frozen=True)
class _Data:
    topics: dict[str, Topic]
    shorthand: tuple[tuple[re.Pattern, str], ...]
    advice: tuple[re.Pattern, ...]
    advice_unless: tuple[re.Pattern, ...]


def _compile(pattern: str) -> re.Pattern:
    """`~` is a gap inside a clause; a leading `^` is the start of a clause, after
    fillers ("ok so is 45 degrees bad": advice patterns are searched clause by clause)."""
    pattern = pattern.replace("~", GAP)
    if pattern.startswith("^"):
        pattern = rf"^\W*{_FILLER}" + pattern[1:]
    return re.compile(pattern, re.I)


@functools.lru_cache(maxsize=None)
def _load(path: Path = TOPICS_FILE) -> _Data:
    raw = yaml.safe_load(path.read_text())
    topics = {
        key: Topic(key=key, response=spec["response"], intent=spec.get("intent"),
                   patterns=tuple(_compile(p) for p in spec.get("patterns", [])),
                   unless=tuple(_compile(p) for p in spec.get("unless", [])),
                   instead_of=tuple(spec.get("instead_of", [])),
                   statements=tuple(_compile(p) for p in spec.get("statements", [])))
        for key, spec in raw["topics"].items()}
    for topic in topics.values():
        unknown = set(topic.instead_of) - topics.keys()
        if unknown:
            raise ValueError(f"{path.name}: {topic.key}.instead_of names unknown topics {unknown}")
    return _Data(
        topics=topics,
        shorthand=tuple((re.compile(k, re.I), v) for k, v in (raw.get("shorthand") or {}).items()),
        advice=tuple(_compile(p) for p in raw["advice"]["patterns"]),
        advice_unless=tuple(_compile(p) for p in raw["advice"].get("unless", [])),
    )


def load_topics(path: Path = TOPICS_FILE) -> dict[str, Topic]:
    return _load(path).topics


# ------------------------------------------------------------------ reading text
def normalize(text: str) -> str:
    """Lowercase, no accents or apostrophes, shorthand and common misspellings expanded."""
    text = (text or "").lower().replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(ch))  # "cuánto" -> "cuanto"
    text = text.replace("'", "")
    text = text.replace("&", " and ")
    for rx, replacement in _load().shorthand:
        text = rx.sub(replacement, text)
    return re.sub(r"[ \t]+", " ", text).strip()


def _clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause of normalized text."""
    spans, start = [], 0
    for m in _CLAUSE_BREAK_RE.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = max(start, m.end())
    if start < len(text):
        spans.append((start, len(text)))
    return spans or [(0, len(text))]


def _clause_at(clauses: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for start, end in clauses:
        if start <= pos < end:
            return start, end
    return clauses[-1]


def is_question(text: str) -> bool:
    """The message asks something: a question mark, a clause starting with a question
    word or an auxiliary ("do u take amex"), or "i wonder", "can yall", "tell me"..."""
    norm = normalize(text)
    if _QUESTION_ANYWHERE_RE.search(norm):
        return True
    return any(_QUESTION_START_RE.search(norm[s:e]) for s, e in _clauses(norm))


# ------------------------------------------------------------------ topics
def _pattern_hits(norm: str) -> tuple[list[_Hit], set[str]]:
    """Surviving hits, and the topics whose every hit was dropped (vetoed or replaced)."""
    topics = _load().topics
    clauses = _clauses(norm)
    raw: dict[str, list[_Hit]] = {}
    for topic in topics.values():
        for told, patterns in ((False, topic.patterns), (True, topic.statements)):
            for rx in patterns:
                for m in rx.finditer(norm):
                    start, end = m.span("q") if "q" in rx.groupindex and m.group("q") else m.span()
                    raw.setdefault(topic.key, []).append(_Hit(topic.key, start, end, told))
    # 1. `unless`: a word in the same clause says it is another question.
    kept: dict[str, list[_Hit]] = {}
    for key, hits in raw.items():
        unless = topics[key].unless
        for hit in hits:
            c_start, c_end = _clause_at(clauses, hit.start)
            if not any(rx.search(norm[c_start:c_end]) for rx in unless):
                kept.setdefault(key, []).append(hit)
    # 2. `instead_of`: a more specific topic's hit replaces the general ones it overlaps.
    replacing: dict[str, list[_Hit]] = {}
    for key, hits in kept.items():
        for general in topics[key].instead_of:
            replacing.setdefault(general, []).extend(hits)
    final = [hit for key, hits in kept.items() for hit in hits
             if not any(hit.start < o.end and o.start < hit.end for o in replacing.get(key, []))]
    dropped = set(raw) - {hit.topic for hit in final}
    return final, dropped


def questions_in(text: str, intent: Optional[str] = None, confidence: float = 0.0) -> list[str]:
    """Topic keys the message asks about, in the order asked, at most MAX_ANSWERS.

    Patterns alone find the topics; they count when the message asks something
    (`is_question`) or is a few words long ("insurance?", "payment plans"), and a
    topic's `statements` count in any message ("we have medicaid"). The NLU
    intent (e.g. "ask_cost") adds its topic when `confidence >= MIN_CONFIDENCE` and no
    pattern contradicts it: its own hits were all dropped ("how much is a video visit"),
    or a found topic answers it more precisely (`instead_of`)."""
    topics = _load().topics
    norm = normalize(text)
    by_intent = {t.intent: t.key for t in topics.values() if t.intent}
    intent_topic = by_intent.get(intent) if (confidence or 0) >= MIN_CONFIDENCE else None

    hits, dropped = _pattern_hits(norm)
    asked = intent_topic is not None or is_question(text) or len(norm.split()) <= SHORT_MESSAGE_WORDS
    first: dict[str, int] = {}
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        if asked or hit.told:
            first.setdefault(hit.topic, hit.start)
    if intent_topic and intent_topic not in first:
        contradicted = intent_topic in dropped or any(
            intent_topic in topics[key].instead_of for key in first)
        if not contradicted:
            first[intent_topic] = -1  # the message as a whole asks it: answer it first
    return sorted(first, key=first.__getitem__)[:MAX_ANSWERS]


def response_for(topic: str) -> str:
    """The domain response that answers a topic."""
    return load_topics()[topic].response


# ------------------------------------------------------------------ medical advice
def asks_for_advice(text: str) -> bool:
    """The parent asks for medical advice about the child ("should she have the
    surgery?", "is 45 degrees bad?"). A surgery or curve mentioned in a story, a
    service question, "should i take her to the pediatrician first" and emergency
    questions ("should i go to the ER") are not requests for advice."""
    data = _load()
    norm = normalize(text)
    for start, end in _clauses(norm):
        clause = norm[start:end]
        if any(rx.search(clause) for rx in data.advice) and \
                not any(rx.search(clause) for rx in data.advice_unless):
            return True
    return False


# ------------------------------------------------------------------ older API
def is_question_intent(intent: Optional[str]) -> bool:
    """The NLU intent is one of the service questions (ask_cost, ask_timeline...)."""
    return any(t.intent == intent for t in load_topics().values()) if intent else False


def responses_for(intent: Optional[str], text: str, confidence: float = 1.0) -> list[str]:
    """Domain responses answering the message, in order (wrapper of `questions_in`)."""
    return [response_for(topic) for topic in questions_in(text, intent, confidence)]
