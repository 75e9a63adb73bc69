"""Mandarin in simplified script only: the recognisers' transcripts and the NLU's reading.

Whisper base, multilingual, writes traditional characters when its prompt does not hold it in
simplified script (還款, 這個, 號碼): the NLU reads either, but stored transcripts, the
console and the QA pass show what the caller said in the script the product uses.

OpenCC's phrase tables are not safe on text that is already simplified: opencc-purepy 1.5's
t2s turns 结束 into 結束 (measured on Whisper's own output). A character that is simplified
already is therefore kept; the phrase conversion decides only for the others (乾隆 stays).
"""

from __future__ import annotations

import functools
import re

from opencc_purepy import OpenCC


@functools.cache
def _t2s() -> OpenCC:
    return OpenCC("t2s")


@functools.lru_cache(maxsize=4096)
def _char(ch: str) -> str:
    return str(_t2s().convert(ch))


def to_simplified(text: str) -> str:
    """'還款後天' -> '还款后天'; '结束' stays '结束' (idempotent)."""
    if not text:
        return text
    phrased = str(_t2s().convert(text))
    if len(phrased) != len(text):  # t2s is one character for one; if not, character by character
        return "".join(_char(ch) for ch in text)
    return "".join(ch if _char(ch) == ch else new for ch, new in zip(text, phrased, strict=True))


# variant forms the t2s tables leave (甚麼 -> 甚么, still not 什么): the standard word; 甚 alone
# stays (甚至 "even")
_VARIANT_WORDS = {"甚么": "什么", "什末": "什么", "甚末": "什么"}
_VARIANT_CHARS = str.maketrans({"祇": "只", "衹": "只", "秖": "只", "麽": "么"})
_VARIANT = re.compile("|".join(_VARIANT_WORDS))
# the financial numerals (壹仟伍佰, as on a cheque or a bill) inside a number only: 伍 / 陆 /
# 拾 stand for themselves elsewhere (伍先生, 陆地, 收拾)
_FINANCIAL = str.maketrans("壹贰叁肆伍陆柒捌玖拾佰仟", "一二三四五六七八九十百千")
_NUMBER_RUN = re.compile(
    "(?:[0-9零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]{2,})"
    "|[壹贰叁肆伍陆柒捌玖拾佰仟](?=[块元])"
)
_FINANCIAL_CHARS = frozenset("壹贰叁肆伍陆柒捌玖拾佰仟")


def standard_forms(text: str) -> str:
    """Simplified Mandarin with the variant forms in their standard form (这是甚么贷款 -> 这是
    什么贷款) and the financial numerals of a number as the plain ones (壹仟伍佰 -> 一千五百)."""
    text = _VARIANT.sub(lambda m: _VARIANT_WORDS[m.group()], text.translate(_VARIANT_CHARS))
    return _NUMBER_RUN.sub(_plain_numerals, text)


def _plain_numerals(m: re.Match[str]) -> str:
    said = m.group()
    return said.translate(_FINANCIAL) if _FINANCIAL_CHARS & set(said) else said
