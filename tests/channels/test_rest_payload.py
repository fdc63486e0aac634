"""Every malformed REST body is refused with a 4xx reason before Rasa sees it."""
from __future__ import annotations

import json

import pytest

from bot.channels.rest_payload import MAX_BODY_BYTES, BadRequest, RestMessage, parse


def raw(obj) -> bytes:
    return json.dumps(obj).encode()


@pytest.mark.parametrize("body", [
    b"", b"not json", b"\xff\xfe\x00garbage", b'{"sender": "a", "message": "caf\xe9"}',
    b"null", b"[]", b'"text"', b"42", b"true",
    raw({"sender": "a"}), raw({"sender": "a", "message": None}), raw({"sender": "a", "message": 5}),
    raw({"sender": "a", "message": ["hi"]}), raw({"sender": "a", "message": "   "}),
    raw({"sender": "a", "message": "x" * 5001}),
    raw({"sender": None, "message": "hi"}), raw({"sender": {"id": 1}, "message": "hi"}),
    raw({"sender": True, "message": "hi"}), raw({"sender": "a\nb", "message": "hi"}),
    b'{"sender": "\\ud800", "message": "hi"}', b'{"sender": "a", "message": "hi \\udfff"}',
    b'{"sender": "a", "message": "hi", "metadata": {"\\ud83d": 1}}',
    b'{"sender": "a", "message": "nul \\u0000 here"}',
    raw({"sender": "a", "message": "hi", "metadata": "x"}),
    raw({"sender": "a", "message": "hi", "metadata": [1, 2]}),
    raw({"sender": "a", "message": "hi", "metadata": 3}),
    b'{"sender": "a", "message": "hi", "metadata": {"n": NaN}}',
    b'{"sender": "a", "message": "hi", "metadata": {"n": ' + b"9" * 5000 + b"}}",
    b"[" * 100_000 + b"]" * 100_000,
    raw({"sender": "a", "message": "hi", "metadata": {"a": [[[[[[[[[["deep"]]]]]]]]]]}}),
    raw({"sender": "a", "message": "x" * (MAX_BODY_BYTES + 1)}),
    raw({"sender": "a" * 1_000_000, "message": "hi"}),
])
def test_malformed_bodies_are_refused_with_a_4xx(body):
    with pytest.raises(BadRequest) as refused:
        parse(body)
    assert 400 <= refused.value.status < 500 and 0 < len(refused.value.reason) < 120


@pytest.mark.parametrize("body, expected", [
    (raw({"sender": "suite-1a2b", "message": "hi"}), RestMessage("suite-1a2b", "hi", {})),
    (raw({"sender": "+14045550100", "message": "¿Hola? 😀", "metadata": None}),
     RestMessage("+14045550100", "¿Hola? 😀", {})),
    (raw({"sender": "rest:a.b_c@d", "message": "line one\nline two\ttab",
          "metadata": {"lang": "en"}, "input_channel": "x"}),
     RestMessage("rest:a.b_c@d", "line one\nline two\ttab", {"lang": "en"})),
    (raw({"sender": "x" * 64, "message": "x" * 5000}), RestMessage("x" * 64, "x" * 5000, {})),
])
def test_well_formed_bodies_pass(body, expected):
    assert parse(body) == expected


def test_card_numbers_never_ride_in_the_sender_or_the_metadata():
    with pytest.raises(BadRequest):
        parse(b'{"sender": "4111111111111111", "message": "hi"}')
    parsed = parse(json.dumps({
        "sender": "parent-7", "message": "hi",
        "metadata": {"note": "card 4111 1111 1111 1111", "list": ["ssn 078-05-1120"]}}).encode())
    stored = json.dumps(parsed.metadata)
    assert "4111" not in stored and "1120" not in stored and "removed" in stored
