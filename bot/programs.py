"""The document-review catalogue (loaded from data/programs.yml) and condition matching.

Parents describe conditions in their own words, with typos and SMS shorthand, and
sometimes several at once. `Catalogue.match` turns such a message into the
program conditions, other orthopedic categories and "no diagnosis yet" phrases
it mentions. Pure Python, no Rasa.
"""
from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional, Union

import yaml

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "programs.yml"

KIND_PROGRAM, KIND_OTHER, KIND_UNDIAGNOSED = "program", "other", "undiagnosed"

# Words that carry no meaning for matching: dropping them from both the message and
# the synonyms lets "curve in her back" match "a curve in the back" without listing
# every pronoun/article combination.
FILLERS = frozenset(
    "a an the my his her their our your its of in on at to with w yet been just was were is are be "
    "really very so both left right lower upper mid middle mild slight severe".split()
)
# Typos are only forgiven in words this long: short words ("hip", "acl", "ddh")
# would otherwise fuzz into everyday words ("his", "ship").
MIN_FUZZY_LEN = 5
# A 7+ letter word may have one wrong letter; a 5-6 letter one only a missing/extra
# letter (one substitution in "finger" would already accept "ginger").
FUZZY_CUTOFF = 0.84
# Run-together spellings ("hipdysplasia") are added as one-word synonyms when this long.
MIN_JOINED_LEN = 8


@dataclass(frozen=True)
class Condition:
    key: str
    name: str
    program: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class Program:
    key: str
    name: str
    fee_usd: int
    reviewers: str
    reviewer_team: str
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class ConditionMatch:
    kind: str  # "program" | "other" | "undiagnosed"
    conditions: tuple[Condition, ...]
    other: tuple[str, ...]

    @property
    def programs(self) -> tuple[str, ...]:
        return tuple(sorted({c.program for c in self.conditions}))


@dataclass(frozen=True)
class _Entry:
    """What one synonym points to: a program condition, an other key or undiagnosed."""
    kind: str
    key: str
    condition: Optional[Condition] = None


def normalise_words(text: str) -> list[str]:
    """Lower-case ASCII words; apostrophes vanish ("perthe's" -> "perthes"), other
    punctuation splits words ("legg-calve-perthes" -> 3 words)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"['`]", "", text.lower())
    return re.findall(r"[a-z0-9]+", text)


def _stem(word: str) -> str:
    """Crude singular: "hips" -> "hip", "clicks" -> "click", but not "scoliosis".
    Applied to synonyms and messages alike, so it only has to be consistent."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "is", "us")):
        return word[:-1]
    return word


def _content_words(words: Iterable[str]) -> list[str]:
    return [_stem(w) for w in words if w not in FILLERS]


