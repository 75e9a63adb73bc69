"""Session 7 (en3): English as said across regions and by learners. The held-out set
(``data/en_unseen_session7.yml``, written before the session's changes, never tuned on) guards
safety and a floor; each family fixed is tested on lines of its own, none of them the set's."""

from __future__ import annotations

import dataclasses
import functools
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from test_nlu_session6_en import CORPUS as SESSION6
from test_nlu_session6_en import _others

from core.dialogue import AmountEntity, CallAnswered, DateEntity, Parse, Say, UtteranceHeard
from nlu.parser import NluParser, default_parser
from nlu.policy import DialogueState, VerificationMode, decide, demo_case, load_script, start
from nlu.policy.disclosure import DEBT_WORDS
from nlu.policy.verification import yes_then_more
from nlu.text import prepare
from simulation.spoken.corpus import Utterance, load_corpus, near_copies

CORPUS = load_corpus(Path(__file__).parent / "data" / "en_unseen_session7.yml")
TODAY = date(2026, 12, 9)  # a Wednesday, as the held-out set's


@functools.cache
def parser() -> NluParser:
    return default_parser()


def _parse(line: str) -> Parse:
    return parser().parse(line, "en", TODAY)


def _amounts(line: str) -> list[Decimal]:
    return [e.value for e in _parse(line).entities if isinstance(e, AmountEntity)]


def _dates(line: str) -> list[date]:
    return [e.value for e in _parse(line).entities if isinstance(e, DateEntity)]


def test_the_held_out_set_is_new_and_covers_every_intent() -> None:
    assert CORPUS.today == TODAY
    assert len(CORPUS.utterances) >= 150
    assert len({u.intent for u in CORPUS.utterances}) == 18
    others = _others() + [u.text for u in SESSION6.utterances]
    assert near_copies(CORPUS, others) == []


def test_the_held_out_set_stays_above_its_floor() -> None:
    """Measured, not tuned on (docs/nlu.md, session 7): main 84.7 %, after 91.8 %."""
    right = sum(_parse(u.text).intent == u.intent for u in CORPUS.utterances)
    assert right / len(CORPUS.utterances) >= 0.9


def _call() -> DialogueState:
    facts = dataclasses.replace(
        demo_case("en"), verification=VerificationMode.NAME, debtor_name="John Smith"
    )
    state, _ = decide(start(facts, load_script("en"), TODAY), CallAnswered(datetime.now(UTC)))
    return state


def _say(state: DialogueState, line: str) -> tuple[DialogueState, list[str]]:
    parse = _parse(line).heard_with(1.0)
    state, commands = decide(state, UtteranceHeard(line, "en", parse))
    return state, [c.text for c in commands if isinstance(c, Say)]


def _id(u: Utterance) -> str:
    return u.text[:40]


@pytest.mark.parametrize("u", [u for u in CORPUS.utterances if u.intent != "affirm"], ids=_id)
def test_no_held_out_non_answer_verifies_or_hears_a_debt_word(u: Utterance) -> None:
    state, said = _say(_call(), u.text)
    if yes_then_more(u.text, _parse(u.text), "en", "John Smith") is not None:
        assert state.verified  # "yes it's me, I sent y'all two hundred": the yes, then the rest
        return
    assert not state.verified
    assert not [s for s in said if DEBT_WORDS.search(s)]


# --- a yes, then a payment made: the payment is the intent, the yes the answer --------------


@pytest.mark.parametrize(
    ("line", "amount", "day"),
    [
        ("yeah you got him. listen i sent you guys three hundred on the fifth", 300, 5),
        ("speaking. look, my wife mailed y'all fifty bucks yesterday", 50, 8),
        ("yes this is him, we sent you about two hundred last monday", 200, 7),
        ("it's me. my son wired ya a hundred on the 1st", 100, 1),
        ("Uh-huh. It's me. I mailed you all $75 on the 4th.", 75, 4),
    ],
)
def test_a_yes_then_money_sent_is_already_paid_with_its_amount_and_past_day(
    line: str, amount: int, day: int
) -> None:
    got = _parse(line)
    assert (got.intent, got.confidence) == ("already_paid", 1.0)
    assert _amounts(line)[:1] == [Decimal(amount)]
    assert date(2026, 12, day) in _dates(line)
    state, said = _say(_call(), line)
    assert state.verified  # the yes clause answered; the payment is held, then asked about
    assert said


