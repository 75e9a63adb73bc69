"""What the recogniser printed, made ready to parse: ``prepare(text, lang)``.

Both languages: the recogniser's non-speech notes dropped ([BLANK_AUDIO], (music), *sighs*),
lower case, single spaces, thousands separators dropped ("1,500" -> "1500").
Mandarin, in this order:

1. traditional -> simplified (OpenCC's t2s tables, pure Python): 還錢 -> 还钱, 週五 -> 周五, then
   the variant forms the tables leave in their standard form (甚么 -> 什么, 衹 -> 只) and the
   financial numerals of a number as plain ones (壹仟伍佰 -> 一千五百): ``nlu.simplified``;
2. the recogniser's homophone slips on the key words of a collection call, repaired by toneless
   pinyin (``nlu.sounds_zh``): a key word is restored wherever the same syllables are written with
   other characters (环款/缓款 -> 还款, 余期 -> 逾期, 支付包 -> 支付宝, 李白 -> 礼拜, 意义 -> 异议,
   做天 -> 昨天, 最底 -> 最低, 州五 -> 周五, 这各月 -> 这个月), never over a number character or a
   word of negation, and where the sounds are another word (一般, 分歧, 大错) only in the key
   word's context (还一般 = 还一半; 我一般周五还 stays);
3. the slips that are not exact homophones, each only in the context that makes it
   unambiguous: a huan/hui syllable before an amount is 还 (我周五环两千, 下周五回两千), a huan
   syllable after 已经/早就/都 before 了/过/清/完 too (我已经换了);
   这/州 before a weekday digit that is not a number's is 周 (这五还一千, but 这五百块 stays);
   分析 -> 分期; 在账 -> 转账; 中午 -> 周五 before a payment when no day is named; 这中六 -> 这周六;
4. numbers and dates as the recogniser mangles them: 还两天五 -> 还两千五 (千/天), 下个月三后 ->
   下个月三号 (号/后), 十五好 -> 十五号 (号/好), 一钱五 -> 一千五 (千/钱), 五百快 -> 五百块,
   三千园 -> 三千元, a decimal said in words (一点五千 -> 1.5千), an amount said digit by digit
   (还二五零零 -> 还2500), and 晓得 heard as 小的 where it is the verb (小的啦我没忘);
5. the words of a dispute or an acknowledgement: 这比不是我的 -> 这笔, 这个仗不是我的 -> 这个账,
   直到了 -> 知道了 (where "until" cannot stand).

The parser, the entity extractor and the policy's own slot readers all call this, so every
part of the system reads the same text.
"""

from __future__ import annotations

import re

from nlu.simplified import standard_forms, to_simplified
from nlu.sounds_zh import WEEKDAY_DIGITS, restore, syllable
from nlu.text_en import repair_en
from nlu.text_zh import repair_amount_slips

_AMOUNT_START = "0123456789一二两三四五六七八九十百千万几"
_HUAN_CHARS = {"huan", "hui"}
_NOT_WEEKDAY_AFTER = "十百千万块元个期次点号天年月位件多块"


# the recogniser's notes on what is not speech: [BLANK_AUDIO], (upbeat music), *sighs*, ♪, 【音乐】
_NON_SPEECH = re.compile(r"\[[^\]]*\]|\([^)]*\)|\*[^*]*\*|[♪♫]+|【[^】]*】|（[^）]*）")


