"""Case allocation and agent performance figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from scoring.allocation import (
    Agent,
    AgentActivity,
    CaseNeed,
    FollowUp,
    auto_assign,
    league,
    move,
    overdue,
    performance,
)
from scoring.errors import AllocationError
from scoring.strategy import Tier

NOW = datetime(2026, 6, 10, 15, 0, tzinfo=UTC)


def agent(agent_id: str, **kw: object) -> Agent:
    base: dict[str, object] = {
        "languages": frozenset({"en"}),
        "products": frozenset(),
        "tiers": frozenset(),
        "capacity": 2,
    }
    base.update(kw)
    return Agent(agent_id, **base)  # type: ignore[arg-type]


def need(case_id: str, **kw: object) -> CaseNeed:
    base: dict[str, object] = {"language": "en", "product": "personal", "tier": Tier.MEDIUM}
    base.update(kw)
    return CaseNeed(case_id, **base)  # type: ignore[arg-type]


def test_skills_decide_who_can_take_a_case() -> None:
    agents = [
        agent("zh", languages=frozenset({"zh"})),
        agent("biz", products=frozenset({"business"})),
        agent("high", tiers=frozenset({Tier.HIGH})),
    ]
    done, left, _ = auto_assign(
        [need("c1", language="zh"), need("c2", product="business"), need("c3", tier=Tier.HIGH)],
        agents,
        NOW,
    )
    assert {(a.case_id, a.agent_id) for a in done} == {("c1", "zh"), ("c2", "biz"), ("c3", "high")}
    assert left == []
    _, left, _ = auto_assign([need("c4", language="fr")], agents, NOW)
    assert [u.reason for u in left] == ["no_skilled_agent"]


def test_capacity_load_and_performance_order_the_choice() -> None:
    strong = agent("strong", recovery_rate=0.4, capacity=2, load=1)
    weak = agent("weak", recovery_rate=0.1, capacity=3)
    needs = [need(f"c{i}", expected_amount_minor=100 * i) for i in range(1, 6)]
    done, left, agents = auto_assign(needs, [strong, weak], NOW)
    # the biggest case goes to the better agent; the rest fill the remaining capacity
    assert done[0].case_id == "c5"
    assert done[0].agent_id == "strong"
    assert [a.agent_id for a in done].count("strong") == 1
    assert [a.agent_id for a in done].count("weak") == 3
    assert [u.case_id for u in left] == ["c1"]
    assert left[0].reason == "all_at_capacity"
    assert {a.agent_id: a.load for a in agents} == {"strong": 2, "weak": 3}


def test_owned_and_inactive_are_skipped() -> None:
    done, left, _ = auto_assign(
        [need("c1", agent_id="x"), need("c2")], [agent("off", active=False)], NOW
    )
    assert done == []
    assert [u.case_id for u in left] == ["c2"]


def test_manual_moves_keep_the_reason_and_previous_agent() -> None:
    a = move(need("c1"), agent("b"), kind="manual", reason="VIP", by="sup1", now=NOW)
    assert (a.kind, a.reason, a.by, a.previous_agent_id) == ("manual", "VIP", "sup1", None)
    t = move(need("c1", agent_id="a"), agent("b"), kind="transfer", reason="leave", by="s", now=NOW)
    assert t.previous_agent_id == "a"
    assert t.kind == "transfer"
    with pytest.raises(AllocationError, match="reason"):
        move(need("c1"), agent("b"), kind="manual", reason=" ", by="s", now=NOW)
    with pytest.raises(AllocationError, match="already"):
        move(need("c1", agent_id="b"), agent("b"), kind="reassign", reason="x", by="s", now=NOW)
    with pytest.raises(AllocationError, match="no agent"):
        move(need("c1"), agent("b"), kind="transfer", reason="x", by="s", now=NOW)
    full = agent("full", capacity=1, load=1)
    with pytest.raises(AllocationError, match="capacity"):
        move(need("c1"), full, kind="manual", reason="x", by="s", now=NOW)
    assert move(need("c1"), full, kind="manual", reason="x", by="s", now=NOW, force=True)


def test_overdue_follow_ups_remind_then_escalate() -> None:
    agents = [agent("a", supervisor_id="boss")]
    follow_ups = [
        FollowUp("due-later", "a", NOW + timedelta(hours=1)),
        FollowUp("late", "a", NOW - timedelta(hours=2)),
        FollowUp("very-late", "a", NOW - timedelta(hours=30)),
        FollowUp("done", "a", NOW - timedelta(hours=30), done_at=NOW - timedelta(hours=29)),
    ]
    reminders, escalations = overdue(follow_ups, agents, NOW)
    assert [(r.case_id, r.overdue_by_minutes) for r in reminders] == [("late", 120)]
    assert [(e.case_id, e.supervisor_id) for e in escalations] == [("very-late", "boss")]


def test_performance_figures() -> None:
    act = AgentActivity("a", "USD", 1_000_000, 125_050, 10, 6, 8, 45, 6 * 3600)
    p = performance(act)
    assert p.recovery_rate == Decimal("0.1250")  # 0.12505 rounds half-even
    assert str(p.collected) == "1250.50 USD"
    assert p.promise_kept_rate == Decimal("0.7500")
    assert p.contacts_per_hour == Decimal("7.50")
    idle = performance(AgentActivity("b", "CNY", 0, 0, 0, 0, 0, 0, 0))
    assert idle.recovery_rate == 0
    assert idle.promise_kept_rate is None
    assert idle.contacts_per_hour is None
    other = AgentActivity("c", "USD", 100, 50, 0, 0, 0, 0, 3600)
    assert [x.agent_id for x in league([act, other])] == ["c", "a"]
