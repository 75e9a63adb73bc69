"""English debtor lines in non-standard speech, held out (``data/en_unseen_speech*.yml``:
never training data): dialect, fillers, run-ons and the recogniser's slips, every intent,
amounts and dates said many ways. Each line through the real parser; the verification answers
and the moved-away family also through the policy, heard exactly (confidence 1.0)."""

from __future__ import annotations

import dataclasses
import functools
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from core.dialogue import AmountEntity, CallAnswered, DateEntity, Outcome, Say, UtteranceHeard
from nlu.parser import NluParser, default_parser
from nlu.policy import DialogueState, VerificationMode, decide, demo_case, load_script, start
from nlu.policy.disclosure import DEBT_WORDS
from nlu.rules import rule_intent
from nlu.training_data import load_training, normalize

_DATA = Path(__file__).parent / "data"
_DOC: dict[str, Any] = yaml.safe_load((_DATA / "en_unseen_speech.yml").read_text("utf-8"))
# round 2: written after round 1's fixes, measured once (docs/nlu.md, "Third round")
_ROUND2: dict[str, Any] = yaml.safe_load((_DATA / "en_unseen_speech_round2.yml").read_text("utf-8"))
TODAY: date = _DOC["today"]
assert _ROUND2["today"] == TODAY
LINES: list[dict[str, Any]] = [*_DOC["lines"], *_ROUND2["lines"]]
# left as they are (docs/nlu.md, "Third round"): a classifier guess on words too far from its data
KNOWN_MISSES = {"and you are", "yall take zelle", "sorry you breaking up"}


@functools.cache
def parser() -> NluParser:
    return default_parser()


def _id(row: dict[str, Any]) -> str:
    return str(row["text"])[:40]


@pytest.mark.parametrize("row", LINES, ids=_id)
def test_intent_amount_and_date(row: dict[str, Any]) -> None:
    got = parser().parse(row["text"], "en", TODAY)
    if row["text"] in KNOWN_MISSES:
        pytest.xfail(f"known miss: {got.intent}")
    assert got.intent == row["intent"], got
    amounts = [e.value for e in got.entities if isinstance(e, AmountEntity)]
    days = [e.value for e in got.entities if isinstance(e, DateEntity)]
    if "amount" in row:
        assert Decimal(str(row["amount"])) in amounts, got
    if "date" in row:
        assert row["date"] in days, got


def test_the_held_out_lines_cover_every_intent_and_are_not_training_data() -> None:
    intents = {row["intent"] for row in LINES}
    assert len(intents) == 18
    assert len(LINES) >= 200
    trained = {e.text for e in load_training("en", asr_split=True)}
    assert not [r["text"] for r in LINES if normalize(r["text"]) in trained]


def first_answer(line: str) -> tuple[DialogueState, list[Say]]:
    facts = dataclasses.replace(demo_case("en"), verification=VerificationMode.NAME)
    state = start(facts, load_script("en"), TODAY)
    state, said = decide(state, CallAnswered(datetime(2026, 12, 2, 17, tzinfo=UTC)))
    parse = parser().parse(line, "en", TODAY).heard_with(1.0)
    state, more = decide(state, UtteranceHeard(line, "en", parse))
    return state, [c for c in (*said, *more) if isinstance(c, Say)]


@pytest.mark.parametrize("row", [r for r in LINES if r["intent"] == "affirm"], ids=_id)
def test_a_right_party_yes_in_their_own_words_verifies_at_once(row: dict[str, Any]) -> None:
    state, _ = first_answer(row["text"])
    assert state.verified


@pytest.mark.parametrize("row", [r for r in LINES if r["intent"] != "affirm"], ids=_id)
def test_nothing_else_verifies_or_hears_a_debt_word(row: dict[str, Any]) -> None:
    state, said = first_answer(row["text"])
    assert not state.verified
    assert not [s.text for s in said if DEBT_WORDS.search(s.text)]


@pytest.mark.parametrize(
    "line",
    [
        "she dont stay here no more",
        "he aint live here no more",
        "they used to stay here but they gone now",
        "she don't stay at this address no more",
        "that guy aint been here in years",
        "he hasnt been here since 2019",
    ],
)
def test_moved_away_in_dialect_ends_as_a_moved_wrong_number(line: str) -> None:
    state, _ = first_answer(line)
    assert state.outcome is Outcome.WRONG_NUMBER
    assert "moved" in state.notes


@pytest.mark.parametrize(
    "line",
    ["she's not staying here tonight", "he aint been here all day", "he stays here sometimes"],
)
def test_a_stay_for_now_is_no_move(line: str) -> None:
    state, _ = first_answer(line)
    assert "moved" not in state.notes


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        ("this phone isn't mine", None),  # a phone is no debt
        ("the account is in my name", None),
        ("he used my car", None),
        ("it's my loan i just cant pay", None),
        ("they took my info and opened a card", "dispute"),
        ("that balance aint even mine", "dispute"),
    ],
)
def test_a_disowned_debt_is_a_dispute_and_nothing_else_is(line: str, meant: str | None) -> None:
    assert rule_intent(line, "en") == meant


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("i can pay for hundred friday", Decimal(400)),
        ("i can do to hundred", Decimal(200)),
        ("i can pay to fifty on friday", Decimal(250)),
        ("i can pay for a hundred", Decimal(100)),
        ("i can pay up to fifty", Decimal(50)),  # no paying verb right before "to"
        ("fifty a month", Decimal(50)),
        ("two hundred and fifty a week", Decimal(250)),
    ],
)
def test_number_slips_and_rates_read_as_amounts(line: str, value: Decimal) -> None:
    got = parser().parse(line, "en", TODAY)
    assert [e.value for e in got.entities if isinstance(e, AmountEntity)] == [value]


@pytest.mark.parametrize("line", ["three times a month", "six a month", "twice a month"])
def test_not_every_number_near_a_rate_is_an_amount(line: str) -> None:
    got = parser().parse(line, "en", TODAY)
    assert not [e for e in got.entities if isinstance(e, AmountEntity)]


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("a week from today", date(2026, 12, 9)),
        ("two weeks from tomorrow", date(2026, 12, 17)),
        ("ten days from now", date(2026, 12, 12)),
    ],
)
def test_from_now_dates(line: str, day: date) -> None:
    got = parser().parse(line, "en", TODAY)
    assert [e.value for e in got.entities if isinstance(e, DateEntity)] == [day]
