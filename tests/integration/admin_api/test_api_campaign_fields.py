"""Campaign definitions through the API (parsed by the domain, stored normalised, refused with
the field named), the campaign's uploaded strategy in the planner, and the promise-check step
(kept → the case moves on; broken → re-planned by the strategy)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from importlib import resources
from typing import Any

import api_fixtures
from api_fixtures import Api
from sqlalchemy import select

from admin_api.planned_sms import PlannedSms
from admin_api.promise_checks import PromiseChecks
from data.campaign_strategies import plan_cases
from data.models import Case, Loan, Payment, PaymentPlan, Promise
from data.scoring_store import plan_frame
from scoring.compliance import DEFAULT_PROFILES
from scoring.strategy import load_strategy

sqlite_api = api_fixtures.sqlite_api
DEFAULT_YAML = resources.files("scoring.strategy").joinpath("default_strategy.yaml").read_bytes()
TREATMENTS = (b"gentle_reminder", b"active_reminder", b"agent_negotiation", b"escalation")


def _special() -> bytes:
    """The default strategy with every treatment renamed ``<name>_special``."""
    text = DEFAULT_YAML.replace(b"name: default", b"name: special")
    for t in TREATMENTS:
        text = text.replace(t, t + b"_special")
    return text


def _post(api: Api, definition: dict[str, Any]) -> Any:
    h = api.headers("supervisor")
    return api.client.post("/campaigns", json={"name": "c", "definition": definition}, headers=h)


def _upload(api: Api, body: bytes) -> str:
    h = api.headers("supervisor")
    r = api.client.post("/strategies", files={"file": ("s.yaml", body)}, headers=h)
    assert r.status_code == 201
    return str(r.json()["id"])


def test_a_definition_is_stored_as_the_domain_parsed_it(sqlite_api: Api) -> None:
    r = _post(sqlite_api, {"window": {"start": "10:00", "end": "18:00"}, "language": "zh",
                           "retries": {"busy": {"after_minutes": 15, "max_attempts": 2}},
                           "agents_take_transfers": False, "ring_seconds": 30})  # fmt: skip
    assert r.status_code == 201, r.text
    stored = r.json()["definition"]
    assert stored["window"] == {"start": "10:00:00", "end": "18:00:00"}
    assert stored["retries"] == {"busy": {"after_minutes": 15, "max_attempts": 2}}
    assert (stored["language"], stored["ring_seconds"]) == ("zh", 30)
    assert stored["agents_take_transfers"] is False
    plain = _post(sqlite_api, {}).json()["definition"]
    assert (plain["window"], plain["language"], plain["retries"]) == (None, None, {})


def test_what_the_dialer_cannot_honour_is_refused_with_the_field_named(sqlite_api: Api) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"retries": {"hung_up": {"after_minutes": 5, "max_attempts": 1}}}, "hung_up"),
        ({"script": "winter"}, "script 'winter' has no version in en, zh"),
        ({"language": "fr"}, "no version in fr"),
        ({"strategy_id": "stg_nothing"}, "not uploaded"),
        ({"window": {"start": "18:00", "end": "10:00"}}, "start must be before end"),
        ({"abandon_limit": 0.2}, "abandon_limit"),
        ({"colour": "red"}, "colour"),
    ]
    for definition, says in cases:
        r = _post(sqlite_api, definition)
        assert r.status_code == 422, (definition, r.text)
        assert says in r.text, (definition, r.text)
    broken = _upload(sqlite_api, DEFAULT_YAML.replace(b"cadence_days: 4", b"cadence_days: -4"))
    r = _post(sqlite_api, {"strategy_id": broken})
    assert r.status_code == 422
    assert "not valid" in r.text


def test_an_invalid_transition_is_a_409_naming_what_is_allowed(sqlite_api: Api) -> None:
    h = sqlite_api.headers("supervisor")
    cid = _post(sqlite_api, {}).json()["id"]
    r = sqlite_api.client.post(f"/campaigns/{cid}/pause", headers=h)
    assert r.status_code == 409
    assert r.json()["detail"] == "cannot pause a campaign that is draft (allowed: start)"


def test_the_planner_plans_a_campaigns_cases_with_its_uploaded_strategy(sqlite_api: Api) -> None:
    api = sqlite_api
    stg = _upload(api, _special())
    chosen = api.other_cases[:4]
    r = _post(api, {"strategy_id": stg, "filter": {"case_ids": chosen, "status": []}})
    assert r.status_code == 201, r.text
    default = load_strategy(None)
    with api.db.transaction() as s:
        frame = plan_frame(s, DEFAULT_PROFILES)
        planned = plan_cases(s, frame, default, api.clock.now(), DEFAULT_PROFILES)
    by_case = dict(zip(planned["case_id"], planned["treatment"], strict=True))
    assert set(by_case) == set(frame["case_id"])
    special = {c for c, t in by_case.items() if t.endswith("_special")}
    active = set(chosen) & set(frame["case_id"])
    assert active
    assert special == active


def _due_check(api: Api, case_id: str, kind: str, due: date) -> None:
    with api.db.transaction() as s:
        case = s.get_one(Case, case_id)
        case.status = "promised" if kind == "promise" else "plan"
        case.next_action = {"channel": "promise_check", "kind": kind, "due": due.isoformat()}
        case.next_action_at = api.clock.now() - timedelta(hours=1)


def _pay(api: Api, case_id: str, minor: int, at: datetime) -> None:
    with api.db.transaction() as s:
        loan = s.get_one(Loan, s.get_one(Case, case_id).loan_id)
        s.add(
            Payment(reference=f"p-{case_id}-{minor}", loan_id=loan.id, amount_minor=minor,
                    currency=loan.currency, paid_at=at, channel="bank", recorded_at=at)
        )  # fmt: skip


def test_due_promise_checks_move_kept_cases_on_and_replan_broken_ones(sqlite_api: Api) -> None:
    api = sqlite_api
    now = api.clock.now()
    made = now - timedelta(days=5)
    kept, broken, plan_case = api.other_cases[:3]
    due = (now - timedelta(days=3)).date()
    with api.db.transaction() as s:
        for case_id in (kept, broken):
            currency = s.get_one(Loan, s.get_one(Case, case_id).loan_id).currency
            s.add(Promise(case_id=case_id, amount_minor=5000, currency=currency, due_date=due,
                          created_at=made))  # fmt: skip
        currency = s.get_one(Loan, s.get_one(Case, plan_case).loan_id).currency
        steps = [
            {"due": due.isoformat(), "amount_minor": 3000},
            {"due": (due + timedelta(days=30)).isoformat(), "amount_minor": 3000},
        ]
        s.add(PaymentPlan(case_id=plan_case, currency=currency, installments=steps,
                          created_at=made))  # fmt: skip
    _due_check(api, kept, "promise", due)
    _due_check(api, broken, "promise", due)
    _due_check(api, plan_case, "plan", due)
    _pay(api, kept, 5000, made + timedelta(days=1))
    _pay(api, broken, 1000, made + timedelta(days=1))  # short of the promise
    _pay(api, plan_case, 3000, made + timedelta(days=2))
    planner = PlannedSms(api.services, load_strategy(None), DEFAULT_PROFILES)
    result = PromiseChecks(planner).check_due()
    assert set(result["kept"]) == {kept, plan_case}
    assert result["broken"] == [broken]
    with api.db.transaction() as s:
        promises = {p.case_id: p.status for p in s.scalars(select(Promise))}
        cases = {
            c.id: c for c in s.scalars(select(Case).where(Case.id.in_([kept, broken, plan_case])))
        }
        plan = s.scalars(select(PaymentPlan).where(PaymentPlan.case_id == plan_case)).one()
    assert promises == {kept: "kept", broken: "broken"}
    assert cases[kept].status == "open"
    assert cases[broken].status == "open"
    for case_id in (kept, broken):  # the strategy planned them again
        action = cases[case_id].next_action or {}
        assert action.get("treatment"), action
        assert action.get("channel") != "promise_check"
    # a plan kept so far: its next instalment is checked next, the plan goes on
    assert plan.status == "active"
    assert cases[plan_case].status == "plan"
    assert cases[plan_case].next_action == {
        "channel": "promise_check",
        "kind": "plan",
        "due": (due + timedelta(days=30)).isoformat(),
    }
    assert PromiseChecks(planner).check_due()["kept"] == []  # nothing due any more
