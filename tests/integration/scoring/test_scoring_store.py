"""Scoring through the database: simulated history in, scores, tiers and next actions out."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from alembic.script import ScriptDirectory
from sqlalchemy import select

from cli.data_commands import write_demo_data
from core.clock import FixedClock
from data import allocation_store as allocation
from data import scoring_store as store
from data.crypto import Keyring
from data.db import Database, alembic_config
from data.models import Agent, Case, CaseNote, ContactAttempt, Debtor, Loan, Payment
from data.portfolio.importer import import_portfolio
from data.simulated_history import insert_history
from scoring.allocation import auto_assign, league
from scoring.compliance import Channel, Contact, HistoryEntry, check
from scoring.compliance import Debtor as GuardDebtor
from scoring.model.repayment import score, train
from scoring.strategy import load_strategy, plan
from scoring.synthetic.history import case_from_json, simulate


def _load_demo(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path, cases: int
) -> int:
    path = tmp_path / "p.csv"
    today = clock.now().date()
    write_demo_data(cases, 21, path, today)
    import_portfolio(db, keyring, path, clock)
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with path.with_name("p.profiles.jsonl").open(encoding="utf-8") as f:
        profiles = [json.loads(line) for line in f]
    sims = [simulate(case_from_json(r, p), 4) for r, p in zip(rows, profiles, strict=True)]
    with db.transaction() as s:
        return insert_history(s, sims, clock.now())


def test_the_simulated_history_is_written_once_when_the_demo_runs_again(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    """`make demo` twice on one database: the second run wrote the same history again and
    failed on the attempts' unique keys (sqlite3.IntegrityError at step 3)."""
    first = _load_demo(db, keyring, clock, tmp_path, 80)
    with db.transaction() as s:
        before = (len(s.scalars(select(ContactAttempt.id)).all()),
                  len(s.scalars(select(Payment.reference)).all()))  # fmt: skip
    assert first > 80
    assert _load_demo(db, keyring, clock, tmp_path, 80) == 0
    with db.transaction() as s:
        after = (len(s.scalars(select(ContactAttempt.id)).all()),
                 len(s.scalars(select(Payment.reference)).all()))  # fmt: skip
    assert after == before


def test_one_migration_head() -> None:
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, heads


