"""English recogniser slips on the numbers a promise turns on, repaired in context.

Whisper tiny.en on a telephone line hears "four" and "two" as the words that sound the same:
"I'll pay for hundred on Monday", "I can do to hundred", "I can pay to fifty". A number word
is restored only where nothing but a number can stand:

* "for" / "to" / "too" right before "hundred", "thousand" or "grand" (no "a" between: "for a
  hundred" is 100 and stays) is "four" / "two";
* "to" / "too" right after a paying verb (pay, do, send, give, put, make, have) and before a
  tens word ("fifty", "twenty five") is "two": "i can pay to fifty" is 250 ("up to fifty"
  has no paying verb before it and stays);
* "1.5k" read out as "one dot five K" / "two point five grand" / "1. 5k" is the number again;
* "seventy-five" heard "seven to five" before a currency word: a range never runs downwards, so
  a higher digit "to" a lower one is the tens word and its unit ("two to five dollars" stays);
* "a hundred and fifty on Tuesday" heard "151 Tuesday": a number of hundreds ending in 1 right
  before a weekday (no "on") is the round number and "on";
* "the thirtieth" heard "the third year";
* "on the fifteenth" heard "on the fifty" (no month has a fiftieth day).

And the way people say it, read as they mean it:

* a dropped g written "talkin'", "somethin'" is the word ("talking", "something");
* "a couple hundred" / "couple of grand" is two hundred / two grand;
* a self-correction ("two hundred, no wait, make it two fifty") is read by ``nlu.corrections``.
"""

from __future__ import annotations

import re

from nlu.dialect_en import dialect_en

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
    rf"\b(?P<a>{_DIGIT})(?:\s+(?:dot|point)\s+|\.\s+)(?P<b>{_DIGIT})\s*(?P<k>k|grand|thousand)\b"
)


_G_DROPPED = re.compile(r"\b(?P<w>[a-z]{2,}in)'(?!\w)")
_COUPLE = re.compile(r"\b(?:a\s+)?couple(?:\s+of)?\s+(?=(?:hundred|thousand|grand)\b)")
_TENS_WORDS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_DOWN_TO = re.compile(
    rf"\b(?P<a>[2-9]|{'|'.join(_DIGIT_WORDS[2:])})\s+(?:to|too)\s+"
    rf"(?P<b>[1-9]|{'|'.join(_DIGIT_WORDS[1:])})"
    r"(?=\s+(?:dollars?|bucks?)\b)"
)
_WEEKDAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MERGED_ON = re.compile(rf"(?<![\d.,])(?P<n>\$?[1-9]\d?[05]1)\s+(?={_WEEKDAYS}\b)")
_THIRD_YEAR = re.compile(r"\bthe third year\b")
# "on the fifteenth" heard "on the fifty": no month has a fiftieth day, so a tens word after
# "on the" (never "thirty", a day; not before money) is the "-teenth" it sounds like
_TEEN_DAY = re.compile(
    r"\b(?P<on>(?:on|by|before|after|until|till) the) (?P<t>forty|fifty|sixty|seventy|eighty"
    r"|ninety)\b(?!\s*(?:dollars?|bucks?|percent|%|\$|[-\s](?:one|two|three|four|five|six|seven"
    r"|eight|nine)\b))"
)
_TEENTH = {"forty": "fourteenth", "fifty": "fifteenth", "sixty": "sixteenth",
           "seventy": "seventeenth", "eighty": "eighteenth", "ninety": "nineteenth"}  # fmt: skip


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
    text = _AFTER_PAY.sub(lambda m: m.group("v") + " two", text)
    return _spoken_forms(text)


def with_g(text: str) -> str:
    """ "talkin'" written for "talking" (a dropped g) as the word, "somethin'" as "something"."""
    return _G_DROPPED.sub(lambda m: m.group("w") + "g", text)


def _spoken_forms(text: str) -> str:
    text = dialect_en(with_g(text))
    text = _COUPLE.sub("two ", text)
    text = _DOWN_TO.sub(_tens_and_unit, text)
    text = _MERGED_ON.sub(lambda m: m.group("n")[:-1] + "0 on ", text)
    text = _TEEN_DAY.sub(lambda m: f"{m.group('on')} {_TEENTH[m.group('t')]}", text)
    return _THIRD_YEAR.sub("the thirtieth", text)


def _tens_and_unit(m: re.Match[str]) -> str:
    high, low = int(_digit(m.group("a"))), int(_digit(m.group("b")))
    return m.group(0) if high <= low else f"{_TENS_WORDS[high]} {_DIGIT_WORDS[low]}"


# "this is she" as the telephone recogniser prints it ("Yeah, this is sheet.", "This is Shee."):
# no name ends the clause there, only the pronoun the answer always has
_THIS_IS_SHE = re.compile(r"\b(this is|it'?s) (?:sheet|shee|shea)\b(?=\s*(?:[.,!?]|$))", re.I)


def identity_slips_en(text: str) -> str:
    """``text`` with the recogniser's slips on "this is she" repaired."""
    return _THIS_IS_SHE.sub(lambda m: f"{m.group(1)} she", text)