@pytest.mark.parametrize(
    "line", ["i'll send y'all two hundred on friday", "can i send you fifty on the 15th"]
)
def test_money_still_to_send_is_no_payment_made(line: str) -> None:
    assert _parse(line).intent != "already_paid"


# --- the debt asked for in writing (validation, FDCPA 809) ------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "could you send me something in writing",
        "just email me a statement",
        "i want a letter that shows what i supposedly owe",
        "i ain't paying until i get some paperwork",
        "can you mail me the bill first",
        "put that in writing and post it to me",
        "validate it, I ain't paying otherwise",
        "I'd like to see a document explaining where this came from",
    ],
)
def test_a_request_for_the_debt_in_writing_is_a_dispute(line: str) -> None:
    assert (_parse(line).intent, _parse(line).confidence) == ("dispute", 1.0)


@pytest.mark.parametrize(
    ("line", "intent"),
    [
        ("i want it in writing only", "stop_calling"),
        ("i got your letters", "acknowledge"),
        ("text me the link", "ask_payment_method"),
    ],
)
def test_other_words_about_letters_stay_what_they_are(line: str, intent: str) -> None:
    assert _parse(line).intent == intent


def test_an_address_to_send_a_check_to_is_no_dispute() -> None:
    assert _parse("mail me the address and i'll send a check").intent != "dispute"


# --- nothing now, only later -----------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "i can't give y'all nothing till next year",
        "can't give you anything until the new year",
        "won't be able to pay nothing until spring",
        "I cannot pay anything at all until my husband gets work",
    ],
)
def test_nothing_now_only_later_is_hardship(line: str) -> None:
    got = _parse(line)
    assert got.intent == "hardship"
    assert got.confidence >= 0.5  # enough for the words to be held before verification


def test_a_later_day_with_an_amount_stays_a_promise() -> None:
    got = _parse("i can't pay till friday but then i'll send two hundred")
    assert got.intent == "promise_to_pay"


# --- idioms of the yes, of listening, of asking what the call is about -----------------------


@pytest.mark.parametrize(
    "line",
    [
        "the one and only, pal",
        "yep, that'd be me",
        "guilty as charged",
        "yours truly",
        "aye, in the flesh",
    ],
)
def test_an_idiomatic_yes_is_affirm_and_verifies(line: str) -> None:
    assert (_parse(line).intent, _parse(line).confidence) == ("affirm", 1.0)
    state, _ = _say(_call(), line)
    assert state.verified


@pytest.mark.parametrize(
    "line",
    [
        "that's not me, the one and only john is my dad",
        "the one and only? no",
        "in the flesh, who's asking?",
        "that'd be my brother",
    ],
)
def test_an_idiom_with_another_person_or_a_question_never_verifies(line: str) -> None:
    state, said = _say(_call(), line)
    assert not state.verified
    assert not [s for s in said if DEBT_WORDS.search(s)]


@pytest.mark.parametrize(
    "line", ["okay right", "alright, i see", "right right", "okay, carry on", "i'm all ears"]
)
def test_listening_is_an_acknowledgement_never_a_yes(line: str) -> None:
    assert _parse(line).intent == "acknowledge"
    state, _ = _say(_call(), line)
    assert not state.verified


@pytest.mark.parametrize("line", ["okay", "right", "okay okay, that works"])
def test_agreeing_stays_with_the_classifier(line: str) -> None:
    assert _parse(line).intent == "affirm"


@pytest.mark.parametrize(
    "line",
    ["is this about my car warranty", "is this regarding a bill?", "wait, is this about my taxes"],
)
def test_asking_what_the_call_is_about_asks_who_calls(line: str) -> None:
    assert _parse(line).intent == "ask_identity"


def test_asking_what_it_is_about_then_saying_it_is_paid_is_already_paid() -> None:
    assert _parse("is this about the loan? i paid that already").intent == "already_paid"


