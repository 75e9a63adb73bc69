"""Hostile requests through the API: lone surrogates and NaN, the last admin, refused reads,
hostile portfolio uploads, forwarded addresses from untrusted peers, PII in speech logs."""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import time
import wave
from pathlib import Path

import api_fixtures
import httpx
import pytest
from api_fixtures import Api
from sqlalchemy import select
from typer.testing import CliRunner

from admin_api.settings import ApiSettings
from asr.fake import FakeRecognizer
from cli import speech_commands
from cli.data_commands import write_demo_data
from cli.main import app as cli_app
from core.clock import FixedClock
from data.crypto import Keyring
from data.db import Database
from data.models import AuditEntry, Debtor, User

sqlite_api = api_fixtures.sqlite_api
api = api_fixtures.api
ROOT = Path(__file__).resolve().parents[3]


def base_rows(tmp_path: Path, n: int) -> list[dict[str, str]]:
    src = tmp_path / "base.csv"
    write_demo_data(n, 11, src, api_fixtures.AS_OF)
    with src.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/campaigns", '{"name": "\\ud800"}'),
        ("post", "/campaigns", '{"name": "ok", "\\udfff": 1}'),
        (
            "post",
            "/users",
            '{"username": "x\\ud83d", "password": "long enough pw", "role": "agent"}',
        ),
        ("post", "/campaigns", '{"name": ["\\udc00"]}'),
        ("post", "/campaigns", '{"name": NaN}'),
        ("post", "/campaigns", '{"name": "x", "definition": {"abandon_limit": Infinity}}'),
    ],
)
def test_lone_surrogates_and_non_finite_numbers_get_a_4xx(
    sqlite_api: Api, method: str, path: str, body: str
) -> None:
    headers = {**sqlite_api.headers("admin"), "Content-Type": "application/json"}
    r = sqlite_api.client.request(method, path, content=body.encode(), headers=headers)
    assert 400 <= r.status_code < 500, r.text
    r.json()  # a body that encodes


def test_a_validation_error_echoing_a_surrogate_is_a_422_not_a_500(sqlite_api: Api) -> None:
    h = sqlite_api.headers("admin")
    # a surrogate's UTF-8 bytes, percent-encoded (a client library refuses to send it itself)
    r = sqlite_api.client.get("/cases?limit=%ED%A0%80", headers=h)
    assert r.status_code == 422
    body = '{"name": "x", "definition": {"max_lines": "\\ud800"}}'
    r = sqlite_api.client.post(
        "/campaigns", content=body.encode(), headers={**h, "Content-Type": "application/json"}
    )
    assert r.status_code == 422


def test_the_last_active_admin_cannot_be_disabled_or_demoted(api: Api) -> None:
    h = api.headers("admin")
    for patch in ({"active": False}, {"role": "agent"}, {"role": "auditor", "active": False}):
        r = api.client.patch("/users/usr_admin", json=patch, headers=h)
        assert r.status_code == 409, r.text
        assert "last active admin" in r.json()["detail"]
    r = api.client.post(
        "/users", json={"username": "admin2", "password": "another long pw", "role": "admin"},
        headers=h,
    )  # fmt: skip
    assert r.status_code == 201
    second = r.json()["id"]
    assert (
        api.client.patch("/users/usr_admin", json={"role": "agent"}, headers=h).status_code == 200
    )
    r = api.client.patch(f"/users/{second}", json={"active": False}, headers=h)
    assert r.status_code == 409  # now admin2 is the last one
    with api.db.transaction() as s:
        admins = s.scalars(select(User).where(User.role == "admin", User.active.is_(True))).all()
    assert [u.username for u in admins] == ["admin2"]


def test_an_agent_refused_another_agents_case_leaves_an_audit_record(api: Api) -> None:
    other = api.other_cases[0]
    h = api.headers("agent")
    for path in (f"/cases/{other}", f"/cases/{other}?reveal=true"):
        r = api.client.get(path, headers=h)
        missing = api.client.get("/cases/no-such-case", headers=h)
        assert r.status_code == missing.status_code == 404
        assert r.json()["detail"] == f"no case {other!r}"  # the same answer as a missing case
    with api.db.transaction() as s:
        refused = s.scalars(select(AuditEntry).where(AuditEntry.action == "access.refused")).all()
    assert [(e.subject_id, e.actor.endswith("agent") or "agent" in e.actor) for e in refused] == [
        (other, True),
        (other, True),
    ]


