"""Mandarin transcripts in simplified script, whatever script Whisper wrote."""

from __future__ import annotations

import pytest

from nlu.simplified import to_simplified
from nlu.text import prepare


@pytest.mark.parametrize(
    ("heard", "simplified"),
    [
        ("我下週一還一千五。", "我下周一还一千五。"),
        ("這個號碼打錯了", "这个号码打错了"),
        ("我現在結束通話", "我现在结束通话"),
        ("我已经还了。", "我已经还了。"),  # already simplified: unchanged
        ("我现在结束通话", "我现在结束通话"),  # OpenCC's phrase table alone makes it 結束
        ("處理結果", "处理结果"),
        ("OK, 3500元", "OK, 3500元"),
        ("", ""),
    ],
)
def test_traditional_becomes_simplified(heard: str, simplified: str) -> None:
    assert to_simplified(heard) == simplified


def test_conversion_is_idempotent() -> None:
    once = to_simplified("還款後會發簡訊給您")
    assert to_simplified(once) == once
    assert "還" not in once
    assert "後" not in once


def test_whisper_returns_mandarin_in_simplified_script(monkeypatch: pytest.MonkeyPatch) -> None:
    """The recogniser's own output, not only the helper: a traditional decode comes back
    simplified for zh and untouched for en."""
    from asr.base import RecognitionOptions, RecognitionSignals
    from asr.settings import AsrSettings
    from asr.whisper import WhisperRecognizer

    recognizer = WhisperRecognizer(AsrSettings(whisper_min_speech_ms=0))
    monkeypatch.setattr(recognizer, "_languages", frozenset({"en", "zh"}))
    monkeypatch.setattr(recognizer, "_model_for", lambda language: object())
    monkeypatch.setattr(recognizer, "_prompt_tokens", lambda loaded, options: [])
    signals = RecognitionSignals(avg_logprob=-0.2, no_speech_prob=0.01, compression_ratio=1.0)
    monkeypatch.setattr(
        recognizer, "_decode_piece", lambda *args: ("這個號碼打錯了，還款後再說", signals)
    )
    pcm = bytes(8000 * 2)
    zh = recognizer.transcribe_sync(pcm, 8000, RecognitionOptions.of("zh"))
    assert zh.text == "这个号码打错了，还款后再说"
    en = recognizer.transcribe_sync(pcm, 8000, RecognitionOptions.of("en"))
    assert en.text == "這個號碼打錯了，還款後再說"


def test_the_nlu_reads_simplified_text_as_it_is() -> None:
    assert "结束" in prepare("通话结束", "zh")
    assert "还款" in prepare("還款", "zh")
