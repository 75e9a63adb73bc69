"""Scheduled reports: the tables gathered from the database, rendered to XLSX (openpyxl) and
PDF (fpdf2), delivered to a folder and, when SMTP is configured, by e-mail."""

from __future__ import annotations

import dataclasses
import smtplib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from fpdf import FPDF
from openpyxl import Workbook  # type: ignore[import-untyped]
from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.qa_report import report as qa_report
from analytics.schedule import Run
from analytics.settings import AnalyticsSettings
from data import qa_store
from data import report_queries as rq
from data.analytics_store import listed_warnings
from data.models import CaseAnalytics


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    rows: list[dict[str, Any]]


def _flat(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out |= _flat(value, f"{name}.")
        elif isinstance(value, list | tuple):
            out[name] = "; ".join(map(str, value))
        elif isinstance(value, Decimal):
            out[name] = float(value)
        else:
            out[name] = value
    return out


def _rows(value: Any) -> list[dict[str, Any]]:
    items = value if isinstance(value, list) else [value]
    return [_flat(dataclasses.asdict(r)) for r in items]


def gather(s: Session, run: Run, settings: AnalyticsSettings) -> list[Table]:
    """The four reports, QA per script version, segments and early warnings, for ``run``."""
    start, end = run.start, run.end
    grain: rq.Grain = "week" if run.kind == "weekly" else "day"
    tables = [
        Table("Collection progress", _rows(rq.collection_progress(s, start, end, grain))),
        Table("Customer analysis", _rows(rq.customer_analysis(s, start, end))),
        Table("Agent performance", _rows(rq.agent_performance(s, start, end))),
        Table(
            "Channel cost",
            _rows(
                rq.channel_cost(
                    s,
                    start,
                    end,
                    cost_per_minute=settings.cost_per_minute,
                    cost_per_sms=settings.cost_per_sms,
                )
            ),
        ),
        Table("Call QA", [_flat(r.as_dict()) for r in qa_report(qa_store.scored(s, start, end))]),
    ]
    rows = s.execute(select(CaseAnalytics)).scalars().all()
    sizes = Counter((r.segment, r.segment_name) for r in rows if r.segment)
    tables.append(
        Table(
            "Segments",
            [{"segment": k[0], "name": k[1], "cases": n} for k, n in sorted(sizes.items())],
        )
    )
    warned = listed_warnings(s, min_score=0.0, limit=50)
    tables.append(
        Table(
            "Early warning (top 50)",
            [
                {
                    "case": w.case_id,
                    "kind": w.kind,
                    "score": w.score,
                    "reasons": "; ".join(w.reasons),
                }
                for w in warned
            ],
        )
    )
    return tables


def _header(rows: Sequence[dict[str, Any]]) -> list[str]:
    header: list[str] = []
    for r in rows:
        header.extend(k for k in r if k not in header)
    return header


def to_xlsx(tables: Sequence[Table], path: Path) -> None:
    book = Workbook()
    book.remove(book.active)
    for t in tables:
        sheet = book.create_sheet(t.title[:31])
        header = _header(t.rows)
        sheet.append(header or ["(no rows)"])
        for r in t.rows:
            sheet.append([r.get(h) for h in header])
    book.save(path)


def _latin(text: object) -> str:
    """The PDF's core font is Latin-1: other characters become '?'."""
    return str("" if text is None else text).encode("latin-1", "replace").decode("latin-1")


def to_pdf(tables: Sequence[Table], path: Path, title: str) -> None:
    pdf = FPDF(orientation="landscape")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, _latin(title), new_x="LMARGIN", new_y="NEXT")
    for t in tables:
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(0, 9, _latin(t.title), new_x="LMARGIN", new_y="NEXT")
        header = _header(t.rows)[:10]  # the first ten columns fit a landscape page
        if not t.rows:
            pdf.set_font("Helvetica", "", 9)
            pdf.cell(0, 6, "(no rows)", new_x="LMARGIN", new_y="NEXT")
            continue
        pdf.set_font("Helvetica", "", 7)
        with pdf.table(text_align="LEFT") as table:
            table.row([_latin(h) for h in header])
            for r in t.rows:
                table.row([_latin(r.get(h, ""))[:60] for h in header])
    pdf.output(str(path))


def write(tables: Sequence[Table], run: Run, folder: Path, now: datetime) -> list[Path]:
    target = folder / run.kind
    target.mkdir(parents=True, exist_ok=True)
    name = f"collectbot-{run.label}"
    xlsx, pdf = target / f"{name}.xlsx", target / f"{name}.pdf"
    to_xlsx(tables, xlsx)
    title = f"CollectBot {run.kind} report {run.start:%Y-%m-%d} .. {run.end:%Y-%m-%d}"
    to_pdf(tables, pdf, f"{title} (made {now:%Y-%m-%d %H:%M} UTC)")
    return [xlsx, pdf]


def mail(paths: Sequence[Path], run: Run, settings: AnalyticsSettings) -> bool:
    """E-mail the files when SMTP is configured (False: not configured)."""
    if not settings.smtp_host or not settings.mail_to:
        return False
    msg = EmailMessage()
    msg["Subject"] = f"CollectBot {run.kind} report {run.start:%Y-%m-%d}"
    msg["From"], msg["To"] = settings.mail_from, ", ".join(settings.mail_to)
    msg.set_content(
        f"Attached: the {run.kind} report for {run.start:%Y-%m-%d} .. {run.end:%Y-%m-%d}."
    )
    for p in paths:
        kind = ("application", "pdf") if p.suffix == ".pdf" else ("application", "vnd.ms-excel")
        msg.add_attachment(p.read_bytes(), maintype=kind[0], subtype=kind[1], filename=p.name)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_s) as c:
        if settings.smtp_starttls:
            c.starttls()
        if settings.smtp_user and settings.smtp_password is not None:
            c.login(settings.smtp_user, settings.smtp_password.get_secret_value())
        c.send_message(msg)
    return True