def test_hostile_uploads_are_answered_with_rejects_never_a_500(
    sqlite_api: Api, tmp_path: Path
) -> None:
    rows = base_rows(tmp_path, 8)
    for row in rows:
        row["debtor_id"], row["loan_id"] = "H" + row["debtor_id"], "H" + row["loan_id"]
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    lines[1] = lines[1].replace(f'"{rows[1]["name"]}"', '"\\ud800"')
    lines[2] = lines[2].replace(f'"{rows[2]["principal"]}"', "1e308")
    lines[3] = lines[3].replace(f'"{rows[3]["timezone"]}"', '"America"')
    r = sqlite_api.client.post(
        "/portfolios",
        files={"file": ("h.jsonl", ("\n".join(lines) + "\n").encode(), "application/x-ndjson")},
        headers=sqlite_api.headers("supervisor"),
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["stored"], body["rejected"]) == (5, 3)
    quoted = "\n".join(",".join(row.values()) for row in rows)
    quoted = quoted.replace(rows[2]["name"], '"' + rows[2]["name"], 1)
    header = ",".join(rows[0])
    r = sqlite_api.client.post(
        "/portfolios",
        files={"file": ("q.csv", (header + "\n" + quoted + "\n").encode(), "text/csv")},
        headers=sqlite_api.headers("supervisor"),
    )
    assert r.status_code == 201, r.text
    for reject in r.json()["rejects"]:
        assert not [
            x for x in rows if x["name"] in reject["reason"] or x["phone"] in reject["reason"]
        ]
    with sqlite_api.db.transaction() as s:
        names = [
            sqlite_api.services.keyring.decrypt(d.name_enc, "debtors.name")
            for d in s.scalars(select(Debtor))
        ]
    assert max(len(n) for n in names) <= 200


def test_an_upload_past_the_size_limit_is_refused_with_413_and_not_kept(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    settings = ApiSettings(
        upload_dir=str(tmp_path / "uploads"),
        max_upload_mb=1,
        argon2_memory_kib=1024,
        argon2_time_cost=1,
        followup_interval=0,
    )
    for small in api_fixtures.make_api(db, keyring, clock, tmp_path, settings=settings):
        big = b"debtor_id,name\n" + b"x" * (2 << 20)
        r = small.client.post(
            "/portfolios",
            files={"file": ("big.csv", big, "text/csv")},
            headers=small.headers("supervisor"),
        )
        assert r.status_code == 413, r.text
        assert not list((tmp_path / "uploads").glob("*/*"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _login_statuses(base: str, forwarded: bool) -> list[int]:
    statuses = []
    for i in range(12):
        headers = {"X-Forwarded-For": f"203.0.113.{i}"} if forwarded else {}
        r = httpx.post(
            f"{base}/auth/token", data={"username": "root", "password": "wrong"}, headers=headers
        )
        statuses.append(r.status_code)
    return statuses


def test_serve_api_ignores_x_forwarded_for_from_an_untrusted_peer(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("API_", "COLLECTBOT_"))}
    env |= {"PYTHONPATH": str(ROOT), "COLLECTBOT_HOME": str(tmp_path), "API_LOGIN_BURST": "3"}
    cmd = [sys.executable, "-m", "cli.main", "serve-api", "--port", str(port)]
    with subprocess.Popen(cmd, env=env, stderr=subprocess.DEVNULL) as proc:
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    httpx.get(f"{base}/health", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            statuses = _login_statuses(base, forwarded=True)
            assert statuses[:3] == [401, 401, 401]
            assert set(statuses[3:]) == {429}, statuses
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def _wav(path: Path) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes((b"\x00\x40\x00\xc0") * 8000)
    return path


def test_speech_transcribe_prints_no_personal_data_in_its_logs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from core.logging import get_logger

    class Logging(FakeRecognizer):
        async def transcribe(self, pcm, sample_rate, options):  # type: ignore[no-untyped-def]
            get_logger("asr.test").info("asr.decoded", **{"pii.text": "SECRET-SSN-123"})
            get_logger("asr.test").debug("asr.debug", **{"pii.text": "SECRET-SSN-456"})
            return await super().transcribe(pcm, sample_rate, options)

    monkeypatch.setattr(speech_commands, "_recognizer", lambda _e: Logging(default="hello"))
    monkeypatch.delenv("COLLECTBOT_LOG_PII", raising=False)
    result = CliRunner().invoke(cli_app, ["speech", "transcribe", str(_wav(tmp_path / "a.wav"))])
    assert result.exit_code == 0, result.output
    out = result.output + capsys.readouterr().err
    assert "asr.decoded" in out  # logging is on, and JSON
    assert "SECRET-SSN" not in out
    assert '"text": "hello"' in result.output
