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

from core.dialogue import (
    AmountEntity,
    CallAnswered,
    DateEntity,
    Intent,
    Outcome,
    Parse,
    Say,
    UtteranceHeard,
)
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


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("i'm gonna send 600 on monday the 40", date(2026, 12, 14)),  # -teen heard -ty
        ("wednesday the 13th", date(2026, 12, 30)),  # -ty heard -teen: the 13th is a Sunday
        ("monday the 14th", date(2026, 12, 14)),
        ("friday the 11th", date(2026, 12, 11)),
        ("i'll take care of it on payday. the fifteen.", date(2026, 12, 15)),
    ],
)
def test_the_weekday_said_decides_between_teen_and_ty(line: str, day: date) -> None:
    got = parser().parse(line, "en", TODAY)
    assert [e.value for e in got.entities if isinstance(e, DateEntity)] == [day]


@pytest.mark.parametrize("line", ["i can give you the 20.", "the one.", "it was the 20 i think"])
def test_a_number_after_the_at_a_clause_end_is_not_always_a_day(line: str) -> None:
    got = parser().parse(line, "en", TODAY)
    assert not [e for e in got.entities if isinstance(e, DateEntity)]


@pytest.mark.parametrize(
    ("line", "value"),
    [("I can pay one dot five K in two weeks.", Decimal(1500)), ("two point five grand", 2500)],
)
def test_a_decimal_read_out_in_words_is_the_number(line: str, value: Decimal) -> None:
    got = parser().parse(line, "en", TODAY)
    assert [e.value for e in got.entities if isinstance(e, AmountEntity)] == [value]


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        ("How about I paid over 12 months?", False),  # "pay" heard "paid": a proposal
        ("what if we paid it in three parts", False),
        ("I paid it over 12 months", True),
    ],
)
def test_a_proposal_in_the_past_tense_is_no_paid_claim(line: str, meant: bool) -> None:
    from nlu.rules import is_paid_claim

    assert is_paid_claim(normalize(line), "en") is meant


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        ("Am I speaking to an actual human?", None),
        ("am i talking to a real person", None),
        ("let me speak to a real person", "request_agent"),
        ("can i talk to a human", "request_agent"),
        ("lose this number pal", "stop_calling"),
    ],
)
def test_asking_whether_a_person_calls_is_no_request_for_one(line: str, meant: str | None) -> None:
    assert rule_intent(normalize(line), "en") == meant


@pytest.mark.parametrize(
    "line",
    ["I'm conscious that I still owe the money.", "Don't need to remind me. I know."],
)
def test_more_acknowledgements(line: str) -> None:
    assert parser().parse(line, "en", TODAY).intent == "acknowledge"


def test_a_wrong_number_guessed_in_the_already_paid_step_is_read_for_the_slot() -> None:
    """ "I don't remember the date" once scored wrong_number 0.58 and ended a paid claim."""
    state, _ = first_answer("yes speaking")
    state, _ = decide(state, UtteranceHeard("i paid it already", "en", _heard("i paid it already")))
    guess = Parse("wrong_number", 0.7, (), 1.0)
    state, _ = decide(state, UtteranceHeard("i dont remember the date", "en", guess))
    assert state.outcome is not Outcome.WRONG_NUMBER


def test_a_stranger_verified_on_a_misheard_yes_still_ends_as_a_wrong_number() -> None:
    state, _ = first_answer("Yes.")
    assert state.verified
    guess = Parse("wrong_number", 0.7, (), 1.0)  # the classifier's, not a rule's
    state, _ = decide(state, UtteranceHeard("she's not around this number", "en", guess))
    assert state.outcome is Outcome.WRONG_NUMBER


def _heard(line: str) -> Parse:
    return parser().parse(line, "en", TODAY).heard_with(1.0)


def _after_yes(line: str, intent: Intent) -> DialogueState:
    state, _ = first_answer("yes speaking")
    got = parser().parse(line, "en", TODAY)
    guess = Parse(intent, 0.45, got.entities)  # as the classifier read the spoken line
    state, _ = decide(state, UtteranceHeard(line, "en", guess.heard_with(1.0)))
    return state


@pytest.mark.parametrize(
    ("line", "amount", "day"),
    [
        ("i can do half like 600 in three days", Decimal(600), date(2026, 12, 5)),
        ("can i pay three hundred on friday", Decimal(300), date(2026, 12, 4)),
    ],
)
def test_one_amount_on_one_day_read_as_installment_is_a_promise(
    line: str, amount: Decimal, day: date
) -> None:
    state = _after_yes(line, "installment")
    assert state.promise_amount is not None
    assert (state.promise_amount.amount, state.promise_date) == (amount, day)


@pytest.mark.parametrize(
    "line", ["can i pay 100 a month starting friday", "can i split it 200 every friday"]
)
def test_an_amount_with_plan_words_stays_a_plan(line: str) -> None:
    state = _after_yes(line, "installment")
    assert state.promise_amount is None or state.promise_date is None


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        ("I think you got him. What's up?", True),  # "uh yeah you got him whats up", spoken
        ("i think this is his phone", False),
        ("i think you got the wrong guy", False),
        ("i think i'm his sister", False),
        ("i think so", False),
    ],
)
def test_a_hedged_yes_is_plain_only_when_it_names_nobody_else(line: str, meant: bool) -> None:
    from nlu.affirmation import plain_yes

    assert plain_yes(line, "en", "Terrell Jackson") is meant
