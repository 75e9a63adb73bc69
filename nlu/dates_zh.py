"""Mandarin date rules for ``nlu.dates`` (月日, 号, 周/星期/礼拜, 月底, N天后, the past forms;
the festivals and lunar days are ``nlu.festivals_zh``'s):
each a pattern, its resolver against ``today`` and the kind of repeating day it names. Also
what the recogniser does to a day before the rules read it: ``heard_day_words`` restores day
words written with other characters of their toneless sound (周莫 = 周末, 二是五号 = 二十五号),
and ``day_spans`` says where a hearing names a day (for ``asr.day_opinion``). A day the
speaker corrected (周五，哦不，周六) is dropped by ``nlu.corrections``."""

from __future__ import annotations

import functools
import re
from datetime import date, timedelta

from nlu.days import (
    Rule,
    end_of_month,
    month_day,
    next_day_of_month,
    next_weekday,
    weekday_next_week,
)
from nlu.festivals_zh import FESTIVAL_RULES
from nlu.numbers import zh_to_decimal
from nlu.sounds_zh import NUMBER_CHARS, syllable

ZH_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_ZH_NUM = "[0-9零一二两三四五六七八九十]{1,3}"


def _zh_int(text: str) -> int | None:
    value = zh_to_decimal(text)
    return None if value is None or value != int(value) else int(value)


def _zh_month_day(m: re.Match[str], today: date) -> date | None:
    month, day = _zh_int(m.group("mon")), _zh_int(m.group("day"))
    if month is None or day is None:
        return None
    return month_day(today, month, day)


def _zh_next_month_day(m: re.Match[str], today: date) -> date | None:
    day = _zh_int(m.group("day"))
    if day is None:
        return None
    first = end_of_month(today) + timedelta(days=1)
    try:
        return first.replace(day=day)
    except ValueError:
        return None


def _zh_this_month_day(m: re.Match[str], today: date) -> date | None:
    """这个月二十五 / 本月十八: that day of this month, from today on (a day gone by: None)."""
    day = _zh_int(m.group("day"))
    if day is None or not today.day <= day <= end_of_month(today).day:
        return None
    return today.replace(day=day)


def _zh_day(m: re.Match[str], today: date) -> date | None:
    day = _zh_int(m.group("day") or m.group("day2"))
    return None if day is None else next_day_of_month(today, day)


def _zh_in_days(m: re.Match[str], today: date, sign: int = 1) -> date | None:
    n = _zh_int(m.group("n"))
    if n is None:
        return None
    weeks = m.group("unit") in ("周", "个星期", "星期", "个礼拜", "礼拜")
    return today + sign * timedelta(days=n * (7 if weeks else 1))


def _zh_last_month_day(m: re.Match[str], today: date) -> date | None:
    day = _zh_int(m.group("day"))
    last = today.replace(day=1) - timedelta(days=1)
    try:
        return None if day is None else last.replace(day=day)
    except ValueError:
        return None


def _zh_in_months(m: re.Match[str], today: date) -> date | None:
    """N个月后: the same day N months on (the month's last day when it is shorter)."""
    n = _zh_int(m.group("n"))
    if n is None:
        return None
    last = end_of_month(today, n)
    return last.replace(day=min(today.day, last.day))


def _zh_mid_month(m: re.Match[str], today: date) -> date:
    """月中 is the 15th: this month's, or next month's once it has passed (下个月中: next)."""
    ahead = 1 if m.group("next") or today.day > 15 else 0
    return end_of_month(today, ahead).replace(day=15)