def _repair_context(text: str) -> str:
    text = repair_amount_slips(text)
    sounds = [syllable(ch) for ch in text]
    chars = list(text)
    for i, ch in enumerate(chars):
        after = chars[i + 1] if i + 1 < len(chars) else ""
        after2 = chars[i + 2] if i + 2 < len(chars) else ""
        before = "".join(chars[max(0, i - 2) : i])
        if (
            ch != "还"
            and sounds[i] == "huan"
            and after in ("了", "过", "清", "完")
            and before.endswith(("已经", "早就", "都"))
        ):
            chars[i] = "还"  # 我已经环了, 早就换清了
        elif ch != "还" and sounds[i] == "huan" and before.endswith(("不", "没")):
            if not after or after in "了的啊呀吧,，。!！?？ ":
                chars[i] = "还"  # 我不换。 = 我不还 (a clause's last word; 不换号码 stays)
        elif ch != "还" and sounds[i] in _HUAN_CHARS and after and after in _AMOUNT_START:
            if sounds[i] == "huan" or (i > 0 and chars[i - 1] in WEEKDAY_DIGITS + "天号"):
                chars[i] = "还"  # 环两千, 缓一千; 回 only right after a day (周五回两千)
        elif (
            ch in "中钟终忠"
            and i > 0
            and chars[i - 1] in "这下上本"
            and after
            and after in WEEKDAY_DIGITS
            and (not after2 or after2 not in _NOT_WEEKDAY_AFTER)
        ):
            chars[i] = "周"  # 这中六 = 这周六 (zhong for zhou after 这/下/上)
        elif (
            (sounds[i] == "zhou" or ch == "这")
            and ch not in "周"
            and after
            and after in ("五" if ch == "这" else WEEKDAY_DIGITS)
            and (not after2 or after2 not in _NOT_WEEKDAY_AFTER)
            and not (i > 0 and chars[i - 1] in "上下本")
        ):
            chars[i] = "周"
    text = "".join(chars)
    text = text.replace("分析", "分期").replace("在账", "转账")
    text = _BI_AS_SUM.sub("笔", text)
    text = _ZHANG_AS_ACCOUNT.sub("账", text)
    text = _ZHIDAO.sub("知道", text)
    text = _THOUSAND_AS_DAY.sub(_thousand, text)
    text = _DAY_SLIPS.sub(lambda m: _DAY_FIXES[m.group(0)], text)
    text = _WEEKDAY_SLIPS.sub(lambda m: _WEEKDAY_FIXES[m.group(0)], text)
    text = _HUNDRED_AS_DEFEAT.sub("百", text)
    text = _THREE_AS_FEN.sub("三千", text)
    text = _PAID_ENDING.sub(lambda m: "的" if m.group(0) == "等" else "了", text)
    text = _TIAN_AS_QIAN.sub(lambda m: m.group(1).replace("名", "明") + "天", text)
    text = _SLOWLY.sub("慢慢", text)
    for variant, account in _ACCOUNT_WORDS:
        text = text.replace(variant, account)
    text = _XIAODE_LA.sub("晓得啦", text)
    text = _XIAODE.sub("晓得", text)
    text = _DIGIT_AMOUNT.sub(_digits, text)
    text = _HAO_AS_HOU.sub(r"\1号", text)
    text = _HAO_AS_GOOD.sub(r"\1号", text)
    text = _THOUSAND_AS_MONEY.sub("千", text)
    text = _UNIT_SLIP.sub(lambda m: _UNITS[m.group(0)], text)
    text = _DECIMAL_SAID.sub(_decimal_said, text)
    return _noon_is_friday(text)


# 千 heard as 天 inside an amount after 还 (还两天五 = 还两千五, 周五还两天 = 还两千): a digit, 天,
# then another digit or 块/元, or the end of the clause when a day was named before it ("还两天"
# alone may be "two more days"); "还有两天", "过两天还" and "两天后" do not match
_THOUSAND_AS_DAY = re.compile(
    r"(?<=还)([个了]?[1-9一二两三四五六七八九])天"
    r"(?:(?=[一二三四五六七八九]|块|元)|(?P<end>(?=[,，。.!！ ]|$)))"
)


def _thousand(m: re.Match[str]) -> str:
    if m.group("end") is not None and not _DAY_WORDS.search(m.string[: m.start()]):
        return m.group(0)
    return m.group(1) + "千"


# 号 (hao) heard as 后 / 候 (hou) after a day of the month (下个月三后我还, 12月10候): 月, a day
# number, then 后/候 before a payment, a pause or the end ("三天后" has no 月)
_HAO_AS_HOU = re.compile(
    r"(月[0-9零一二两三四五六七八九十]{1,3})[后候](?=[我就再先还付转,，。 ]|之前|以前|前|$)"
)
# an amount said digit by digit (还二五零零, 二五零零块): three or more digits with no unit between
# them, right after a payment verb or right before 块/元, read as the number they spell
_DIGIT_AMOUNT = re.compile(
    r"(?<=[还付转交])([个了]?)([零〇一二三四五六七八九]{3,6})(?![年月号日点十百千万])"
    r"|([零〇一二三四五六七八九]{3,6})(?=块|元)"
)
_DIGIT_VALUE = str.maketrans("零〇一二三四五六七八九", "00123456789")


