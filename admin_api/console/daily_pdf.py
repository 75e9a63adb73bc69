"""The printable daily collection report (PDF, fpdf2): today's progress, campaigns and agents,
in the page's language. Chinese text needs the system's Noto Sans CJK (``fonts-noto-cjk``);
without it the report falls back to a Latin font and replaces what it cannot draw."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_SC = 2  # the Simplified Chinese face in Noto Sans CJK's collection


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]


def _font(pdf: FPDF) -> Callable[[str], str]:
    """Use the CJK font when present; else a core font and a text filter for it."""
    if CJK_FONT.is_file():
        pdf.add_font("body", fname=str(CJK_FONT), collection_font_number=CJK_SC)
        pdf.set_font("body", size=9)
        return str
    pdf.set_font("helvetica", size=9)
    return lambda text: text.encode("latin-1", "replace").decode("latin-1")


def render(title: str, subtitle: str, tables: Sequence[Table], at: datetime) -> bytes:
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    fit = _font(pdf)
    pdf.set_font_size(16)
    pdf.cell(text=fit(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font_size(9)
    pdf.cell(text=fit(f"{subtitle} · {at:%Y-%m-%d %H:%M} UTC"), new_x="LMARGIN", new_y="NEXT")
    for table in tables:
        pdf.ln(4)
        pdf.set_font_size(12)
        pdf.cell(text=fit(table.title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font_size(9)
        if not table.rows:
            pdf.cell(text="—", new_x="LMARGIN", new_y="NEXT")
            continue
        with pdf.table(text_align="LEFT", line_height=5.5, first_row_as_headings=False) as grid:
            grid.row([fit(str(h)) for h in table.header])
            for values in table.rows:
                grid.row([fit("—" if v is None else str(v)) for v in values])
    return bytes(pdf.output())
