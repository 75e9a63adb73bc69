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
