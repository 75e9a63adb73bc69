"""Debtors and their phone numbers. Personal data is stored encrypted (``*_enc``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from data.models.base import Base


class Debtor(Base):
    __tablename__ = "debtors"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name_enc: Mapped[bytes] = mapped_column(LargeBinary)
    national_id_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    national_id_bidx: Mapped[str | None] = mapped_column(String(32), index=True)
    address_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    birth_date_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    email_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    language: Mapped[str] = mapped_column(String(2))
    timezone: Mapped[str] = mapped_column(String(64))
    jurisdiction: Mapped[str] = mapped_column(String(2))
    consent_sms: Mapped[bool] = mapped_column(default=True)
    consent_call: Mapped[bool] = mapped_column(default=True)
    cease: Mapped[bool] = mapped_column(default=False)
    dispute: Mapped[bool] = mapped_column(default=False)
    attorney: Mapped[bool] = mapped_column(default=False)
    deceased: Mapped[bool] = mapped_column(default=False)
    bankruptcy: Mapped[bool] = mapped_column(default=False)
    row_digest: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    phones: Mapped[list[DebtorPhone]] = relationship(
        back_populates="debtor", order_by="DebtorPhone.position", cascade="all, delete-orphan"
    )

    def flags(self) -> list[str]:
        names = ("cease", "dispute", "attorney", "deceased", "bankruptcy")
        return [n for n in names if getattr(self, n)]


class DebtorPhone(Base):
    __tablename__ = "debtor_phones"
    __table_args__ = (UniqueConstraint("debtor_id", "phone_bidx"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    debtor_id: Mapped[str] = mapped_column(ForeignKey("debtors.id", ondelete="CASCADE"), index=True)
    phone_enc: Mapped[bytes] = mapped_column(LargeBinary)
    phone_bidx: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="mobile")  # mobile|home|work|other
    # active | invalid (the network said so) | wrong_number (someone else's) | retired
    status: Mapped[str] = mapped_column(String(16), default="active")
    do_not_call: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    country: Mapped[str | None] = mapped_column(String(2))

    debtor: Mapped[Debtor] = relationship(back_populates="phones")
