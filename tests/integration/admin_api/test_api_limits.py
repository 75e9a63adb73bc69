"""Limits that hold before the work is done: an upload past the size limit is refused with 413
before it is spooled (declared or chunked), and a username is locked against guesses spread
over rotating client addresses."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import api_fixtures
import httpx
import pytest
from api_fixtures import PASSWORD, Api

from admin_api.settings import ApiSettings
from cli.data_commands import write_demo_data
from core.clock import FixedClock
from data.crypto import Keyring
from data.db import Database

CHUNK = 64 << 10


@pytest.fixture
def small(sqlite_url: str, keyring: Keyring, clock: FixedClock, tmp_path: Path) -> Iterator[Api]:
    settings = ApiSettings(
        upload_dir=str(tmp_path / "uploads"), max_upload_mb=1, login_burst=3,
        login_user_burst=6, login_user_per_minute=1, argon2_memory_kib=1024,
        argon2_time_cost=1, followup_interval=0, sms_steps_interval=0,
        recordings_purge_interval=0,
    )  # fmt: skip
    db = Database.connect(sqlite_url)
    yield from api_fixtures.make_api(db, keyring, clock, tmp_path, cases=4, settings=settings)
    db.dispose()


def _client(api: Api, address: str = "198.51.100.7") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=api.client.app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://api")


class Body:
    """A multipart body that counts how much of it the server pulled."""

    def __init__(self, mb: int) -> None:
        self.pulled = 0
        head = b'--b\r\nContent-Disposition: form-data; name="file"; filename="p.csv"\r\n\r\n'
        self.parts = [head + b"debtor_id,name\n"] + [b"x" * CHUNK] * (mb * 16) + [b"\r\n--b--\r\n"]

    def size(self) -> int:
        return sum(map(len, self.parts))

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for part in self.parts:
            self.pulled += len(part)
            yield part


@pytest.mark.parametrize("declared", [True, False])
async def test_an_upload_past_the_limit_is_413_before_the_body_is_read(
    small: Api, tmp_path: Path, declared: bool
) -> None:
    body = Body(mb=8)
    headers = {**small.headers("supervisor"), "Content-Type": "multipart/form-data; boundary=b"}
    if declared:
        headers["Content-Length"] = str(body.size())
    async with _client(small) as client:
        r = await client.post("/portfolios", content=body, headers=headers)
    assert r.status_code == 413, r.text
    assert "larger than 1 MB" in r.json()["detail"]
    # declared: not a byte read; chunked: cut at the limit (plus the chunk that crossed it)
    assert body.pulled <= (CHUNK if declared else (1 << 20) + 2 * CHUNK)
    assert not list((tmp_path / "uploads").rglob("*.*"))


async def test_an_upload_within_the_limit_still_imports(small: Api, tmp_path: Path) -> None:
    path = tmp_path / "more.csv"
    write_demo_data(30, 99, path, api_fixtures.AS_OF)
    async with _client(small) as client:
        r = await client.post(
            "/portfolios", files={"file": ("more.csv", path.read_bytes(), "text/csv")},
            headers=small.headers("supervisor"),
        )  # fmt: skip
    assert r.status_code == 201, r.text
    assert r.json()["stored"] == 30


async def test_a_username_is_locked_across_rotating_addresses(
    small: Api, clock: FixedClock
) -> None:
    wrong = {"username": "admin", "password": "guess"}
    codes = []
    for i in range(12):  # every guess from a fresh address: the per-address bucket never fills
        async with _client(small, f"203.0.113.{i}") as client:
            codes.append((await client.post("/auth/token", data=wrong)).status_code)
    assert codes == [401] * 5 + [429] * 7  # 6 a burst, one spent by the fixture's login
    right = {"username": "admin", "password": PASSWORD}
    async with _client(small, "192.0.2.200") as client:
        assert (await client.post("/auth/token", data=right)).status_code == 429
        other = {"username": "agent", "password": PASSWORD}
        assert (await client.post("/auth/token", data=other)).status_code == 200
    clock.advance(timedelta(minutes=1))  # one token back
    async with _client(small, "192.0.2.201") as client:
        assert (await client.post("/auth/token", data=right)).status_code == 200