_WEEK = "(?:周|星期|礼拜|禮拜)"
# a bare day number ends there: no digit, unit or count after it (二十五，/ 二十五我还 / the end)
_BARE = r"(?![0-9零一二两三四五六七八九十百千万块元个多几岁号日號点分天年月期次位])"
# the recogniser's pause mark between the week word and its day (下礼拜、三): the day only where
# no unit follows (下礼拜，三千块 is next week and an amount)
_PAUSED = r"(?:[、，,]\s*(?=[一二三四五六日天七](?![0-9十百千万块元])))?"
ZH_RULES: list[Rule] = [
    *FESTIVAL_RULES,  # 春节前, 正月十五, 腊月二十, 中秋, 元旦 ... (first: 腊月二十 is no 20th)
    (re.compile(rf"(?P<mon>{_ZH_NUM})月份?(?P<day>{_ZH_NUM})[号日號]?"), _zh_month_day, "year"),
    (re.compile(rf"下(?:个|個)?月(?:的)?(?P<day>{_ZH_NUM})[号日號]"), _zh_next_month_day, ""),
    # the month named and the day said bare, no 号 (这个月二十五，我还三千六; 下个月五 发工资):
    # a day only where no unit follows (这个月三千 is an amount; 下个月十几号 says no day)
    (re.compile(rf"下(?:个|個)?月(?:的)?(?P<day>{_ZH_NUM}){_BARE}"), _zh_next_month_day, ""),
    (re.compile(rf"(?:这个|这|本)月(?:的)?(?P<day>{_ZH_NUM}){_BARE}"), _zh_this_month_day, ""),
    (re.compile(r"下(?:个|個)?月月?(?:底|末)"), lambda m, t: end_of_month(t, 1), ""),
    (re.compile(r"(?:这个|这|本)?月?月(?:底|末)"), lambda m, t: end_of_month(t), ""),
    (re.compile(r"(?P<next>下(?:个|個)?)?月中(?!间|心|旬以前)"), _zh_mid_month, ""),
    (re.compile(r"(?:今|这个)?年(?:底|末)"), lambda m, t: date(t.year, 12, 31), ""),
    (
        re.compile(rf"(?P<n>{_ZH_NUM}|半)个月(?:以后|之后|后|之内|以内|内)"),
        lambda m, t: t + timedelta(days=15) if m.group("n") == "半" else _zh_in_months(m, t),
        "",
    ),
    (re.compile(r"(?<![下这本])月初"), lambda m, t: end_of_month(t) + timedelta(days=1), ""),
    (re.compile(r"大后天|大后儿"), lambda m, t: t + timedelta(days=3), ""),
    (re.compile(r"后天|后儿"), lambda m, t: t + timedelta(days=2), ""),
    (re.compile(r"明天|明儿|明日"), lambda m, t: t + timedelta(days=1), ""),
    (re.compile(r"今天|今儿|今日|今晚"), lambda m, t: t, ""),
    (re.compile(r"大前天"), lambda m, t: t - timedelta(days=3), ""),
    (re.compile(r"前天"), lambda m, t: t - timedelta(days=2), ""),
    (re.compile(r"昨天|昨儿|昨晚"), lambda m, t: t - timedelta(days=1), ""),
    (re.compile(r"过(?:两|俩)天"), lambda m, t: t + timedelta(days=2), ""),
    (re.compile(rf"下(?:个|個)?{_WEEK}末"), lambda m, t: weekday_next_week(t, 5), ""),
    (re.compile(rf"(?:这|本)?(?:个)?{_WEEK}末"), lambda m, t: next_weekday(t, 5), "week"),
    (re.compile(r"下(?:个|個)?月初"), lambda m, t: end_of_month(t) + timedelta(days=1), ""),
    (
        re.compile(rf"下下(?:个|個)?{_WEEK}{_PAUSED}(?P<wd>[一二三四五六日天七])"),
        lambda m, t: weekday_next_week(t, ZH_WEEKDAYS[m.group("wd")]) + timedelta(days=7),
        "",
    ),
    (
        re.compile(rf"下(?:个|個)?{_WEEK}(?:的)?{_WEEK}?{_PAUSED}(?P<wd>[一二三四五六日天七])"),
        lambda m, t: weekday_next_week(t, ZH_WEEKDAYS[m.group("wd")]),
        "",
    ),
    (
        re.compile(rf"(?:这|本)?(?:个)?{_WEEK}{_PAUSED}(?P<wd>[一二三四五六日天七])"),
        lambda m, t: next_weekday(t, ZH_WEEKDAYS[m.group("wd")]),
        "week",
    ),
    (
        re.compile(
            rf"(?P<n>{_ZH_NUM})(?:个)?(?P<unit>天|周|个星期|星期|个礼拜|礼拜)"
            r"(?:以后|之后|后|之内|以内|内)"
        ),
        _zh_in_days,
        "",
    ),
    (re.compile(rf"(?P<day>{_ZH_NUM})[号號]|(?<![月\d])(?P<day2>{_ZH_NUM})日"), _zh_day, "month"),
]
# read only where a past date is expected (the already-paid step)
ZH_PAST: list[Rule] = [
    (
        re.compile(rf"上(?:个|個)?{_WEEK}(?P<wd>[一二三四五六日天七])"),
        lambda m, t: weekday_next_week(t, ZH_WEEKDAYS[m.group("wd")]) - timedelta(days=14),
        "",
    ),
    (re.compile(rf"上(?:个|個)?月(?P<day>{_ZH_NUM})[号日號]"), _zh_last_month_day, ""),
    (
        re.compile(r"上(?:个|個)?月月?(?:底|末)"),
        lambda m, t: t.replace(day=1) - timedelta(days=1),
        "",
    ),
    (
        re.compile(
            rf"(?P<n>{_ZH_NUM})(?:个)?(?P<unit>天|周|个星期|星期|个礼拜|礼拜)(?:以前|之前|前)"
        ),
        lambda m, t: _zh_in_days(m, t, sign=-1),
        "",
    ),
]


