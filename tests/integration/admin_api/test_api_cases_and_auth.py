"""Cases through the API on SQLite and PostgreSQL: masking per role, audited PII reads,
agents confined to their own cases, assignment, notes; login, token expiry, rate limit."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import api_fixtures
import pytest
from api_fixtures import PASSWORD, Api, make_api
from sqlalchemy import func, select

from admin_api.settings import ApiSettings
from core.clock import FixedClock
from data.crypto import Keyring
from data.db import Database
from data.models import AuditEntry, CaseNote

api = api_fixtures.api
sqlite_api = api_fixtures.sqlite_api
MASKED_PHONE = re.compile(r"^\+\d{1,2}•+\d{3}$")


def audit_count(db: Database, action: str) -> int:
    with db.transaction() as s:
        stmt = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
        return int(s.scalar(stmt) or 0)


def test_agent_sees_own_cases_in_clear_and_nothing_else(api: Api) -> None:
    r = api.client.get("/cases", headers=api.headers("agent"))
    assert r.status_code == 200
    assert sorted(c["id"] for c in r.json()["items"]) == api.own_cases
    assert r.json()["total"] == 2
    # asking for another agent's cases by filter does not widen the scope
    r = api.client.get("/cases", params={"agent_id": "agt_2"}, headers=api.headers("agent"))
    assert sorted(c["id"] for c in r.json()["items"]) == api.own_cases
    for other in api.other_cases[:3]:
        assert api.client.get(f"/cases/{other}", headers=api.headers("agent")).status_code == 404
        r = api.client.get(f"/cases/{other}/history", headers=api.headers("agent"))
        assert r.status_code == 404
    detail = api.client.get(f"/cases/{api.own_cases[0]}", headers=api.headers("agent")).json()
    assert detail["masked"] is False
    assert "•" not in detail["debtor"]["phones"][0]["number"]
    assert detail["debtor"]["phones"][0]["number"].startswith("+")
    assert "*" not in detail["debtor"]["name"]


def test_staff_see_masked_data_unless_they_reveal_and_auditors_never(api: Api) -> None:
    case_id = api.own_cases[0]
    clear = api.client.get(f"/cases/{case_id}", headers=api.headers("agent")).json()["debtor"]
    for role in ("supervisor", "admin", "auditor"):
        body = api.client.get(f"/cases/{case_id}", headers=api.headers(role)).json()
        assert body["masked"] is True
        debtor = body["debtor"]
        assert all(MASKED_PHONE.match(p["number"]) for p in debtor["phones"]), debtor["phones"]
        assert debtor["phones"][0]["number"][-3:] == clear["phones"][0]["number"][-3:]
        words, masked_words = clear["name"].split(), debtor["name"].split()
        assert [w[0] for w in words] == [w[0] for w in masked_words]
        assert all(set(w[1:]) <= {"*"} for w in masked_words)
    revealed = api.client.get(
        f"/cases/{case_id}", params={"reveal": True}, headers=api.headers("supervisor")
    ).json()
    assert revealed["masked"] is False
    assert revealed["debtor"] == clear
    r = api.client.get(f"/cases/{case_id}", params={"reveal": True}, headers=api.headers("auditor"))
    assert r.status_code == 403


def test_every_read_of_personal_data_is_audited(api: Api) -> None:
    before = audit_count(api.db, "case.read_pii")
    case_id = api.own_cases[1]
    for role in ("agent", "supervisor", "admin", "auditor"):
        assert api.client.get(f"/cases/{case_id}", headers=api.headers(role)).status_code == 200
    assert audit_count(api.db, "case.read_pii") == before + 4
    api.client.get(f"/cases/{case_id}/history", headers=api.headers("agent"))
    assert audit_count(api.db, "case.read_history") == 1
    with api.db.transaction() as s:
        last = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "case.read_pii")
            .order_by(AuditEntry.seq.desc())
        ).first()
        assert last is not None
        assert (last.actor, last.subject_id, last.details["masked"]) == (
            "user:auditor",
            case_id,
            True,
        )
    # the audit log itself stays verifiable and holds no personal data
    verify = api.client.get("/audit/verify", headers=api.headers("auditor")).json()
    assert verify["ok"] is True
    agent_view = api.client.get(f"/cases/{case_id}", headers=api.headers("agent")).json()
    entries = api.client.get("/audit", params={"limit": 1000}, headers=api.headers("auditor"))
    assert agent_view["debtor"]["name"] not in entries.text
    assert agent_view["debtor"]["phones"][0]["number"] not in entries.text


def test_assign_reassign_with_reason_and_notes(api: Api) -> None:
    case_id = api.other_cases[-1]
    r = api.client.post(
        f"/cases/{case_id}/assign",
        json={"agent_id": "agt_1", "reason": "speaks the language"},
        headers=api.headers("supervisor"),
    )
    assert r.status_code == 200, r.text
    assert r.json()["assigned_agent_id"] == "agt_1"
    assert api.client.get(f"/cases/{case_id}", headers=api.headers("agent")).status_code == 200
    r = api.client.post(
        f"/cases/{case_id}/notes",
        json={"body": "promised to call back", "outcome": "callback"},
        headers=api.headers("agent"),
    )
    assert r.status_code == 201, r.text
    r = api.client.post(
        f"/cases/{case_id}/assign",
        json={"agent_id": None, "reason": "agent on leave"},
        headers=api.headers("admin"),
    )
    assert r.json()["assigned_agent_id"] is None
    assert api.client.get(f"/cases/{case_id}", headers=api.headers("agent")).status_code == 404
    history = api.client.get(
        f"/cases/{case_id}/history", params={"reveal": True}, headers=api.headers("supervisor")
    ).json()
    kinds = [(n["kind"], n["body"]) for n in history["notes"]]
    assert kinds == [
        ("assignment", "speaks the language"),
        ("outcome", "promised to call back"),
        ("assignment", "agent on leave"),
    ]
    masked = api.client.get(f"/cases/{case_id}/history", headers=api.headers("auditor")).json()
    assert [n["body"] for n in masked["notes"]] == [None, None, None]
    with api.db.transaction() as s:  # stored encrypted
        blobs = list(s.scalars(select(CaseNote.body_enc).where(CaseNote.case_id == case_id)))
    assert all(b"language" not in b for b in blobs)
    assert all(b"leave" not in b for b in blobs)
    r = api.client.post(
        f"/cases/{case_id}/assign",
        json={"agent_id": "agt_nobody", "reason": "x"},
        headers=api.headers("admin"),
    )
    assert r.status_code == 404


def test_search_filters_and_pagination(api: Api) -> None:
    h = api.headers("supervisor")
    everything = api.client.get("/cases", params={"limit": 200}, headers=h).json()
    assert everything["total"] == 12 == len(everything["items"])
    page = api.client.get("/cases", params={"limit": 5, "offset": 10}, headers=h).json()
    assert [c["id"] for c in page["items"]] == [c["id"] for c in everything["items"][10:]]
    product = everything["items"][0]["product"]
    same = api.client.get("/cases", params={"product": product, "limit": 200}, headers=h).json()
    assert same["total"] == sum(1 for c in everything["items"] if c["product"] == product)
    dpd = sorted(c["days_past_due"] for c in everything["items"])[6]
    older = api.client.get("/cases", params={"dpd_min": dpd, "limit": 200}, headers=h).json()
    assert all(c["days_past_due"] >= dpd for c in older["items"])
    assert older["total"] == sum(1 for c in everything["items"] if c["days_past_due"] >= dpd)
    assert api.client.get("/cases", params={"limit": 0}, headers=h).status_code == 422


def test_expired_token_and_wrong_password(sqlite_api: Api) -> None:
    api = sqlite_api
    r = api.client.post("/auth/token", data={"username": "admin", "password": "wrong password!"})
    assert r.status_code == 401
    r = api.client.post("/auth/token", data={"username": "nobody", "password": PASSWORD})
    assert r.status_code == 401
    assert api.client.get("/auth/me", headers=api.headers("admin")).json()["role"] == "admin"
    api.clock.advance(timedelta(minutes=16))
    r = api.client.get("/auth/me", headers=api.headers("admin"))
    assert r.status_code == 401
    assert "expired" in r.json()["detail"]


def test_login_is_rate_limited_per_username_and_address(
    sqlite_url: str, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    db = Database.connect(sqlite_url)
    settings = ApiSettings(
        upload_dir=str(tmp_path / "u"), login_burst=6, login_per_minute=6, argon2_memory_kib=1024
    )
    gen = make_api(db, keyring, clock, tmp_path, cases=4, settings=settings)
    api = next(gen)  # logged in once per role: each bucket has 5 tokens left
    codes = [
        api.client.post("/auth/token", data={"username": "admin", "password": "bad"}).status_code
        for _ in range(7)
    ]
    assert codes == [401] * 5 + [429] * 2
    # even the right password waits for the bucket to refill; other users are not affected
    good = {"username": "admin", "password": PASSWORD}
    assert api.client.post("/auth/token", data=good).status_code == 429
    assert (
        api.client.post("/auth/token", data={"username": "agent", "password": PASSWORD}).status_code
        == 200
    )
    clock.advance(timedelta(seconds=10))  # one token back at 6 per minute
    assert api.client.post("/auth/token", data=good).status_code == 200
    with pytest.raises(StopIteration):
        next(gen)
    db.dispose()
