"""Turning raw portfolio records into ready-to-store, encrypted row values.

This is the CPU-heavy half of an import (phone parsing, AES-GCM, HMAC), written as a plain
function of picklable inputs so the importer can run it in worker processes while the main
process writes to the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from core.errors import ValidationError
from core.logging import get_logger
from data.crypto import DataKey, Keyring
from data.portfolio.rows import PortfolioRow, parse_row

FLAGS = ("cease", "dispute", "attorney", "deceased", "bankruptcy")
Record = tuple[int, dict[str, Any] | str]
log = get_logger(__name__)


@dataclass(frozen=True, slots=True)
class PreparedRow:
    line: int
    loan_id: str
    debtor: dict[str, Any]
    phones: list[dict[str, Any]]
    loan: dict[str, Any]


@dataclass(frozen=True, slots=True)
class RejectedRow:
    line: int
    reason: str
    raw: dict[str, Any] | None


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


def debtor_values(keyring: Keyring, row: PortfolioRow, now: datetime) -> dict[str, Any]:
    enc = keyring.encrypt_opt
    birth = row.birth_date.isoformat() if row.birth_date else None
    national_bidx = keyring.blind_index(row.national_id, "national_id") if row.national_id else None
    return {
        "id": row.debtor_id,
        "name_enc": keyring.encrypt(row.name, "debtors.name"),
        "national_id_enc": enc(row.national_id, "debtors.national_id"),
        "national_id_bidx": national_bidx,
        "address_enc": enc(row.address, "debtors.address"),
        "birth_date_enc": enc(birth, "debtors.birth_date"),
        "email_enc": enc(row.email, "debtors.email"),
        "language": row.language,
        "timezone": row.timezone,
        "jurisdiction": row.jurisdiction,
        "consent_sms": row.consent_sms,
        "consent_call": row.consent_call,
        **{f: f in row.flags for f in FLAGS},
        "row_digest": _digest(keyring, row, "debtor"),
        "created_at": now,
        "updated_at": now,
    }


def loan_values(keyring: Keyring, row: PortfolioRow, now: datetime) -> dict[str, Any]:
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


def phone_values(keyring: Keyring, row: PortfolioRow) -> list[dict[str, Any]]:
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


def prepare(
    keyring: Keyring, record: Record, as_of: date, now: datetime
) -> PreparedRow | RejectedRow:
    line, raw = record
    if isinstance(raw, str):
        return RejectedRow(line, raw, None)
    try:
        row = parse_row(raw, line, as_of=as_of)
        return PreparedRow(
            line=line,
            loan_id=row.loan_id,
            debtor=debtor_values(keyring, row, now),
            phones=phone_values(keyring, row),
            loan=loan_values(keyring, row, now),
        )
    except ValidationError as e:
        return RejectedRow(line, str(e), raw)
    except Exception as e:  # a value no check foresaw: this row is rejected, the import goes on
        log.warning("portfolio.row_unreadable", line=line, error=type(e).__name__)
        return RejectedRow(line, f"the row could not be read ({type(e).__name__})", raw)


def prepare_chunk(
    keys: list[DataKey], records: list[Record], as_of: date, now: datetime
) -> list[PreparedRow | RejectedRow]:
    """Prepare a chunk of records (the function worker processes run)."""
    keyring = Keyring(keys)
    return [prepare(keyring, r, as_of, now) for r in records]
