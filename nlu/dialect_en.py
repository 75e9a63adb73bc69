"""English as it is said across regions and by learners, read as the parsers expect it.

Applied in ``nlu.text_en.repair_en`` (so in ``prepare``: the parser, the entity extractor and
the policy's slot readers all read the same text). Each form is rewritten only where nothing
else can stand:

* "know" opening a denial is "no" (telephone Whisper writes "no that ain't me" as "Know that
  ain't me."): only at the start and only before a denial's words ("that/it/this … not / ain't",
  "sir", "thanks"), so "know what, I'll pay Friday" stays;
* slang amounts: "a buck fifty" / "a buck and a half" is 150 ("buck" for a hundred before a tens
  word; "a buck" alone stays a dollar);
* Scots and Northern English "the morra" / "the morrow" is tomorrow; "Friday week" (British: a
  week after Friday) is "friday after next";
* holidays said as the day: "Christmas Eve" (24 Dec), "Christmas" / "New Year's" after a word of
  time ("on", "by", "before", "for", "till", "after": 25 Dec / 1 Jan);
* a learner's day without its article: "on third", "by 18th" is "on the third", "by the 18th";
* a cardinal day before its month: "on twenty December" is "on december 20";
* the recogniser's slips on such amounts and days ("send a grant", "free fifty", "forty one
  Saturday", "by 80th"), each only where nothing else can stand (``_slips``).
"""

from __future__ import annotations

import re

_DENIAL_AFTER_KNOW = re.compile(
    r"^(?:(?:uh|um|oh|well)\s+)?know(?=[,.!]?\s+(?:(?:that|it|this|i|he|she|that'?s|it'?s|this is"
    r"|i'?m|i am)\b[^.?!]{0,20}?\b(?:not|ain'?t|aint|isn'?t|wasn'?t|never)\b"
    r"|(?:sir|ma'?am|thanks|thank you|thank ya|way|nope|no)\b))"
)
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_BUCK_AND_TENS = re.compile(rf"\b(?:a|one)\s+buck\s+(?:and\s+)?(?={_TENS}\b)")
_BUCK_AND_HALF = re.compile(r"\b(?:a|one)\s+buck\s+and\s+a\s+half\b")
_THE_MORRA = re.compile(r"\b(?:the\s+)?mor+(?:a|ow)\b(?!\s+(?:morning|night))")
_WEEKDAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_WEEKDAY_WEEK = re.compile(rf"\b(?P<wd>{_WEEKDAYS})\s+week\b(?!\s*(?:of|after|from|end|day|s)\b)")
_TIME_WORD = r"(?:on|by|before|for|till|until|til|after|over|at)"
_CHRISTMAS_EVE = re.compile(r"\bchristmas\s+eve\b")
_HOLIDAY = re.compile(
    rf"\b(?P<w>{_TIME_WORD})\s+(?:christmas(?:\s+day)?|xmas)\b"
    rf"|\b(?P<n>{_TIME_WORD})\s+new\s+year'?s?(?:\s+day)?\b"
)
_ORDINAL = (
    r"(?:\d{1,2}(?:st|nd|rd|th)|(?:twenty[\s-]|thirty[\s-])?(?:first|second|third|fourth|fifth"
    r"|sixth|seventh|eighth|ninth)|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth"
    r"|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)"
)
_NO_ARTICLE = re.compile(
    rf"\b(?P<w>on|by|before|till|until)\s+(?={_ORDINAL}\b(?!\s+(?:time|of)\b))"
)
_MONTHS = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
)
_CARDINAL_DAYS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30,
}  # fmt: skip
_CARDINAL_BEFORE_MONTH = re.compile(
    r"\b(?P<w>on|by|before|till|until)\s+(?P<d>(?:twenty|thirty)(?:[\s-](?P<u>one|two|three"
    r"|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten"
    rf"|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)\s+"
    rf"(?:of\s+)?(?P<m>{_MONTHS})\b"
)


# the recogniser's slips on amounts and days said this way (telephone-band Whisper): "send a
# grant" for "a grand", "free fifty" for "three fifty", "forty one Saturday" for "forty on
# Saturday", "by 80th" for "by 18th" (no month has an 80th: the -teen heard as -ty)
_GRANT = re.compile(
    r"\b(?P<v>(?:pay|send|give|do|put|have|owe|got)\s+(?:you\s+|y'?all\s+|you guys\s+)?"
    r"(?:a|one|two|three|four|five|half a|\d))\s+grants?\b"
)
_FREE = re.compile(
    r"(?:^|(?<=\bpay )|(?<=\bsend )|(?<=\bgive )|(?<=\bdo )|(?<=\bput )|(?<=\byou )"
    r"|(?<=\by'all )|(?<=\byall ))free\s+(?=(?:hundred|thousand|grand|twenty|thirty|forty|fifty"
    r"|sixty|seventy|eighty|ninety)\b)"
)
_TENS_ONE_DAY = re.compile(
    rf"\b(?P<t>{_TENS})[\s-]one\s+(?={_WEEKDAYS}\b)|\b(?P<d>[2-9])1\s+(?={_WEEKDAYS}\b)"
)
_TY_ORDINAL = re.compile(r"\b(?P<d>[4-9])0th\b")


def _slips(text: str) -> str:
    text = _GRANT.sub(lambda m: f"{m.group('v')} grand", text)
    text = _FREE.sub("three ", text)
    text = _TENS_ONE_DAY.sub(
        lambda m: f"{m.group('t')} on " if m.group("t") else f"{m.group('d')}0 on ", text
    )
    return _TY_ORDINAL.sub(lambda m: f"1{m.group('d')}th", text)


def _cardinal_day(m: re.Match[str]) -> str:
    words = re.split(r"[\s-]+", m.group("d"))
    day = sum(_CARDINAL_DAYS[w] for w in words)
    return f"{m.group('w')} {m.group('m')} {day}" if day <= 31 else m.group(0)


def _holiday(m: re.Match[str]) -> str:
    if m.group("w"):
        return f"{m.group('w')} december 25th"
    return f"{m.group('n')} january 1st"


def dialect_en(text: str) -> str:
    """``text`` (lower case, single spaces) with the forms above read as meant."""
    text = _DENIAL_AFTER_KNOW.sub(lambda m: m.group(0)[: -len("know")] + "no", text)
    text = _BUCK_AND_HALF.sub("one hundred fifty", text)
    text = _BUCK_AND_TENS.sub("one hundred ", text)
    text = _slips(_THE_MORRA.sub("tomorrow", text))
    text = _WEEKDAY_WEEK.sub(lambda m: f"{m.group('wd')} after next", text)
    text = _CHRISTMAS_EVE.sub("december 24th", text)
    text = _HOLIDAY.sub(_holiday, text)
    text = _NO_ARTICLE.sub(lambda m: f"{m.group('w')} the ", text)
    return _CARDINAL_BEFORE_MONTH.sub(_cardinal_day, text)
