"""The ARI client's connection pool and what it tells about its requests, against a small HTTP
server on loopback that counts the TCP connections it accepts (no Asterisk needed).

A call's requests come seconds apart; the pool keeps an idle connection ``http_keepalive_s``
(httpx's own default, 5 s, made most of them open a new connection on a loaded machine, where
connecting was the step that timed out). A request that times out says in which phase it was.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
import structlog

from ivr.ari import AriClient
from ivr.errors import AriTimeout
from ivr.settings import AriSettings


@dataclass
class Server:
    """Answers ``GET /ari/asterisk/info`` with ``{}`` (keep-alive); ``/ari/channels/hang``
    never gets an answer."""

    port: int = 0
    connections: int = 0
    requests: list[str] = field(default_factory=list)

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while line := await reader.readline():
                path = line.split()[1].decode()
                while (await reader.readline()).strip():
                    pass  # headers (no bodies in these requests)
                self.requests.append(path)
                if path.startswith("/ari/channels/hang"):
                    await asyncio.sleep(3600)
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 2\r\n\r\n{}"
                )
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    box = Server()
    listener = await asyncio.start_server(box.serve, "127.0.0.1", 0)
    box.port = listener.sockets[0].getsockname()[1]
    async with listener:
        yield box
        listener.close()


def _client(server: Server, **settings: float) -> AriClient:
    base = AriSettings(url=f"http://127.0.0.1:{server.port}")
    return AriClient(base.model_copy(update=settings))


@pytest.mark.parametrize(("keepalive_s", "connections"), [(2.0, 1), (0.05, 3)])
async def test_requests_seconds_apart_share_a_kept_connection(
    server: Server, keepalive_s: float, connections: int
) -> None:
    async with _client(server, http_keepalive_s=keepalive_s) as ari:
        for _ in range(3):
            await ari.info()
            await asyncio.sleep(0.3)  # a call's requests: apart, each after the last's answer
        assert ari.timings.connections_opened == connections
        assert ari.timings.requests == 3
    assert server.connections == connections


def test_the_default_keeps_connections_longer_than_httpx_does_and_under_asterisk() -> None:
    settings = AriSettings()
    assert 5.0 < settings.http_keepalive_s < 15.0  # httpx: 5 s; Asterisk's session_keep_alive 15
    assert settings.http_connect_timeout_s < settings.request_timeout_s
    assert settings.http_connect_retries >= 1


async def test_a_request_without_an_answer_times_out_in_the_response_phase(
    server: Server,
) -> None:
    async with _client(server, request_timeout_s=0.3) as ari:
        await ari.info()  # a connection to reuse
        with structlog.testing.capture_logs() as logs, pytest.raises(AriTimeout) as caught:
            await ari.get_channel("hang")
        assert "(response)" in str(caught.value)
        [timed_out] = [e for e in logs if e["event"] == "ari.request_timed_out"]
        assert timed_out["phase"] == "response"
        assert timed_out["path"] == "/channels/{id}"  # no call's id in a counted field
        summary = ari.timings.take()
    assert summary["requests"] == 2
    assert summary["connections_opened"] == 1
    assert summary["timeouts"] == {"response": 1}
    assert ari.timings.requests == 0  # taken: a fresh start


async def test_the_sums_are_logged_once_a_period_has_passed(server: Server) -> None:
    async with _client(server, request_stats_every_s=0.2) as ari:
        with structlog.testing.capture_logs() as logs:
            await ari.info()
            await ari.info()
            await asyncio.sleep(0.25)
            await ari.info()
        [summary] = [e for e in logs if e["event"] == "ari.requests"]
    assert summary["requests"] == 3
    assert summary["connections_opened"] == 1
    assert set(summary["response_ms"]) == {"p50", "p95", "max"}
    assert summary["timeouts"] == {}


async def test_a_request_its_caller_cancels_costs_its_connection(server: Server) -> None:
    """A call's end cancels what its tasks were waiting for; a request cancelled mid-way
    closes its connection (it cannot be reused half-read), so the next one opens another."""
    async with _client(server) as ari:
        await ari.info()
        hanging = asyncio.create_task(ari.get_channel("hang"))
        await asyncio.sleep(0.2)
        hanging.cancel()
        with pytest.raises(asyncio.CancelledError):
            await hanging
        await ari.info()
        assert ari.timings.cancelled == 1
        assert ari.timings.connections_opened == 2
    assert server.connections == 2
