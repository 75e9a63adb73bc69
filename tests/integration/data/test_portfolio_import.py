"""Portfolio import against real SQLite and PostgreSQL databases, and the raw SQLite bytes."""

from __future__ import annotations

import csv
import random
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from cli.data_commands import write_demo_data
from core.clock import FixedClock
from data.crypto import Keyring
from data.db import Database
from data.lookup import debtors_by_phone
from data.models import BalanceHistory, Case, Debtor, DebtorPhone, ImportRun, Loan
from data.portfolio import importer
from data.portfolio.importer import import_portfolio
from data.portfolio.rows import CORE_COLUMNS

AS_OF = date(2026, 11, 29)


def demo_file(tmp_path: Path, cases: int = 300, seed: int = 5) -> Path:
    out = tmp_path / "portfolio.csv"
    write_demo_data(cases, seed, out, AS_OF)
    return out


def snapshot(db: Database) -> dict[str, list[tuple[object, ...]]]:
    tables = ("debtors", "debtor_phones", "loans", "cases", "loan_balance_history")
    with db.transaction() as s:
        return {
            t: [tuple(r) for r in s.execute(text(f"SELECT * FROM {t} ORDER BY 1"))] for t in tables
        }


def count(db: Database, model: type) -> int:
    with db.transaction() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_import_stores_every_row_and_reimport_changes_nothing(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    path = demo_file(tmp_path)
    summary = import_portfolio(db, keyring, path, clock, batch_size=64)
    assert (summary.records, summary.stored, summary.rejected, summary.loans_new) == (
        300,
        300,
        0,
        300,
    )
    assert summary.exit_code == 0
    assert count(db, Loan) == count(db, Case) == 300
    assert count(db, BalanceHistory) == 300
    before = snapshot(db)
    again = import_portfolio(db, keyring, path, clock, batch_size=64)
    assert (again.stored, again.loans_new, again.loans_changed) == (300, 0, 0)
    assert snapshot(db) == before  # not a byte changed, ciphertexts and timestamps included
    with db.transaction() as s:
        runs = s.scalars(select(ImportRun.status)).all()
    assert runs == ["done", "done"]


def test_updated_file_updates_balances_and_keeps_history(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    path = demo_file(tmp_path, cases=50)
    import_portfolio(db, keyring, path, clock)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows[0]["outstanding"] = "1.00"
    rows[0]["days_past_due"] = str(int(rows[0]["days_past_due"]) + 30)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    summary = import_portfolio(db, keyring, path, clock)
    assert (summary.loans_new, summary.loans_changed) == (0, 1)
    with db.transaction() as s:
        loan = s.get(Loan, rows[0]["loan_id"])
        assert loan is not None
        assert loan.outstanding_minor == 100
        history = s.scalars(
            select(BalanceHistory.outstanding_minor)
            .where(BalanceHistory.loan_id == loan.id)
            .order_by(BalanceHistory.id)
        ).all()
    assert len(history) == 2
    assert history[-1] == 100


def test_phone_lookup_uses_blind_index(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    path = demo_file(tmp_path, cases=20)
    import_portfolio(db, keyring, path, clock)
    first = next(csv.DictReader(path.open(encoding="utf-8")))
    with db.transaction() as s:
        assert debtors_by_phone(s, keyring, first["phone"]) == [first["debtor_id"]]
        phone = s.scalars(
            select(DebtorPhone).where(DebtorPhone.debtor_id == first["debtor_id"])
        ).first()
        assert phone is not None
        assert keyring.decrypt(phone.phone_enc, "debtor_phones.phone") == first["phone"]
        debtor = s.get(Debtor, first["debtor_id"])
        assert debtor is not None
        assert keyring.decrypt(debtor.name_enc, "debtors.name") == first["name"]


def _mix_malformed(path: Path, bad: int, seed: int) -> dict[int, str]:
    """Interleave ``bad`` broken rows into the file; returns {line: expected reason fragment}."""
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    fields = list(rows[0])
    rng = random.Random(seed)
    breakers = [
        ("phone", "555", "is not a valid number"),
        ("principal", "-10", "is negative"),
        ("currency", "ZZZ", "not an ISO 4217 code"),
        ("timezone", "Nowhere/City", "not an IANA time zone"),
        ("due_date", "2026-13-40", "is not a date"),
        ("product", "yacht", "is not one of"),
        ("days_past_due", "many", "is not a whole number"),
    ]
    out: list[dict[str, str]] = []
    expected: dict[int, str] = {}
    good_iter = iter(rows)
    for i in range(len(rows) + bad):
        line = i + 2
        if len(expected) < bad and (rng.random() < 0.5 or i >= len(rows)):
            col, value, reason = breakers[len(expected) % len(breakers)]
            row = dict(rows[len(expected) % len(rows)], loan_id=f"BAD{i}", **{col: value})
            expected[line] = reason
            out.append(row)
        else:
            out.append(next(good_iter))
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(out)
    return expected


def test_malformed_rows_are_rejected_with_reasons_and_good_rows_stored(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    path = demo_file(tmp_path, cases=1500, seed=9)
    expected = _mix_malformed(path, 1000, seed=3)
    summary = import_portfolio(db, keyring, path, clock)
    assert (summary.stored, summary.rejected, summary.exit_code) == (1500, 1000, 1)
    assert count(db, Loan) == 1500
    with Path(summary.rejects_path or "").open(encoding="utf-8") as f:
        rejects = list(csv.DictReader(f))
    assert len(rejects) == 1000
    assert list(rejects[0])[:2] == ["line", "reason"]
    assert set(CORE_COLUMNS) <= set(rejects[0])
    for r in rejects:
        assert expected[int(r["line"])] in r["reason"], r


def test_crash_mid_import_leaves_whole_batches(
    db: Database,
    keyring: Keyring,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = demo_file(tmp_path, cases=100)
    real = importer.store_batch
    calls = {"n": 0}

    def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:
            real(*args, **kwargs)  # the batch's writes happen, then the process "dies"
            raise RuntimeError("power cut")
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "store_batch", failing)
    with pytest.raises(RuntimeError, match="power cut"):
        import_portfolio(db, keyring, path, clock, batch_size=25)
    assert count(db, Loan) == 50  # two whole batches; the third rolled back entirely
    assert count(db, BalanceHistory) == 50
    monkeypatch.setattr(importer, "store_batch", real)
    summary = import_portfolio(db, keyring, path, clock, batch_size=25)
    assert (summary.loans_new, count(db, Loan)) == (50, 100)
    with db.transaction() as s:
        assert sorted(s.scalars(select(ImportRun.status))) == ["done", "failed"]


def _variants(value: str) -> set[str]:
    digits = "".join(c for c in value if c.isdigit())
    return {value, digits, digits[-10:]} if len(digits) >= 7 else {value}


def test_no_plaintext_personal_data_in_sqlite_file(
    sqlite_url: str, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    db = Database.connect(sqlite_url)
    path = demo_file(tmp_path, cases=200)
    import_portfolio(db, keyring, path, clock)
    db.dispose()  # checkpoint the WAL into the main file
    raw = b"".join(
        p.read_bytes()
        for p in Path(sqlite_url.removeprefix("sqlite:///")).parent.glob("collectbot.sqlite3*")
    )
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    secrets: set[str] = set()
    for r in rows:
        secrets |= _variants(r["phone"]) | _variants(r["national_id"])
        secrets |= {a for alt in r["alt_phones"].split(";") if alt for a in _variants(alt)}
        secrets |= {r["name"], r["address"]}
    assert len(secrets) > 600
    leaked = [s for s in secrets if s.encode() in raw]
    assert leaked == []
    # the non-personal columns are there in clear, so the check does read the data
    assert rows[0]["loan_id"].encode() in raw
