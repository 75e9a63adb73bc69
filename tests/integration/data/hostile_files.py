"""Building portfolio files for the hostile-input tests (imported by name, like api_fixtures)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from sqlalchemy import select

from cli.data_commands import write_demo_data
from data.crypto import Keyring
from data.db import Database
from data.models import Debtor

AS_OF = date(2026, 11, 29)


def base_rows(tmp_path: Path, n: int) -> list[dict[str, str]]:
    """``n`` good demo rows (seed 11) as dicts, in file order."""
    src = tmp_path / "base.csv"
    write_demo_data(n, 11, src, AS_OF)
    with src.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def stored_names(db: Database, keyring: Keyring) -> dict[str, str]:
    """Every stored debtor's name, decrypted, by debtor id."""
    with db.transaction() as s:
        debtors = s.scalars(select(Debtor))
        return {d.id: keyring.decrypt(d.name_enc, "debtors.name") for d in debtors}
