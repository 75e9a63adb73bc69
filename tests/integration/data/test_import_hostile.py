"""Hostile portfolio files: no row can abort an import, no row can swallow another.

Every file is built here. Each hostile value is placed in one row of an otherwise good file;
that row must be the only reject, with a bounded reason, and every other row stored, at the
default batch size and at a small one; the run record and the audit entry tell what was stored.
"""

from __future__ import annotations

import csv
import json
import stat
from pathlib import Path

import hostile_files
import pytest
from hostile_files import write_csv
from sqlalchemy import select

from core.clock import FixedClock
from data import audit
from data.crypto import Keyring
from data.db import Database
from data.models import AuditEntry, ImportRun, Loan
from data.portfolio.importer import ImportSummary, import_portfolio
from data.portfolio.payments import import_payments

ROWS = 20
HOSTILE_ROW = 7  # 0-based: file line 9
MAX_REASON = 300


def base_rows(tmp_path: Path, n: int = ROWS) -> list[dict[str, str]]:
    return hostile_files.base_rows(tmp_path, n)


def write_jsonl(path: Path, rows: list[dict[str, str]], raw: dict[int, str]) -> Path:
    """One JSON object per row; ``raw`` replaces a row's line by hand-written text."""
    lines = [raw.get(i, json.dumps(r, ensure_ascii=False)) for i, r in enumerate(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def stored_loans(db: Database) -> set[str]:
    with db.transaction() as s:
        return set(s.scalars(select(Loan.id)))


def check_outcome(db: Database, summary: ImportSummary, rows: list[dict[str, str]]) -> str:
    """Exactly the hostile row rejected, the others stored, run + audit say so."""
    assert (summary.records, summary.stored, summary.rejected) == (ROWS, ROWS - 1, 1), summary
    assert summary.exit_code == 1
    expected = {r["loan_id"] for i, r in enumerate(rows) if i != HOSTILE_ROW}
    assert stored_loans(db) == expected
    assert summary.rejects_path is not None
    with Path(summary.rejects_path).open(encoding="utf-8", newline="") as f:
        rejects = list(csv.DictReader(f))
    assert [int(r["line"]) for r in rejects] == [HOSTILE_ROW + 2]
    reason = rejects[0]["reason"]
    assert len(reason) <= MAX_REASON, reason
    with db.transaction() as s:
        run = s.scalars(select(ImportRun)).one()
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "portfolio.import")).one()
        assert audit.verify(s).ok
    assert (run.status, run.rows_stored, run.rows_rejected) == ("done", ROWS - 1, 1)
    assert entry.details["stored"] == ROWS - 1
    return reason


CSV_HOSTILE = [
    ("name", "x" * 1_000_000, "not readable CSV"),
    ("address", "y" * 100_000, "address has 100000 characters"),
    ("timezone", "US", "timezone 'US' is not an IANA"),
    ("timezone", "America", "not an IANA"),
    ("timezone", "Etc", "not an IANA"),
    ("timezone", "../../../../etc/passwd", "not an IANA"),
    ("timezone", "America/New_York\x00", "NUL byte"),
    ("days_past_due", "²", "days_past_due '²' is not a whole number"),
    ("days_past_due", "٣", "not a whole number"),
    ("days_past_due", "1" * 23, "days_past_due has 23 characters"),
    ("days_past_due", "1" * 12, "not a whole number"),
    ("days_past_due", "-3", "not a whole number"),
    ("days_past_due", "36501", "not a whole number from 0 to 36,500"),
    ("principal", "1e30", "above the limit"),
    ("principal", "1E+999999", "above the limit"),
    ("outstanding", "1E-999999", "more decimals"),
    ("principal", "NaN", "not an amount"),
    ("principal", "sNaN", "not an amount"),
    ("principal", "Infinity", "not an amount"),
    ("outstanding", "-Infinity", "not an amount"),
    ("principal", "-5", "negative"),
    ("outstanding", "-0.01", "negative"),
    ("principal", "1" * 39 + ".5", "principal has 41 characters"),
    ("principal", "1" * 20 + ".5", "above the limit"),
    ("name", "ab\x00cd", "NUL byte"),
    ("name", "\x1b[31mred", "control character U+001B"),
    ("due_date", "9999-12-31", "outside 1900–2199"),
    ("due_date", "0001-01-01", "outside 1900–2199"),
    ("phone", "+1" + "2" * 300, "phone has 302 characters"),
    ("alt_phones", ";".join(["+13105550100"] * 100), "alt_phones has"),
    ("currency", "U\u0000SD", "NUL byte"),
    ("language", "e" * 5000, "language has 5000 characters"),
    ("name", "Ann\u202eyor", "control character U+202E"),
    ("address", "12 Oak St\u2028Apt 4", "address holds a line break"),
    ("loan_id", "L\x7f1", "control character U+007F"),
]


