"""The automatic status moves, as a pure function."""
import pytest

from bot import checklist as c
from bot.references import format_reference, normalize


@pytest.mark.parametrize("current, received, expected", [
    (c.INTAKE_STARTED, [], c.INTAKE_STARTED),
    (c.INTAKE_STARTED, [c.REFERRAL, c.IMAGING], c.INTAKE_STARTED),
    (c.INTAKE_STARTED, [c.QUESTIONNAIRE], c.AWAITING_DOCUMENTS),
    (c.AWAITING_DOCUMENTS, [c.QUESTIONNAIRE, c.REFERRAL], c.AWAITING_DOCUMENTS),
    (c.AWAITING_DOCUMENTS, list(c.KINDS), c.DOCUMENTS_RECEIVED),
    (c.INTAKE_STARTED, list(c.KINDS), c.DOCUMENTS_RECEIVED),  # questionnaire came last
    (c.DOCUMENTS_RECEIVED, [c.QUESTIONNAIRE], c.DOCUMENTS_RECEIVED),  # never backwards
    ("in_review", list(c.KINDS), "in_review"),  # coordinator statuses are theirs
])
def test_next_status(current, received, expected):
    assert c.next_status(current, received) == expected


def test_only_required_items_count():
    required = [c.QUESTIONNAIRE, c.FINANCIAL_CONSENT, c.REFERRAL, c.MEDICAL_RECORDS]
    assert c.next_status(c.AWAITING_DOCUMENTS, required, required) == c.DOCUMENTS_RECEIVED


def test_unknown_kind_and_program():
    with pytest.raises(ValueError):
        c.check_kind("xray")
    with pytest.raises(ValueError):
        c.check_program("knee")


def test_reference_format_and_normalize():
    assert format_reference(2026, 42) == "SO-2026-00042"
    assert format_reference(2026, 123456) == "SO-2026-123456"
    assert normalize("so 2026 42") == normalize("SO-2026-00042") == "SO-2026-00042"
    with pytest.raises(ValueError):
        normalize("42")
