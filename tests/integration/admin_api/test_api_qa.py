"""Call QA through the API: calls scored by the QA pass, the queue (findings first, clean
sample), roles, and the verdict (audited)."""

from __future__ import annotations

from datetime import timedelta

import api_fixtures
from api_fixtures import Api
from sqlalchemy import select

from analytics.catalog import PromptCatalog
from analytics.qa import assess
from data import qa_store
from data.call_records import CallRecord, save_call
from data.models import AuditEntry
from nlu.policy.script import load_script

sqlite_api = api_fixtures.sqlite_api


def _store_calls(api: Api) -> None:
    now = api.clock.now()
    en = load_script("en")
    good = [
        en.say("greeting", agent_name="Ava", debtor_name="Mary").text,
        "yes",
        en.say("recording_notice").text,
    ]
    bad = ["Hi, you owe us money and you are a deadbeat.", "who is this"]
    for i, (case_id, lines) in enumerate(
        [(api.own_cases[0], good), (api.other_cases[0], bad), (api.other_cases[1], good)]
    ):
        at = now - timedelta(hours=1, minutes=i)
        transcript = [
            (at + timedelta(seconds=8 * n), "bot" if n % 2 == 0 else "debtor", text)
            for n, text in enumerate(lines)
        ]
        record = CallRecord(
            f"att_{i}", case_id, at, at + timedelta(seconds=30), "hung_up",
            answered_at=at, transcript=transcript,
        )  # fmt: skip
        with api.db.transaction() as s:
            assert save_call(s, api.services.keyring, record, now)
    with api.db.transaction() as s:
        calls = qa_store.unscored_calls(s, api.services.keyring, 10)
        assert len(calls) == 3
        for call in calls:
            qa_store.save(s, call, assess(call, PromptCatalog(load_script("en"))), now)
        assert qa_store.unscored_calls(s, api.services.keyring, 10) == []


def test_queue_roles_and_verdict(sqlite_api: Api) -> None:
    api = sqlite_api
    _store_calls(api)
    for role, status in (("agent", 403), ("supervisor", 200), ("auditor", 200), ("admin", 200)):
        r = api.client.get("/qa/calls?clean_sample=1", headers=api.headers(role))
        assert r.status_code == status, (role, r.text)
    assert api.client.get("/qa/calls").status_code == 401
    calls = r.json()["calls"]
    assert calls[0]["attempt_id"] == "att_1"
    codes = {f["code"] for f in calls[0]["findings"]}
    assert {"debt_before_verification", "forbidden_phrase"} <= codes
    assert len(calls) == 2
    assert calls[1]["findings"] == []

    r = api.client.post(
        "/qa/calls/att_1/verdict", json={"verdict": "confirmed"}, headers=api.headers("agent")
    )
    assert r.status_code == 403
    r = api.client.post(
        "/qa/calls/att_1/verdict",
        json={"verdict": "confirmed", "note": "coach"},
        headers=api.headers("supervisor"),
    )
    assert r.status_code == 200, r.text
    for role, path, verdict, status in (
        ("auditor", "att_1", "confirmed", 403),  # auditors read, never change
        ("admin", "nope", "confirmed", 404),
        ("admin", "att_1", "great", 422),
    ):
        r = api.client.post(
            f"/qa/calls/{path}/verdict", json={"verdict": verdict}, headers=api.headers(role)
        )
        assert r.status_code == status, (role, r.text)
    with api.db.transaction() as s:
        actions = list(s.scalars(select(AuditEntry.action)))
    assert "qa.verdict" in actions
    assert actions.count("qa.calls.read") == 3
    r = api.client.get("/qa/calls", headers=api.headers("supervisor"))
    assert r.json()["calls"][0]["verdict"] == "confirmed"
