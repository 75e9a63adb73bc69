"""Session 6 (en-nlu): held-out English debtor lines (``data/en_unseen_session6.yml``, written
before the session's changes, never training data) and the families fixed from them, each
tested on lines other than the held-out set's and the spoken benchmark's."""

from __future__ import annotations

import dataclasses
import functools
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from core.dialogue import (
    AmountEntity,
    CallAnswered,
    DateEntity,
    Outcome,
    Parse,
    Say,
    UtteranceHeard,
)
from nlu.affirmation import plain_yes
from nlu.parser import NluParser, default_parser
from nlu.policy import DialogueState, VerificationMode, decide, demo_case, load_script, start
from nlu.policy.disclosure import DEBT_WORDS
from nlu.policy.verification import yes_then_more
from nlu.rules import is_paid_claim
from nlu.text import prepare
from nlu.training_data import normalize
from simulation.spoken.corpus import Utterance, load_corpus, near_copies

ROOT = Path(__file__).resolve().parents[3]
CORPUS = load_corpus(Path(__file__).parent / "data" / "en_unseen_session6.yml")
TODAY = CORPUS.today
# left as they are (docs/nlu.md, session 6): a yes with "who's calling?" is asked back (safe);
# a denial read as a wrong number (the call ends the same way); a curt payment question
KNOWN_MISSES = {
    "Yeah, John here, who's calling?",
    "No, I am not this person you are looking.",
    "Y'all do Venmo?",
}


@functools.cache
def parser() -> NluParser:
    return default_parser()


def _others() -> list[str]:
    """Every English line of the NLU data, the benchmark, the tests' data and the scenarios."""
    texts: list[str] = []
    for path in sorted((ROOT / "nlu" / "data").glob("en_*.yml")):
        for block in yaml.safe_load(path.read_text("utf-8")).get("nlu", []):
            texts += [x[2:] for x in str(block.get("examples", "")).splitlines() if x[:2] == "- "]
    texts += [u.text for u in load_corpus(ROOT / "bench" / "data" / "spoken_en.yml").utterances]
    for path in sorted((Path(__file__).parent / "data").glob("en_unseen_speech*.yml")):
        texts += [row["text"] for row in yaml.safe_load(path.read_text("utf-8"))["lines"]]
    for path in sorted((ROOT / "simulation" / "scenarios").glob("*_en.yml")):
        texts += [str(line) for line in yaml.safe_load(path.read_text("utf-8"))["debtor"]]
    return texts


def test_the_held_out_set_is_new_and_covers_every_intent() -> None:
    assert len(CORPUS.utterances) >= 150
    assert len({u.intent for u in CORPUS.utterances}) == 18
    assert near_copies(CORPUS, _others()) == []


def _id(u: Utterance) -> str:
    return u.text[:40]


@pytest.mark.parametrize("u", CORPUS.utterances, ids=_id)
def test_held_out_line(u: Utterance) -> None:
    got = parser().parse(u.text, "en", TODAY)
    if u.text in KNOWN_MISSES:
        pytest.xfail(f"known miss: {got.intent}")
    assert got.intent == u.intent, got
    if u.amount is not None:
        assert [e.value for e in got.entities if isinstance(e, AmountEntity)][:1] == [u.amount]
    if u.date is not None:
        assert u.date in [e.value for e in got.entities if isinstance(e, DateEntity)], got


def _call(name: str = "John Smith") -> DialogueState:
    facts = dataclasses.replace(
        demo_case("en"), verification=VerificationMode.NAME, debtor_name=name
    )
    state, _ = decide(start(facts, load_script("en"), TODAY), CallAnswered(datetime.now(UTC)))
    return state


def _say(state: DialogueState, line: str, asr: float = 1.0) -> tuple[DialogueState, list[str]]:
    parse = parser().parse(line, "en", TODAY).heard_with(asr)
    state, commands = decide(state, UtteranceHeard(line, "en", parse))
    return state, [c.text for c in commands if isinstance(c, Say)]


