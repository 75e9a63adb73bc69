"""A stray quote never merges rows; the rejects file is safe to open; a failing import still
says what it stored. Files built here; SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

import pytest
from hostile_files import base_rows, stored_names, write_csv
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from typer.testing import CliRunner

from cli.main import app
from core.clock import FixedClock
from data import audit
from data.crypto import Keyring, new_key_spec
from data.db import Database
from data.models import AuditEntry, DebtorPhone, ImportRun, Loan
from data.portfolio import importer
from data.portfolio.importer import import_portfolio
from data.portfolio.reader import FileUnusable
from data.portfolio.rejects import safe_cell

N = 60


def plain_rows(tmp_path: Path) -> list[dict[str, str]]:
    """Demo rows without a comma or quote anywhere, so the file holds no quote at all."""
    return [
        {k: v.replace(",", " ").replace('"', " ") for k, v in r.items()}
        for r in base_rows(tmp_path, N)
    ]


def write_with_quotes(path: Path, rows: list[dict[str, str]], quotes: dict[int, str]) -> Path:
    """Raw CSV text: ``quotes`` puts one '"' at the start of that row's column."""
    header = list(rows[0])
    lines = [",".join(header)]
    for i, r in enumerate(rows):
        values = [('"' + r[c]) if quotes.get(i) == c else r[c] for c in header]
        lines.append(",".join(values))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read_rejects(path: str | None) -> list[dict[str, str]]:
    assert path is not None
    with Path(path).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def others_leak(text: str, rows: list[dict[str, str]], own: int | None) -> list[str]:
    """Names or phones of rows other than ``own`` that appear in ``text``."""
    return [
        v
        for i, r in enumerate(rows)
        if i != own
        for v in (r["name"], r["phone"], r["national_id"])
        if v and v in text
    ]


@pytest.mark.parametrize(
    ("quotes", "region"),
    [
        ({9: "name"}, (11, N + 1)),  # never closed: every line from 11 to the end
        ({9: "phone", 38: "name"}, (11, 40)),  # closed by the next stray quote
        ({0: "alt_phones", 1: "loan_id"}, (2, 3)),
        ({N - 1: "address"}, (N + 1, N + 1)),  # the last row: its own line only
    ],
)
def test_a_stray_quote_refuses_the_lines_it_joins_and_leaks_nothing(
    db: Database,
    keyring: Keyring,
    clock: FixedClock,
    tmp_path: Path,
    quotes: dict[int, str],
    region: tuple[int, int],
) -> None:
    rows = plain_rows(tmp_path)
    path = write_with_quotes(tmp_path / "quoted.csv", rows, quotes)
    summary = import_portfolio(db, keyring, path, clock, batch_size=7, parallel=False)
    first, last = region
    refused = set(range(first, last + 1))
    assert summary.rejected == len(refused)
    assert summary.stored == N - len(refused)
    assert summary.records == N
    names = stored_names(db, keyring)
    by_debtor = {r["debtor_id"]: r["name"] for i, r in enumerate(rows) if i + 2 not in refused}
    assert names == by_debtor  # every stored name is its own row's name, nothing more
    with db.transaction() as s:
        loans = set(s.scalars(select(Loan.id)))
        phones = s.scalars(select(DebtorPhone)).all()
    assert loans == {r["loan_id"] for i, r in enumerate(rows) if i + 2 not in refused}
    assert {p.debtor_id for p in phones} <= set(by_debtor)
    rejects = read_rejects(summary.rejects_path)
    assert [int(r["line"]) for r in rejects] == sorted(refused)
    assert "quote" in rejects[0]["reason"] or first == last
    for r in rejects:
        assert len(r["reason"]) < 300
        assert others_leak(",".join(v or "" for v in r.values()), rows, None) == []


