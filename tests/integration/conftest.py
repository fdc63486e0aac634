import pytest

from tests.integration.servers import Servers


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    from bot.migrate import upgrade

    s = Servers(tmp_path_factory.mktemp("servers"))
    upgrade(s.database_url)
    try:
        s.start_actions()
        s.start_portal()
        s.start_rasa()
        yield s
    finally:
        s.stop_all()


def pytest_collection_modifyitems(items):
    for item in items:
        if "integration" in str(item.fspath):
            item.add_marker(pytest.mark.integration)
