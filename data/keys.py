"""Key rotation: re-encrypt every stored personal value under the active key.

Rows are processed in batches of one transaction each and only values still under an older
key are touched, so a rotation that stops half-way is simply run again. Blind indexes are
recomputed under the active key; lookups search under every key meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Column, Table, select, update

from data.crypto import Keyring
from data.db import Database
from data.models import CaseNote, ContactAttempt, Debtor, DebtorPhone, SmsMessage
from data.upsert import table_of


@dataclass(frozen=True, slots=True)
class EncryptedColumn:
    column: str
    aad: str
    index_column: str | None = None
    index_purpose: str | None = None


ENCRYPTED: dict[type, tuple[EncryptedColumn, ...]] = {
    Debtor: (
        EncryptedColumn("name_enc", "debtors.name"),
        EncryptedColumn(
            "national_id_enc", "debtors.national_id", "national_id_bidx", "national_id"
        ),
        EncryptedColumn("address_enc", "debtors.address"),
        EncryptedColumn("birth_date_enc", "debtors.birth_date"),
        EncryptedColumn("email_enc", "debtors.email"),
    ),
    DebtorPhone: (EncryptedColumn("phone_enc", "debtor_phones.phone", "phone_bidx", "phone"),),
    ContactAttempt: (EncryptedColumn("transcript_enc", "contact_attempts.transcript"),),
    CaseNote: (EncryptedColumn("body_enc", "case_notes.body"),),
    SmsMessage: (
        EncryptedColumn("body_enc", "sms_messages.body"),
        EncryptedColumn("reply_enc", "sms_messages.reply"),
    ),
}


@dataclass
class RotationReport:
    values: int = 0
    rows: int = 0


def _rotate_table(
    db: Database,
    keyring: Keyring,
    table: Table,
    cols: tuple[EncryptedColumn, ...],
    batch: int,
    report: RotationReport,
) -> None:
    pk: Column[object] = next(iter(table.primary_key.columns))
    last: object = None
    while True:
        stmt = select(pk, *(table.c[c.column] for c in cols)).order_by(pk).limit(batch)
        if last is not None:
            stmt = stmt.where(pk > last)
        with db.transaction() as s:
            rows = s.execute(stmt).all()
            for row in rows:
                values: dict[str, object] = {}
                for i, col in enumerate(cols, start=1):
                    blob = row[i]
                    if blob is None or keyring.kid_of(blob) == keyring.active.kid:
                        continue
                    plain = keyring.decrypt(blob, col.aad)
                    values[col.column] = keyring.encrypt(plain, col.aad)
                    if col.index_column and col.index_purpose:
                        values[col.index_column] = keyring.blind_index(plain, col.index_purpose)
                if values:
                    s.execute(update(table).where(pk == row[0]).values(**values))
                    report.values += len(values)
                    report.rows += 1
        if len(rows) < batch:
            return
        last = rows[-1][0]


def rotate(db: Database, keyring: Keyring, *, batch: int = 1000) -> RotationReport:
    report = RotationReport()
    for model, cols in ENCRYPTED.items():
        _rotate_table(db, keyring, table_of(model), cols, batch, report)
    return report
