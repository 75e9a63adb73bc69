"""Campaigns, portfolio and payment uploads, strategies, scripts, SMS templates, agents,
users and the live websockets, through the API."""

from __future__ import annotations

import csv
import io
import time
from importlib import resources
from pathlib import Path

import api_fixtures
from api_fixtures import AS_OF, Api

from admin_api.hub import agent_topic
from cli.data_commands import write_demo_data

sqlite_api = api_fixtures.sqlite_api
api = api_fixtures.api


def test_campaign_states_change_only_along_the_allowed_transitions(sqlite_api: Api) -> None:
    api = sqlite_api
    h = api.headers("supervisor")
    r = api.client.post("/campaigns", json={"name": "November early"}, headers=h)
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    assert r.json()["status"] == "draft"
    assert r.json()["definition"]["pacing"] == "bot"
    r = api.client.patch(
        f"/campaigns/{cid}",
        json={"definition": {"pacing": "predictive", "max_lines": 4, "abandon_limit": 0.02}},
        headers=h,
    )
    assert r.status_code == 200
    assert r.json()["definition"]["max_lines"] == 4
    steps = [
        ("pause", 409, "draft"),
        ("resume", 409, "draft"),
        ("start", 200, "running"),
        ("start", 409, "running"),
        ("pause", 200, "paused"),
        ("resume", 200, "running"),
        ("pause", 200, "paused"),
        ("stop", 200, "stopped"),
        ("resume", 409, "stopped"),
        ("finish", 409, "stopped"),
    ]
    for action, code, state in steps:
        r = api.client.post(f"/campaigns/{cid}/{action}", headers=h)
        assert r.status_code == code, (action, r.text)
        assert api.client.get(f"/campaigns/{cid}", headers=h).json()["status"] == state
    assert api.client.patch(f"/campaigns/{cid}", json={"name": "x"}, headers=h).status_code == 409
    assert api.client.delete(f"/campaigns/{cid}", headers=h).status_code == 409
    assert api.client.post(f"/campaigns/{cid}/explode", headers=h).status_code == 422
    bad = {"name": "x", "definition": {"window": {"start": "21:00", "end": "09:00"}}}
    assert api.client.post("/campaigns", json=bad, headers=h).status_code == 422
    bad = {"name": "x", "definition": {"ring_seconds": 5}}
    assert api.client.post("/campaigns", json=bad, headers=h).status_code == 422
    figures = api.client.get(f"/campaigns/{cid}/figures", headers=api.headers("auditor")).json()
    assert figures["attempts"] == 0
    assert figures["status"] == "stopped"
    actions = api.client.get(
        "/audit", params={"subject_id": cid}, headers=api.headers("auditor")
    ).json()
    assert [a["action"] for a in actions] == [
        "campaign.create",
        "campaign.update",
        "campaign.start",
        "campaign.pause",
        "campaign.resume",
        "campaign.pause",
        "campaign.stop",
    ]


def test_portfolio_upload_returns_the_summary_and_the_rejects(api: Api, tmp_path: Path) -> None:
    path = tmp_path / "more.csv"
    write_demo_data(6, 99, path, AS_OF)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:  # new debtors and loans, not updates of the seeded ones
        row["debtor_id"], row["loan_id"] = "N" + row["debtor_id"], "N" + row["loan_id"]
    rows[1]["currency"] = "XXQ"
    rows[3]["phone"] = "not a phone"
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows(rows)
    r = api.client.post(
        "/portfolios",
        files={"file": ("more.csv", buf.getvalue().encode(), "text/csv")},
        headers=api.headers("supervisor"),
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["records"], body["stored"], body["rejected"]) == (6, 4, 2)
    assert sorted(int(x["line"]) for x in body["rejects"]) == [3, 5]
    assert all(x["reason"] for x in body["rejects"])
    reasons = {int(x["line"]): x["reason"] for x in body["rejects"]}
    assert "currency" in reasons[3]
    assert "phone" in reasons[5]
    total = api.client.get("/cases", headers=api.headers("admin")).json()["total"]
    assert total == 12 + 4
    r = api.client.post(
        "/portfolios",
        files={"file": ("x.exe", b"MZ", "application/octet-stream")},
        headers=api.headers("supervisor"),
    )
    assert r.status_code == 422
    r = api.client.post(
        "/portfolios",
        files={"file": ("x.csv", b"a,b\n1,2\n", "text/csv")},
        headers=api.headers("supervisor"),
    )
    assert r.status_code == 422
    assert "missing core column" in r.json()["detail"]
    assert not list((tmp_path / "uploads").glob("*/*"))  # uploads are removed after import