class Catalogue:
    """Programs plus a phrase index over every synonym in the catalogue."""

    def __init__(self, programs: dict[str, Program], other: dict[str, tuple[str, ...]],
                 undiagnosed: dict[str, tuple[str, ...]]):
        self.programs = programs
        self.other = other
        self.undiagnosed = undiagnosed
        self._phrases: dict[tuple[str, ...], _Entry] = {}
        for program in programs.values():
            for cond in program.conditions:
                self._index(cond.synonyms + (cond.name,), _Entry(KIND_PROGRAM, cond.key, cond))
        for key, synonyms in other.items():
            self._index(synonyms, _Entry(KIND_OTHER, key))
        for key, synonyms in undiagnosed.items():
            self._index(synonyms, _Entry(KIND_UNDIAGNOSED, key))
        self._by_first_word: dict[str, list[tuple[str, ...]]] = {}
        for phrase in self._phrases:
            self._by_first_word.setdefault(phrase[0], []).append(phrase)
        vocab = {w for phrase in self._phrases for w in phrase}
        self._fuzzy_vocab = sorted(w for w in vocab if len(w) >= MIN_FUZZY_LEN)
        self._readings_cache: dict[str, frozenset[str]] = {}

    def _index(self, synonyms: Iterable[str], entry: _Entry) -> None:
        for synonym in synonyms:
            words = tuple(_content_words(normalise_words(synonym)))
            if not words:
                raise ValueError(f"synonym {synonym!r} has no content words")
            self._add(words, entry)
            joined = "".join(words)
            if len(words) > 1 and len(joined) >= MIN_JOINED_LEN:
                self._add((joined,), entry)

    def _add(self, words: tuple[str, ...], entry: _Entry) -> None:
        existing = self._phrases.setdefault(words, entry)
        # A phrase meaning two things would make matches depend on file order.
        if (existing.kind, existing.key) != (entry.kind, entry.key):
            raise ValueError(f"synonym {' '.join(words)!r} is listed under both "
                             f"{existing.key!r} and {entry.key!r}")

    def condition(self, key: str) -> Optional[Condition]:
        for program in self.programs.values():
            for cond in program.conditions:
                if cond.key == key:
                    return cond
        return None

    def match(self, text: str) -> Optional[ConditionMatch]:
        """Conditions mentioned in `text`; None when nothing is recognised."""
        entries = self._find_phrases(_content_words(normalise_words(text or "")))
        conditions = _unique(e.condition for e in entries if e.kind == KIND_PROGRAM)
        other = _unique(e.key for e in entries if e.kind == KIND_OTHER)
        if conditions:
            kind = KIND_PROGRAM
        elif other:
            kind = KIND_OTHER
        elif any(e.kind == KIND_UNDIAGNOSED for e in entries):
            kind = KIND_UNDIAGNOSED
        else:
            return None
        return ConditionMatch(kind=kind, conditions=conditions, other=other)

    def _readings(self, word: str) -> frozenset[str]:
        """Catalogue words a message word may stand for: itself plus close typos."""
        if word not in self._readings_cache:
            self._readings_cache[word] = frozenset([word, *self._close_words(word)])
        return self._readings_cache[word]

    def _close_words(self, word: str) -> list[str]:
        if len(word) < MIN_FUZZY_LEN or not word.isalpha():
            return []  # short words and digits (ZIPs, ages) never fuzz
        close = difflib.get_close_matches(word, self._fuzzy_vocab, n=5, cutoff=FUZZY_CUTOFF)
        # A typo adds or drops a letter (two in long words): "diagnosed" is not a
        # typo of "undiagnosed", nor "dysplasia" of "hipdysplasia".
        max_change = max(1, len(word) // 5)
        return [c for c in close if abs(len(c) - len(word)) <= max_change]

    def _find_phrases(self, words: list[str]) -> list[_Entry]:
        """Longest phrases win and phrases never overlap, so "neuromuscular scoliosis"
        is not also counted as plain "scoliosis", nor "stress fracture in the back"
        as a fracture. Among equally long ones, exact spelling beats a typo."""
        readings = [self._readings(w) for w in words]
        hits = []
        for start, first in enumerate(readings):
            for reading in first:
                for phrase in self._by_first_word.get(reading, ()):
                    window = words[start:start + len(phrase)]
                    if len(window) == len(phrase) and all(
                            p in readings[start + i] for i, p in enumerate(phrase)):
                        exact = sum(p == w for p, w in zip(phrase, window))
                        hits.append((start, len(phrase), exact, self._phrases[phrase]))
        hits.sort(key=lambda h: (-h[1], -h[2], h[0]))
        taken: set[int] = set()
        chosen = []
        for start, length, _, entry in hits:
            span = set(range(start, start + length))
            if not span & taken:
                taken |= span
                chosen.append((start, entry))
        return [entry for _, entry in sorted(chosen, key=lambda c: c[0])]


def _unique(items: Iterable) -> tuple:
    return tuple(dict.fromkeys(items))


def _program_from_yaml(key: str, raw: dict) -> Program:
    conditions = tuple(
        Condition(key=c["key"], name=c["name"], program=key,
                  synonyms=tuple(str(s) for s in c.get("synonyms", ())))
        for c in raw["conditions"]
    )
    return Program(key=key, name=raw["name"], fee_usd=int(raw["fee_usd"]),
                   reviewers=raw["reviewers"], reviewer_team=raw["reviewer_team"],
                   conditions=conditions)


def _groups(raw: list) -> dict[str, tuple[str, ...]]:
    return {g["key"]: tuple(str(s) for s in g["synonyms"]) for g in raw or ()}


def _load(path: Path) -> Catalogue:
    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    programs = {key: _program_from_yaml(key, p) for key, p in raw["programs"].items()}
    return Catalogue(programs, _groups(raw.get("other_orthopedic")),
                     _groups(raw.get("undiagnosed")))


@functools.lru_cache(maxsize=1)
def _load_default() -> Catalogue:
    return _load(DEFAULT_PATH)


def load_catalogue(path: Union[str, Path, None] = None) -> Catalogue:
    """The catalogue; the default file is parsed once per process."""
    return _load_default() if path is None else _load(Path(path))


def fee_values(catalogue: Optional[Catalogue] = None) -> dict[str, str]:
    """The fees as the bot's replies quote them ({spine_fee}, {hip_fee}, {both_fee}):
    the catalogue is the one place a fee is written."""
    programs = (catalogue or load_catalogue()).programs
    values = {f"{key}_fee": f"${p.fee_usd:,}" for key, p in programs.items()}
    values["both_fee"] = f"${sum(p.fee_usd for p in programs.values()):,}"
    return values