def test_train_score_and_plan_through_the_database(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    written = _load_demo(db, keyring, clock, tmp_path, 600)
    assert written > 600
    today = clock.now().date()
    with db.transaction() as s:
        past = store.case_records(s, today - timedelta(days=30))
    labels = store.outcomes(past)
    assert len(past) == 600
    assert 0.2 < sum(o.paid for o in labels) / len(labels) < 0.9
    # nothing on or after the cut-off is a feature: the label window is in the future of as_of
    assert all(p.paid_at.date() >= date(2000, 1, 1) for r in past for p in r.payments)
    model = train(past, labels, seed=2)
    assert model.metrics.auc > 0.7
    with db.transaction() as s:
        store.save_model(s, model, clock.now())
    with db.transaction() as s:
        again = store.active_model(s)
        assert again is not None
        assert again.version == model.version
        assert again.data_hash == model.data_hash
        versions = store.model_versions(s)
        assert [v.active for v in versions] == [True]
        assert versions[0].metrics["auc"] == round(model.metrics.auc, 4)
        current = store.case_records(s, today)
        scores = score(again, current)
        assert store.write_scores(s, scores, clock.now()) == 600
    with db.transaction() as s:
        stored = {c.id: c for c in s.scalars(select(Case))}
    for sc in scores[:50]:
        case = stored[sc.case_id]
        assert case.risk_tier == sc.tier.value
        assert case.score == sc.probability
        assert case.reason_codes is not None
        assert len(case.reason_codes) == 3
    _plan_and_check(db, clock)
    _allocate_and_check(db, keyring, clock)


def _plan_and_check(db: Database, clock: FixedClock) -> None:
    strategy = load_strategy()
    now = clock.now()
    with db.transaction() as s:
        frame = store.plan_frame(s)
        planned = plan(frame, strategy, now)
        assert store.write_plan(s, planned, now) == len(frame)
    with db.transaction() as s:
        cases = {c.id: c for c in s.scalars(select(Case))}
        debtors = {d.id: d for d in s.scalars(select(Debtor))}
        attempts = list(s.scalars(select(ContactAttempt)))
    by_debtor: dict[str, list[HistoryEntry]] = {}
    for a in attempts:
        entry = HistoryEntry(
            Channel(a.channel), a.started_at, a.case_id, a.connected, a.conversation
        )
        by_debtor.setdefault(cases[a.case_id].debtor_id, []).append(entry)
    checked = 0
    for case in cases.values():
        action = case.next_action
        assert action is not None
        assert case.strategy_arm in ("champion", "challenger")
        assert action["negotiation"]["max_promise_days"] > 0
        if action["earliest"]:
            local = datetime.fromisoformat(action["earliest_local"])
            assert local == datetime.fromisoformat(action["earliest"])
            assert local.utcoffset() == local.astimezone(ZoneInfo(action["timezone"])).utcoffset()
        if action["blocked"]:
            assert case.next_action_at is None
            continue
        d = debtors[case.debtor_id]
        debtor = GuardDebtor.of(d.jurisdiction, d.timezone, flags=d.flags())
        assert case.next_action_at is not None
        assert case.next_action_at >= now
        contact = Contact(Channel(action["channel"]), case.id, "+10000000000")
        decision = check(contact, by_debtor.get(d.id, []), debtor, case.next_action_at)
        assert decision.allowed, (case.id, decision.reasons)
        checked += 1
    assert checked > 500
    with db.transaction() as s:
        arms = {r["arm"]: r for r in store.arm_results(s, now - timedelta(days=30))}
    assert set(arms) == {"champion", "challenger"}
    assert sum(r["cases"] for r in arms.values()) == 600
    assert arms["champion"]["paying_cases"] > 0


def _allocate_and_check(db: Database, keyring: Keyring, clock: FixedClock) -> None:
    now = clock.now()
    with db.transaction() as s:
        for i, langs in enumerate((["en"], ["zh"], ["en", "zh"])):
            s.add(
                Agent(
                    id=f"a{i}",
                    display_name=f"Agent {i}",
                    endpoint=f"PJSIP/agent-{i}",
                    languages=langs,
                    products=[],
                    tiers=[],
                    capacity=40,
                    status="offline",
                    created_at=now,
                )
            )
    with db.transaction() as s:
        needs = allocation.needs(s)
        assert needs, "the default strategy sends some cases to agents"
        done, left, loads = auto_assign(needs, allocation.agents(s), now)
        allocation.write_assignments(s, keyring, done)
    assert len(done) + len(left) == len(needs)
    assert all(a.load <= a.capacity for a in loads)
    with db.transaction() as s:
        held = {c.id: c.assigned_agent_id for c in s.scalars(select(Case))}
        notes = list(s.scalars(select(CaseNote).where(CaseNote.kind == "assignment")))
        lang = dict(s.execute(select(Case.id, Debtor.language).join(Debtor)).all())
        assert len(notes) == len(done)
        assert json.loads(keyring.decrypt(notes[0].body_enc, "case_notes.body"))["kind"] == "auto"
        for a in done:
            assert held[a.case_id] == a.agent_id
            assert lang[a.case_id] in {"a0": ["en"], "a1": ["zh"], "a2": ["en", "zh"]}[a.agent_id]
        due = allocation.follow_ups(s)
        assert {f.case_id for f in due} <= {a.case_id for a in done}
        # a payment on an assigned case shows in the agent's figures
        case_id, agent_id = done[0].case_id, done[0].agent_id
        s.add(
            Payment(
                reference="t-1",
                loan_id=case_id,
                amount_minor=1234,
                currency=s.get(Loan, case_id).currency,  # type: ignore[union-attr]
                paid_at=now - timedelta(hours=1),
                recorded_at=now,
            )
        )
    with db.transaction() as s:
        figures = {
            (p.agent_id, p.collected.currency): p
            for p in league(allocation.activities(s, now - timedelta(days=1), now))
        }
    assert any(k[0] == agent_id and p.collected.minor >= 1234 for k, p in figures.items())


def test_arm_results_never_add_currencies(db: Database, keyring: Keyring, tmp_path: Path) -> None:
    clock = FixedClock(datetime(2026, 12, 1, 12, 0, tzinfo=ZoneInfo("UTC")))
    path = tmp_path / "p.csv"
    write_demo_data(8, 4, path, date(2026, 12, 1))
    import_portfolio(db, keyring, path, clock)
    now = clock.now()
    with db.transaction() as s:
        a, b, c, d = s.scalars(select(Case).order_by(Case.id)).all()[:4]
        for case, arm in ((a, "champion"), (b, "champion"), (c, "challenger"), (d, None)):
            case.strategy_arm = arm
        paid = [(a, 12345, "USD"), (a, 55, "USD"), (b, 10000, "CNY"), (c, 700, "USD"),
                (c, 300, "USD"), (b, 999, "CNY")]  # fmt: skip
        for i, (case, minor, currency) in enumerate(paid):
            day_ago = now - timedelta(days=1)
            s.add(Payment(reference=f"t{i}", loan_id=case.loan_id, amount_minor=minor,
                          currency=currency, paid_at=day_ago, recorded_at=now))  # fmt: skip
        s.add(Payment(reference="old", loan_id=d.loan_id, amount_minor=5, currency="USD",
                      paid_at=now - timedelta(days=90), recorded_at=now))  # fmt: skip
    with db.transaction() as s:
        arms = {r["arm"]: r for r in store.arm_results(s, now - timedelta(days=30))}
    assert arms["champion"]["collected"] == {"CNY": "109.99", "USD": "124.00"}
    assert arms["champion"]["paying_cases"] == 2
    assert arms["challenger"]["collected"] == {"USD": "10.00"}
    assert arms["challenger"]["paying_cases"] == 1
    assert arms["unplanned"]["collected"] == {}
    assert arms["unplanned"]["paying_cases"] == 0
    assert sum(r["cases"] for r in arms.values()) == 8
