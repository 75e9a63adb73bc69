"""Lookups by personal data through blind indexes (never by plaintext)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.crypto import Keyring
from data.models import Debtor, DebtorPhone
from data.portfolio.rows import normalise_phone


def debtors_by_phone(
    session: Session, keyring: Keyring, phone: str, region: str | None = None
) -> list[str]:
    """Ids of the debtors who have this phone number (any format parseable for ``region``)."""
    e164, _ = normalise_phone(phone, region, "phone")
    indexes = keyring.blind_indexes(e164, "phone")
    stmt = select(DebtorPhone.debtor_id).where(DebtorPhone.phone_bidx.in_(indexes)).distinct()
    return sorted(session.scalars(stmt))


def debtors_by_national_id(session: Session, keyring: Keyring, national_id: str) -> list[str]:
    indexes = keyring.blind_indexes(national_id.strip(), "national_id")
    return sorted(session.scalars(select(Debtor.id).where(Debtor.national_id_bidx.in_(indexes))))