@pytest.mark.parametrize("u", [u for u in CORPUS.utterances if u.intent != "affirm"], ids=_id)
def test_no_held_out_non_answer_verifies_or_hears_a_debt_word(u: Utterance) -> None:
    """(A plain "yes" clause first, then words about the debt, is a yes: ``yes_then_more``.)"""
    state, said = _say(_call(), u.text)
    parse = parser().parse(u.text, "en", TODAY)
    if yes_then_more(u.text, parse, "en", "John Smith") is not None:
        assert state.verified
        return
    assert not state.verified
    assert not [s for s in said if DEBT_WORDS.search(s)]


# --- amounts said the way people say them --------------------------------------------------


def _amounts(line: str) -> list[Decimal]:
    got = parser().parse(line, "en", TODAY)
    return [e.value for e in got.entities if isinstance(e, AmountEntity)]


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("i can send four hundred, no wait, three fifty on monday", Decimal(350)),
        ("let me do 500, i mean 450", Decimal(450)),
        ("put down eighty, sorry, ninety bucks", Decimal(90)),
        ("600 dollars, actually make it 550", Decimal(550)),
        ("i'll pay 300 no 250 friday", Decimal(250)),
        ("i'll pay 200 no problem on friday", Decimal(200)),  # no correction: "no problem"
        ("i can pay 100, sorry, on friday i mean", Decimal(100)),  # no second amount
        ("maybe a couple hundred next week", Decimal(200)),
        ("couple of grand by the end of the month", Decimal(2000)),
        ("i can give you six to four dollars", Decimal(64)),  # "sixty-four" heard split
        ("i'm good for $351 Thursday", Decimal(350)),  # "three fifty on" heard "351"
        ("i'll send 8 to 5 bucks monday", Decimal(85)),  # "eighty-five" heard in digits
        ("3. 5k by the end of the month", Decimal(3500)),  # "three point five k"
        ("three hundred. no way. make it 280 on friday", Decimal(280)),  # "no wait" heard
    ],
)
def test_amounts_corrected_and_said_loosely(line: str, value: Decimal) -> None:
    assert _amounts(line)[:1] == [value]


@pytest.mark.parametrize("line", ["two to five dollars more", "from three to nine bucks"])
def test_an_upward_range_stays_as_it_was_said(line: str) -> None:
    assert "to" in prepare(line, "en")


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("i paid it on 20th november", date(2026, 11, 20)),
        ("i can pay on 19th december", date(2026, 12, 19)),
        ("already pay last monday by card", date(2026, 11, 30)),
        ("payment is already done on 1st december", date(2026, 12, 1)),
        ("i'll have it for you on the third year", date(2026, 12, 30)),  # "thirtieth" heard
        ("i can do it on january 60", date(2027, 1, 16)),  # "sixteenth" heard -ty
        ("i sent it 28 november", date(2026, 11, 28)),  # the recogniser drops the "th"
    ],
)
def test_dates_said_day_first_or_in_learners_english(line: str, day: date) -> None:
    got = parser().parse(line, "en", TODAY)
    assert day in [e.value for e in got.entities if isinstance(e, DateEntity)], got


def test_the_fifth_may_be_a_verb() -> None:
    got = parser().parse("the 5th may be better for me", "en", TODAY)
    assert [e.value for e in got.entities if isinstance(e, DateEntity)] == [date(2026, 12, 5)]


# --- intents -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "intent"),
    [
        ("how can i tell this ain't a scam", "ask_identity"),
        ("is this one of them fraud calls", "ask_identity"),
        ("you guys a debt collector or what", "ask_identity"),
        ("are you a robot", "ask_identity"),
        ("that's fraud, i never opened that account", "dispute"),
        ("is this a scam? i never borrowed a dime from you", "dispute"),
        ("somebody committed fraud with my info", "dispute"),
        ("you dialled wrong mate", "wrong_number"),
        ("i think you called wrong, pal", "wrong_number"),
        ("you called the wrong day, call me monday", "callback_later"),
    ],
)
def test_suspecting_the_caller_asks_who_calls_and_a_dispute_still_wins(
    line: str, intent: str
) -> None:
    assert parser().parse(line, "en", TODAY).intent == intent


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        ("i'll keep paying fifty till it's paid off", False),
        ("once that's paid i'm done with y'all", False),
        ("i'll do 40 a week until it's all paid", False),
        ("it's paid, i did it monday", True),
    ],
)
def test_a_payment_still_to_come_is_no_paid_claim(line: str, meant: bool) -> None:
    assert is_paid_claim(normalize(line), "en") is meant


