"""The first-message corpus (tests/data/first_messages.yml) is read well enough by
bot.understanding.understand: at least 85% of the messages fully understood and
at least 85% accuracy on every field. The scoring lives in bench/first_messages.py;
`.venv/bin/python bench/first_messages.py` prints the misses."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MIN_SHARE = 0.85
MIN_FIELD_ACCURACY = 0.85
MIN_CORPUS_SIZE = 160


def _load_bench():
    spec = importlib.util.spec_from_file_location("bench_first_messages", ROOT / "bench" / "first_messages.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


bench = _load_bench()


@pytest.fixture(scope="module")
def entries():
    return bench.load_corpus()


@pytest.fixture(scope="module")
def report(entries):
    from bot.understanding import understand

    return bench.score(entries, understand, today=bench.TODAY)


def test_corpus_is_well_formed(entries):
    assert len(entries) >= MIN_CORPUS_SIZE
    assert bench.corpus_problems(entries) == []


def test_corpus_covers_every_kind_and_language(entries):
    kinds = {e["expect"]["kind"] for e in entries}
    assert kinds == set(bench.KINDS)
    assert {e["expect"].get("language", "en") for e in entries} == {"en", "es"}
    assert any(e["expect"].get("red_flag") for e in entries)
    assert any(e["expect"].get("advice") for e in entries)


def test_understanding_never_crashes(report):
    assert report.errors == []


def test_share_fully_understood(report):
    assert report.share >= MIN_SHARE, bench.format_report(report, max_misses=60)


@pytest.mark.parametrize("name", bench.FIELDS)
def test_field_accuracy(report, name):
    assert report.accuracy(name) >= MIN_FIELD_ACCURACY, bench.format_report(report, only_field=name)
