"""Early warnings through the API: the stored roll and broken-promise warnings and the cases
that drifted to a worse segment, highest first; agents see only their own cases; every read
is audited with the cases it returned."""

from __future__ import annotations

from datetime import timedelta

import api_fixtures
from api_fixtures import Api
from sqlalchemy import select

from data import analytics_store
from data.models import AuditEntry, CaseAnalytics

sqlite_api = api_fixtures.sqlite_api


def _seed(api: Api) -> dict[str, str]:
    now = api.clock.now()
    own, other, low, drifted, stable = (
        api.own_cases[0], api.other_cases[0], api.other_cases[1], api.other_cases[2],
        api.other_cases[3],
    )  # fmt: skip
    with api.db.transaction() as s:
        s.add(CaseAnalytics(case_id=own, warning_score=0.81, warning_kind="roll",
                            warning_reasons=["crosses 30 days past due in 2 day(s)"],
                            warned_at=now))  # fmt: skip
        s.add(CaseAnalytics(case_id=other, warning_score=0.66, warning_kind="broken_promise",
                            warning_reasons=["kept 0, broke 2 before"], warned_at=now))  # fmt: skip
        s.add(CaseAnalytics(case_id=low, warning_score=0.31, warning_kind="roll",
                            warning_reasons=["far from the edge"], warned_at=now))  # fmt: skip
    before, after = now - timedelta(days=7), now
    with api.db.transaction() as s:
        names = {"S1": "pays regularly", "S2": "rarely reached"}
        analytics_store.save_segments(
            s, {drifted: "S1", stable: "S2"}, names, before, {"S1": 0.34, "S2": 0.04}
        )
    with api.db.transaction() as s:  # the next run: renumbered, one case moved down
        names = {"S1": "rarely reached", "S2": "pays regularly"}
        analytics_store.save_segments(
            s, {drifted: "S1", stable: "S1"}, names, after, {"S1": 0.05, "S2": 0.33}
        )
    return {"own": own, "other": other, "low": low, "drifted": drifted, "stable": stable}


def test_staff_and_auditors_read_every_warning_highest_first(sqlite_api: Api) -> None:
    api = sqlite_api
    ids = _seed(api)
    for role in ("supervisor", "admin", "auditor"):
        r = api.client.get("/warnings", headers=api.headers(role))
        assert r.status_code == 200, r.text
        body = r.json()
        got = [(w["case_id"], w["kind"]) for w in body["warnings"]]
        assert got == [
            (ids["own"], "roll"),
            (ids["other"], "broken_promise"),
            (ids["drifted"], "segment_drift"),
        ]
        assert body["count"] == 3
    drift = body["warnings"][2]
    assert drift["score"] == 0.29
    assert "from 'pays regularly'" in drift["reasons"][0]
    assert "to 'rarely reached'" in drift["reasons"][0]
    # "stable" was renumbered (S2 -> S1) but stayed in the same kind of segment: no drift
    assert ids["stable"] not in {w["case_id"] for w in body["warnings"]}


def test_filters_by_kind_and_score(sqlite_api: Api) -> None:
    api = sqlite_api
    ids = _seed(api)
    h = api.headers("supervisor")
    r = api.client.get("/warnings", params={"kind": "segment_drift"}, headers=h)
    assert [w["case_id"] for w in r.json()["warnings"]] == [ids["drifted"]]
    r = api.client.get("/warnings", params={"kind": "roll", "min_score": 0.2}, headers=h)
    assert [w["case_id"] for w in r.json()["warnings"]] == [ids["own"], ids["low"]]
    r = api.client.get("/warnings", params={"kind": "hunch"}, headers=h)
    assert r.status_code == 422
    r = api.client.get("/warnings", params={"limit": 1}, headers=h)
    assert r.json()["count"] == 1


def test_an_agent_sees_only_their_own_cases(sqlite_api: Api) -> None:
    api = sqlite_api
    ids = _seed(api)
    r = api.client.get("/warnings", headers=api.headers("agent"))
    assert r.status_code == 200, r.text
    assert [w["case_id"] for w in r.json()["warnings"]] == [ids["own"]]
    assert r.json()["warnings"][0]["agent_id"] == api.agent_id


def test_every_read_is_audited_with_the_cases_it_returned(sqlite_api: Api) -> None:
    api = sqlite_api
    ids = _seed(api)
    api.client.get("/warnings", headers=api.headers("agent"))
    api.client.get("/warnings", params={"kind": "broken_promise"}, headers=api.headers("auditor"))
    with api.db.transaction() as s:
        rows = list(
            s.scalars(select(AuditEntry).where(AuditEntry.action == "warnings.read").order_by(
                AuditEntry.seq))
        )  # fmt: skip
        seen = [(r.actor, (r.details or {}).get("cases")) for r in rows]
    assert seen == [("user:agent", [ids["own"]]), ("user:auditor", [ids["other"]])]