@pytest.mark.parametrize(
    ("line", "intent"),
    [
        ("can i send 400 on the 19th", "promise_to_pay"),
        ("i could do thirty every monday", "installment"),
        ("forty five a week sound ok", "installment"),
        ("i'll pay 300 in a week", "promise_to_pay"),  # "in a week" is a day, no rate
        (
            "my car broke down and the kids been sick and work's slow but i can pay 90 on friday",
            "promise_to_pay",
        ),
    ],
)
def test_one_payment_or_a_plan_is_settled_by_the_words(line: str, intent: str) -> None:
    assert parser().parse(line, "en", TODAY).intent == intent


# --- verification ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        ("you're talkin' to her", True),
        ("yeah this keisha", True),
        ("yeah this keisha what y'all want", True),
        ("yeah this her mama", False),
        ("this his stepdad", False),
        ("this phone is mine", False),
        ("yeah, i got it", False),  # espeak's "Negative." as tiny.en heard it
        ("yes i understand", False),
        ("ok i hear you", False),
        ("yeah i don't want it", False),
    ],
)
def test_plain_yes_family(line: str, meant: bool) -> None:
    assert plain_yes(line, "en", "Keisha Ward") is meant


def test_an_acknowledgement_heard_twice_never_verifies_a_stranger() -> None:
    """Negative. → "Yeah, I got it." (0.41) twice was one verified stranger pair on main."""
    state = _call()
    for _ in range(2):
        state, said = _say(state, "Yeah, I got it.", asr=0.41)
        assert not state.verified
        assert not [s for s in said if DEBT_WORDS.search(s)]


def test_a_yes_then_a_promise_at_the_name_question_verifies_and_reads_the_promise_back() -> None:
    state, said = _say(_call(), "yep it's me, listen, i can put 250 on it next friday")
    assert state.verified
    assert (state.promise_amount, state.promise_date) != (None, None)
    assert state.promise_date == date(2026, 12, 11)
    assert "read that back" in said[-1]


@pytest.mark.parametrize(
    ("line", "asr"),
    [
        ("it's me, who is this, i can pay 250 next friday", 1.0),  # asks who calls
        ("yep it's me, i can pay 250 next friday", 0.45),  # heard unclearly
        ("that's his phone, i can pay 250 next friday", 1.0),
    ],
)
def test_no_yes_then_promise_verifies_without_a_clear_self_claim(line: str, asr: float) -> None:
    state, said = _say(_call(), line, asr)
    assert not state.verified
    assert not [s for s in said if DEBT_WORDS.search(s)]


def test_a_third_party_giving_a_time_in_a_weak_sentence_gets_the_callback() -> None:
    state, _ = _say(_call(), "he ain't here, i'm his girl")
    guess = Parse("wrong_number", 0.35, parser().parse("tomorrow", "en", TODAY).entities, 1.0)
    line = "i don't know, try him tomorrow or whatever"
    state, _ = decide(state, UtteranceHeard(line, "en", guess))
    assert state.outcome is Outcome.THIRD_PARTY


def test_a_promise_offered_before_verification_is_read_back_once_verified() -> None:
    """ "Ravi" heard "revenue": the promise came while the bot still asked who speaks."""
    state, _ = _say(_call("Ravi Menon"), "Yes, revenue this side.", asr=0.5)
    state, said = _say(state, "I will pay 300. No, sorry. 200 on 10th.")
    assert not state.verified
    assert not [s for s in said if DEBT_WORDS.search(s) or "200" in s]
    state, said = _say(state, "Yes, correct.")
    assert state.verified
    assert state.promise_date == date(2026, 12, 10)
    assert "read that back: 200 dollars" in said[-1]


def test_a_held_promise_is_never_said_to_someone_who_is_not_verified() -> None:
    state, _ = _say(_call(), "i can do 300 on friday")
    for line in ("who is this", "nah wrong number"):
        state, said = _say(state, line)
        assert not [s for s in said if DEBT_WORDS.search(s) or "300" in s]
    assert state.outcome is Outcome.WRONG_NUMBER
