"""English recogniser slips on the numbers a promise turns on, repaired in context.

Whisper tiny.en on a telephone line hears "four" and "two" as the words that sound the same:
"I'll pay for hundred on Monday", "I can do to hundred", "I can pay to fifty". A number word
is restored only where nothing but a number can stand:

* "for" / "to" / "too" right before "hundred", "thousand" or "grand" (no "a" between: "for a
  hundred" is 100 and stays) is "four" / "two";
* "to" / "too" right after a paying verb (pay, do, send, give, put, make, have) and before a
  tens word ("fifty", "twenty five") is "two": "i can pay to fifty" is 250 ("up to fifty"
  has no paying verb before it and stays);
* "1.5k" read out as "one dot five K" / "two point five grand" is the number again.
"""

from __future__ import annotations

import re

_TENS = r"(?:twenty|thirty|forty|fourty|fifty|sixty|seventy|eighty|ninety)"
_BEFORE_SCALE = re.compile(r"\b(?P<w>for|to|too)(?=\s+(?:hundred|thousand|grand)\b)")
_PAY_VERB = r"(?:pay|do|send|give|put|make|have)"
_AFTER_PAY = re.compile(
    rf"\b(?P<v>{_PAY_VERB}(?:\s+(?:you|y'?all|you guys))?(?:\s+(?:like|about|maybe))?)\s+"
    rf"(?:to|too)(?=\s+{_TENS}\b)"
)


_DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_DIGIT = rf"(?:\d|{'|'.join(_DIGIT_WORDS)})"
# "1.5k" printed as the words it was read as: "one dot five K", "two point five grand"
_DECIMAL_SCALE = re.compile(
    rf"\b(?P<a>{_DIGIT})\s+(?:dot|point)\s+(?P<b>{_DIGIT})\s*(?P<k>k|grand|thousand)\b"
)


def _digit(word: str) -> str:
    return word if word.isdigit() else str(_DIGIT_WORDS.index(word))


def repair_en(text: str) -> str:
    """``text`` (lower case, single spaces) with the number slips above repaired."""
    text = _BEFORE_SCALE.sub(lambda m: "four" if m.group("w") == "for" else "two", text)
    text = _DECIMAL_SCALE.sub(
        lambda m: (
            f"{_digit(m.group('a'))}.{_digit(m.group('b'))}"
            + (m.group("k") if m.group("k") == "k" else " " + m.group("k"))
        ),
        text,
    )
    return _AFTER_PAY.sub(lambda m: m.group("v") + " two", text)
