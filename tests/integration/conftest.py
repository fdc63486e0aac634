import pytest

from tests.fakes.twilio_api import FakeTwilioApi
from tests.integration.servers import Servers


@pytest.fixture(scope="session")
def fake_twilio():
    """Twilio's REST API, faked on 127.0.0.1: the servers' real twilio client sends here."""
    with FakeTwilioApi() as fake:
        yield fake


@pytest.fixture(scope="session")
def servers(tmp_path_factory, fake_twilio):
    # Texts are signed (TWILIO_AUTH_TOKEN) and sent to the fake; no delay between retries.
    with Servers.running(tmp_path_factory.mktemp("servers"),
                         fake_twilio.env(NOTIFIER_RETRY_BACKOFF_SECONDS="0.05")) as s:
        yield s


def pytest_collection_modifyitems(items):
    for item in items:
        if "integration" in str(item.fspath):
            item.add_marker(pytest.mark.integration)