def test_a_quoted_line_break_is_refused_even_when_it_stays_inside_one_row(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    rows = base_rows(tmp_path, 10)
    rows[4]["address"] = "12 Oak St\nApt 4"
    summary = import_portfolio(db, keyring, write_csv(tmp_path / "nl.csv", rows), clock)
    assert (summary.stored, summary.rejected) == (9, 2)  # the record spans lines 6 and 7
    rejects = read_rejects(summary.rejects_path)
    assert [r["line"] for r in rejects] == ["6", "7"]
    assert "address" in rejects[0]["reason"]


def test_a_row_with_core_fields_missing_at_its_end_is_refused(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    rows = base_rows(tmp_path, 5)
    path = write_csv(tmp_path / "short.csv", rows)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = ",".join(lines[3].split(",")[:5])  # debtor_id … alt_phones only
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = import_portfolio(db, keyring, path, clock)
    assert (summary.stored, summary.rejected) == (4, 1)
    assert "fields but the header has" in read_rejects(summary.rejects_path)[0]["reason"]


@pytest.mark.parametrize(
    "header",
    [
        "debtor_id,name,name,national_id,phone,alt_phones,language,timezone,loan_id,product,"
        "principal,outstanding,currency,due_date,days_past_due",
        'debtor_id,"na\nme",national_id,phone',
    ],
)
def test_a_header_naming_a_column_twice_or_broken_refuses_the_file(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path, header: str
) -> None:
    path = tmp_path / "dup.csv"
    path.write_text(header + "\n", encoding="utf-8")
    with pytest.raises(FileUnusable):
        import_portfolio(db, keyring, path, clock)
    with db.transaction() as s:
        assert s.scalars(select(ImportRun)).all() == []


FORMULAS = ['=HYPERLINK("http://evil.example/x","click")', "+1+cmd", "-2+3", "@SUM(A1)", "\tx"]


def test_rejects_file_neutralises_formulas_never_follows_a_link_and_is_private(
    db: Database, keyring: Keyring, clock: FixedClock, tmp_path: Path
) -> None:
    rows = base_rows(tmp_path, 10)
    for i, formula in enumerate(FORMULAS):
        rows[i]["name"] = formula
        rows[i]["phone"] = "not a phone"  # so the row is rejected with its fields
    path = write_csv(tmp_path / "f.csv", rows)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    link = tmp_path / "f.csv.rejects.csv"
    link.symlink_to(victim)
    summary = import_portfolio(db, keyring, path, clock)
    assert summary.rejected == len(FORMULAS)
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not link.is_symlink()
    assert stat.S_IMODE(link.stat().st_mode) == 0o600
    cells = [r["name"] for r in read_rejects(str(link))]
    assert cells == ["'" + f for f in FORMULAS]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(
    ("value", "shown"),
    [("=1+1", "'=1+1"), ("a=b", "a=b"), ("", ""), (None, ""), ("\r\n=x", "'\r\n=x"), (5, "5")],
)
def test_safe_cell(value: object, shown: str) -> None:
    assert safe_cell(value) == shown
    assert len(safe_cell("x" * 10_000)) <= 1001


def test_a_failure_midway_records_what_was_stored(
    db: Database,
    keyring: Keyring,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = base_rows(tmp_path, 25)
    real = importer.store_batch
    calls = {"n": 0}

    def failing(session, batch, now):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:
            raise OperationalError("INSERT", {}, Exception("server closed the connection"))
        return real(session, batch, now)

    monkeypatch.setattr(importer, "store_batch", failing)
    with pytest.raises(OperationalError):
        import_portfolio(db, keyring, write_csv(tmp_path / "m.csv", rows), clock, batch_size=5)
    with db.transaction() as s:
        run = s.scalars(select(ImportRun)).one()
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "portfolio.import")).one()
        stored = len(s.scalars(select(Loan.id)).all())
        assert audit.verify(s).ok
    assert stored == 10
    assert (run.status, run.rows_stored) == ("failed", 10)
    assert entry.details["status"] == "failed"
    assert entry.details["stored"] == 10


def test_a_row_the_database_refuses_is_rejected_alone(
    db: Database,
    keyring: Keyring,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = base_rows(tmp_path, 12)
    bad = rows[5]["loan_id"]
    real = importer.store_batch

    def refusing(session, batch, now):  # type: ignore[no-untyped-def]
        if any(r.loan_id == bad for r in batch):
            raise IntegrityError("INSERT", {}, Exception("constraint"))
        return real(session, batch, now)

    monkeypatch.setattr(importer, "store_batch", refusing)
    summary = import_portfolio(db, keyring, write_csv(tmp_path / "r.csv", rows), clock)
    assert (summary.stored, summary.rejected) == (11, 1)
    with db.transaction() as s:
        assert bad not in set(s.scalars(select(Loan.id)))
        assert s.scalars(select(ImportRun.rows_stored)).one() == 11
    assert "database refused" in read_rejects(summary.rejects_path)[0]["reason"]


def test_cli_import_of_a_hostile_file_exits_1_with_a_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLLECTBOT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLLECTBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("COLLECTBOT_DATA_KEY", new_key_spec())
    rows = plain_rows(tmp_path)
    rows[3]["timezone"] = "US"
    rows[4]["principal"] = "1E+999999"
    path = write_with_quotes(tmp_path / "cli.csv", rows, {20: "phone"})
    result = CliRunner().invoke(app, ["portfolio", "import", str(path), "--batch-size", "500"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    # lines 22 to the end are joined by the quote (40 rows), plus the two bad rows before it
    assert f"{N} rows, 18 stored" in result.output
    assert "42 rejected" in result.output
    assert os.stat(str(path) + ".rejects.csv").st_mode & 0o077 == 0


def test_a_connection_lost_while_storing_row_by_row_still_counts_the_committed_rows(
    db: Database,
    keyring: Keyring,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = base_rows(tmp_path, 10)
    bad, lost = rows[2]["loan_id"], rows[6]["loan_id"]
    real = importer.store_batch

    def flaky(session, batch, now):  # type: ignore[no-untyped-def]
        ids = {r.loan_id for r in batch}
        if bad in ids and len(batch) > 1:
            raise IntegrityError("INSERT", {}, Exception("constraint"))
        if lost in ids:
            raise OperationalError("INSERT", {}, Exception("server closed the connection"))
        return real(session, batch, now)

    monkeypatch.setattr(importer, "store_batch", flaky)
    with pytest.raises(OperationalError):
        import_portfolio(db, keyring, write_csv(tmp_path / "x.csv", rows), clock)
    with db.transaction() as s:
        stored = len(s.scalars(select(Loan.id)).all())
        run = s.scalars(select(ImportRun)).one()
    assert stored == 6  # rows 0..5, each committed alone
    assert (run.status, run.rows_stored) == ("failed", 6)