@pytest.mark.parametrize("batch_size", [4000, 3])
@pytest.mark.parametrize(("column", "value", "reason"), CSV_HOSTILE, ids=lambda v: str(v)[:24])
def test_one_hostile_csv_field_rejects_only_its_row(
    db: Database,
    keyring: Keyring,
    clock: FixedClock,
    tmp_path: Path,
    column: str,
    value: str,
    reason: str,
    batch_size: int,
) -> None:
    rows = base_rows(tmp_path)
    rows[HOSTILE_ROW][column] = value
    path = write_csv(tmp_path / "hostile.csv", rows)
    summary = import_portfolio(db, keyring, path, clock, batch_size=batch_size, parallel=False)
    got = check_outcome(db, summary, rows)
    assert reason in got


def _line(row: dict[str, str], field: str, json_text: str) -> str:
    """The row as JSON with one field's value replaced by raw JSON text."""
    obj = dict(row)
    obj[field] = "@@HOSTILE@@"
    return json.dumps(obj, ensure_ascii=False).replace('"@@HOSTILE@@"', json_text)


JSONL_HOSTILE = [
    ("name", '"\\ud800"', "lone surrogate"),
    ("name", '"ok\\udfffok"', "lone surrogate"),
    ("address", '"a\\nb"', "line break"),
    ("principal", "1e308", "above the limit"),
    ("principal", "1e-308", "more decimals"),
    ("days_past_due", "1e308", "not a whole number"),
    ("days_past_due", "99999999999999999999999", "days_past_due has 23 characters"),
    ("days_past_due", "9999999999", "not a whole number"),
    ("days_past_due", "12.0", "not a whole number"),
    ("days_past_due", "true", "not a whole number"),
    ("principal", "NaN", "not valid JSON"),
    ("principal", "-Infinity", "not valid JSON"),
    ("principal", "9" * 5000, "principal has 5000 characters"),
    ("principal", "9" * 30, "above the limit"),
    ("principal", "[1, 2]", "principal is a list"),
    ("name", '{"first": "A"}', "name is an object"),
    ("alt_phones", json.dumps(["+13105550100"] * 50), "alt_phones lists 50 values"),
    ("alt_phones", '[{"x": 1}]', "alt_phones is an object"),
    ("notes", "[" * 100_000 + "]" * 100_000, "not valid JSON"),
    ("timezone", '"US"', "not an IANA"),
    ("principal", "-1", "negative"),
]


