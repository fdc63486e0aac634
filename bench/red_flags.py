"""Score bot.safety against the parent-message corpus in tests/data/red_flags.yml.

Prints recall on `urgent`, false alarms on `not_urgent`, the emergency-question
classifier on both of its lists, and every miss.

    .venv/bin/python bench/red_flags.py [--corpus tests/data/red_flags.yml]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.safety import asks_emergency_question, has_red_flag, red_flag_findings  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "red_flags.yml"


def load(path: Path = CORPUS) -> dict[str, list[str]]:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def score(corpus: dict[str, list[str]]) -> dict:
    urgent, calm = corpus["urgent"], corpus["not_urgent"]
    asks, other = corpus["emergency_questions"], corpus["not_emergency_questions"]
    missed = [t for t in urgent if not has_red_flag(t)]
    alarms = [t for t in calm if has_red_flag(t)]
    q_missed = [t for t in asks if not asks_emergency_question(t)]
    q_alarms = [t for t in other if asks_emergency_question(t)]
    return {
        "recall": 1 - len(missed) / len(urgent), "missed": missed,
        "false_alarms": alarms, "n_urgent": len(urgent), "n_not_urgent": len(calm),
        "question_recall": 1 - len(q_missed) / len(asks),
        "question_specificity": 1 - len(q_alarms) / len(other),
        "question_missed": q_missed, "question_false": q_alarms,
        "n_asks": len(asks), "n_other": len(other),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    s = score(load(args.corpus))
    print(f"has_red_flag            recall {s['recall']:.3f} "
          f"({s['n_urgent'] - len(s['missed'])}/{s['n_urgent']} urgent)   "
          f"false alarms {len(s['false_alarms'])}/{s['n_not_urgent']} not_urgent")
    print(f"asks_emergency_question recall {s['question_recall']:.3f} "
          f"({s['n_asks'] - len(s['question_missed'])}/{s['n_asks']})   "
          f"specificity {s['question_specificity']:.3f} "
          f"({s['n_other'] - len(s['question_false'])}/{s['n_other']})")
    for title, items, show in (("missed urgent", s["missed"], False),
                               ("false alarms", s["false_alarms"], True),
                               ("missed emergency questions", s["question_missed"], False),
                               ("service questions taken as emergency", s["question_false"], False)):
        if items:
            print(f"\n{title}:")
            for text in items:
                extra = f"   -> {sorted(red_flag_findings(text))}" if show else ""
                print(f"  - {text}{extra}")


if __name__ == "__main__":
    main()
