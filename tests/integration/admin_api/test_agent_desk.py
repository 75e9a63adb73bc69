"""The agent desk's endpoints: the queue (own cases, follow-ups due first) and the wrap-up,
which writes the records a bot's call writes (attempt, promise, flags, next action, audit)."""

from __future__ import annotations

from datetime import timedelta

import api_fixtures
from api_fixtures import Api
from sqlalchemy import select, update

from data.models import Case, CaseNote, Debtor, Promise
from data.models.audit import AuditEntry

api = api_fixtures.api


def test_the_queue_is_the_agents_own_cases_with_due_follow_ups_first(api: Api) -> None:

    now = api.clock.now()
    first, second = api.own_cases
    with api.db.transaction() as s:
        s.execute(
            update(Case)
            .where(Case.id == second)
            .values(next_action={"channel": "call", "reason": "callback"}, next_action_at=now)
        )
        s.execute(
            update(Case)
            .where(Case.id == first)
            .values(next_action={"channel": "call"}, next_action_at=now + timedelta(days=2))
        )
    r = api.client.get("/desk/queue", headers=api.headers("agent"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert [i["case"]["id"] for i in body["items"]] == [second, first]
    assert body["due"] == 1
    assert body["items"][0]["follow_up"] == "callback"
    assert body["items"][1]["due"] is False
    other = api.client.get("/desk/queue?agent_id=agt_2", headers=api.headers("agent"))
    assert other.status_code == 403
    staff = api.client.get("/desk/queue?agent_id=agt_2", headers=api.headers("supervisor"))
    assert {i["case"]["id"] for i in staff.json()["items"]} == set(api.other_cases[:2])
    assert api.client.get("/desk/queue", headers=api.headers("supervisor")).status_code == 422


def test_a_dispute_flags_the_debtor_stops_calls_and_names_the_agent(api: Api) -> None:

    case_id = api.own_cases[0]
    body = {"outcome": "dispute", "dispute_reason": "never had this card"}
    r = api.client.post(f"/cases/{case_id}/wrapup", json=body, headers=api.headers("agent"))
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["case_status"] == "disputed"
    with api.db.transaction() as s:
        case = s.get_one(Case, case_id)
        assert s.get_one(Debtor, case.debtor_id).dispute is True
        assert (case.next_action or {}).get("channel") == "none"
        note = s.scalars(
            select(CaseNote).where(CaseNote.case_id == case_id, CaseNote.kind == "dispute")
        ).one()
        assert note.author == "user:agent"
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "case.wrapup")).one()
        assert entry.actor == "user:agent"
        assert entry.details["attempt_id"] == out["attempt_id"]


def test_a_debtor_reported_dead_leaves_automated_contact_for_a_persons_review(api: Api) -> None:

    case_id = api.own_cases[0]
    body = {"outcome": "deceased", "note": "his daughter: he passed away in October"}
    r = api.client.post(f"/cases/{case_id}/wrapup", json=body, headers=api.headers("agent"))
    assert r.status_code == 201, r.text
    assert r.json()["case_status"] == "deceased"
    with api.db.transaction() as s:
        case = s.get_one(Case, case_id)
        assert s.get_one(Debtor, case.debtor_id).deceased is True
        assert (case.next_action or {}).get("channel") == "deceased_review"
        assert s.scalars(
            select(CaseNote).where(CaseNote.case_id == case_id, CaseNote.kind == "deceased")
        ).one()
    # off the agent's collection queue; the supervisors' list of deceased cases shows it
    queue = api.client.get("/desk/queue", headers=api.headers("agent")).json()
    assert case_id not in {i["case"]["id"] for i in queue["items"]}
    listed = api.client.get("/cases?status=deceased", headers=api.headers("supervisor"))
    assert listed.status_code == 200, listed.text
    assert [c["id"] for c in listed.json()["items"]] == [case_id]


def test_a_callback_becomes_the_cases_next_action(api: Api) -> None:

    case_id = api.own_cases[1]
    at = (api.clock.now() + timedelta(hours=3)).isoformat()
    body = {"outcome": "callback_scheduled", "callback_at": at, "note": "after work"}
    r = api.client.post(f"/cases/{case_id}/wrapup", json=body, headers=api.headers("supervisor"))
    assert r.status_code == 201, r.text
    with api.db.transaction() as s:
        case = s.get_one(Case, case_id)
        assert (case.next_action or {}).get("reason") == "callback"
        assert case.next_action_at is not None
        assert s.scalars(select(Promise).where(Promise.case_id == case_id)).first() is None
    queue = api.client.get("/desk/queue", headers=api.headers("agent")).json()
    item = next(i for i in queue["items"] if i["case"]["id"] == case_id)
    assert item["follow_up"] == "callback"
    assert item["due"] is False


def test_wrap_ups_that_cannot_be_true_are_refused(api: Api) -> None:

    case_id, h = api.own_cases[0], api.headers("agent")
    outstanding = api.client.get(f"/cases/{case_id}", headers=h).json()["case"]["outstanding"]
    due = (api.clock.now() + timedelta(days=3)).date().isoformat()
    too_much = {"outcome": "promise_to_pay", "promise": {"amount": "9" * 11, "due_date": due}}
    assert api.client.post(f"/cases/{case_id}/wrapup", json=too_much, headers=h).status_code == 409
    over = float(outstanding) + 1
    more = {"outcome": "promise_to_pay", "promise": {"amount": f"{over:.2f}", "due_date": due}}
    assert api.client.post(f"/cases/{case_id}/wrapup", json=more, headers=h).status_code == 409
    for body in (
        {"outcome": "promise_to_pay"},
        {"outcome": "refused", "promise": {"amount": "5", "due_date": due}},
        {"outcome": "callback_scheduled"},
        {"outcome": "dispute"},
        {"outcome": "busy"},
        {"outcome": "refused", "note": "x" * 2001},
        {"outcome": "promise_to_pay", "promise": {"amount": "-5", "due_date": due}},
        {"outcome": "promise_to_pay", "promise": {"amount": "1.001", "due_date": due}},
    ):
        r = api.client.post(f"/cases/{case_id}/wrapup", json=body, headers=h)
        assert r.status_code == 422, body
    with api.db.transaction() as s:
        assert s.scalars(select(Promise).where(Promise.case_id == case_id)).first() is None
    other = api.client.post(
        f"/cases/{api.other_cases[0]}/wrapup", json={"outcome": "refused"}, headers=h
    )
    assert other.status_code == 404
