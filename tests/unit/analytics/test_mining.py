"""Transcript mining on crafted lines in both languages: signals, their words, promises."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from analytics.mining import FEATURES, Utterance, mine
from analytics.mining_benchmark import case_signals
from core.dialogue import Lang
from scoring.synthetic.history import simulate
from scoring.synthetic.portfolio import generate
from scoring.synthetic.talk import debtor_lines

T0 = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def said(lang: Lang, *lines: str) -> list[Utterance]:
    return [Utterance(T0 + timedelta(hours=i), t, lang) for i, t in enumerate(lines)]


@pytest.mark.parametrize(
    ("lang", "lines", "attitude", "reasons"),
    [
        ("en", ["I lost my job, I'm really struggling, please."], "distressed", ("job_loss",)),
        ("en", ["Stop harassing me, this is a scam."], "hostile", ()),
        ("en", ["I'm busy, call me back later."], "evasive", ()),
        ("en", ["Okay, thank you. I forgot about it."], "cooperative", ("forgot",)),
        ("en", ["I never took this loan, I'll call my lawyer."], "hostile", ("dispute",)),
        ("zh", ["我上个月失业了，现在真的很困难。"], "distressed", ("job_loss",)),
        ("zh", ["别骚扰我了，骗子。"], "hostile", ()),
        ("zh", ["我在开车，晚点再打。"], "evasive", ()),
        ("zh", ["我生病住院了。", "好的，谢谢。"], "cooperative", ("illness",)),
    ],
)
def test_attitude_and_reasons(
    lang: Lang, lines: list[str], attitude: str, reasons: tuple[str, ...]
) -> None:
    s = mine("c1", said(lang, *lines))
    assert s.attitude == attitude
    assert s.reasons == reasons
    assert s.lines == len(lines)


def test_willingness_is_ordered_and_explained() -> None:
    firm = mine("c", said("en", "I will pay on Friday, no problem."))
    hedged = mine("c", said("en", "Maybe I can try to pay on Friday."))
    refuse = mine("c", said("en", "I won't pay, leave me alone."))
    assert firm.willingness > hedged.willingness > refuse.willingness
    assert firm.willingness > 0 > refuse.willingness
    assert hedged.hedged_promises == 1
    assert firm.hedged_promises == 0
    assert "Maybe" in hedged.explain()["hedge"]
    assert refuse.explain()["unwilling"] == ["won't pay"]


def test_zh_promise_and_hedge() -> None:
    s = mine("c", said("zh", "周五我一定还，没问题。", "我尽量下周还吧。"))
    assert s.promises_stated == 2
    assert s.hedged_promises == 1
    assert s.willingness > 0


def test_no_words_no_signal() -> None:
    s = mine("c", [])
    assert s.attitude == "unknown"
    assert s.willingness == 0.0
    assert set(s.features()) == set(FEATURES)
    assert all(v == 0.0 for v in s.features().values())


def test_broken_promises_count_only_after_a_stated_one() -> None:
    lines = said("en", "I can pay you on Friday.")
    s = mine("c", lines, broken_promises=[T0.date(), date(2026, 10, 1)])
    assert s.stated_then_broken == 1
    assert mine("c", said("en", "hello"), broken_promises=[T0.date()]).stated_then_broken == 0


def test_the_nlu_intent_adds_what_the_words_miss() -> None:
    lines = said("en", "put it down for the twentieth")
    assert mine("c", lines).promises_stated == 0
    s = mine("c", lines, intent_of=lambda text, lang: "promise_to_pay")
    assert s.promises_stated == 1
    assert s.explain()["promise"] == ["intent:promise_to_pay"]


def test_simulated_talk_follows_the_hidden_profile() -> None:
    cases = [simulate(c, 5) for c in generate(300, 5, as_of=date(2026, 12, 1))]
    by_persona: dict[str, list[float]] = {}
    for case in cases:
        signals = case_signals(case, 5)
        if signals.lines:
            by_persona.setdefault(case.profile.persona, []).append(
                float("job_loss" in signals.reasons or "illness" in signals.reasons)
            )
    share = {p: sum(v) / len(v) for p, v in by_persona.items()}
    assert share["hardship"] > 0.8
    assert share["cooperative"] < 0.2


def test_simulated_talk_is_deterministic() -> None:
    (case,) = list(generate(1, 9, as_of=date(2026, 12, 1)))
    a = debtor_lines(case.profile, "promise", "zh", random.Random(1))
    assert a == debtor_lines(case.profile, "promise", "zh", random.Random(1))
    assert 2 <= len(a) <= 4
