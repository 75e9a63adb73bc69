"""Portfolio upload (→ the import of the data layer) and the payments feed.

The uploaded file is kept only while it is imported; the answer names every rejected line
with its reason (not its fields: the lender has the file).
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, BinaryIO

from fastapi import APIRouter, Depends, UploadFile

from admin_api import schemas
from admin_api.case_reads import refresh_planner_stats
from admin_api.deps import get_services, require
from admin_api.errors import PayloadTooLarge, Unprocessable
from admin_api.roles import STAFF, Principal
from admin_api.services import Services
from core.ids import new_id
from data.errors import DataError
from data.portfolio.importer import import_portfolio
from data.portfolio.payments import import_payments

router = APIRouter(tags=["portfolios"])
Svc = Annotated[Services, Depends(get_services)]
Staff = Annotated[Principal, Depends(require(*STAFF))]
MAX_REJECTS = 1000
SUFFIXES = (".csv", ".jsonl", ".ndjson", ".txt")


def _copy_bounded(upload: UploadFile, out: BinaryIO, limit: int) -> None:
    size = 0
    while chunk := upload.file.read(1 << 20):
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"the file is larger than {limit >> 20} MB (API_MAX_UPLOAD_MB)")
        out.write(chunk)


@contextmanager
def _stored(services: Services, upload: UploadFile) -> Iterator[Path]:
    suffix = Path(upload.filename or "upload.csv").suffix.lower()
    if suffix not in SUFFIXES:
        raise Unprocessable(f"unknown file type {suffix!r} (use .csv or .jsonl)")
    folder = services.upload_dir / new_id("upl")
    folder.mkdir(parents=True, exist_ok=False)
    path = folder / f"upload{suffix}"
    try:
        with path.open("wb") as out:
            _copy_bounded(upload, out, services.settings.max_upload_mb << 20)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _rejects(path: str | None) -> list[dict[str, str]]:
    if not path or not Path(path).is_file():
        return []
    with Path(path).open(encoding="utf-8", newline="") as f:
        rows = csv.reader(f)
        next(rows, None)
        return [
            {"line": r[0], "reason": r[1]} for _, r in zip(range(MAX_REJECTS), rows, strict=False)
        ]


@router.post("/portfolios", response_model=schemas.ImportOut, status_code=201)
def upload_portfolio(file: UploadFile, who: Staff, services: Svc) -> schemas.ImportOut:
    with _stored(services, file) as path:
        try:
            summary = import_portfolio(
                services.db,
                services.keyring,
                path,
                services.clock,
                actor=who.actor,
                parallel=False,
            )
        except DataError as e:
            raise Unprocessable(str(e)) from e
        with services.db.engine.begin() as conn:
            refresh_planner_stats(conn)  # the portfolio may have changed size and shape
        return schemas.ImportOut(
            file=file.filename or path.name,
            records=summary.records,
            stored=summary.stored,
            rejected=summary.rejected,
            loans_new=summary.loans_new,
            loans_changed=summary.loans_changed,
            seconds=summary.seconds,
            reasons=summary.reasons,
            rejects=_rejects(summary.rejects_path),
        )


@router.post("/payments", response_model=schemas.PaymentsImportOut, status_code=201)
def payments_feed(file: UploadFile, who: Staff, services: Svc) -> schemas.PaymentsImportOut:
    with _stored(services, file) as path:
        try:
            summary = import_payments(services.db, path, services.clock, actor=who.actor)
        except DataError as e:
            raise Unprocessable(str(e)) from e
    services.webhooks.emit(
        "payments", {"file": file.filename, "applied": summary.applied, "records": summary.records}
    )
    return schemas.PaymentsImportOut(
        file=file.filename or "upload",
        records=summary.records,
        applied=summary.applied,
        duplicates=summary.duplicates,
        rejected=summary.rejected,
        rejects=[{"line": str(n), "reason": r} for n, r in sorted(summary.rejects)[:MAX_REJECTS]],
    )