def test_payments_feed(sqlite_api: Api) -> None:
    api = sqlite_api
    loan = api.own_cases[0]
    text = (
        "loan_id,amount,currency,paid_at,reference\n"
        f"{loan},10.00,USD,2026-11-28T10:00:00+00:00,ref-1\n"
        f"{loan},10.00,USD,2026-11-28T10:00:00+00:00,ref-1\n"
        "nope,5,USD,2026-11-28T10:00:00+00:00,ref-2\n"
    )
    r = api.client.post(
        "/payments",
        files={"file": ("pay.csv", text.encode(), "text/csv")},
        headers=api.headers("supervisor"),
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["records"] == 3
    assert body["applied"] + body["duplicates"] + body["rejected"] == 3
    assert body["rejected"] >= 1


def test_strategy_upload_is_validated_by_the_scoring_loader(sqlite_api: Api) -> None:
    api = sqlite_api
    good = resources.files("scoring.strategy").joinpath("default_strategy.yaml").read_bytes()
    h = api.headers("supervisor")
    r = api.client.post("/strategies", files={"file": ("s.yaml", good)}, headers=h)
    assert r.status_code == 201
    assert r.json()["valid"] is True
    assert r.json()["name"] == "default"
    broken = good.replace(b"cadence_days: 4", b"cadence_days: -4")
    r = api.client.post("/strategies", files={"file": ("b.yaml", broken)}, headers=h)
    assert r.json()["valid"] is False
    assert "cadence_days" in r.json()["errors"][0]
    r = api.client.post("/strategies", files={"file": ("c.yaml", b"a: [b")}, headers=h)
    assert r.json()["valid"] is False
    assert "YAML" in r.json()["errors"][0]
    listed = api.client.get("/strategies", headers=api.headers("auditor")).json()
    assert [s["valid"] for s in listed] == [True, False, False]


def test_scripts_are_listed_per_language(sqlite_api: Api) -> None:
    scripts = sqlite_api.client.get("/scripts", headers=sqlite_api.headers("admin")).json()
    assert {"en", "zh"} <= {s["language"] for s in scripts}
    assert all(s["prompts"] > 0 for s in scripts if s["language"] in ("en", "zh"))


def test_sms_templates_per_language_with_variables(sqlite_api: Api) -> None:
    api = sqlite_api
    h = api.headers("supervisor")
    body = {
        "name": "reminder",
        "language": "en",
        "body": "Pay {amount} by {due_date}: {payment_link}",
    }
    r = api.client.put("/sms/templates", json=body, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["variables"] == ["amount", "due_date", "payment_link"]
    zh = {"name": "reminder", "language": "zh", "body": "请于{due_date}前还款{amount}"}
    assert api.client.put("/sms/templates", json=zh, headers=h).status_code == 200
    body["body"] = "Pay {amount} now"
    assert api.client.put("/sms/templates", json=body, headers=h).json()["variables"] == ["amount"]
    listed = api.client.get("/sms/templates", headers=api.headers("agent")).json()
    assert [(t["name"], t["language"]) for t in listed] == [("reminder", "en"), ("reminder", "zh")]
    for bad in ("Pay {0}", "Pay {amount!r}", "Pay {amount:>10}", "Pay {amount", "Hi {name}"):
        r = api.client.put("/sms/templates", json={**body, "body": bad}, headers=h)
        assert r.status_code == 422, bad
    assert api.client.delete("/sms/templates/reminder/zh", headers=h).status_code == 204
    assert api.client.delete("/sms/templates/reminder/zh", headers=h).status_code == 404


def test_agents_and_users(sqlite_api: Api) -> None:
    api = sqlite_api
    admin = api.headers("admin")
    r = api.client.post(
        "/users",
        json={"username": "newsup", "password": "x" * 12, "role": "supervisor"},
        headers=admin,
    )
    assert r.status_code == 201, r.text
    uid = r.json()["id"]
    assert (
        api.client.post(
            "/users",
            json={"username": "newsup", "password": "x" * 12, "role": "agent"},
            headers=admin,
        ).status_code
        == 409
    )
    r = api.client.post("/auth/token", data={"username": "newsup", "password": "x" * 12})
    assert r.status_code == 200
    assert r.json()["role"] == "supervisor"
    api.client.patch(f"/users/{uid}", json={"active": False}, headers=admin)
    r = api.client.post("/auth/token", data={"username": "newsup", "password": "x" * 12})
    assert r.status_code == 401
    sup = api.headers("supervisor")
    r = api.client.post(
        "/agents",
        json={
            "display_name": "Three",
            "endpoint": "PJSIP/agent-3",
            "languages": ["en"],
            "tiers": ["A"],
        },
        headers=sup,
    )
    assert r.status_code == 201
    assert r.json()["status"] == "offline"
    aid = r.json()["id"]
    r = api.client.patch(f"/agents/{aid}", json={"capacity": 7, "products": ["small"]}, headers=sup)
    assert (r.json()["capacity"], r.json()["products"]) == (7, ["small"])
    agent = api.headers("agent")
    r = api.client.put(f"/agents/{api.agent_id}/status", json={"status": "paused"}, headers=agent)
    assert r.status_code == 200
    assert r.json()["status"] == "paused"
    r = api.client.put(f"/agents/{aid}/status", json={"status": "paused"}, headers=agent)
    assert r.status_code == 403
    r = api.client.put(f"/agents/{aid}/status", json={"status": "asleep"}, headers=sup)
    assert r.status_code == 422


def test_agent_console_receives_the_screen_pop_of_a_transfer(sqlite_api: Api) -> None:
    api = sqlite_api
    case_id = api.other_cases[0]
    with api.client.websocket_connect(f"/live/agent?token={api.tokens['agent']}") as ws:
        hub = api.services.hub
        for _ in range(500):  # the subscription is registered once the socket is accepted
            if hub.subscribers(agent_topic(api.agent_id)):  # type: ignore[attr-defined]
                break
            time.sleep(0.01)
        r = api.client.post(
            f"/cases/{case_id}/transfer",
            json={"agent_id": api.agent_id, "summary": "wants a plan", "call_id": "call-1"},
            headers=api.headers("supervisor"),
        )
        assert r.status_code == 202, r.text
        pop = ws.receive_json()
        assert pop["type"] == "screen_pop"
        assert (pop["case"]["id"], pop["summary"], pop["call_id"]) == (
            case_id,
            "wants a plan",
            "call-1",
        )
        hub.publish(agent_topic(api.agent_id), {"type": "transcript", "text": "hello"})
        assert ws.receive_json() == {"type": "transcript", "text": "hello"}
    # the transfer assigned the case, so the agent may now open it
    assert api.client.get(f"/cases/{case_id}", headers=api.headers("agent")).status_code == 200


def test_supervisor_board_gets_state_changes_and_live_figures(sqlite_api: Api) -> None:
    api = sqlite_api
    api.services.settings.live_interval = 0.05
    h = api.headers("supervisor")
    cid = api.client.post("/campaigns", json={"name": "live"}, headers=h).json()["id"]
    api.client.post(f"/campaigns/{cid}/start", headers=h)
    with api.client.websocket_connect(f"/live/supervisor?token={api.tokens['supervisor']}") as ws:
        first = ws.receive_json()
        assert first["type"] == "campaign.figures"
        assert [c["campaign_id"] for c in first["campaigns"]] == [cid]
        api.client.post(f"/campaigns/{cid}/pause", headers=h)
        seen = [ws.receive_json() for _ in range(40)]
        states = [m for m in seen if m["type"] == "campaign.state"]
        assert states
        assert states[0]["status"] == "paused"
