"""The log filter every process installs (bot.logs): conversation ids and card numbers
never reach a log line, even inside a library's traceback."""
import io
import logging

from bot.logs import RedactConversationIds


def test_ids_and_cards_are_redacted_in_messages_and_tracebacks():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactConversationIds())
    log = logging.getLogger("some.library")
    log.addHandler(handler)
    try:
        log.warning("Circuit breaker tripped for sender '%s'", "sms:+14045550100")
        try:
            raise ValueError("bad request line: GET /x?card=4111111111111111 HTTP/1.1")
        except ValueError:
            log.exception("request failed")
    finally:
        log.removeHandler(handler)
    written = stream.getvalue()
    assert "request failed" in written and "Traceback" in written
    assert "4045550100" not in written and "4111111111111111" not in written
