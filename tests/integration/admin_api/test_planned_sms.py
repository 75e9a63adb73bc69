"""The strategy's SMS steps carried out (``PlannedSms``), on SQLite and PostgreSQL: a due step is
sent inside the window through the guard, counted in the one contact history the planner, the
dialer and the guard read, and the case moves on; refused now, it waits for its window; a
debtor without SMS consent gets nothing (``no_consent``); a missing template holds the case."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import api_fixtures
from api_fixtures import Api
from test_api_sms import at_local, outbox

from admin_api.planned_sms import PlannedSms
from data.attempts import load_target
from data.contact_history import contact_history, guard_since
from data.models import Case, Debtor, Loan, SmsMessage
from data.scoring_store import plan_frame
from scoring.compliance import DEFAULT_PROFILES, Channel
from scoring.strategy import load_strategy

api = api_fixtures.api
STRATEGY = replace(load_strategy(), challenger_share=Decimal(0))
BODY = "{company}: please pay {amount} by {due_date}."


def templates(api: Api, name: str = "reminder_soft") -> None:
    for language in ("en", "zh"):
        r = api.client.put(
            "/sms/templates",
            json={"name": name, "language": language, "body": BODY},
            headers=api.headers("supervisor"),
        )
        assert r.status_code == 200, r.text


def plan_sms(api: Api, case_id: str, *, script: str = "reminder_soft", hours: float = 2) -> None:
    """The planner's SMS step for the case, due now, its window lasting ``hours``."""
    now = api.clock.now()
    with api.db.transaction() as s:
        case = s.get_one(Case, case_id)
        case.next_action = {
            "treatment": "gentle_reminder", "step": "sms", "channel": "sms", "script": script,
            "blocked": False, "reasons": [],
            "latest": (now + timedelta(hours=hours)).isoformat(),
        }  # fmt: skip
        case.next_action_at = now - timedelta(minutes=1)


def next_action(api: Api, case_id: str) -> tuple[dict[str, Any], datetime | None]:
    with api.db.transaction() as s:
        case = s.get_one(Case, case_id)
        return dict(case.next_action or {}), case.next_action_at


def steps(api: Api) -> PlannedSms:
    return PlannedSms(api.services, STRATEGY, DEFAULT_PROFILES)


def test_a_due_sms_step_is_sent_counted_and_the_case_moves_on(api: Api) -> None:
    templates(api)
    case_id = api.own_cases[0]
    at_local(api, case_id, 9)
    with api.db.transaction() as s:
        attempts_before = int(plan_frame(s, None, [case_id])["attempts"].iloc[0])
    plan_sms(api, case_id)
    done = asyncio.run(steps(api).send_due())
    assert done.sent == (case_id,)
    (line,) = outbox(api)
    assert "please pay" in line["body"]
    now = api.clock.now()
    with api.db.transaction() as s:
        message = s.query(SmsMessage).one()
        assert (message.case_id, message.template, message.status) == (
            case_id, "reminder_soft", "sent",
        )  # fmt: skip
        debtor_id = s.get_one(Case, case_id).debtor_id
        history = contact_history(s, debtor_id, guard_since(now))
        # the one history: the planner counts the SMS as a contact on the case
        assert int(plan_frame(s, None, [case_id])["attempts"].iloc[0]) == attempts_before + 1
    assert [(h.channel, h.debt_id, h.at) for h in history if h.channel is Channel.SMS] == [
        (Channel.SMS, case_id, now)
    ]

    async def dialer_view() -> list[Any]:
        async with api.db.async_sessions()() as s:
            target = await load_target(s, api.services.keyring, case_id, now)
            assert target is not None
            return list(target.history)

    assert asyncio.run(dialer_view()) == history  # the dialer reads the same history
    action, at = next_action(api, case_id)
    assert (
        action.get("script") != "reminder_soft"
        or action.get("step") != "sms"
        or (at is not None and at > now)
    )
    assert case_id not in {d.case_id for d in steps(api).due(now)}  # moved on
    assert asyncio.run(steps(api).send_due()).sent == ()  # nothing twice
    assert len(outbox(api)) == 1


def test_refused_now_it_waits_for_its_window_then_is_planned_again(api: Api) -> None:
    templates(api)
    case_id = api.own_cases[0]
    at_local(api, case_id, 7)  # 07:30 local: outside the SMS windows
    plan_sms(api, case_id)
    before = next_action(api, case_id)
    done = asyncio.run(steps(api).send_due())
    assert (done.sent, done.deferred) == ((), (case_id,))
    assert next_action(api, case_id) == before
    assert outbox(api) == []
    plan_sms(api, case_id, hours=-0.5)  # its window is over
    done = asyncio.run(steps(api).send_due())
    assert done.replanned == (case_id,)
    action, _ = next_action(api, case_id)
    assert action.get("latest") != before[0]["latest"]
    assert outbox(api) == []


def test_no_sms_to_a_debtor_without_sms_consent(api: Api) -> None:
    templates(api)
    case_id = api.own_cases[0]
    at_local(api, case_id, 9)
    with api.db.transaction() as s:
        s.get_one(Debtor, s.get_one(Case, case_id).debtor_id).consent_sms = False
    plan_sms(api, case_id)
    assert asyncio.run(steps(api).send_due()).deferred == (case_id,)
    r = api.client.post(
        f"/cases/{case_id}/sms", json={"template": "reminder_soft"}, headers=api.headers("agent")
    )
    assert r.status_code == 409
    assert "no_consent" in r.json()["detail"]
    assert outbox(api) == []
    # planned again, the strategy blocks the SMS step for want of consent
    with api.db.transaction() as s:
        row = plan_frame(s, None, [case_id]).iloc[0]
    assert not bool(row["consent_sms"])


def test_a_missing_template_holds_the_case_visibly(api: Api) -> None:
    case_id = api.own_cases[0]
    at_local(api, case_id, 9)
    plan_sms(api, case_id, script="no_such_script")
    done = asyncio.run(steps(api).send_due())
    assert done.held == (case_id,)
    action, _ = next_action(api, case_id)
    assert action["blocked"] is True
    assert "no_sms_template" in action["reasons"]
    assert asyncio.run(steps(api).send_due()).held == ()  # not tried again and again


def test_due_date_is_the_pay_by_date_the_message_asks_for(api: Api) -> None:
    templates(api)
    case_id = api.own_cases[0]
    zone = at_local(api, case_id, 9)
    plan_sms(api, case_id)
    assert asyncio.run(steps(api).send_due()).sent == (case_id,)
    (line,) = outbox(api)
    today = api.clock.now().astimezone(ZoneInfo(zone)).date()
    with api.db.transaction() as s:
        overdue_since = s.get_one(Loan, s.get_one(Case, case_id).loan_id).due_date
    assert f"by {today + timedelta(days=7)}." in line["body"]  # a week from the debtor's today
    assert str(overdue_since) not in line["body"]
