"""English recogniser slips on the numbers a promise turns on, repaired in context.

Whisper tiny.en on a telephone line hears "four" and "two" as the words that sound the same:
"I'll pay for hundred on Monday", "I can do to hundred", "I can pay to fifty". A number word
is restored only where nothing but a number can stand:

* "for" / "to" / "too" right before "hundred", "thousand" or "grand" (no "a" between: "for a
  hundred" is 100 and stays) is "four" / "two";
* "to" / "too" right after a paying verb (pay, do, send, give, put, make, have) and before a
  tens word ("fifty", "twenty five") is "two": "i can pay to fifty" is 250 ("up to fifty"
  has no paying verb before it and stays).
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


def repair_en(text: str) -> str:
    """``text`` (lower case, single spaces) with the number slips above repaired."""
    text = _BEFORE_SCALE.sub(lambda m: "four" if m.group("w") == "for" else "two", text)
    return _AFTER_PAY.sub(lambda m: m.group("v") + " two", text)
