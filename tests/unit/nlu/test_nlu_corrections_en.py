"""Session 9 (en6): an English speaker correcting a day or an amount (``nlu.corrections``, one
rule for both languages). The held-out set (``data/en_unseen_session9.yml``, written before the
rule and never tuned on) is read line by line; other lines, none of the set's, test each family:
marks, "not", lines that correct nothing, already-paid days, plans and the read-back corrected
in the next turn."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from test_nlu_session6_en import CORPUS as SESSION6
from test_nlu_session6_en import _others
from test_nlu_session7_en import _amounts, _parse
from test_nlu_session7_en import _dates as _days
from test_nlu_unseen_en import call
from test_nlu_unseen_zh_round2 import lines

from core.dialogue import AmountEntity, DateEntity, RecordPromise
from nlu.corrections import taken_back, without
from nlu.days import FoundDate
from nlu.entities import corrected
from nlu.policy.state import Stage
from simulation.spoken.corpus import Utterance, load_corpus, near_copies

CORPUS = load_corpus(Path(__file__).parent / "data" / "en_unseen_session9.yml")
TODAY = date(2026, 12, 9)  # a Wednesday, as the held-out set's
FRIDAY, SATURDAY = date(2026, 12, 11), date(2026, 12, 12)
# read otherwise, and known (docs/nlu.md, "Session 9, en6"): two short lines the classifier
# calls out_of_scope (the promise step reads their day all the same); "not two hundred one fifty"
# (251 to the amount reader) is read since session 10 (en7)
KNOWN_MISSES: frozenset[str] = frozenset({
    "Saturday. No, hang on, Sunday, I'm off on Sunday.", "Friday, or Monday if that doesn't work.",
})  # fmt: skip


def test_the_held_out_set_is_new() -> None:
    assert CORPUS.today == TODAY
    assert len(CORPUS.utterances) >= 40
    assert near_copies(CORPUS, _others() + [u.text for u in SESSION6.utterances]) == []


@pytest.mark.parametrize("u", lines(CORPUS, KNOWN_MISSES), ids=lambda u: u.text)
def test_every_held_out_line_reads_as_meant(u: Utterance) -> None:
    got = _parse(u.text)
    assert got.intent == u.intent, (got.intent, got.confidence)
    assert [e.value for e in got.entities if isinstance(e, AmountEntity)][:1] == (
        [] if u.amount is None else [u.amount]
    )
    assert [e.value for e in got.entities if isinstance(e, DateEntity)][:1] == (
        [] if u.date is None else [u.date]
    )


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("friday, no wait, saturday", SATURDAY),
        ("saturday i mean friday", FRIDAY),
        ("on friday sorry on saturday", SATURDAY),
        ("the 11th, scratch that, the 12th", SATURDAY),
        ("friday or rather saturday", SATURDAY),
        ("saturday, not friday", SATURDAY),
        ("not friday, saturday", SATURDAY),
        ("friday, no, not friday, saturday", SATURDAY),
        ("hmm friday correction saturday", SATURDAY),
    ],
)
def test_a_day_taken_back_gives_way(line: str, day: date) -> None:
    assert _days(line) == [day]


@pytest.mark.parametrize(
    ("line", "amount"),
    [
        ("i can give three hundred, nah, two eighty", 280),
        ("a hundred, hang on, a hundred and ten", 110),
        ("four hundred... or say three fifty", 350),
        ("350 not 300", 350),
        ("not 300, 350", 350),
        ("two grand, my bad, one grand", 1000),
        ("ninety uh no eighty five", 85),
    ],
)
def test_an_amount_taken_back_gives_way(line: str, amount: int) -> None:
    assert _amounts(line)[:1] == [Decimal(amount)]


@pytest.mark.parametrize(
    ("line", "amounts", "days"),
    [
        # a fallback, a second payment, "no" of something else: both stand, the first first
        ("friday or saturday whichever", [], [FRIDAY, SATURDAY]),
        ("a hundred friday and then no more till saturday", [100], [FRIDAY, SATURDAY]),
        ("a hundred now and two hundred on friday", [100, 200], [FRIDAY]),
        ("i pay a hundred i have no money for two hundred", [100, 200], []),
        ("two hundred rather than three hundred", [200, 300], []),
        ("a hundred, sorry if that's low, then fifty on friday", [100, 50], [FRIDAY]),
        ("friday, no problem, saturday works too", [], [FRIDAY, SATURDAY]),
        ("three hundred, I'll wait till friday, then fifty", [300, 50], [FRIDAY]),
    ],
)
def test_what_corrects_nothing_keeps_both(line: str, amounts: list[int], days: list[date]) -> None:
    assert _amounts(line) == [Decimal(a) for a in amounts]
    assert _days(line) == days


def test_a_day_taken_back_is_no_amount_either() -> None:
    assert _amounts("the 15th uh no the 16th") == []


def test_a_day_of_a_payment_made_taken_back() -> None:
    got = _parse("i paid on friday no sorry it was thursday")
    assert got.intent == "already_paid"
    assert [e.value for e in got.entities if isinstance(e, DateEntity)] == [date(2026, 12, 3)]


def test_the_classifier_reads_what_stands() -> None:
    assert corrected("two hundred, no wait, a hundred on friday", "en", TODAY) == (
        "a hundred on friday"
    )
    assert corrected("a hundred on friday", "en", TODAY) == "a hundred on friday"
    assert corrected("saturday, not friday", "en", TODAY) == "saturday, "


def test_without_keeps_what_it_is_told_to() -> None:
    assert without("abcdef", [(1, 5)], keep=[(2, 3)]) == "acf"


def test_a_language_without_marks_drops_nothing() -> None:
    found = [FoundDate(0, 1, TODAY, "a", ""), FoundDate(9, 10, TODAY, "b", "")]
    assert taken_back("a no wait b", found, "fr") == found


def test_a_correction_in_one_breath_is_the_promise_recorded() -> None:
    state, out = call(
        "en", "yes this is john", "two hundred, no wait, one fifty, on friday no saturday", "yes"
    )
    recorded = next(c for c in out if isinstance(c, RecordPromise))
    assert recorded.amount.amount == Decimal(150)
    assert state.promise_date == date(2026, 12, 5)  # the Saturday after Wed 2 Dec


@pytest.mark.parametrize(
    ("fix", "amount", "day"),
    [
        ("no, it's one fifty not two hundred", 150, 4),
        ("not two hundred, one fifty", 150, 4),
        ("no it's saturday not friday", 200, 5),
        ("wait, saturday, not friday", 200, 5),
        ("sorry i mean one fifty on saturday", 150, 5),
        # session 10 (en7), written before its change: "not" and two figures side by side
        ("not two hundred one fifty", 150, 4),
        ("no not two hundred one fifty", 150, 4),
        ("not friday saturday", 200, 5),
        ("make it one fifty not two hundred", 150, 4),
        ("one fifty, not two hundred", 150, 4),
    ],
)
def test_the_read_back_corrected_in_the_next_turn(fix: str, amount: int, day: int) -> None:
    state, _ = call("en", "yes this is john", "I can pay two hundred on friday", fix)
    assert state.stage is Stage.CONFIRM_PROMISE
    assert state.promise_amount is not None
    assert state.promise_amount.amount == Decimal(amount)
    assert state.promise_date == date(2026, 12, day)