def _digits(m: re.Match[str]) -> str:
    if m.group(2):
        return m.group(1) + m.group(2).translate(_DIGIT_VALUE)
    return m.group(3).translate(_DIGIT_VALUE)


# 晓得 ("I know", xiao de) heard as 小的 / 小德 / 晓的 when it stands as the verb: at the start
# of a clause or after 我/都/也, before a particle, 你/我 or the end (我小的时候 is not matched)
_XIAODE = re.compile(
    r"(?:(?<=^)|(?<=[我都也,，。 ]))(?:小的|小德|小得|晓的)(?=[啦了呀啊嘛的,，。 ]|你|我|$)"
)


# 笔 (bi, the measure word of a debt) heard as 比 after 这/那/一, before what a debt is said
# with (这比不是我的, 一比钱); "这比那个好" compares and stays
_BI_AS_SUM = re.compile(r"(?<=[这那一])比(?=钱|账|债|款|贷|借|不是|是我|我没|我不|有问题|不对)")
# 账 (zhang) heard as 仗/帐/张/涨/章/丈 after 这个/那个/这笔, before a denial or a complaint
# (这个仗不是我的, 这笔张不对)
_ZHANG_AS_ACCOUNT = re.compile(
    r"(?<=这个|那个|这笔|那笔)[仗帐张涨章丈](?=不是|我不|我没|有问题|不对|算错|搞错)"
)
# 知道 (zhi dao) heard as 直到 ("until") where nothing can follow "until": the utterance's start
# before 了/啦/的/啊 or its end (直到了, 直到啦我没忘)
_ZHIDAO = re.compile(r"^直到(?=[了啦的啊呀,，。 ]|$)")


# 号 (hao) heard as 好 (hao) after a day of the month said on its own (after a pause, 月, 我,
# 就, 到...), before a payment, a pause or the end (十五好还一千, 下个月三好); not after a count
# or an amount (三个好, 一千好不好), nor in a word (统一好了), nor before 吗/不
_HAO_AS_GOOD = re.compile(
    r"(?:(?<=^)|(?<=[\s,，。月我就在到是那等]))"
    r"([1-9]|[12][0-9]|3[01]|[一二三四五六七八九十]"
    r"|十[一二三四五六七八九]|[二三]十[一二三四五六七八九]?)"
    r"[好后候](?=[我就再先还付转,，。 ]|之前|以前|前|$)"  # 号 heard 后/候 too (三后还)
)
# 千 (qian) heard as 钱 (qian) inside an amount: a digit, 钱, then a digit or 块/元 (一钱五,
# 两钱块); "还钱", "一分钱" and "五百块钱" do not match
_THOUSAND_AS_MONEY = re.compile(r"(?<=[0-9一二两三四五六七八九])钱(?=[一二三四五六七八九]|块|元)")
# the currency said after an amount, heard as its homophone: 五百快 = 五百块, 三千园 = 三千元
# (not 快点 / 快要 / 快了: "soon")
_UNIT_SLIP = re.compile(r"(?<=[0-9十百千万])(?:快(?![点要了些])|[园圆原](?![因来则]))")
_UNITS = {"快": "块", "园": "元", "圆": "元", "原": "元"}
# a decimal said before a unit, 一点五千 = 1.5千 (not 一点 "a little": 还一点, 一点五十)
_DECIMAL_SAID = re.compile(r"(?<![0-9一二两三四五六七八九十百千万])([零一二两三四五六七八九])点"
                           r"([零一二三四五六七八九]{1,2})(?=[千万]|[kKwW])")  # fmt: skip


def _decimal_said(m: re.Match[str]) -> str:
    whole, tenths = m.group(1), m.group(2)
    return f"{_DIGIT_OF[whole]}.{''.join(str(_DIGIT_OF[c]) for c in tenths)}"


