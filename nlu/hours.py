"""The time of day a caller names for a call back: "call me at ten", "after 6pm", "around four
thirty", "tomorrow morning", 下午三点以后, 晚上八点半, 上午十点左右.

Pure. An hour with no "am"/"pm" (or 上午/下午) is read as a person means it on the phone in the
day: 1 to 7 are afternoon or evening, 8 to 11 morning, 12 noon. A part of the day said alone
("this afternoon", 晚上) stands for a usual hour of it. Whether that hour may be dialled is not
decided here: the compliance guard checks contact hours when the call is placed.
"""

from __future__ import annotations

import re
from datetime import time, timedelta

from nlu.numbers import EN_UNITS, en_words_to_decimal, zh_to_decimal

_EN_NUM = (
    r"\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
)  # fmt: skip
_EN_MINUTES = r"(?P<min>[0-5]\d|fifteen|thirty|forty[\s-]five)"
_EN_CLOCK = re.compile(
    rf"(?:\b(?P<half>half|quarter)\s+past\s+(?P<h2>{_EN_NUM})\b)"
    rf"|(?:\b(?P<lead>at|after|around|about|by|before|till|until|from)\s+)?"
    rf"\b(?P<h>{_EN_NUM})(?:(?::|\s+){_EN_MINUTES}\b)?"
    r"\s*(?P<mer>a\.?\s?m\b\.?|p\.?\s?m\b\.?|o'?\s?clock\b)?",
    re.I,
)
_EN_LATER_IN_DAY = re.compile(r"\b(?:afternoon|evening|tonight|night|after work|after dinner)\b")
_EN_MORNING = re.compile(r"\bmorning\b")
_EN_PARTS = (
    (re.compile(r"\bnoon\b|\blunch(?:time)?\b|\bmidday\b"), time(12)),
    (re.compile(r"\bafter work\b|\bafter dinner\b"), time(18)),
    (re.compile(r"\bmorning\b"), time(10)),
    (re.compile(r"\bafternoon\b"), time(15)),
    (re.compile(r"\bevening\b|\btonight\b"), time(19)),
)
# a number that is no hour: money, a date, a count of something
_EN_NOT_HOUR_AFTER = re.compile(
    r"\s*(?:dollars?|bucks?|hundred|thousand|k\b|%|percent|st\b|nd\b|rd\b|th\b|of\b|days?"
    r"|weeks?|months?|years?|payments?|minutes?|hours?|times?)",
    re.I,
)

_ZH_HOUR = re.compile(
    r"(?P<part>凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|今晚|明早|明晚|夜里)?"
    r"(?P<h>[零一二两三四五六七八九十\d]{1,3})(?:点钟?|时)"
    r"(?P<min>半|一刻|[零一二三四五六七八九十\d]{1,3}分?)?"
    r"(?P<after>以后|之后|左右|前后|多|钟)?"
)
_ZH_LATER_PARTS = ("下午", "傍晚", "晚上", "今晚", "明晚", "夜里")
_ZH_PARTS = (
    (re.compile(r"中午"), time(12)),
    (re.compile(r"下班(?:以?后|之后)?"), time(18)),
    (re.compile(r"上午|早上|早晨|明早"), time(10)),
    (re.compile(r"下午"), time(15)),
    (re.compile(r"晚上|今晚|明晚|傍晚"), time(19)),
)


def hour_said(text: str, lang: str) -> time | None:
    """The time of day ``text`` names for a call, else None."""
    if lang == "zh":
        return _zh(text)
    return _en(text.lower())


