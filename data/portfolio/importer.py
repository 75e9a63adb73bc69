"""Portfolio import: validate every row, store the good ones in batches, reject the rest.

Each batch is one transaction (a crash leaves whole batches or nothing); re-importing the same
file changes nothing (upserts keyed by debtor_id / loan_id, guarded by a keyed row digest);
an updated file updates balances and appends to the balance history.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import Clock
from core.errors import ValidationError
from core.ids import new_id
from core.logging import get_logger
from data import audit
from data.crypto import Keyring
from data.db import Database
from data.models import BalanceHistory, Case, Debtor, DebtorPhone, ImportRun, Loan
from data.portfolio.reader import check_file, read_records
from data.portfolio.rows import CORE_COLUMNS, PortfolioRow, parse_row
from data.upsert import table_of, upsert

log = get_logger(__name__)
Progress = Callable[[int, int], None]
_DEBTOR_UPDATE = (
    "name_enc",
    "national_id_enc",
    "national_id_bidx",
    "address_enc",
    "birth_date_enc",
    "email_enc",
    "language",
    "timezone",
    "jurisdiction",
    "consent_sms",
    "consent_call",
    "row_digest",
    "updated_at",
)
_FLAGS = ("cease", "dispute", "attorney", "deceased", "bankruptcy")
_LOAN_UPDATE = (
    "product",
    "currency",
    "principal_minor",
    "outstanding_minor",
    "due_date",
    "days_past_due",
    "as_of",
    "origination_date",
    "row_digest",
    "updated_at",
)


@dataclass
class ImportSummary:
    file: str
    records: int = 0
    stored: int = 0
    rejected: int = 0
    loans_new: int = 0
    loans_changed: int = 0
    seconds: float = 0.0
    rejects_path: str | None = None
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return 1 if self.rejected else 0

    def line(self) -> str:
        text = (
            f"{self.file}: {self.records} rows, {self.stored} stored "
            f"({self.loans_new} new, {self.loans_changed} changed), {self.rejected} rejected"
            f" in {self.seconds:.1f} s"
        )
        return text + (f"; rejects in {self.rejects_path}" if self.rejects_path else "")


class _Rejects:
    """Writes ``FILE.rejects.csv`` lazily: line, reason, then the original fields."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: TextIO | None = None
        self._writer: Any = None

    def add(self, line: int, reason: str, raw: dict[str, Any] | None) -> None:
        if self._writer is None:
            self._file = self.path.open("w", encoding="utf-8", newline="")
            self._writer = csv.writer(self._file)
            self._writer.writerow(["line", "reason", *CORE_COLUMNS])
        values = (
            [] if raw is None else ["" if raw.get(c) is None else raw.get(c) for c in CORE_COLUMNS]
        )
        self._writer.writerow([line, reason, *values])

    def close(self) -> bool:
        if self._file is not None:
            self._file.close()
            return True
        self.path.unlink(missing_ok=True)
        return False


def _digest(keyring: Keyring, row: PortfolioRow, part: str) -> str:
    fields: tuple[object, ...]
    if part == "debtor":
        fields = (
            row.name,
            row.national_id,
            row.address,
            row.birth_date,
            row.email,
            row.language,
            row.timezone,
            row.jurisdiction,
            row.consent_sms,
            row.consent_call,
            sorted(row.flags),
        )
    else:
        fields = (
            row.debtor_id,
            row.product,
            row.currency,
            row.principal_minor,
            row.outstanding_minor,
            row.due_date,
            row.days_past_due,
            row.as_of,
            row.origination_date,
        )
    return keyring.blind_index(repr(fields), f"row:{part}")


def _debtor_values(keyring: Keyring, row: PortfolioRow, now: datetime) -> dict[str, Any]:
    enc = keyring.encrypt_opt
    return {
        "id": row.debtor_id,
        "name_enc": keyring.encrypt(row.name, "debtors.name"),
        "national_id_enc": enc(row.national_id, "debtors.national_id"),
        "national_id_bidx": (
            keyring.blind_index(row.national_id, "national_id") if row.national_id else None
        ),
        "address_enc": enc(row.address, "debtors.address"),
        "birth_date_enc": enc(
            row.birth_date.isoformat() if row.birth_date else None, "debtors.birth_date"
        ),
        "email_enc": enc(row.email, "debtors.email"),
        "language": row.language,
        "timezone": row.timezone,
        "jurisdiction": row.jurisdiction,
        "consent_sms": row.consent_sms,
        "consent_call": row.consent_call,
        **{f: f in row.flags for f in _FLAGS},
        "row_digest": _digest(keyring, row, "debtor"),
        "created_at": now,
        "updated_at": now,
    }


def _loan_values(keyring: Keyring, row: PortfolioRow, now: datetime) -> dict[str, Any]:
    return {
        "id": row.loan_id,
        "debtor_id": row.debtor_id,
        "product": row.product,
        "currency": row.currency,
        "principal_minor": row.principal_minor,
        "outstanding_minor": row.outstanding_minor,
        "due_date": row.due_date,
        "days_past_due": row.days_past_due,
        "as_of": row.as_of,
        "origination_date": row.origination_date,
        "row_digest": _digest(keyring, row, "loan"),
        "created_at": now,
        "updated_at": now,
    }


def _phone_values(keyring: Keyring, row: PortfolioRow) -> list[dict[str, Any]]:
    return [
        {
            "debtor_id": row.debtor_id,
            "phone_enc": keyring.encrypt(p.e164, "debtor_phones.phone"),
            "phone_bidx": keyring.blind_index(p.e164, "phone"),
            "kind": p.kind,
            "status": "active",
            "do_not_call": p.do_not_call,
            "position": i,
            "country": p.country,
        }
        for i, p in enumerate(row.phones)
    ]


