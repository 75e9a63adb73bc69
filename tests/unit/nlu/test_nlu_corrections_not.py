"""Session 10 (en7): a correction said as "not X, Y" or "Y, not X" (``nlu.corrections``), and two
amounts said side by side after "not" ("not two hundred one fifty"), which the amount reader
glued into one (251); the read-back corrected so: ``test_nlu_corrections_en``. Lines written
before the change (docs/nlu.md, "Session 10, en7"); today is Wednesday 9 Dec 2026."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from test_nlu_session7_en import _amounts
from test_nlu_session7_en import _dates as _days

FRI, SAT, MON, TUE, WED = (date(2026, 12, d) for d in (11, 12, 14, 15, 16))

# (line, the first amount that stands or None, the first day that stands or None)
LINES: list[tuple[str, int | None, date | None]] = [
    ("not two hundred one fifty", 150, None),
    ("not three hundred two fifty on friday", 250, FRI),
    ("not one fifty two hundred on friday", 200, FRI),
    ("not a hundred, eighty, on Monday", 80, MON),
    ("not fifty dollars sixty dollars on the 20th", 60, date(2026, 12, 20)),
    ("it's not five hundred four hundred", 400, None),
    ("not ninety eighty on tuesday", 80, TUE),
    ("no not two hundred a hundred and fifty", 150, None),
    ("not 300 250 on friday", 250, FRI),
    ("not a thousand, eight hundred, end of the month", 800, date(2026, 12, 31)),
    ("uh not two hundred uh one fifty friday", 150, FRI),
    ("Not Friday, Saturday.", None, SAT),
    ("not tuesday wednesday i can pay the hundred", 100, WED),
    ("not the fifteenth the sixteenth", None, date(2026, 12, 16)),
    ("not the twentieth, the twenty second, three hundred", 300, date(2026, 12, 22)),
    ("no not monday tuesday", None, TUE),
    ("not on the 12th on the 14th i can send 80", 80, MON),
    ("make it one fifty not two hundred", 150, None),
    ("make it seventy five not a hundred on friday", 75, FRI),
    ("one fifty, not two hundred", 150, None),
    ("four hundred, not five hundred, on the 18th", 400, date(2026, 12, 18)),
    ("two hundred not three hundred by saturday", 200, SAT),
    ("I can pay one twenty, not one forty, on Tuesday", 120, TUE),
    ("it's sixty not sixteen dollars on monday", 60, MON),
    ("friday not thursday two hundred", 200, FRI),
    ("Saturday not Sunday, a hundred", 100, SAT),
]


@pytest.mark.parametrize(("line", "amount", "day"), LINES, ids=[x[0] for x in LINES])
def test_what_stands_after_not(line: str, amount: int | None, day: date | None) -> None:
    assert _amounts(line)[:1] == ([] if amount is None else [Decimal(amount)])
    assert _days(line)[:1] == ([] if day is None else [day])


@pytest.mark.parametrize(
    ("line", "amounts"),
    [
        # one number, well formed or said the usual short way: never split
        ("not two hundred fifty", [250]),
        ("it's not a thousand eight hundred", [1800]),
        ("not one fifty", [150]),
        ("two hundred one fifty", [251]),  # no "not": read as before (left as it was)
        ("not twenty five dollars", [25]),
        ("not two thousand five hundred, two thousand", [2000]),
    ],
)
def test_one_number_after_not_stays_one(line: str, amounts: list[int]) -> None:
    assert _amounts(line)[:1] == [Decimal(a) for a in amounts]
