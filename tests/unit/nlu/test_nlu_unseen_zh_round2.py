"""Mandarin debtor lines, round 2 (``data/zh_unseen_round2.yml``, held out: never training data,
measured on main before this round's rules): every line through the real parser (intent, the
amount and the date said, and no amount or date where none is said), the verification answers
through the policy; and the file is checked to copy no line of the project's other Mandarin
text (NLU data, the spoken benchmark, the other tests, the shipped scenarios)."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml

from core.dialogue import AmountEntity, CallAnswered, DateEntity, Say, UtteranceHeard
from nlu.parser import NluParser, default_parser
from nlu.policy import DialogueState, VerificationMode, decide, demo_case, load_script, start
from nlu.policy.disclosure import DEBT_WORDS
from simulation.spoken.corpus import Corpus, Utterance, load_corpus, near_copies

_HERE = Path(__file__).parent
_ROOT = _HERE.parents[2]
_FILE = _HERE / "data" / "zh_unseen_round2.yml"
CORPUS = load_corpus(_FILE)
TODAY = CORPUS.today
NON_ANSWERS = ("deny", "ask_identity", "wrong_number", "third_party", "out_of_scope")
# read otherwise by the classifier, and known (docs/nlu.md, "Mandarin round 2"): a plan said as
# "half now, the rest later" read as a promise (the policy asks for the rest), the minimum
# payment and 停息挂账 asked for (read as a payment-method question / a dispute), a yes-no
# question on WeChat without 吗, chat that names a day
KNOWN_MISSES: frozenset[str] = frozenset({
    "可不可以只还最低还款", "我后天还一半 剩下的月底还", "先还个几百块 剩下的慢慢还",
    "你们有没有那种停息挂账的", "能用微信还不", "你们那边今天下雪没", "我们明天去爬山吧",
})  # fmt: skip


@functools.cache
def parser() -> NluParser:
    return default_parser()


def _id(u: Utterance) -> str:
    return f"{u.intent}:{u.text}"


_CJK = re.compile(r"[\u4e00-\u9fff]")
_PY_STRING = re.compile(r"\"([^\"\n]*)\"|'([^'\n]*)'")


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        for line in node.splitlines():
            yield line.strip().removeprefix("- ").strip()
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def project_mandarin(*skip: Path) -> list[str]:
    """Every Mandarin line the project already holds: the NLU's data, the benchmark's corpus,
    the other tests (their data files and their string literals), the shipped scenarios; not
    the files in ``skip`` (a held-out file and the test that names its known misses)."""
    found: list[str] = []
    for folder in ("nlu/data", "bench/data", "tests", "simulation/scenarios"):
        for path in sorted((_ROOT / folder).rglob("*")):
            if path in skip or path.suffix not in (".yml", ".yaml", ".py"):
                continue
            text = path.read_text(encoding="utf-8")
            if not _CJK.search(text):
                continue
            if path.suffix == ".py":
                found += [a or b for a, b in _PY_STRING.findall(text)]
            else:
                found += list(_strings(yaml.safe_load(text)))
    return [t for t in found if _CJK.search(t)]


def test_the_file_is_large_covers_every_intent_and_copies_nothing() -> None:
    assert len(CORPUS.utterances) >= 150
    assert {u.intent for u in CORPUS.utterances} >= {
        "affirm", "deny", "ask_identity", "wrong_number", "third_party", "promise_to_pay",
        "already_paid", "hardship", "installment", "dispute", "request_agent",
        "callback_later", "refuse", "ask_amount", "ask_payment_method", "stop_calling",
        "acknowledge", "out_of_scope",
    }  # fmt: skip
    assert_copies_nothing(CORPUS, _FILE, Path(__file__))


def assert_copies_nothing(corpus: Corpus, *skip: Path) -> None:
    others = project_mandarin(*skip)
    assert len(others) > 2000  # the sources were read
    assert near_copies(corpus, others) == []


def lines(corpus: Corpus, known_misses: frozenset[str]) -> list[object]:
    """The corpus's utterances as test parameters, the known misses expected to fail."""
    return [
        pytest.param(u, marks=pytest.mark.xfail(strict=True)) if u.text in known_misses else u
        for u in corpus.utterances
    ]


def assert_reads_as_meant(u: Utterance, today: date, paid_day: bool = False) -> None:
    """The line's intent, its amount and its date (none where none is said); a paid line's day
    only when ``paid_day`` and one is said (the paid step reads its past day itself)."""
    got = parser().parse(u.text, "zh", today)
    amounts = [e.value for e in got.entities if isinstance(e, AmountEntity)]
    days = [e.value for e in got.entities if isinstance(e, DateEntity)]
    assert got.intent == u.intent, (got.intent, got.confidence)
    assert amounts[:1] == ([] if u.amount is None else [u.amount])
    if u.intent != "already_paid" or (paid_day and u.date is not None):
        assert days[:1] == ([] if u.date is None else [u.date])


@pytest.mark.parametrize("u", lines(CORPUS, KNOWN_MISSES), ids=_id)
def test_every_line_reads_as_meant_and_invents_nothing(u: Utterance) -> None:
    assert_reads_as_meant(u, TODAY)


def _answers(*lines: str, mode: VerificationMode) -> tuple[DialogueState, list[Say]]:
    facts = dataclasses.replace(demo_case("zh"), verification=mode)
    state = start(facts, load_script("zh"), TODAY)
    state, out = decide(state, CallAnswered(datetime(2026, 12, 2, 4, tzinfo=UTC)))
    said = [c for c in out if isinstance(c, Say)]
    for line in lines:
        parse = parser().parse(line, "zh", TODAY).heard_with(1.0)
        state, out = decide(state, UtteranceHeard(line, "zh", parse))
        said += [c for c in out if isinstance(c, Say)]
        if state.ended:
            break
    return state, said


@pytest.mark.parametrize("line", [u.text for u in CORPUS.utterances if u.intent == "affirm"])
def test_the_debtor_saying_yes_in_their_own_words_verifies_at_once(line: str) -> None:
    state, _ = _answers(line, mode=VerificationMode.NAME)
    assert state.verified


@pytest.mark.parametrize("mode", [m for m in VerificationMode if m is not VerificationMode.NONE])
@pytest.mark.parametrize("line", [u.text for u in CORPUS.utterances if u.intent in NON_ANSWERS])
def test_no_non_answer_verifies_or_hears_a_debt_word(line: str, mode: VerificationMode) -> None:
    state, said = _answers(line, line, mode=mode)
    assert not state.verified
    assert not [s.text for s in said if DEBT_WORDS.search(s.text)]
