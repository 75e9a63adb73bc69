"""``GET /cases/{case}/attempts/{attempt}/recording``: decrypted as it streams, role-checked,
every access audited, HTTP Range; agents hear only their own cases' calls."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import api_fixtures
import pytest
from api_fixtures import Api
from sqlalchemy import select

from core.clock import FixedClock
from data.crypto import Keyring
from data.models import AuditEntry, ContactAttempt
from data.recordings import RecordingVault

AUDIO = b"RIFF" + os.urandom(200_000)  # past several 64 KiB chunks


@pytest.fixture
def rec(
    sqlite_url: str, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> Iterator[tuple[Api, dict[str, str]]]:
    """The API with one recorded call in an own case and one in another agent's case."""
    from data.db import Database

    db = Database.connect(sqlite_url)
    for api in api_fixtures.make_api(db, keyring, clock, tmp_path):
        vault = RecordingVault(tmp_path / "recordings", keyring)
        api.services.recordings = vault
        attempts = {}
        with db.transaction() as s:
            for label, case_id in (("own", api.own_cases[0]), ("other", api.other_cases[0])):
                attempt_id = f"att-{label}"
                s.add(ContactAttempt(
                    id=attempt_id, idempotency_key=attempt_id, case_id=case_id, channel="call",
                    started_at=clock.now() - timedelta(hours=1),
                    recording_ref=vault.store(attempt_id, [AUDIO], clock.now()),
                ))  # fmt: skip
                attempts[label] = case_id
        yield api, attempts
    db.dispose()


def _url(case_id: str, label: str) -> str:
    return f"/cases/{case_id}/attempts/att-{label}/recording"


def _listens(api: Api) -> list[tuple[str, str | None, object]]:
    with api.db.transaction() as s:
        rows = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.action.in_(["recording.listen", "access.refused"]))
            .order_by(AuditEntry.seq)
        ).all()
        return [(e.actor, e.subject_id, (e.details or {}).get("range")) for e in rows]


@pytest.mark.parametrize("role", ["admin", "supervisor", "auditor", "agent"])
def test_who_may_listen_hears_the_exact_audio_and_is_audited(
    rec: tuple[Api, dict[str, str]], role: str
) -> None:
    api, cases = rec
    r = api.client.get(_url(cases["own"], "own"), headers=api.headers(role))
    assert r.status_code == 200, r.text
    assert r.content == AUDIO
    assert r.headers["content-type"] == "audio/wav"
    assert r.headers["accept-ranges"] == "bytes"
    assert r.headers["content-length"] == str(len(AUDIO))
    assert "no-store" in r.headers["cache-control"]
    assert _listens(api) == [(f"user:{role}", "att-own", None)]
    history = api.client.get(f"/cases/{cases['own']}/history", headers=api.headers(role)).json()
    assert [a["has_recording"] for a in history["attempts"] if a["id"] == "att-own"] == [True]


def test_an_agent_cannot_hear_another_agents_case_and_the_try_is_audited(
    rec: tuple[Api, dict[str, str]],
) -> None:
    api, cases = rec
    r = api.client.get(_url(cases["other"], "other"), headers=api.headers("agent"))
    assert r.status_code == 404
    assert AUDIO[:4] not in r.content
    assert _listens(api) == [("user:agent", cases["other"], None)]  # access.refused on the case
    assert (
        api.client.get(_url(cases["other"], "other"), headers=api.headers("supervisor")).content
        == AUDIO
    )


def test_nobody_without_a_token_and_no_attempt_under_another_case(
    rec: tuple[Api, dict[str, str]],
) -> None:
    api, cases = rec
    assert api.client.get(_url(cases["own"], "own")).status_code == 401
    # the attempt exists, but not in this case: no cross-case access by guessing ids
    r = api.client.get(_url(cases["other"], "own"), headers=api.headers("admin"))
    assert r.status_code == 404
    r = api.client.get(
        f"/cases/{cases['own']}/attempts/nope/recording", headers=api.headers("admin")
    )
    assert r.status_code == 404
    assert _listens(api) == []


@pytest.mark.parametrize(
    ("header", "span"),
    [
        ("bytes=0-99", (0, 100)),
        ("bytes=65530-65545", (65530, 65546)),  # across a chunk boundary
        ("bytes=199000-", (199000, len(AUDIO))),
        ("bytes=-10", (len(AUDIO) - 10, len(AUDIO))),
        ("bytes=100-999999999", (100, len(AUDIO))),
    ],
)
def test_a_range_gets_206_with_just_those_bytes(
    rec: tuple[Api, dict[str, str]], header: str, span: tuple[int, int]
) -> None:
    api, cases = rec
    headers = {**api.headers("supervisor"), "Range": header}
    r = api.client.get(_url(cases["own"], "own"), headers=headers)
    assert r.status_code == 206, r.text
    start, end = span
    assert r.content == AUDIO[start:end]
    assert r.headers["content-range"] == f"bytes {start}-{end - 1}/{len(AUDIO)}"
    assert _listens(api) == [("user:supervisor", "att-own", [start, end])]


@pytest.mark.parametrize(
    ("header", "status"),
    [
        ("bytes=999999-", 416),  # past the end: nothing sent, nothing audited
        ("bytes=-0", 416),
        ("bytes=99999999999999999999999-", 416),
        ("items=0-5", 200),  # ranges it does not serve: the whole recording
        ("bytes=5-2", 200),
        ("bytes=0-1,5-9", 200),
        ("bytes=x-", 200),
    ],
)
def test_a_range_past_the_end_is_416_and_one_it_does_not_serve_gets_it_all(
    rec: tuple[Api, dict[str, str]], header: str, status: int
) -> None:
    api, cases = rec
    r = api.client.get(_url(cases["own"], "own"), headers={**api.headers("admin"), "Range": header})
    assert r.status_code == status
    if status == 416:
        assert r.headers["content-range"] == f"bytes */{len(AUDIO)}"
        assert _listens(api) == []
    else:
        assert r.content == AUDIO
        assert _listens(api) == [("user:admin", "att-own", None)]


def test_a_purged_or_tampered_recording_is_not_served(
    rec: tuple[Api, dict[str, str]],
) -> None:
    api, cases = rec
    with api.db.transaction() as s:
        ref = s.get_one(ContactAttempt, "att-own").recording_ref
    assert ref is not None
    path = api.services.recordings.path_of(ref)
    blob = bytearray(path.read_bytes())
    blob[200] ^= 1  # in the first chunk: refused before any audio is sent
    path.write_bytes(bytes(blob))
    r = api.client.get(_url(cases["own"], "own"), headers=api.headers("admin"))
    assert r.status_code == 500
    assert AUDIO[4:20] not in r.content
    blob[200] ^= 1
    blob[-20] ^= 1  # in the last chunk: the stream stops there, never altered audio
    path.write_bytes(bytes(blob))
    with pytest.raises(RuntimeError, match="response already started"):  # the stream is cut
        api.client.get(_url(cases["own"], "own"), headers=api.headers("admin"))
    path.unlink()
    r = api.client.get(_url(cases["own"], "own"), headers=api.headers("admin"))
    assert r.status_code == 404