def store_batch(
    session: Session, keyring: Keyring, rows: list[PortfolioRow], now: datetime
) -> tuple[int, int]:
    """Upsert one batch in the caller's transaction; returns (new loans, changed loans)."""
    debtors = {r.debtor_id: _debtor_values(keyring, r, now) for r in rows}
    upsert(
        session,
        table_of(Debtor),
        list(debtors.values()),
        keys=["id"],
        update=_DEBTOR_UPDATE,
        where_changed="row_digest",
        merge_or=_FLAGS,
    )
    phones = [p for r in rows for p in _phone_values(keyring, r)]
    upsert(
        session,
        table_of(DebtorPhone),
        phones,
        keys=["debtor_id", "phone_bidx"],
        update=("position", "kind"),
        merge_or=("do_not_call",),
    )
    loan_ids = [r.loan_id for r in rows]
    before = {
        lid: (out, dpd, digest)
        for lid, out, dpd, digest in session.execute(
            select(Loan.id, Loan.outstanding_minor, Loan.days_past_due, Loan.row_digest).where(
                Loan.id.in_(loan_ids)
            )
        )
    }
    loans = [_loan_values(keyring, r, now) for r in rows]
    upsert(
        session,
        table_of(Loan),
        loans,
        keys=["id"],
        update=_LOAN_UPDATE,
        where_changed="row_digest",
    )
    history = []
    new = changed = 0
    for loan in loans:
        old = before.get(loan["id"])
        if old is not None and old[2] == loan["row_digest"]:
            continue
        new += old is None
        changed += old is not None
        if old is None or old[:2] != (loan["outstanding_minor"], loan["days_past_due"]):
            history.append(
                {
                    "loan_id": loan["id"],
                    "outstanding_minor": loan["outstanding_minor"],
                    "days_past_due": loan["days_past_due"],
                    "as_of": loan["as_of"],
                    "source": "import",
                    "recorded_at": now,
                }
            )
    if history:
        session.execute(table_of(BalanceHistory).insert(), history)
    cases = [
        {
            "id": r.loan_id,
            "loan_id": r.loan_id,
            "debtor_id": r.debtor_id,
            "status": "open",
            "created_at": now,
            "updated_at": now,
        }
        for r in rows
    ]
    upsert(session, table_of(Case), cases, keys=["id"])
    return new, changed


@contextmanager
def _import_run(
    db: Database, clock: Clock, path: Path, sha: str, actor: str
) -> Iterator[ImportRun]:
    run = ImportRun(
        id=new_id("imp"),
        kind="portfolio",
        file_name=path.name,
        file_sha256=sha,
        started_at=clock.now(),
        status="running",
    )
    with db.transaction() as s:
        s.add(run)
    try:
        yield run
    except BaseException:
        with db.transaction() as s:
            s.merge(run).status = "failed"
        raise
    with db.transaction() as s:
        merged = s.merge(run)
        merged.status, merged.finished_at = "done", clock.now()
        audit.append(
            s,
            at=clock.now(),
            actor=actor,
            action="portfolio.import",
            subject_type="import",
            subject_id=run.id,
            details={"file_sha256": sha, "stored": run.rows_stored, "rejected": run.rows_rejected},
        )


def import_portfolio(
    db: Database,
    keyring: Keyring,
    path: Path,
    clock: Clock,
    *,
    actor: str = "cli",
    batch_size: int = 1000,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import a portfolio file. Raises FileUnusable before writing anything if it is unusable."""
    started = time.perf_counter()
    total, sha = check_file(path, CORE_COLUMNS)
    summary = ImportSummary(file=path.name)
    rejects = _Rejects(path.with_name(path.name + ".rejects.csv"))
    seen_loans: dict[str, int] = {}
    batch: list[PortfolioRow] = []
    as_of = clock.now().date()

    def flush() -> None:
        with db.transaction() as s:
            new, changed = store_batch(s, keyring, batch, clock.now())
        summary.stored += len(batch)
        summary.loans_new += new
        summary.loans_changed += changed
        batch.clear()
        if progress:
            progress(summary.records, total)

    def reject(line: int, reason: str, raw: dict[str, Any] | None) -> None:
        summary.rejected += 1
        key = reason.split(" ")[0]
        summary.reasons[key] = summary.reasons.get(key, 0) + 1
        rejects.add(line, reason, raw)

    with _import_run(db, clock, path, sha, actor) as run:
        try:
            for line, raw in read_records(path, CORE_COLUMNS):
                summary.records += 1
                if isinstance(raw, str):
                    reject(line, raw, None)
                    continue
                try:
                    row = parse_row(raw, line, as_of=as_of)
                except ValidationError as e:
                    reject(line, str(e), raw)
                    continue
                first = seen_loans.setdefault(row.loan_id, line)
                if first != line:
                    reject(line, f"loan_id {row.loan_id!r} repeats line {first}", raw)
                    continue
                batch.append(row)
                if len(batch) >= batch_size:
                    flush()
            if batch:
                flush()
        finally:
            summary.rejects_path = str(rejects.path) if rejects.close() else None
        run.rows_stored, run.rows_rejected = summary.stored, summary.rejected
    summary.seconds = time.perf_counter() - started
    log.info("portfolio.imported", file=path.name, stored=summary.stored, rejected=summary.rejected)
    return summary
