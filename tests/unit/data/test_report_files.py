"""Report files from crafted tables: every table a sheet, a PDF, no e-mail unless configured."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path
from typing import ClassVar

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from analytics.schedule import run_for
from analytics.settings import AnalyticsSettings
from data.report_files import Table, _flat, mail, write

RUN = run_for("daily", datetime(2026, 12, 6, 6, 0, tzinfo=UTC))
TABLES = [
    Table("Collection progress", [{"period": "2026-12-05", "attempts": 3, "collected.USD": 12.5}]),
    Table("Segments", [{"segment": "S1", "name": "pays regularly", "cases": 4},
                       {"segment": "S2", "name": "有困难", "cases": 1, "extra": "x"}]),
    Table("Empty", []),
]  # fmt: skip


def test_files_hold_every_table(tmp_path: Path) -> None:
    xlsx, pdf = write(TABLES, RUN, tmp_path, datetime(2026, 12, 6, 6, 1, tzinfo=UTC))
    assert xlsx.name == "collectbot-daily-2026-12-05.xlsx"
    assert xlsx.parent == tmp_path / "daily"
    book = load_workbook(xlsx)
    assert book.sheetnames == ["Collection progress", "Segments", "Empty"]
    rows = list(book["Segments"].values)
    assert rows[0] == ("segment", "name", "cases", "extra")
    assert rows[2] == ("S2", "有困难", 1, "x")
    assert list(book["Empty"].values) == [("(no rows)",)]
    body = pdf.read_bytes()
    assert body.startswith(b"%PDF")
    assert len(body) > 1000


def test_flatten_nested_money() -> None:
    assert _flat({"a": {"USD": Decimal("1.5")}, "b": [1, 2]}) == {"a.USD": 1.5, "b": "1; 2"}


def test_no_mail_without_smtp(tmp_path: Path) -> None:
    assert mail([], RUN, AnalyticsSettings(smtp_host="", mail_to=["a@example.com"])) is False
    assert mail([], RUN, AnalyticsSettings(smtp_host="smtp.example.com", mail_to=[])) is False


class FakeSmtp:
    sent: ClassVar[list[tuple[FakeSmtp, EmailMessage]]] = []

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.logged_in: tuple[str, str] | None = None

    def __enter__(self) -> FakeSmtp:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def starttls(self) -> None:
        return None

    def login(self, user: str, password: str) -> None:
        self.logged_in = (user, password)

    def send_message(self, msg: EmailMessage) -> None:
        FakeSmtp.sent.append((self, msg))


def test_mail_attaches_the_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import smtplib

    monkeypatch.setattr(smtplib, "SMTP", FakeSmtp)
    paths = write(TABLES, RUN, tmp_path, datetime(2026, 12, 6, 6, 1, tzinfo=UTC))
    settings = AnalyticsSettings(
        smtp_host="smtp.example.com", mail_to=["boss@example.com"], smtp_user="u",
        smtp_password="p",
    )  # fmt: skip
    assert mail(paths, RUN, settings) is True
    server, msg = FakeSmtp.sent[-1]
    assert server.logged_in == ("u", "p")
    names = [p.get_filename() for p in msg.iter_attachments()]
    assert names == [p.name for p in paths]
