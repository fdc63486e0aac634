"""How well `bot.understanding.understand` reads a parent's FIRST message.

Scores the hand-labelled corpus tests/data/first_messages.yml (what a careful human
reader takes from each message) field by field. Prints the share of messages fully
understood, the accuracy of each field and every miss (text, field, expected, got).

    .venv/bin/python bench/first_messages.py [--misses N] [--field age]

A message is fully understood when every expected field matches:
  kind/programs    condition kind ("none" when no condition) and its sorted programs
  age              within 0.6 years; when only a birth date is given, no age or the
                   age that birth date gives is accepted
  birth_date       ISO date string
  zip              5-digit ZIP
  county           the home's Georgia county: place.counties[0] (place in Georgia and
                   not cued as the doctor's place, place.cue != "provider") or the
                   county of the ZIP read (bot.location.lookup_zip)
  state            the home's state: place.state or the ZIP's state; an expected
                   Georgia county implies "GA"
  sex, curve, red_flag, advice, language   equal (curve within 0.5 degrees)
  questions, requests                      equal as sets
The tests/test_first_messages.py suite asserts the thresholds.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.location import lookup_zip, normalise_county  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "first_messages.yml"
TODAY = dt.date(2026, 11, 30)
AGE_TOLERANCE = 0.6
CURVE_TOLERANCE = 0.5

FIELDS = ("kind", "programs", "age", "birth_date", "zip", "county", "state", "sex", "curve",
          "questions", "requests", "red_flag", "advice", "language")
KINDS = ("program", "other", "undiagnosed", "none")
PROGRAM_SETS = ([], ["spine"], ["hip"], ["hip", "spine"])
TOPICS = ("what_is", "reviewers", "timeline", "become_patient", "meet_in_person", "visit_options",
          "cost", "insurance", "payment", "documents", "visit_insurance", "visit_wait",
          "payment_help", "surgery_here", "after_review", "disagree", "send_from_phone",
          "adult_child_form", "office_hours", "see_doctor_first", "eligibility_rules")
REQUESTS = ("human", "spanish", "restart", "pause")
EXPECT_KEYS = set(FIELDS) | {"curve", "provider_place"}
ENTRY_KEYS = {"text", "expect", "note"}


# ------------------------------------------------------------------ the corpus

def load_corpus(path: Path = CORPUS) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def corpus_problems(entries: list[dict[str, Any]]) -> list[str]:
    """Mistakes in the labels themselves (unknown keys/topics, unsorted programs,
    a county that contradicts the ZIP...)."""
    problems = []
    seen = set()
    for i, entry in enumerate(entries):
        where = f"#{i} {str(entry.get('text', ''))[:50]!r}"
        if set(entry) - ENTRY_KEYS:
            problems.append(f"{where}: unknown entry keys {sorted(set(entry) - ENTRY_KEYS)}")
        text, exp = entry.get("text"), entry.get("expect") or {}
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}: empty text")
        if text in seen:
            problems.append(f"{where}: duplicate text")
        seen.add(text)
        if set(exp) - EXPECT_KEYS:
            problems.append(f"{where}: unknown expect keys {sorted(set(exp) - EXPECT_KEYS)}")
        if exp.get("kind") not in KINDS:
            problems.append(f"{where}: kind must be one of {KINDS}")
        programs = exp.get("programs")
        if programs not in PROGRAM_SETS:
            problems.append(f"{where}: programs must be one of {PROGRAM_SETS} (sorted)")
        elif (exp.get("kind") == "program") != bool(programs):
            problems.append(f"{where}: programs must be non-empty exactly when kind is program")
        for q in exp.get("questions") or []:
            if q not in TOPICS:
                problems.append(f"{where}: unknown question topic {q!r}")
        for r in exp.get("requests") or []:
            if r not in REQUESTS:
                problems.append(f"{where}: unknown request {r!r}")
        if exp.get("sex") not in (None, "male", "female"):
            problems.append(f"{where}: sex must be male, female or null")
        if exp.get("language", "en") not in ("en", "es"):
            problems.append(f"{where}: language must be en or es")
        if exp.get("birth_date"):
            try:
                dt.date.fromisoformat(str(exp["birth_date"]))
            except ValueError:
                problems.append(f"{where}: birth_date is not an ISO date")
        if exp.get("zip"):
            info = lookup_zip(str(exp["zip"]))
            if info is None:
                problems.append(f"{where}: unknown ZIP {exp['zip']}")
            elif info.state == "GA" and normalise_county(exp.get("county") or "") != normalise_county(info.county):
                problems.append(f"{where}: county should be the ZIP's county {info.county!r}")
            elif info.state != "GA" and exp.get("state") != info.state:
                problems.append(f"{where}: state should be the ZIP's state {info.state!r}")
        if exp.get("county") and exp.get("state") not in (None, "GA"):
            problems.append(f"{where}: a Georgia county with a state other than GA")
    return problems


# ------------------------------------------------------------------ what was read

def _age_from_birth_date(birth_date: str, today: dt.date) -> float:
    return (today - dt.date.fromisoformat(birth_date)).days / 365.25


def _as_iso(value: Any) -> Optional[str]:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def got_values(result: Any) -> dict[str, Any]:
    """The fields of one `understand` result, in the corpus's terms."""
    condition = getattr(result, "condition", None) or None
    place = getattr(result, "place", None)
    # place.cue "provider" marks where the child's doctor is, not the family's home
    home = place if place is not None and getattr(place, "cue", None) != "provider" else None
    zip_code = getattr(result, "zip", None)
    zip_info = lookup_zip(zip_code) if zip_code else None
    place_state = getattr(home, "state", None) if home is not None else None
    place_counties = tuple(getattr(home, "counties", ()) or ()) if home is not None else ()
    ga_counties = []  # candidates for the home's Georgia county
    if place_counties and (place_state or "GA") == "GA":
        ga_counties.append(place_counties[0])
    if zip_info and zip_info.state == "GA" and zip_info.county:
        ga_counties.append(zip_info.county)
    states = [s for s in (place_state, zip_info.state if zip_info else None) if s]
    return {
        "kind": condition["kind"] if condition else "none",
        "programs": sorted(condition.get("programs") or []) if condition else [],
        "age": getattr(result, "age_years", None),
        "birth_date": _as_iso(getattr(result, "birth_date", None)),
        "zip": zip_code,
        "county": ga_counties,
        "state": states,
        "sex": getattr(result, "child_sex", None),
        "curve": getattr(result, "curve_degrees", None),
        "questions": list(getattr(result, "questions", None) or []),
        "requests": list(getattr(result, "requests", None) or []),
        "red_flag": bool(getattr(result, "red_flag", False)),
        "advice": bool(getattr(result, "advice", False)),
        "language": getattr(result, "language", None) or "en",
        "_place": (f"{getattr(place, 'name', '?')} ({getattr(place, 'state', None)}; "
                   f"{', '.join(getattr(place, 'counties', ()) or ())}; "
                   f"kind={getattr(place, 'kind', None)}, cue={getattr(place, 'cue', None)})"
                   if place is not None else None),
    }


