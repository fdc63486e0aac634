import uuid

import pytest
from sanic import Sanic

from tests.sanic_server import InProcessServer


@pytest.fixture()
def serve_blueprint():
    """start(blueprint, url_prefix) -> an InProcessServer with only that blueprint."""
    servers = []

    def start(blueprint, url_prefix: str = "") -> InProcessServer:
        app = Sanic(f"test_{uuid.uuid4().hex[:8]}", configure_logging=False)
        app.blueprint(blueprint, url_prefix=url_prefix)
        servers.append(InProcessServer(app))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()
