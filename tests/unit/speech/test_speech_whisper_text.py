"""Whisper post-processing: a sentence said twice in a row is kept once."""

from __future__ import annotations

import pytest

from asr.whisper import drop_repeats


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Can I pay 350 next Tuesday? Can I pay $350 next Tuesday?", "Can I pay 350 next Tuesday?"),
        ("I will pay. I will pay on Friday.", "I will pay. I will pay on Friday."),
        ("Yes. No. Yes.", "Yes. No. Yes."),
        ("我已经还了。我已经还了。", "我已经还了。"),
        ("no punctuation at all", "no punctuation at all"),
        ("", ""),
    ],
)
def test_drop_repeats(text: str, kept: str) -> None:
    assert drop_repeats(text) == kept


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "You have the wrong number. You have the wrong number. You have the wrong number",
            "You have the wrong number.",
        ),
        ("You have the wrong number. You have the", "You have the wrong number."),
        ("I can pay. I can pay on Friday", "I can pay. I can pay on Friday"),
    ],
)
def test_drop_repeats_loops_and_truncated_tails(text: str, kept: str) -> None:
    assert drop_repeats(text) == kept