def expected_values(exp: dict[str, Any]) -> dict[str, Any]:
    county = exp.get("county")
    return {
        "kind": exp["kind"],
        "programs": sorted(exp.get("programs") or []),
        "age": exp.get("age"),
        "birth_date": _as_iso(exp.get("birth_date")),
        "zip": str(exp["zip"]) if exp.get("zip") else None,
        "county": county,
        "state": exp.get("state") or ("GA" if county else None),
        "sex": exp.get("sex"),
        "curve": exp.get("curve"),
        "questions": list(exp.get("questions") or []),
        "requests": list(exp.get("requests") or []),
        "red_flag": bool(exp.get("red_flag", False)),
        "advice": bool(exp.get("advice", False)),
        "language": exp.get("language") or "en",
    }


def field_matches(name: str, want: Any, got: Any, want_all: dict[str, Any], today: dt.date) -> bool:
    if name == "age":
        if want is None:
            if got is None:
                return True
            bd = want_all.get("birth_date")
            return bool(bd) and abs(float(got) - _age_from_birth_date(bd, today)) <= AGE_TOLERANCE
        return got is not None and abs(float(got) - float(want)) <= AGE_TOLERANCE
    if name == "curve":
        if want is None or got is None:
            return want is None and got is None
        return abs(float(got) - float(want)) <= CURVE_TOLERANCE
    if name == "county":
        if want is None:
            return not got
        return normalise_county(want) in {normalise_county(c) for c in got}
    if name == "state":
        if want is None:
            return not got
        return want in got
    if name in ("questions", "requests"):
        return set(want) == set(got)
    if name == "programs":
        return sorted(want) == sorted(got)
    return want == got