def day_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` names a day by any rule above (its words, not resolved against a date),
    left to right, without overlaps: what a second hearing of the same audio may lend
    (``asr.day_opinion``)."""
    spans: list[tuple[int, int]] = []
    heard = heard_day_words(text)
    for pattern, _, _ in (*ZH_PAST, *ZH_RULES):
        for m in pattern.finditer(heard):
            if m.end() > m.start() and not any(
                m.start() < end and start < m.end() for start, end in spans
            ):
                spans.append((m.start(), m.end()))
    return sorted(spans)


# Day words the recogniser writes with other characters of the same toneless syllables
# (周末 heard 周莫, 前天 heard 钱天, 下个月 heard 下个约, 这周 heard 这州), restored before the
# rules above read the text; never over a number character (一月中 is a month). 月初 is left
# out: its syllables are 约出 ("ask out"). ``nlu.text`` restores the words of its own
# lexicon (下周, 礼拜, 星期, 月底, 今天, 明天, 后天, 昨天, 元旦) for every reader; these are the
# dates' alone.
_DAY_WORDS = ("下个月", "这个月", "大后天", "周末", "月中", "前天", "这周", "本周", "下周", "礼拜",
              "星期", "月底", "今天", "明天", "后天", "昨天", "元旦")  # fmt: skip
# 号 heard as another hao right after a day's number (二十耗, 5浩); 好 is ``nlu.text``'s (好看)
_HAO = re.compile(r"(?<=[0-9一二三四五六七八九十])[耗浩豪毫昊郝皓蚝](?![码子米克升秒])")
# 十 heard as another shi between a tens digit and a unit before 号/日 (二是五号 = 二十五号)
_SHI = re.compile(
    r"(?<![0-9零一二两三四五六七八九十])(?P<tens>[一二三])[是时事市式试实石识使史士世视]"
    r"(?=[一二三四五六七八九][号日])"
)


@functools.cache
def _day_sounds() -> dict[tuple[str, ...], str]:
    return {tuple(syllable(ch) for ch in word): word for word in _DAY_WORDS}


def heard_day_words(text: str) -> str:
    """``text`` with the day words above restored where their syllables were written with
    other characters, and 号 / 十 heard as another hao / shi in a day's number; the same length
    as ``text`` (every character replaced by one), so a match's place is the same in both."""
    sounds = [syllable(ch) for ch in text]
    chars = list(text)
    words = _day_sounds()
    i = 0
    while i < len(chars):
        for size in (3, 2):
            word = words.get(tuple(sounds[i : i + size]))
            said = "".join(chars[i : i + size])
            if word is not None and said != word and not set(said) & NUMBER_CHARS:
                chars[i : i + size] = list(word)
                i += size - 1
                break
        i += 1
    _festival_words(chars, sounds)
    return _SHI.sub(r"\g<tens>十", _HAO.sub("号", "".join(chars)))


# the festival words the recogniser writes by sound, each only where a day is plainly meant
# (the rest of what they could be stays: 那月 "that month", 出息, 出席): 腊月 heard 那月 / 拉月 /
# 蜡月 / 纳月 (la and na merged, as southern speakers and the recogniser merge them) before a
# lunar day's number; 除夕 heard 除稀 / 除息 / 出夕 / 厨西 before a deadline or a payment word,
# never after 有 / 没 / 要 / 去 / 来 / 不 (有出息, 要出席)
_LUNAR_NUMBER_NEXT = re.compile(r"初?[一二三四五六七八九十廿]")
# 那月二十号: "that month's 20th" (a lunar day takes no 号)
_DAY_OF_MONTH = re.compile(r"[一二三四五六七八九十]+[号日]")
_EVE_NEXT = re.compile(r"\s*(?:之前|以前|前(?![后天面])|那天|当天|还|转|给|打)")
_NOT_EVE_BEFORE = frozenset("有没要去来不")


def _festival_words(chars: list[str], sounds: list[str]) -> None:
    """``chars`` with 腊月 / 除夕 restored by sound in place (see above)."""
    for i in range(len(chars) - 1):
        pair, rest = "".join(chars[i : i + 2]), "".join(chars[i + 2 :])
        if set(pair) & NUMBER_CHARS:
            continue
        if (sounds[i], sounds[i + 1]) in (("la", "yue"), ("na", "yue")):
            if _LUNAR_NUMBER_NEXT.match(rest) and not (
                chars[i] == "那" and _DAY_OF_MONTH.match(rest)
            ):
                chars[i : i + 2] = ["腊", "月"]
        elif (
            (sounds[i], sounds[i + 1]) == ("chu", "xi")
            and _EVE_NEXT.match(rest)
            and (i == 0 or chars[i - 1] not in _NOT_EVE_BEFORE)
        ):
            chars[i : i + 2] = ["除", "夕"]
