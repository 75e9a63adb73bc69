"""Report pages: the API's reports (``routers.reports.report``, same roles) as a table and a
chart, with CSV (the API's own) and Excel downloads of the same rows."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal, cast, get_args

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from openpyxl import Workbook  # type: ignore[import-untyped]

from admin_api.console import daily_pdf, day, i18n
from admin_api.console.render import SECURITY_HEADERS, language, render
from admin_api.console.session import page, services_of
from admin_api.roles import STAFF, Principal, Role
from admin_api.routers import reports
from data import report_queries as rq

router = APIRouter()
Viewers = Annotated[Principal, Depends(page(*STAFF, Role.AUDITOR))]
NAMES: tuple[str, ...] = get_args(reports.ReportName)
Days = Annotated[int, Query(ge=1, le=3 * 366)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# report → (the column naming a row, the counts charted per row)
CHARTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "collection-progress": (
        "period",
        ("attempts", "right_party_contacts", "promises", "kept_promises"),
    ),
    "customer-analysis": ("segment", ("cases", "contacted", "promises")),
    "agent-performance": ("agent_id", ("attempts", "conversations", "promises", "kept_promises")),
    "champion-challenger": ("arm", ("cases", "contacted", "promises", "kept_promises")),
    "sms-templates": ("template", ("sent", "delivered", "replied")),
}


def _range(request: Request, days: int) -> tuple[datetime, datetime]:
    end = services_of(request).clock.now()
    return end - timedelta(days=days), end


def rows_of(
    request: Request, who: Principal, name: str, days: int, grain: rq.Grain
) -> list[dict[str, Any]]:
    """The report's rows as the API answers them (its role check and validation)."""
    start, end = _range(request, days)
    report = cast(reports.ReportName, name)
    answer = reports.report(report, who, services_of(request), start, end, grain, "json")
    rows: list[dict[str, Any]] = json.loads(bytes(answer.body))["rows"]
    return [reports._flat(r) for r in rows]


def columns_of(rows: list[dict[str, Any]]) -> list[str]:
    """Every key of the rows, in first-seen order."""
    columns: list[str] = []
    for r in rows:
        columns.extend(k for k in r if k not in columns)
    return columns


def chart_of(name: str, rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    spec = CHARTS.get(name)
    if spec is None or not rows:
        return None
    label, series = spec

    def row_label(r: dict[str, Any]) -> str:
        prefix = f"{r['dimension']}: " if "dimension" in r else ""
        return prefix + str(r.get(label, ""))

    return {
        "labels": [row_label(r) for r in rows],
        "series": {k: [r.get(k, 0) for r in rows] for k in series},
    }


@router.get("/reports")
def report_page(
    request: Request,
    who: Viewers,
    name: Annotated[str, Query(max_length=40)] = "collection-progress",
    days: Days = 30,
    grain: rq.Grain = "day",
) -> HTMLResponse:
    name = name if name in NAMES else NAMES[0]
    rows = rows_of(request, who, name, days, grain)
    columns = columns_of(rows)
    context = {
        "names": NAMES,
        "name": name,
        "days": days,
        "grain": grain,
        "grains": get_args(rq.Grain),
        "rows": rows,
        "columns": columns,
        "chart": chart_of(name, rows),
    }
    return render(request, "reports.html", context, who=who)


@router.get("/reports/daily.pdf")
def daily_report(request: Request, who: Viewers) -> Response:
    """Today's collection report to print: progress, campaigns, agents (the API's figures)."""
    services = services_of(request)
    now = services.clock.now()
    start, _ = day.day_bounds(now)
    _ = i18n.translator(language(request))

    def report(name: reports.ReportName) -> list[dict[str, Any]]:
        answer = reports.report(name, who, services, start, now, "day", "json")
        rows: list[dict[str, Any]] = json.loads(bytes(answer.body))["rows"]
        return [reports._flat(r) for r in rows]

    def table(title: str, rows: list[dict[str, Any]]) -> daily_pdf.Table:
        columns = columns_of(rows)
        return daily_pdf.Table(
            _(title), [_(c) for c in columns], [[r.get(c) for c in columns] for r in rows]
        )

    with services.db.transaction() as s:
        campaigns = day.todays_campaigns(s, now)
    campaign_rows = [
        [
            c.name,
            _(c.status),
            c.attempts,
            c.answered,
            c.connected,
            c.promises,
            c.promised,
            c.abandon,
        ]
        for c in campaigns
    ]
    header = ["Campaign", "Status", "Placed", "Answered", "Right-party contacts", "Promises",
              "Amount promised", "Abandonment"]  # fmt: skip
    pdf = daily_pdf.render(
        _("Daily collection report"),
        start.date().isoformat(),
        [
            table("Today", report("collection-progress")),
            daily_pdf.Table(_("Campaigns"), [_(h) for h in header], campaign_rows),
            table("Agents", report("agent-performance")),
        ],
        now,
    )
    name = f"collection-{start.date().isoformat()}.pdf"
    headers = {**SECURITY_HEADERS, "content-disposition": f'inline; filename="{name}"'}
    return Response(pdf, media_type="application/pdf", headers=headers)


@router.get("/reports/{name}.{ext}")
def report_file(
    request: Request,
    name: reports.ReportName,
    ext: Literal["csv", "xlsx"],
    who: Viewers,
    days: Days = 30,
    grain: rq.Grain = "day",
) -> Response:
    """CSV: the API's own; Excel: the same rows in a workbook."""
    if ext == "csv":
        start, end = _range(request, days)
        return reports.report(name, who, services_of(request), start, end, grain, "csv")
    rows = rows_of(request, who, name, days, grain)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = name[:31]
    columns = columns_of(rows)
    sheet.append(columns)
    for r in rows:
        sheet.append([_cell(r.get(c)) for c in columns])
    buf = io.BytesIO()
    book.save(buf)
    headers = {**SECURITY_HEADERS, "content-disposition": f'attachment; filename="{name}.xlsx"'}
    return Response(buf.getvalue(), media_type=XLSX, headers=headers)


def _cell(value: Any) -> Any:
    """Numbers as numbers (amounts arrive as decimal strings), the rest as text."""
    if isinstance(value, str):
        try:
            return float(value) if value.replace(".", "", 1).lstrip("-").isdigit() else value
        except ValueError:
            return value
    return value