def shown(name: str, got: dict[str, Any]) -> Any:
    """What to print as 'got' for a field."""
    if name in ("county", "state"):
        values = got[name]
        text = values[0] if len(values) == 1 else (values or None)
        return f"{text}  [place: {got['_place']}]" if got["_place"] else text
    return got[name]


# ------------------------------------------------------------------ scoring

@dataclass
class Miss:
    text: str
    field: str
    expected: Any
    got: Any


@dataclass
class Report:
    total: int
    fully_understood: int
    correct_by_field: dict[str, int]
    misses: list[Miss] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (text, exception)

    @property
    def share(self) -> float:
        return self.fully_understood / self.total if self.total else 0.0

    def accuracy(self, name: str) -> float:
        return self.correct_by_field[name] / self.total if self.total else 0.0


def score(entries: list[dict[str, Any]], understand: Callable[..., Any],
          today: dt.date = TODAY) -> Report:
    report = Report(total=len(entries), fully_understood=0,
                    correct_by_field={name: 0 for name in FIELDS})
    for entry in entries:
        text = entry["text"]
        want = expected_values(entry["expect"])
        try:
            got = got_values(understand(text, today=today))
        except Exception as exc:  # a crash counts as a miss on every field
            report.errors.append((text, f"{type(exc).__name__}: {exc}"))
            for name in FIELDS:
                report.misses.append(Miss(text, name, want[name], "<crashed>"))
            continue
        all_ok = True
        for name in FIELDS:
            if field_matches(name, want[name], got[name], want, today):
                report.correct_by_field[name] += 1
            else:
                all_ok = False
                report.misses.append(Miss(text, name, want[name], shown(name, got)))
        report.fully_understood += all_ok
    return report


def format_report(report: Report, max_misses: Optional[int] = None,
                  only_field: Optional[str] = None) -> str:
    lines = [f"first messages: {report.total}",
             f"fully understood: {report.fully_understood}/{report.total} = {report.share:.1%}",
             "", "per-field accuracy:"]
    for name in FIELDS:
        lines.append(f"  {name:<11} {report.accuracy(name):6.1%}  "
                     f"({report.total - report.correct_by_field[name]} wrong)")
    if report.errors:
        lines += ["", f"crashes: {len(report.errors)}"]
        lines += [f"  {text[:80]!r}: {err}" for text, err in report.errors]
    misses = [m for m in report.misses if only_field in (None, m.field)]
    lines += ["", f"misses: {len(misses)}" + (f" (field {only_field})" if only_field else "")]
    for m in misses[:max_misses] if max_misses is not None else misses:
        text = " ".join(m.text.split())
        lines.append(f"- {text[:160]}{'...' if len(text) > 160 else ''}")
        lines.append(f"    {m.field}: expected {m.expected!r}, got {m.got!r}")
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--misses", type=int, default=None, help="print at most N misses")
    parser.add_argument("--field", choices=FIELDS, default=None, help="only print misses of this field")
    args = parser.parse_args(argv)

    entries = load_corpus(args.corpus)
    problems = corpus_problems(entries)
    if problems:
        print("corpus problems:\n  " + "\n  ".join(problems))
        return 2
    from bot.understanding import understand

    print(format_report(score(entries, understand), args.misses, args.field))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
