"""A real sanic server in this process, on a free port, in a thread of its own: routes
over HTTP in seconds, without starting Rasa. `thread.is_alive()` tells whether one
request stopped the server."""
from __future__ import annotations

import asyncio
import json
import socket
import threading
import urllib.error
import urllib.request

from sanic import Sanic

Sanic.test_mode = True  # several apps, some with the same name, in one process


class InProcessServer:
    def __init__(self, app: Sanic):
        self.app = app
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.loop = asyncio.new_event_loop()
        started = threading.Event()

        async def start():
            server = await app.create_server(host="127.0.0.1", port=self.port,
                                             return_asyncio_server=True)
            await server.startup()
            await server.start_serving()

        def run():
            self.loop.run_until_complete(start())
            started.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        assert started.wait(20), "the test server did not start"

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, object]:
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=body,
                                     method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=20) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read())

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
