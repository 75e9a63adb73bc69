"""Mandarin debtor lines, session 9 (``data/zh_unseen_session9.yml``, held out: never training
data, written and measured on main before this session's rules): self-corrections of an amount
or a day, colloquial and dialect yeses beside the strangers who sound alike, loose amounts and
days. Every line through the real parser (intent, amount, day; none where none is said), the
yeses through the policy, no non-answer verifying or hearing a debt word in any verification
mode, and the file copies no line of the project's other Mandarin text."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_nlu_unseen_zh import call  # a call heard exactly, on Wednesday 2 Dec 2026
from test_nlu_unseen_zh_round2 import (
    NON_ANSWERS,
    assert_copies_nothing,
    assert_reads_as_meant,
    lines,
)

from core.dialogue import Say
from nlu.policy import VerificationMode
from nlu.policy.disclosure import DEBT_WORDS
from simulation.spoken.corpus import Utterance, load_corpus

_FILE = Path(__file__).parent / "data" / "zh_unseen_session9.yml"
CORPUS = load_corpus(_FILE)
# read otherwise, and known (docs/nlu.md, "Session 9, zh5"): 我本人 then a question of its own
# (the classifier says ask_identity; the policy still verifies it), a bare 嗯？ (affirm for the
# classifier; never verified). Read since zh6: "half now, by month end", 年前 ... 还清 (年前 the
# Spring Festival's eve), Cantonese 冇钱
KNOWN_MISSES: frozenset[str] = frozenset({"我本人 你有什么事", "是我啊 你是哪里", "嗯？喂？"})
# a bare 是我 before "who's calling?" needs the second factor: 是谁 is heard 是我 (safe)
SLOW_YES: frozenset[str] = frozenset({"是我啊 你是哪里"})


def test_the_file_is_large_and_copies_nothing() -> None:
    assert len(CORPUS.utterances) >= 120
    assert_copies_nothing(CORPUS, _FILE, Path(__file__))


@pytest.mark.parametrize("u", lines(CORPUS, KNOWN_MISSES), ids=lambda u: f"{u.intent}:{u.text}")
def test_every_line_reads_as_meant_and_invents_nothing(u: Utterance) -> None:
    assert_reads_as_meant(u, CORPUS.today, paid_day=True)


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(u.text, marks=pytest.mark.xfail(strict=True)) if u.text in SLOW_YES else u.text
        for u in CORPUS.utterances
        if u.intent == "affirm"
    ],
)
def test_the_debtor_saying_yes_in_their_own_words_verifies_at_once(line: str) -> None:
    state, _ = call(line)
    assert state.verified


@pytest.mark.parametrize("mode", [m for m in VerificationMode if m is not VerificationMode.NONE])
@pytest.mark.parametrize("line", [u.text for u in CORPUS.utterances if u.intent in NON_ANSWERS])
def test_no_non_answer_verifies_or_hears_a_debt_word(line: str, mode: VerificationMode) -> None:
    state, said = call(line, line, mode=mode)
    assert not state.verified
    assert not [c.text for c in said if isinstance(c, Say) and DEBT_WORDS.search(c.text)]