_DIGIT_OF = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}


# days heard as their homophones where nothing else fits: 下个月出 = 下个月初 (chu), 中日 / 中六
# = 周日 / 周六 before a payment or a pause (zhong for zhou)
_DAY_SLIPS = re.compile(
    r"(?<=月)出(?=还|我|就|之前|以前|前|[,，。 ]|$)"
    r"|中[日六](?=之前|以前|前|还|我|就|能|[,，。 ]|$)"
)
_DAY_FIXES = {"出": "初", "中日": "周日", "中六": "周六"}
# the weekday after 礼拜/星期/周 heard as its homophone before a payment: 礼拜依 = 礼拜一 (yi),
# 礼拜是我先还 = 礼拜四 (shi for si)
_WEEKDAY_SLIPS = re.compile(
    r"(?<=礼拜|星期)[依衣医伊](?=[我还就先之前,，。 ]|$)|(?<=周)[依衣医伊](?=[我还就先之])"
    r"|(?<=礼拜|星期)[是事试祝](?=我先|我还|还|先)"
)
_WEEKDAY_FIXES = {"依": "一", "衣": "一", "医": "一", "伊": "一"} | dict.fromkeys("是事试祝", "四")
# 百 (bai) heard as 败 after a number (两败, 发败 = 八百 aside): not the idiom 两败俱伤
_HUNDRED_AS_DEFEAT = re.compile(r"(?<=[0-9一二两三四五六七八九十])败(?!俱)")
# 三千 heard as 分千 (no such word): after 还/打/转 or before 块/元
_THREE_AS_FEN = re.compile(
    r"(?<=[还打转付])分千|(?<![0-9一二两三四五六七八九十百万部])分千(?=块|元)"
)
# a payment's 了/的 at a clause's end heard as 乱/赖 (le) or 等 (de): 帮我还乱 = 还了, 在网上还等
# = 还的
_PAID_ENDING = re.compile(r"(?<=还)[乱赖等](?=[。,，!！ ]|$)")
# 天 heard as 千 in a day word when no number is before it (大后千 = 大后天, 名千 = 明天)
_TIAN_AS_QIAN = re.compile(r"(?<![0-9一二两三四五六七八九十百])(大后|明|今|昨|名)千(?![块元])")
# 慢慢 (man man, "slowly") heard as 万万 after an amount: 500万万还 is not five million
_SLOWLY = re.compile(r"万万(?=还|款|来|[,，。 ]|$)")
# 帐 is the older form of 账 in the words of a payment
_ACCOUNT_WORDS = (("转帐", "转账"), ("还帐", "还账"), ("帐号", "账号"), ("帐户", "账户"))
# ... and 晓得啦 heard as 小德兰 / 小的蓝 (la heard as lan) before a pause or the end
_XIAODE_LA = re.compile(
    r"(?:(?<=^)|(?<=[我都也,，。 ]))(?:小的|小德|小得|晓的|晓得)[兰蓝](?=[,，。 ]|你|我|$)"
)


_DAY_WORDS = re.compile(r"[天号日]|周|星期|礼拜|月底|月初|今|明|后")


def _noon_is_friday(text: str) -> str:
    """中午 (zhong wu) is how the recogniser hears 周五 (zhou wu) in "中午还两千": read it as 周五
    when a payment follows and no day is named (明天中午还两千 keeps its noon)."""
    m = re.search(r"中午(?=(?:我|就|能|可以|先)?(?:[还环缓付]|转账|转给))", text)
    if m is None or _DAY_WORDS.search(text[: m.start()] + text[m.end() :]):
        return text
    return text[: m.start()] + "周五" + text[m.end() :]


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


# a pause mark the recogniser prints inside one Mandarin number: after 千 before a count of 百,
# after 万 before a count of 千 ("一千、八百" is 1800, never two amounts said as a list)
_NUMBER_PAUSE = re.compile(
    r"(?<=[一二两三四五六七八九十]千)[、，,]\s*(?=[一二两三四五六七八九]百)"
    r"|(?<=[一二两三四五六七八九十]万)[、，,]\s*(?=[一二两三四五六七八九]千)"
)


