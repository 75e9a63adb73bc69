"""Mandarin key words found by their characters or by their toneless pinyin (``KEY_WORDS``).

The recogniser writes a word it heard with other characters of the same sound (还款 as 环款,
最低 as 最底, 周五 as 州五, 一半 as 一般). ``restore`` puts the key word back wherever its
syllables are written otherwise, so that every reader (parser, entities, the policy's slot and
offer readers) reads the same words. Only whole words of two syllables or more: one syllable
(还 hai / huan, 是 / 十 / 事 shi) would match everything. Guards, each general:

* a number character stays itself (一一 is an amount, not 异议; 周武 is a name, not 周五; 星七
  before a weekday digit is the one exception, 下星七二 = 下星期二);
* a word of negation stays itself (我全不还 is "I won't pay any", never 全部还);
* where the sounds are written as another word of the language (一般 "usually" for 一半, 分歧
  "a disagreement" for 分期, 大错 for 打错, 克服 for 客服), the key word is restored only in
  the context its entry names, or never. The other words are pypinyin's phrase dictionary (the
  data the syllables come from, 47k phrases) and the few common words listed in ``_WORDS``;
* some key words are read by sound only in their own context (一半 / 全部 / 全额 next to a
  payment verb: 我一班的同学 stays).

Pure: pypinyin's tables are read once, at the first call.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from pypinyin import lazy_pinyin
from pypinyin.phrases_dict import phrases_dict

NUMBER_CHARS = frozenset("0123456789零〇一二两三四五六七八九十百千万")
_NEGATION = frozenset("不没别未无非莫勿")
WEEKDAY_DIGITS = "一二三四五六日天"
# common words sharing a key word's sound that pypinyin's phrase dictionary lacks (it holds the
# phrases whose reading is not the characters' own): 事业 "career" (失业), 换钱 "change money"
# (还钱), 一班 / 一版 "a class / an edition" (一半), 全不 "not at all"
_WORDS = frozenset({"事业", "换钱", "一班", "一版", "全不"})

# a payment verb right before the word, or right after it (还一半, 一半先还, 全额还款)
_PAY_BEFORE = re.compile(r"(?:[还付转交打给]|还款|支付)(?:[个了上掉]|先)?$")
_PAY_AFTER = re.compile(r"^(?:[先就都也]|我)?(?:[还付转交打给]|还款|支付)")
# an instalment asked or offered (能不能分歧还 = 分期; 我们有分歧 stays)
_ASK_BEFORE = re.compile(r"(?:能不能|能否|可以|可不可以|想|要|申请|办|做)$")
_INSTALMENT_AFTER = re.compile(r"^(?:[还付交]|几个月|几期|[多十]?[一二两三四五六七八九十]?个月)")


@dataclass(frozen=True, slots=True)
class KeyWord:
    """A key word; heard by sound anywhere unless ``context`` is given (then only where it says
    so), and written as another word of the language only where ``word_context`` says so."""

    word: str
    context: tuple[re.Pattern[str], re.Pattern[str]] | None = None
    word_context: tuple[re.Pattern[str], re.Pattern[str]] | None = None
    not_before: str = ""  # characters after which the said form is another word (最底层)


_NOWHERE = re.compile("(?!)")
_NEAR_PAYMENT = (_PAY_BEFORE, _PAY_AFTER)
_ANYWHERE = (re.compile(""), re.compile(""))  # the other word is the key word's other spelling
# 威信 ("prestige") is 微信 when paid through or added (用威信转, 加威信)
_WECHAT = (re.compile("(?:用|通过|加|在|从)$"), re.compile("^[转付还上里号]"))
# the words the recogniser writes for 打错 / 客服 / 逾期 (seen in nlu/data/zh_*_asr.yml), read so
# only where the other word cannot stand: 你大错了吧 (我犯了个大错 stays), 找你们克服 / 你是克服吗
# (我会克服的 stays), 我知道我预期了 (跟我预期的不一样 stays)
_WRONG_NUMBER = (re.compile("(?:^|你|您|们|[,，。 ])$"), _NOWHERE)
_AGENT = (
    re.compile("(?:找|转|你们|员工|人工|叫|给我|小哥|监人|让)$"),
    re.compile("^(?:吗|呢|来|过来|电话|热线|属|人员)"),
)
_OVERDUE = (_NOWHERE, re.compile("^了"))

KEY_WORDS: tuple[KeyWord, ...] = (
    *(KeyWord(w) for w in ("还款", "还钱", "人工", "没钱", "失业", "银行卡")),
    KeyWord("打错", word_context=_WRONG_NUMBER, not_before="特"),
    KeyWord("客服", word_context=_AGENT),
    KeyWord("逾期", word_context=_OVERDUE),
    *(KeyWord(w) for w in ("支付宝", "工资", "月底", "月初", "骚扰", "投诉", "利息", "已经")),
    *(KeyWord(w) for w in ("网银", "下周", "礼拜", "贷款", "住院", "催收", "元旦")),
    # 还情 / 转帐 / 钱款 / 疑义: the recogniser's spelling of the same word
    *(KeyWord(w, word_context=_ANYWHERE) for w in ("还清", "转账", "欠款", "异议")),
    KeyWord("星期", word_context=(_NOWHERE, re.compile(f"^[{WEEKDAY_DIGITS}]"))),  # 行期五
    KeyWord("微信", word_context=_WECHAT),
    *(KeyWord(w) for w in ("今天", "明天", "后天", "昨天", "这个月", "下个月", "上个月")),
    *(KeyWord("周" + d) for d in "一二三四五六日末"),
    KeyWord("分期", word_context=(_ASK_BEFORE, _INSTALMENT_AFTER)),
    KeyWord("最低", not_before="层下部端"),
    KeyWord("一半", context=_NEAR_PAYMENT, word_context=_NEAR_PAYMENT),
    KeyWord("全部", context=_NEAR_PAYMENT),
    KeyWord("全额", context=_NEAR_PAYMENT),
)


@dataclass(frozen=True, slots=True)
class Found:
    start: int
    end: int
    key: KeyWord


@functools.lru_cache(maxsize=8192)
def syllable(ch: str) -> str:
    """The toneless syllable of one character (a non-Chinese character stands for itself)."""
    sounds = lazy_pinyin(ch)
    return sounds[0] if len(sounds) == 1 else ch


@functools.cache
def _index() -> dict[int, dict[tuple[str, ...], KeyWord]]:
    """The key words by length: toneless syllables -> the word (还 read hai and huan)."""
    by_len: dict[int, dict[tuple[str, ...], KeyWord]] = {}
    for key in KEY_WORDS:
        sounds = lazy_pinyin(key.word)
        readings = [sounds]
        if "还" in key.word:
            huan = ["huan" if ch == "还" else s for ch, s in zip(key.word, sounds, strict=True)]
            readings.append(huan)
        for reading in readings:
            by_len.setdefault(len(key.word), {})[tuple(reading)] = key
    return by_len


@functools.cache
def _written() -> dict[str, KeyWord]:
    return {key.word: key for key in KEY_WORDS}


def is_word(said: str) -> bool:
    """Whether ``said`` is a word of the language of its own (pypinyin's phrases, ``_WORDS``)."""
    return said in _WORDS or said in phrases_dict


def _numbers_kept(word: str, said: str, after: str) -> bool:
    """A number character is heard only as itself (下星七二 = 下星期二 the one exception)."""
    if word == "星期" and said == "星七":
        return after != "" and after in WEEKDAY_DIGITS
    return all(
        w == s for w, s in zip(word, said, strict=True) if w in NUMBER_CHARS or s in NUMBER_CHARS
    )


def _fits(key: KeyWord, text: str, start: int, end: int) -> bool:
    said, word = text[start:end], key.word
    after = text[end : end + 1]
    if not _numbers_kept(word, said, after):
        return False
    if any(s in _NEGATION and s != w for w, s in zip(word, said, strict=True)):
        return False
    if after and after in key.not_before:
        return False
    context = key.word_context if is_word(said) else key.context
    if is_word(said) and key.word_context is None:
        return False
    if context is None:
        return True
    before_pattern, after_pattern = context
    return bool(before_pattern.search(text[:start]) or after_pattern.search(text[end:]))


def find(text: str) -> Iterator[Found]:
    """Each key word in ``text``, written as itself or by its sound (longest first, left to
    right, no overlaps)."""
    index, written = _index(), _written()
    sounds = [syllable(ch) for ch in text]
    sizes = sorted(index, reverse=True)
    i = 0
    while i < len(text):
        for size in sizes:
            if i + size > len(text):
                continue
            said = text[i : i + size]
            key = written.get(said) or index[size].get(tuple(sounds[i : i + size]))
            if key is not None and (said == key.word or _fits(key, text, i, i + size)):
                yield Found(i, i + size, key)
                i += size - 1
                break
        i += 1


def restore(text: str) -> str:
    """``text`` with every key word heard by sound written as itself (环款 -> 还款)."""
    out, last = [], 0
    for found in find(text):
        out += [text[last : found.start], found.key.word]
        last = found.end
    return "".join(out) + text[last:]


def says(text: str, *words: str) -> bool:
    """Whether ``text`` says one of ``words`` (key words), by characters or by sound."""
    return any(found.key.word in words for found in find(text))
