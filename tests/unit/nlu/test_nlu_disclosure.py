"""The disclosure invariant: nothing that reveals a debt is said before right-party verification.

Property tests drive the policy with generated recogniser output (noise, hallucinations, random
text in both languages, every intent at every confidence, unknown/low/high recogniser
confidence, keypad digits, silences, barge-ins) for every script, language and verification
setting. A "stranger" never gives confident right-party evidence; the policy must never verify
them and never say a debt word, with the guard (``nlu.policy.decide``) and without it (the
dialogue's own flow, ``nlu.policy.decide.decide``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from safety_cases import MODES, NOON, TODAY

from core.dialogue import (
    INTENTS,
    BargedIn,
    CallAnswered,
    DialogueCommand,
    DialogueEvent,
    DtmfReceived,
    Lang,
    Outcome,
    Parse,
    PlaybackFinished,
    Say,
    SilenceTimedOut,
    UtteranceHeard,
)
from core.money import Money
from nlu.affirmation import plain_yes
from nlu.policy import CaseFacts, NegotiationLimits, VerificationMode, decide, load_script, start
from nlu.policy.answers import claimed_then_asked_who
from nlu.policy.common import Result
from nlu.policy.decide import decide as unguarded
from nlu.policy.disclosure import DEBT_WORDS, base_key, debt_revealing_keys, guard
from nlu.policy.script import parse_script
from nlu.policy.state import DialogueState, Stage
from nlu.policy.verification import (
    AFFIRM_MIN_CONFIDENCE,
    ASR_MIN_CONFIDENCE,
    PLAIN_YES_MIN_CONFIDENCE,
    SECOND_YES_ASR_MIN,
    answered_then_asked,
    confident_yes,
    name_answer,
    plausible_yes,
    yes_then_aside,
    yes_then_more,
)

HALLUCINATED = {
    "en": ["Thank you.", "you", "Thanks for watching!", "...", "", "Bye.", "the the the the"],
    "zh": ["字幕由Amara.org社区提供", "请不吝点赞 订阅 转发 打赏支持明镜与点点栏目",
           "明镜与点点栏目", "轻轻轻的", "谢谢观看", "。", "嗯", "Thank you."],
}  # fmt: skip
SAID = {
    "en": ["who?", "Who is this?", "Sorry, yes.", "Yes?", "yes", "Yes, speaking.", "Okay.",
           "what is this about", "no", "wrong number", "I don't owe anything", "stop calling",
           "1985", "nineteen ninety", "he's at work", "call me tomorrow", "hello?", "Two.",
           "Yes, what is this about?", "yeah it's me what's this regarding",
           "he passed away last year", "correct, who's this please",
           "yeah it's me go ahead i'm driving"],
    "zh": ["你找谁", "是我", "对", "是的？", "你是谁啊", "什么事", "不是", "打错了", "一九八八",
           "一九九零", "他不在", "明天再打", "喂？", "比我。", "等一会。", "别再打了",
           "他去年去世了", "人已经走了"],
}  # fmt: skip


NAME: dict[Lang, str] = {"en": "Maria Gomez", "zh": "王芳"}


def facts(lang: Lang, mode: VerificationMode, jurisdiction: str) -> CaseFacts:
    currency = "CNY" if lang == "zh" else "USD"
    return CaseFacts(
        debtor_name=NAME[lang],
        balance=Money.of(Decimal("4321"), currency),
        days_past_due=61,
        product="信用贷" if lang == "zh" else "auto loan",
        company="诚信服务" if lang == "zh" else "Northwind Services",
        jurisdiction="CN" if jurisdiction == "CN" else "US",
        lang=lang,
        limits=NegotiationLimits(min_promise=Money.of(Decimal("100"), currency)),
        verification=mode,
        birth_year=1977,
        id_last4="4821",
        timezone="Asia/Shanghai" if lang == "zh" else "America/Chicago",
        payment_methods="网银" if lang == "zh" else "the portal",
    )


def _utterance(
    lang: Lang, stranger: bool, *, may_mishear: bool = True
) -> st.SearchStrategy[UtteranceHeard]:
    """One heard utterance. A stranger's "yes" is never clear and confident; it is noise (the
    intent weak for its words, the recogniser's confidence unknown or below any bar, or a
    recogniser invention) or, when ``may_mishear``, one plausible mis-hearing (a plain "yes"
    heard with a recogniser confidence between the second-yes bar and the first-answer bar)."""
    letters = (
        "你好我是他不在谁找什么轻的对嗯啊" if lang == "zh" else "abcdefghijklmnopqrstuvwxyz ?.,"
    )
    text = st.one_of(
        st.sampled_from(HALLUCINATED[lang]),
        st.sampled_from(SAID[lang]),
        st.text(st.sampled_from(letters), max_size=12),
        st.text(max_size=8),
    )
    asr = st.one_of(st.none(), st.floats(0, 1))
    floor, bar = SECOND_YES_ASR_MIN[lang], ASR_MIN_CONFIDENCE[lang]

    @st.composite
    def heard(draw: st.DrawFn) -> UtteranceHeard:
        said = draw(text)
        intent = draw(st.sampled_from(INTENTS))
        confidence, heard_conf = draw(st.floats(0, 1)), draw(asr)
        if stranger and intent == "affirm":
            kinds = ["intent", "asr", "text", *(["mishearing"] if may_mishear else [])]
            weak = draw(st.sampled_from(kinds))
            if weak == "intent":  # below the bar its words need (a plain "yes" needs less)
                plain = plain_yes(said, lang, NAME[lang])
                cap = PLAIN_YES_MIN_CONFIDENCE if plain else AFFIRM_MIN_CONFIDENCE
                confidence = min(confidence, cap - 0.01)
            if weak == "asr":  # unknown, or known and below every bar
                heard_conf = None if draw(st.booleans()) else min(heard_conf or 0.0, floor - 0.01)
            if weak == "text":
                said = draw(st.sampled_from(HALLUCINATED[lang]))
            if weak == "mishearing":
                heard_conf = draw(st.floats(floor, bar - 0.001))
        if stranger and answered_then_asked(said, lang, NAME[lang]):  # "yes, what's it about?"
            heard_conf = None if draw(st.booleans()) else min(heard_conf or 0.0, floor - 0.01)
        if stranger and intent != "affirm":
            # words the policy reads as a yes whatever the classifier says (是我, "this is
            # keisha", "yes it's me, I can pay 200 friday"): a stranger's are mis-heard, below
            # every bar (drawn from random characters, 是我 at confidence 1.0 verified)
            parse = Parse(intent, confidence, (), heard_conf)
            if (
                yes_then_more(said, parse, lang, NAME[lang]) is not None
                or name_answer(said, parse, lang, NAME[lang]).intent == "affirm"
            ):
                heard_conf = None if draw(st.booleans()) else min(heard_conf or 0.0, floor - 0.01)
        if stranger and (
            yes_then_aside(said, lang, NAME[lang]) is not None
            or claimed_then_asked_who(said, lang, NAME[lang]) is not None
        ):
            # "yes it's me, i'm driving", "correct, who's this?" read as a yes whatever the
            # intent: a stranger's is mis-heard, below every bar
            heard_conf = None if draw(st.booleans()) else min(heard_conf or 0.0, floor - 0.01)
        if stranger and ("1977" in said or "4821" in said or "一九七七" in said):
            said = "no"
        return UtteranceHeard(said, lang, Parse(intent, confidence, (), heard_conf))

    return heard()


def events(lang: Lang, *, stranger: bool) -> st.SearchStrategy[list[DialogueEvent]]:
    """Up to 12 events. A stranger never mis-hears "yes" twice in a row: the answer after a
    mis-heard one (the next utterance, key or silence; a barge-in or the end of a prompt is no
    answer) is noise or something else."""
    keys = st.text(st.sampled_from("0234567890#*" if stranger else "0123456789#*"), max_size=5)
    if stranger:
        keys = keys.filter(lambda d: "1977" not in d and "4821" not in d and d[-2:] != "77")
    others: st.SearchStrategy[DialogueEvent] = st.one_of(
        keys.filter(bool).map(DtmfReceived),
        st.just(SilenceTimedOut(5.0)),
        st.just(BargedIn("greeting#0")),
        st.just(PlaybackFinished("ask_name#0")),
    )

    @st.composite
    def sequence(draw: st.DrawFn) -> list[DialogueEvent]:
        drawn: list[DialogueEvent] = []
        misheard = False
        for _ in range(draw(st.integers(0, 12))):
            if draw(st.booleans()):
                event: DialogueEvent = draw(_utterance(lang, stranger, may_mishear=not misheard))
            else:
                event = draw(others)
            if isinstance(event, UtteranceHeard):
                misheard = stranger and _plausible(event)
            elif not isinstance(event, (BargedIn, PlaybackFinished)):
                misheard = False
            drawn.append(event)
        return drawn

    return sequence()


def _plausible(event: UtteranceHeard) -> bool:
    lang, name = event.lang, NAME[event.lang]
    return plausible_yes(event.text, name_answer(event.text, event.parse, lang, name), lang, name)


def says(commands: list[DialogueCommand]) -> list[Say]:
    return [c for c in commands if isinstance(c, Say)]


def call(
    lang: Lang,
    mode: VerificationMode,
    jurisdiction: str,
    script_events: list[DialogueEvent],
    step: Callable[[DialogueState, DialogueEvent], Result] = decide,
) -> list[tuple[DialogueState, DialogueState, list[DialogueCommand]]]:
    state = start(facts(lang, mode, jurisdiction), load_script(lang), TODAY)
    steps = []
    for event in (CallAnswered(NOON), *script_events):
        before = state
        state, commands = step(state, event)
        steps.append((before, state, commands))
    return steps


def assert_nothing_disclosed(
    lang: Lang, steps: list[tuple[DialogueState, DialogueState, list[DialogueCommand]]]
) -> None:
    debt_keys = debt_revealing_keys(load_script(lang))
    for _, after, commands in steps:
        assert not after.verified
        for said in says(commands):
            assert base_key(said.prompt_key) not in debt_keys, said.prompt_key
            assert not DEBT_WORDS.search(said.text), said.text
            assert "4,321" not in said.text
            assert "四千三百二十一" not in said.text


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("jurisdiction", ["US", "CN"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", ["en", "zh"])
@SETTINGS
@given(data=st.data())
def test_a_stranger_is_never_verified_and_hears_no_debt(
    lang: Lang, mode: VerificationMode, jurisdiction: str, data: st.DataObject
) -> None:
    script_events = data.draw(events(lang, stranger=True))
    assert_nothing_disclosed(lang, call(lang, mode, jurisdiction, script_events))
    # the dialogue's own flow holds it too, without the guard at the exit
    assert_nothing_disclosed(lang, call(lang, mode, jurisdiction, script_events, unguarded))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", ["en", "zh"])
@SETTINGS
@given(data=st.data())
def test_debt_prompts_come_only_with_or_after_verification(
    lang: Lang, mode: VerificationMode, data: st.DataObject
) -> None:
    """Any sequence at all (the right answers included): a debt prompt never precedes
    ``verified``, and only confident evidence or the keypad ever verifies."""
    debt_keys = debt_revealing_keys(load_script(lang))
    drawn = data.draw(events(lang, stranger=False))
    steps = call(lang, mode, "US", drawn)
    previous: list[DialogueEvent | None] = [None]  # the answer before each event
    for one in drawn[:-1]:
        answer = not isinstance(one, (BargedIn, PlaybackFinished))
        previous.append(one if answer else previous[-1])
    heard: list[DialogueEvent | None] = [None, *drawn]
    for at, (event, (before, after, commands)) in enumerate(zip(heard, steps, strict=True)):
        revealing = [s for s in says(commands) if base_key(s.prompt_key) in debt_keys]
        if revealing:
            assert after.verified
        if after.verified and not before.verified:
            assert before.stage in (Stage.VERIFY_NAME, Stage.VERIFY_SECOND)
            assert base_key(says(commands)[0].prompt_key).startswith("disclosure.")
        named = after.verified or after.stage is Stage.VERIFY_SECOND
        if not isinstance(event, UtteranceHeard) or before.stage is not Stage.VERIFY_NAME:
            continue
        # a "yes" passed the name: confident alone, or the second plausible one in a row; "yes,
        # speaking, <about the debt>", "yes it's me, i'm driving" and "correct, who's this?" are
        # read as their yes clause (decide._heard: yes_then_more, yes_then_aside; verification.
        # claimed_asked_who)
        text, parse = event.text, event.parse
        clause = (
            yes_then_more(text, parse, lang, NAME[lang])
            or yes_then_aside(text, lang, NAME[lang])
            or claimed_then_asked_who(text, lang, NAME[lang])
        )
        if clause is not None:
            text, parse = (
                clause,
                Parse("affirm", PLAIN_YES_MIN_CONFIDENCE, (), parse.asr_confidence),
            )
        reading = name_answer(text, parse, lang, NAME[lang])
        if named and not confident_yes(text, reading, lang, NAME[lang]):
            before_it = previous[at - 1]
            assert isinstance(before_it, UtteranceHeard)
            assert _plausible(before_it)
            assert _plausible(event)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_verification_none_discloses_at_once_by_design(lang: Lang) -> None:
    ((_, after, commands),) = call(lang, VerificationMode.NONE, "US", [])
    assert after.verified
    assert base_key(says(commands)[0].prompt_key).startswith("disclosure.")


# --- the debt-revealing prompts are found in the scripts, not listed by hand --------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_debt_prompt_of_the_scripts_is_flagged(lang: Lang) -> None:
    script = load_script(lang)
    flagged = debt_revealing_keys(script)
    for key in ("state_debt", "disclosure.US", "disclosure.CN", "ask_full", "offer_plan",
                "cease_ack", "dispute_ack.US", "identity_verified", "payment_methods"):  # fmt: skip
        assert key in flagged
    opening = {"greeting", "ask_name", "reprompt.ask_name", "identity_neutral", "identity_brief",
               "name_in_full",
               "verify_first",
               "ask_birth_year", "ask_id_last4", "keypad_identity", "unverified_close",
               "wrong_number", "third_party_close", "cease_ack_unverified",
               "verify_failed_end"}  # fmt: skip
    assert not opening & flagged
    for key in set(script.prompts) - flagged:  # the rest really says nothing of a debt
        assert not any(DEBT_WORDS.search(v) for v in script.prompts[key]), key


@pytest.mark.parametrize(
    ("template", "lang"),
    [
        ("Just a reminder about the {amount}.", "en"),
        ("We are calling about your overdue account.", "en"),
        ("Regarding what you owe us.", "en"),
        ("关于您的欠款。", "zh"),
        ("您已经逾期了。", "zh"),
        ("这是催收电话。", "zh"),
        ("您的{product}。", "zh"),
        ("A word about your loan.", "zh"),  # English words in a Mandarin script count too
    ],
)
def test_a_new_prompt_cannot_slip_through(template: str, lang: str) -> None:
    script = parse_script(f'lang: {lang}\nprompts:\n  fresh_prompt: "{template}"\n')
    assert "fresh_prompt" in debt_revealing_keys(script)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_guard_refuses_a_debt_prompt_before_verification(lang: Lang) -> None:
    state = start(facts(lang, VerificationMode.NAME, "US"), load_script(lang), TODAY)
    state = state.to(Stage.VERIFY_NAME)
    leaked = load_script(lang).say("state_debt", amount="X", product="P", days_overdue="9")
    new, commands = guard(state, [leaked])
    assert [base_key(s.prompt_key) for s in says(commands)] == ["unverified_close"]
    assert new.outcome is Outcome.UNVERIFIED
    assert "disclosure_blocked" in new.notes
    verified: Result = guard(replace(state, verified=True), [leaked])
    assert verified[1] == [leaked]