def prepare(text: str, lang: str) -> str:
    """``text`` as the parsers read it (see the module docstring)."""
    text = _NON_SPEECH.sub(" ", text)
    text = " ".join(text.strip().lower().split())
    text = text.translate(_FULLWIDTH_DIGITS)
    text = _NUMBER_PAUSE.sub("", text)  # "一千、八百块": the recogniser's pause inside one number
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))|(?<=\d)，(?=\d{3})", "", text)
    if lang != "zh" or not text:
        return repair_en(text)
    text = to_simplified(text)  # not OpenCC's t2s alone: it turns simplified 结束 into 結束
    return _repair_context(restore(mandarin_words(standard_forms(text))))


def mandarin_words(text: str) -> str:
    """Mandarin ``text`` with the Cantonese words below in their Mandarin form (系我 -> 是我)."""
    text = _CANTONESE.sub(lambda m: _CANTONESE_WORDS[m.group()], text)
    return _CANTONESE_IS.sub("是", text)


# Cantonese words a Cantonese speaker keeps in Mandarin (系我 = 是我, 唔系 = 不是, 佢 = 他, 冇钱
# = 没钱, 做咩 = 做什么); 唔 only before a verb (alone it is a hum, as 嗯), 系 only as "is"
# (关系, 联系, 系统 stay)
_CANTONESE_WORDS = {
    "系咪": "是不是", "唔该": "谢谢", "唔好再": "不要再", "边个": "谁", "乜嘢": "什么",
    "咩": "什么", "冇": "没有",
    "佢哋": "他们", "佢": "他", "嘅": "的", "咗": "了", "喺": "在", "俾": "给", "唔": "不",
}  # fmt: skip
_CANTONESE = re.compile(
    r"系咪|唔该|唔好再|边个|乜嘢|咩|冇|佢哋|佢|嘅|咗|喺|俾|唔(?=[系好要使识知得还想会记喺])"
)
_CANTONESE_IS = re.compile(
    r"(?<![关联体维世派直旁嫡院科])系(?=我|你|佢|他|她|呀|啊|的|啦|喇|咪|[\s,，。.!！?？]|$)"
    r"|(?<=[就都我])系(?=[\u4e00-\u9fff])(?![统列数])"  # 我系李明 = 我是李明; 我系统地 stays
)


def colloquial_words(text: str) -> str:
    """An answer to "are you <name>?" said the northern or colloquial way in its plain form:
    俺/咱 = 我 (俺们/咱们 = 我们), 啥 = 什么, 咋 = 怎么, 乜 = 什么 (乜事), 干哈 = 干什么,
    是滴 / 对滴 = 是的 / 对的, 嗯呐 / 嗯哪 / 嗯呢 = 嗯 (not 嗯哪位 / 嗯哪个), and a word said
    twice across a pause once (俺 俺就是 = 我就是). For the policy's reading of who speaks
    (``nlu.affirmation``, ``nlu.policy.answers``); the classifier reads its own training words
    and is not given it."""
    text = _COLLOQUIAL.sub(lambda m: _COLLOQUIAL_WORDS[m.group()], text)
    text = _COLLOQUIAL_DE.sub("的", _COLLOQUIAL_EN.sub("嗯", text))
    return _STUTTER.sub("", text)


_COLLOQUIAL_WORDS = {
    "俺们": "我们", "咱们": "我们", "俺": "我", "咱": "我", "啥子": "什么", "啥": "什么",
    "咋": "怎么", "干哈": "干什么", "乜": "什么",
}  # fmt: skip
_COLLOQUIAL = re.compile(r"俺们|咱们|俺|咱|啥子|啥|咋|干哈|乜(?!嘢)")
_COLLOQUIAL_EN = re.compile(r"嗯[呐哪呢](?![个里儿位天边些])")
_COLLOQUIAL_DE = re.compile(r"(?<=[是对])滴")
# one character said, a pause, then the clause it starts (俺 俺就是, 是 是我): said once
_STUTTER = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff])[\s,，、]+(?=\1)")
