"""Mandarin transcript clean-up shared by the recognisers: simplified script only.

Whisper base, multilingual, writes traditional characters when its prompt does not hold it in
simplified script (還款, 這個, 號碼): the NLU reads either, but stored transcripts, the
console and the QA pass show what the caller said in the script the product uses.
"""

from __future__ import annotations

import functools

from opencc_purepy import OpenCC


@functools.cache
def _t2s() -> OpenCC:
    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """'還款後天' -> '还款后天' (OpenCC t2s, character and phrase tables; idempotent)."""
    return str(_t2s().convert(text)) if text else text
