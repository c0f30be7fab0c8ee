"""One keep-alive HTTP connection, as one till or browser tab holds."""

import http.client
import json
import time


class Client:
    """One keep-alive connection, as one till or browser tab holds."""

    def __init__(self, port: int, token: str):
        self.port = port
        self.headers = {
            "Authorization": f"Token {token}",
            "Accept": "application/json",
            "Content-Type": "application/json",
        }
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method: str, path: str, body=None, headers=None) -> tuple[int, bytes, float]:
        """(status, body, seconds); a dropped connection is reopened once."""
        payload = None if body is None else json.dumps(body)
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.connection.request(
                    method, path, body=payload, headers={**self.headers, **(headers or {})}
                )
                response = self.connection.getresponse()
                data = response.read()
                return response.status, data, time.perf_counter() - started
            except (http.client.RemoteDisconnected, ConnectionError):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.connection.close()