@pytest.mark.parametrize(("field", "json_text", "reason"), JSONL_HOSTILE, ids=lambda v: v[:24])
def test_one_hostile_json_line_rejects_only_its_row(
    db: Database,
    keyring: Keyring,
    clock: FixedClock,
    tmp_path: Path,
    field: str,
    json_text: str,
    reason: str,
) -> None:
    rows = base_rows(tmp_path)
    raw = {HOSTILE_ROW: _line(rows[HOSTILE_ROW], field, json_text)}
    path = write_jsonl(tmp_path / "hostile.jsonl", rows, raw)
    summary = import_portfolio(db, keyring, path, clock, batch_size=3, parallel=False)
    # JSON Lines has no header: the hostile row is on line HOSTILE_ROW + 1
    assert (summary.records, summary.stored, summary.rejected) == (ROWS, ROWS - 1, 1), summary
    assert summary.rejects_path is not None
    with Path(summary.rejects_path).open(encoding="utf-8", newline="") as f:
        rejects = list(csv.DictReader(f))
    assert [int(r["line"]) for r in rejects] == [HOSTILE_ROW + 1]
    assert reason in rejects[0]["reason"]
    assert len(rejects[0]["reason"]) <= MAX_REASON


def test_a_repeated_json_key_is_refused_not_last_wins(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    rows = base_rows(tmp_path)
    text = json.dumps(rows[HOSTILE_ROW])[:-1] + ', "loan_id": "STOLEN"}'
    path = write_jsonl(tmp_path / "dup.jsonl", rows, {HOSTILE_ROW: text})
    summary = import_portfolio(db, keyring, path, clock, parallel=False)
    assert (summary.stored, summary.rejected) == (ROWS - 1, 1)
    assert "STOLEN" not in stored_loans(db)


def test_a_row_of_every_hostile_value_at_once_in_one_file(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    n = len(CSV_HOSTILE) + 10
    rows = base_rows(tmp_path, n)
    for i, (column, value, _) in enumerate(CSV_HOSTILE):
        rows[i][column] = value
    path = write_csv(tmp_path / "all.csv", rows)
    summary = import_portfolio(db, keyring, path, clock, batch_size=4, parallel=True)
    assert (summary.records, summary.stored, summary.rejected) == (n, 10, len(CSV_HOSTILE))
    assert stored_loans(db) == {r["loan_id"] for r in rows[len(CSV_HOSTILE) :]}


PAYMENT_HOSTILE = [
    ("amount", "1E+999999", "above the limit"),
    ("amount", "NaN", "not an amount"),
    ("amount", "-5", "negative"),
    ("amount", "0", "must be positive"),
    ("amount", "1e-999999", "more decimals"),
    ("reference", "r" * 5000, "reference has 5000 characters"),
    ("reference", "ref\x00", "NUL byte"),
    ("paid_at", "0001-01-01T00:00:00+01:00", "outside 1900–2199"),
    ("paid_at", "9999-12-31T23:59:59-23:59", "outside 1900–2199"),
    ("paid_at", "x" * 100_000, "paid_at has 100000 characters"),
]


@pytest.mark.parametrize(("column", "value", "reason"), PAYMENT_HOSTILE, ids=lambda v: str(v)[:20])
def test_one_hostile_payment_rejects_only_its_row(
    db: Database,
    keyring: Keyring,
    clock: FixedClock,
    tmp_path: Path,
    column: str,
    value: str,
    reason: str,
) -> None:
    rows = base_rows(tmp_path, 5)
    import_portfolio(db, keyring, write_csv(tmp_path / "p.csv", rows), clock, parallel=False)
    payments = [
        {"loan_id": r["loan_id"], "amount": "1.00", "currency": r["currency"],
         "paid_at": "2026-11-28T10:00:00+00:00", "reference": f"ref-{i}"}
        for i, r in enumerate(rows)
    ]  # fmt: skip
    payments[2][column] = value
    summary = import_payments(db, write_csv(tmp_path / "pay.csv", payments), clock)
    assert (summary.records, summary.applied, summary.rejected) == (5, 4, 1), summary
    assert summary.rejects[0][0] == 4
    assert reason in summary.rejects[0][1]
    assert len(summary.rejects[0][1]) <= MAX_REASON
    rejects = tmp_path / "pay.csv.rejects.csv"
    assert stat.S_IMODE(rejects.stat().st_mode) == 0o600
