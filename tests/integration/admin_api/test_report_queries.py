"""Report queries on SQLite and PostgreSQL over a small, hand-made history, and the report
endpoints in JSON and CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import api_fixtures
from api_fixtures import Api
from sqlalchemy import select, update

from data import report_queries as rq
from data.models import Case, ContactAttempt, Loan, Payment, Promise, SmsMessage

api = api_fixtures.api
START = datetime(2026, 11, 1, tzinfo=UTC)
END = datetime(2026, 12, 1, tzinfo=UTC)


def at(day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def history(api: Api) -> tuple[str, str, str]:
    """Three cases A, B, C with calls, promises, payments and SMS in November 2026."""
    a, b, c = api.own_cases[0], api.own_cases[1], api.other_cases[0]
    with api.db.transaction() as s:
        loans = {cid: s.scalar(select(Case.loan_id).where(Case.id == cid)) for cid in (a, b, c)}
        s.execute(update(Loan).where(Loan.id.in_(loans.values())).values(currency="USD"))
        s.execute(update(Case).where(Case.id == a).values(strategy_arm="champion"))
        s.execute(update(Case).where(Case.id == b).values(strategy_arm="challenger"))

        def call(aid: str, case: str, start: datetime, talk: int, agent: str | None) -> None:
            answered = start + timedelta(seconds=10) if talk else None
            s.add(
                ContactAttempt(
                    id=aid,
                    idempotency_key=aid,
                    case_id=case,
                    channel="call",
                    agent_id=agent,
                    started_at=start,
                    answered_at=answered,
                    ended_at=(answered + timedelta(seconds=talk)) if answered else start,
                    outcome="answered" if talk else "no_answer",
                    connected=bool(talk),
                    conversation=bool(talk),
                )
            )

        call("a1", a, at(2), 180, "agt_1")
        call("a2", a, at(3), 0, None)
        call("b1", b, at(10), 120, "agt_1")
        call("c1", c, at(10, 11), 0, None)
        s.flush()
        s.add(
            Promise(
                case_id=a,
                attempt_id="a1",
                amount_minor=10000,
                currency="USD",
                due_date=date(2026, 11, 4),
                status="kept",
                created_at=at(2, 10, 3),
            )
        )
        s.add(
            Promise(
                case_id=b,
                attempt_id="b1",
                amount_minor=5000,
                currency="USD",
                due_date=date(2026, 11, 20),
                status="pending",
                created_at=at(10, 10, 2),
            )
        )
        s.add(
            Payment(
                reference="p1",
                loan_id=loans[a],
                amount_minor=10000,
                currency="USD",
                paid_at=at(4),
                channel="bank",
                recorded_at=at(4),
            )
        )
        s.add(
            Payment(
                reference="p2",
                loan_id=loans[b],
                amount_minor=2000,
                currency="USD",
                paid_at=at(12),
                channel="bank",
                recorded_at=at(12),
            )
        )
        for sid, case, sent, delivered in (("s1", a, at(1), at(1, 10, 1)), ("s2", c, at(5), None)):
            s.add(
                SmsMessage(
                    id=sid,
                    case_id=case,
                    template="reminder",
                    language="en",
                    body_enc=b"x",
                    status="sent",
                    provider_ref=sid,
                    created_at=sent,
                    sent_at=sent,
                    delivered_at=delivered,
                )
            )
    return a, b, c


USD = {"USD": Decimal("120.00")}


def test_collection_progress_by_week_and_month(api: Api) -> None:
    history(api)
    with api.db.transaction() as s:
        weeks = rq.collection_progress(s, START, END, "week")
        months = rq.collection_progress(s, START, END, "month")
        days = rq.collection_progress(s, START, END, "day")
    assert [
        (
            w.period,
            w.attempts,
            w.cases_contacted,
            w.right_party_contacts,
            w.promises,
            w.kept_promises,
        )
        for w in weeks
    ] == [
        ("2026-11-02", 2, 1, 1, 1, 1),
        ("2026-11-09", 2, 2, 1, 1, 0),
    ]
    assert [w.collected for w in weeks] == [{"USD": Decimal("100.00")}, {"USD": Decimal("20.00")}]
    assert [w.promised for w in weeks] == [{"USD": Decimal("100.00")}, {"USD": Decimal("50.00")}]
    (month,) = months
    assert (
        month.period,
        month.attempts,
        month.cases_contacted,
        month.right_party_contacts,
        month.promises,
        month.kept_promises,
        month.collected,
    ) == ("2026-11-01", 4, 3, 2, 2, 1, USD)
    assert [d.period for d in days] == [
        "2026-11-02",
        "2026-11-03",
        "2026-11-04",
        "2026-11-10",
        "2026-11-12",
    ]


def test_agents_channels_arms_segments_and_templates(api: Api) -> None:
    history(api)
    with api.db.transaction() as s:
        agents = rq.agent_performance(s, START, END)
        cost = rq.channel_cost(
            s, START, END, cost_per_minute=Decimal("0.02"), cost_per_sms=Decimal("0.01")
        )
        arms = {r.arm: r for r in rq.champion_challenger(s, START, END)}
        segments = rq.customer_analysis(s, START, END)
        templates = rq.sms_effect(s, START, END)
    (agent,) = agents
    assert (
        agent.agent_id,
        agent.attempts,
        agent.conversations,
        agent.talk_minutes,
        agent.promises,
        agent.kept_promises,
        agent.promised,
    ) == ("agt_1", 2, 2, Decimal("5.00"), 2, 1, {"USD": Decimal("150.00")})
    assert (cost.calls, cost.connected_calls, cost.call_minutes, cost.sms) == (
        4,
        2,
        Decimal("5.00"),
        2,
    )
    assert cost.cost == Decimal("0.1200")
    assert cost.collected == USD
    assert cost.cost_per_collected_unit == {"USD": Decimal("0.0010")}
    assert set(arms) == {"champion", "challenger", "unassigned"}
    assert (
        arms["champion"].cases,
        arms["champion"].contacted,
        arms["champion"].right_party_contacts,
        arms["champion"].promises,
        arms["champion"].kept_promises,
        arms["champion"].collected,
    ) == (1, 1, 1, 1, 1, {"USD": Decimal("100.00")})
    assert (arms["challenger"].cases, arms["challenger"].collected) == (
        1,
        {"USD": Decimal("20.00")},
    )
    assert arms["unassigned"].cases == 10
    assert arms["unassigned"].contacted == 1
    for dimension in ("tier", "dpd_bucket", "product"):
        rows = [r for r in segments if r.dimension == dimension]
        assert sum(r.cases for r in rows) == 12
        assert sum(r.contacted for r in rows) == 3
        assert sum(r.promises for r in rows) == 2
        assert sum((r.collected.get("USD", Decimal(0)) for r in rows), Decimal(0)) == Decimal(
            "120.00"
        )
    (tpl,) = templates
    assert (
        tpl.template,
        tpl.language,
        tpl.sent,
        tpl.delivered,
        tpl.replied,
        tpl.paid_within_7_days,
    ) == ("reminder", "en", 2, 1, 0, 1)


def test_report_endpoints_in_json_and_csv(api: Api) -> None:
    history(api)
    params = {"start": START.isoformat(), "end": END.isoformat(), "grain": "month"}
    h = api.headers("auditor")
    body = api.client.get("/reports/collection-progress", params=params, headers=h).json()
    assert body["rows"][0]["collected"] == {"USD": "120.00"}
    r = api.client.get(
        "/reports/collection-progress", params={**params, "format": "csv"}, headers=h
    )
    assert r.headers["content-type"].startswith("text/csv")
    (row,) = list(csv.DictReader(io.StringIO(r.text)))
    assert (row["period"], row["attempts"], row["collected.USD"], row["promised.USD"]) == (
        "2026-11-01",
        "4",
        "120.00",
        "150.00",
    )
    for name in (
        "customer-analysis",
        "agent-performance",
        "channel-cost",
        "champion-challenger",
        "sms-templates",
    ):
        for fmt in ("json", "csv"):
            r = api.client.get(f"/reports/{name}", params={**params, "format": fmt}, headers=h)
            assert r.status_code == 200, (name, fmt, r.text)
    bad = {"start": END.isoformat(), "end": START.isoformat()}
    assert api.client.get("/reports/channel-cost", params=bad, headers=h).status_code == 422
    naive = {"start": "2026-11-01T00:00:00", "end": "2026-12-01T00:00:00"}
    assert api.client.get("/reports/channel-cost", params=naive, headers=h).status_code == 422
    assert api.client.get("/reports/channel-cost", headers=api.headers("agent")).status_code == 403
