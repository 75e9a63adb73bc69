"""Mandarin pronunciation front end: 还 as huán where it means "repay", phonemes of the voice."""

from __future__ import annotations

import pytest
from pypinyin import Style, lazy_pinyin

from tts import zh_pron
from tts.zh_pron import mark_repay, phonemes, spell_latin, syllables, third_tone_runs

TABLE = {
    "wo": ("^", "uo"),
    "huan": ("h", "uan"),
    "hai": ("h", "ai"),
    "san": ("s", "an"),
    "qian": ("q", "ian"),
    "nin": ("^", "in"),
    "hao": ("h", "ao"),
    "na": ("n", "a"),
    "en": ("^", "en"),
    "ling": ("l", "ing"),
}


@pytest.mark.parametrize(
    "text",
    [
        "请尽快还款",
        "我周五还三千",
        "月底前还清",
        "我已经还了",
        "什么时候还？",
        "我实在还不上",
        "钱我会还给你",
        "下周还两千块",
        "还钱",
        "分期还，行吗",
        "您是哪天还的？",
        "我是用微信还的款",
    ],
)
def test_repay_is_read_huan(text: str) -> None:
    assert "huan2" in syllables(text)
    assert "hai2" not in syllables(text)


@pytest.mark.parametrize(
    "text",
    [
        "还是我",
        "我还有事",
        "还没发工资",
        "还要多久",
        "还好吧",
        "你还在吗",
        "他还一直没回来",
        "还得等几天",
    ],
)
def test_still_stays_hai(text: str) -> None:
    assert "hai2" in syllables(text)
    assert "huan2" not in syllables(text)


def test_both_readings_in_one_sentence() -> None:
    assert [s for s in syllables("我还没还") if s.startswith("h")] == ["hai2", "huan2"]


def test_pypinyin_global_dictionary_is_left_alone() -> None:
    """The NLU matches by pinyin through pypinyin: the voice must not change what it gets."""
    syllables("请尽快还款")
    assert lazy_pinyin("还款", style=Style.NORMAL)[0] == "hai"
    assert mark_repay("还是") == "还是"


def test_syllables_skip_digits_and_read_ling_circle() -> None:
    assert syllables("二〇") == ["er4", "ling2"]
    assert syllables("123, !") == []


@pytest.mark.parametrize(
    ("text", "spelled"),
    [
        ("安信金融App", "安信金融诶批批"),
        ("OK", "欧开"),
        ("用APP还", "用诶批批还"),
        ("微信", "微信"),
    ],
)
def test_latin_letters_are_spelled_by_their_mandarin_names(text: str, spelled: str) -> None:
    assert spell_latin(text) == spelled


def test_an_app_name_is_said_not_skipped() -> None:
    """The voice has no Latin phonemes: "App" used to vanish from 安信金融App."""
    assert syllables("安信金融App")[4:] == ["ei2", "pi1", "pi1"]


def test_phonemes_pause_at_commas_and_bracket_with_silence() -> None:
    assert phonemes("您好，还三千", TABLE) == [
        "sil", "^", "in2", "#0", "h", "ao3", "#3",
        "h", "uan2", "#0", "s", "an1", "#0", "q", "ian1", "sil",
    ]  # fmt: skip


def test_phonemes_of_text_without_hanzi_are_only_silence() -> None:
    assert phonemes("!? 123。", TABLE) == ["sil", "sil"]


def test_unknown_syllables_are_skipped_and_nasal_interjection_mapped() -> None:
    assert phonemes("嗯", TABLE) == ["sil", "^", "en2", "sil"]
    assert phonemes("龘", TABLE) == ["sil", "sil"]


@pytest.mark.parametrize(
    ("text", "tones"),
    [
        ("你好", ["ni2", "hao3"]),
        ("我很想", ["wo2", "hen2", "xiang3"]),  # a run: all but the last rise
        ("保险", ["bao2", "xian3"]),  # a word pypinyin's own sandhi leaves alone
        ("只能和本人谈", ["zhi3", "neng2", "he2", "ben3", "ren2", "tan2"]),  # no 3-3: unchanged
        ("您好，你好", ["nin2", "hao3", "ni2", "hao3"]),
    ],
)
def test_third_tone_sandhi_when_switched_on(
    monkeypatch: pytest.MonkeyPatch, text: str, tones: list[str]
) -> None:
    """Off by default (measured: not a robust gain, docs/speech.md), kept as a switch."""
    monkeypatch.setattr(zh_pron, "SANDHI", "runs")
    assert syllables(text) == tones


def test_citation_tones_by_default() -> None:
    assert syllables("你好，保险") == ["ni3", "hao3", "bao3", "xian3"]


def test_sandhi_does_not_cross_a_clause(monkeypatch: pytest.MonkeyPatch) -> None:
    """phonemes() reads clause by clause: 好 before a comma keeps its third tone."""
    monkeypatch.setattr(zh_pron, "SANDHI", "runs")
    table = {"hao": ("h", "ao"), "wo": ("^", "uo")}
    assert phonemes("好，我", table) == ["sil", "h", "ao3", "#3", "^", "uo3", "sil"]


def test_third_tone_runs_leaves_other_tones_and_the_input_alone() -> None:
    found = ["ni3", "hao3", "ma5", "wo3"]
    assert third_tone_runs(found) == ["ni2", "hao3", "ma5", "wo3"]
    assert found == ["ni3", "hao3", "ma5", "wo3"]