def _en_hour(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    value = EN_UNITS.get(word)
    return int(value) if value is not None else None


def _en_minutes(word: str | None) -> int:
    if not word:
        return 0
    if word.isdigit():
        return int(word)
    return {"half": 30, "fifteen": 15, "thirty": 30}.get(word, 45)


def _en(text: str) -> time | None:
    later = _EN_LATER_IN_DAY.search(text) is not None
    morning = _EN_MORNING.search(text) is not None
    for m in _EN_CLOCK.finditer(text):
        if m.group("h2"):
            hour, minute, mer, lead = _en_hour(m.group("h2")), 0, None, "at"
            minute = 30 if m.group("half") == "half" else 15
        else:
            hour, mer, lead = _en_hour(m.group("h")), m.group("mer"), m.group("lead")
            minute = _en_minutes(m.group("min"))
            if _EN_NOT_HOUR_AFTER.match(text, m.end("h")) and not mer:
                continue
            if not (lead or mer):
                continue  # a bare number ("two fifty") is an amount, not an hour
        if hour is None or not 0 < hour <= 12 or minute >= 60:
            continue
        said = (mer or "").replace(".", "").replace(" ", "")
        if said.startswith("p") or (not said.startswith("a") and _afternoon(hour, later, morning)):
            hour = hour % 12 + 12
        elif said.startswith("a") and hour == 12:
            hour = 0
        return time(hour, minute)
    return next((at for part, at in _EN_PARTS if part.search(text)), None)


def _afternoon(hour: int, later: bool, morning: bool) -> bool:
    """An hour said without am/pm: afternoon with a later part of the day said, morning with
    "morning", else as people mean it (1-7 afternoon, 8-11 morning, 12 noon)."""
    if later:
        return hour != 12
    if morning:
        return False
    return 1 <= hour <= 7


def _zh(text: str) -> time | None:
    for m in _ZH_HOUR.finditer(text):
        part, raw = m.group("part"), m.group("h")
        if raw in ("一",) and not (part or m.group("min") or m.group("after")):
            continue  # 晚一点 / 一点钱: "a little", not one o'clock
        value = int(raw) if raw.isdigit() else zh_to_decimal(raw)
        if value is None or not 0 <= int(value) <= 24:
            continue
        hour = int(value)
        minute = _zh_minutes(m.group("min"))
        if (
            (part in _ZH_LATER_PARTS and hour < 12)
            or (part == "中午" and hour < 6)
            or (part is None and 1 <= hour <= 7)
        ):
            hour += 12
        if hour >= 24 or minute >= 60:
            continue
        return time(hour, minute)
    return next((at for part, at in _ZH_PARTS if part.search(text)), None)


def _zh_minutes(said: str | None) -> int:
    if not said:
        return 0
    if said == "半":
        return 30
    if said == "一刻":
        return 15
    digits = said.removesuffix("分")
    value = int(digits) if digits.isdigit() else zh_to_decimal(digits)
    return int(value) if value is not None else 0


# a delay instead of a time: "call me back in an hour", "in twenty minutes", "give me half an
# hour", "an hour from now", 一个小时以后, 半小时后再打, 过两个钟头, 十分钟之后
_EN_DELAY = re.compile(
    r"\b(?:in|give me|after|within)\s+(?:about\s+|around\s+|like\s+|maybe\s+)?"
    r"(?P<n>an?|one|two|three|four|five|ten|fifteen|twenty|thirty|forty[\s-]five|\d{1,3}"
    r"|half an?|a half|a couple(?: of)?|a few)\s+(?P<unit>hours?|hrs?|minutes?|mins?)\b"
    r"|\b(?P<n2>an?|one|two|three|half an?)\s+(?P<unit2>hours?|minutes?)\s+from now\b",
    re.I,
)
# the counts that are no number word ("an hour", "a couple of hours"); the rest are read by
# ``en_words_to_decimal``
_EN_DELAY_COUNT = {"a": 1, "an": 1, "a couple": 2, "a couple of": 2, "a few": 3}
_ZH_DELAY = re.compile(
    r"(?:过)?(?P<n>半|[一两二三四五六七八九十\d]{1,3}|一两|两三)(?:个)?(?:半)?"
    r"(?P<unit>小时|钟头|分钟|分)(?:以后|之后|后|再)"
    r"|过(?P<n2>半|[一两二三四五六七八九十\d]{1,3})(?:个)?(?P<unit2>小时|钟头|分钟)"
)
# a delay longer than this is no "call me back in …" of the same day
_MAX_DELAY = timedelta(hours=12)


def delay_said(text: str, lang: str) -> timedelta | None:
    """How long from now the caller asks to be called back ("in an hour", 半小时后), else None."""
    value: float
    if lang == "zh":
        m = _ZH_DELAY.search(text)
        if m is None:
            return None
        count, unit = m.group("n") or m.group("n2"), m.group("unit") or m.group("unit2")
        value = _zh_count(count)
        minutes = value * 60 if unit in ("小时", "钟头") else value
        if "半" in m.group(0) and count != "半" and unit in ("小时", "钟头"):
            minutes += 30  # 一个半小时
    else:
        m = _EN_DELAY.search(text.lower())
        if m is None:
            return None
        count = (m.group("n") or m.group("n2")).lower()
        unit = (m.group("unit") or m.group("unit2")).lower()
        if count.startswith("half") or count == "a half":
            value = 0.5
        else:
            said = _EN_DELAY_COUNT.get(count) or en_words_to_decimal(count)
            value = float(said) if said is not None else 1
        minutes = value * 60 if unit.startswith("h") else value
    delay = timedelta(minutes=minutes)
    return delay if timedelta(0) < delay <= _MAX_DELAY else None


def _zh_count(said: str) -> float:
    if said == "半":
        return 0.5
    if said in ("一两", "两三"):
        return {"一两": 1.5, "两三": 2.5}[said]
    if said.isdigit():
        return int(said)
    value = zh_to_decimal(said.replace("两", "二"))
    return float(value) if value is not None else 1


# words of a call later the same day, with no hour or delay in them ("call me later", 晚点)
_LATER_WORDS = re.compile(
    r"\b(?:hours?|minutes?|later|evening|afternoon|morning|tonight|lunch|after work)\b"
    r"|小时|分钟|晚上|下午|上午|中午|晚点|一会|待会|等会|下班"
)


def later_today(text: str, lang: str) -> bool:
    """Whether ``text`` asks for a call later the same day: "later", a part of the day, a time
    of day ("at six", 三点以后) or a delay ("in an hour"). A day said with it is the caller's to
    check first ("tomorrow evening" is tomorrow)."""
    folded = text.lower()
    if _LATER_WORDS.search(folded):
        return True
    return hour_said(folded, lang) is not None or delay_said(folded, lang) is not None