# --- the recogniser's "know" for "no", and dialect forms -------------------------------------


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("Know that ain't me.", "no that ain't me."),
        ("know, it's not him", "no, it's not him"),
        ("know thank you", "no thank you"),
        ("Know what, I'll pay Friday", "know what, i'll pay friday"),
        ("you know that's not right", "you know that's not right"),
    ],
)
def test_know_opening_a_denial_is_no(heard: str, meant: str) -> None:
    assert prepare(heard, "en") == meant


def test_know_that_aint_me_is_a_denial_that_never_verifies() -> None:
    assert _parse("know this ain't john").intent in ("deny", "wrong_number")
    state, _ = _say(_call(), "Know, that's not me.")
    assert not state.verified


@pytest.mark.parametrize(
    ("line", "amount"),
    [
        ("a buck fifty friday", 150),
        ("I can do a buck and a half", 150),
        ("one buck twenty five on monday", 125),
        ("I can do two-fifty", 250),
        ("put me down for a grand", 1000),
        ("I'll chip in forty", 40),
    ],
)
def test_amounts_said_as_slang(line: str, amount: int) -> None:
    assert _amounts(line)[:1] == [Decimal(amount)]


@pytest.mark.parametrize(
    "line",
    ["my card number is five five one two", "account ends in two nine nine one", "I'll pay in 3"],
)
def test_digits_read_one_by_one_or_a_count_are_no_amount(line: str) -> None:
    assert _amounts(line) == []


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("I'll have it for you the morrow", date(2026, 12, 10)),
        ("wednesday week I can pay", date(2026, 12, 23)),
        ("I'll pay by christmas", date(2026, 12, 25)),
        ("christmas eve I get paid, I'll send it", date(2026, 12, 24)),
        ("after new year's day I'll send two hundred", date(2027, 1, 1)),
        ("I will pay by 20th", date(2026, 12, 20)),
        ("on sixteen december I send money", date(2026, 12, 16)),
        ("before twenty-two of december", date(2026, 12, 22)),
        ("the fifteenth of next month", date(2027, 1, 15)),
        ("end of the month", date(2026, 12, 31)),
    ],
)
def test_days_said_regionally_and_by_learners(line: str, day: date) -> None:
    assert day in _dates(line)


def test_a_weekday_and_week_apart_are_the_weekday_and_the_morning_no_day() -> None:
    assert _dates("friday, week after that I'll pay more") == [date(2026, 12, 11)]
    assert _dates("I'll pay in the morning") == []


def test_payday_names_no_day() -> None:
    got = _parse("I'll pay y'all on payday")
    assert got.intent == "promise_to_pay"
    assert _dates("I'll pay y'all on payday") == []


# --- the recogniser's slips on these amounts and days ----------------------------------------


@pytest.mark.parametrize(
    ("heard", "amount", "day"),
    [
        ("I'll send a grant on the 15th", 1000, date(2026, 12, 15)),
        ("I can give you free hundred tomorrow", 300, date(2026, 12, 10)),
        ("I'll do sixty one Thursday", 60, date(2026, 12, 10)),
        ("I'll pay 41 Tuesday", 40, date(2026, 12, 15)),
    ],
)
def test_slips_on_amounts_said_with_a_day(heard: str, amount: int, day: date) -> None:
    assert _amounts(heard)[:1] == [Decimal(amount)]
    assert day in _dates(heard)


@pytest.mark.parametrize(
    ("heard", "amounts"),
    [
        ("I'm waiting on a grant from the college", []),
        ("I got a free fifty dollar gift card", [Decimal(50)]),
    ],
)
def test_a_grant_or_a_free_thing_is_no_slip(heard: str, amounts: list[Decimal]) -> None:
    assert _amounts(heard) == amounts


def test_a_day_past_the_thirties_is_the_teen_heard_as_ty() -> None:
    assert _dates("I will pay by 70th") == [date(2026, 12, 17)]


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("I made payment yesterday by UPI", date(2026, 12, 8)),
        ("we did payment on 5th through the app", date(2026, 12, 5)),
        ("I already make the payment on Monday", date(2026, 12, 7)),
    ],
)
def test_a_learners_payment_made_keeps_its_past_day(line: str, day: date) -> None:
    assert _parse(line).intent == "already_paid"
    assert _dates(line) == [day]


def test_the_recogniser_s_its_this_about_asks_who_calls() -> None:
    assert _parse("it's this about my phone bill").intent == "ask_identity"
