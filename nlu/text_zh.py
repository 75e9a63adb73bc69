"""More of the recogniser's Mandarin slips on amounts and days, repaired in context (called by
``nlu.text.prepare`` after the pinyin lexicon, before its own context repairs; each rule only
where no other reading fits):

- the payment verb 还 heard as 回/会/汇/毁 (hui), 怀 (huai) or 魂 (hun) right before an amount
  that carries its unit (我回一万, 大后天怀一千块, 下周五魂五千块钱; 回一趟 and 会一点 stay), and
  还/环 (huan) with the recogniser's pause mark before the amount (下周四环,1200块);
- 千 heard as 天/先/前/钱 before 出头 ("a bit over": 两天出头 = 两千出头);
- 个 heard as 颗/棵/科/可/课 between 下/这/上 and 月/礼拜/星期/周 (下颗月初 = 下个月初);
- 九 heard as 久/酒 before a unit (久百 = 九百);
- 十号 heard as 时候/时后/时好/学好 right after 月 (下个月时候 = 下个月十号, 12月时后) or after a
  tens digit heard 分 (我分时好还 = 我三十号还, 我分时好款 with 还款's 还 lost); 到时候, 月底的
  时候, 时好时坏 stay;
- 三千 heard 分签/分钱 after a payment verb, 百 heard 拜 after a number (两拜; 拜托 stays), 三
  heard 分 after 礼拜/星期 (or the pause mark printed after them) before a payment (下礼拜分款,
  下礼拜、分款);
- 一 heard 于 before a unit after a payment verb (怀于千), 周日 heard 终于 right before paying an
  amount (那我终于还四百五; 终于还清了 stays);
- 九 heard as 就/久 closing an amount at a clause's end (九百就 = 九百九; 一千就行 stays);
- 礼拜 heard as 礼带, 天 as 先 in a day word before a payment (明先转 = 明天转), 之前 / 之内
  heard as 支前 / 今内;
- a payment made, heard otherwise: 还了 as 还论 at a clause's end, 还 as 换/环 before 了 and an
  amount or the end after a day gone by (昨天帮我换了一千五; 昨天换了号码 stays), 转 as 整
  before 过去 (整过去了), 在 as 再 before a channel or a place (再支付宝上, 再往一上 = 在网银上);
- payday said before the day: 工资 heard 公司 after 发(了) (发了公司 = 发了工资), and 十号 heard
  时候/学校/学号/时套/十套 right after 工资 before a payment (发了工资学校还 = 发了工资十号还;
  时候 only after 发了工资, "发工资的时候还" stays);
- the tail of an amount: 一千二 heard 一千、两千 closing a payment's clause (the 二 given a 千 of
  its own after the pause mark; a list, 一千、两千都行, stays), 元 heard 亿/云 after a digit that
  follows 千/百 (一千二亿, 三百五云), 还一 heard 怀疑 before 千/百/万;
- 账 (an account, a debt) printed 帐 by the recogniser (我老公的帐, 这个帐不对); 帐篷, 蚊帐 stay.
"""

from __future__ import annotations

import re

_DIGIT = "0-9零一二两三四五六七八九十"
# an amount that says its unit: a number word or digits with 百/千/万 in it, or before 块/元,
# or three digits and more
_AMOUNT_WITH_UNIT = (
    rf"(?:[{_DIGIT}]+[百千万kKwW]|[{_DIGIT}百千万]+(?:块|元)|[0-9]{{3,}}"
    r"|[一二两三四五六七八九]十[千万])"
)
# a count is no amount: 开会两千人, 回三百次
_NOT_COUNT = r"(?![人个次遍年天期号月岁分位件])"
_PAY_SLIP = re.compile(rf"[回会汇毁怀魂](?=(?:个|了)?{_AMOUNT_WITH_UNIT}{_NOT_COUNT})")
_PAUSED_PAY = re.compile(rf"(?<=[还环缓换])[,，、]\s*(?={_AMOUNT_WITH_UNIT}{_NOT_COUNT})")
_OVER = re.compile(rf"(?<=[{_DIGIT}])[天先前钱](?=出头)")
_MEASURE = re.compile(r"(?<=[下这上])[颗棵科可课](?=月|礼拜|星期|周)")
_NINE = re.compile(r"[久酒](?=[百千万败])")  # 久败 = 九百 (败 -> 百 follows)


_NINE_CLOSING = re.compile(r"(?<=[0-9一二两三四五六七八九][百千败])[就久酒](?=[,，。.!！ ]|$)")
_DAY_WORD_SLIPS = re.compile(
    r"礼带|(?<=[明今后昨])先(?=[我还转就给打付先把,， ])|支前|今内"
    r"|(?:(?<=礼拜|星期)|(?<=礼拜、|星期、|礼拜，|星期，))分(?=还|款|我|[,， ])"
)
_DAY_WORD_FIXES = {"礼带": "礼拜", "先": "天", "支前": "之前", "今内": "之内", "分": "三"}
# 十号 heard 时候/时后/时好/学好/学后 after a month (12月时后) or after a tens digit heard 分
# (三十号 = 分时好) or said alone before a payment
_TENTH = re.compile(
    r"(?:(?<=月)|(?<=[我到就在是,，\s])|^)(?P<tens>[分三二两]?)(?:时候|时后|时好|学好|学后)"
    r"(?=[我就再先还款付转把前之以请,，。 ]|$)"
)
# 一 heard 于 before a unit after a payment verb (怀于千 = 还一千)
_ONE = re.compile(r"(?<=[还环缓怀回])于(?=[千百万])")
# 周日 heard 终于 ("finally") right before paying an amount (那我终于还四百五; a payment finally
# made, 终于还了 / 终于还清, stays)
_SUNDAY = re.compile(rf"终于(?=(?:能|可以|先|就)?还[{_DIGIT}百千万])")
# 三千 heard as 分签 / 分钱 / 分前 after a payment verb (还分签; 还分期 stays)
_THREE_THOUSAND = re.compile(r"(?<=[还打转付])分[签钱前迁]")
# 百 heard as 拜 after a number (还两拜; 一拜访, 拜托, 拜年 stay)
_HUNDRED = re.compile(r"(?<=[0-9一二两三四五六七八九十])拜(?![访年托佛师])")


def _tenth(m: re.Match[str]) -> str:
    tens = m.group("tens")
    if not tens and m.start() > 0 and m.string[m.start() - 1] != "月":
        return m.group(0)  # "我时好时坏": a bare 时好 says no day unless after a month
    return {"分": "三", "": ""}.get(tens, tens) + "十号"


_PAID_LE = re.compile(r"(?<=还)[论伦轮仑](?=[,，。.!！ ]|$)")
_GONE_BY = re.compile(r"昨天|昨晚|前天|上(?:个)?(?:周|礼拜|星期|月)")
_HUAN_LE = re.compile(rf"[换环缓](?=了(?:[{_DIGIT}]|[,，。.!！ ]|$))")
_ZHUAN = re.compile(r"整(?=过去了)")
# 在 (at) heard as 再 (again) before a place, a channel or what one is busy with: 再支付宝上还的,
# 再往一上 (在网银上), 我现在再开会
_AT_AS_AGAIN = re.compile(
    r"再(?=支付宝|微信|网上|网银|往[一银]|银行|手机|app|柜台|营业厅|线上|开会|上班|开车|外面|外地)"
)


# payday: 工资 heard 公司 after 发(了); 十号 heard otherwise between 工资 and a payment
_WAGES = re.compile(r"(?<=[发翻]了)公司|(?<=发)公司(?=[就还后以之到])")
_PAYDAY_TENTH = re.compile(
    r"(?<=工资)(?:学校|学号|学后|时套|十套|时好|(?<=发了工资)时候)(?=[还环缓怀回转给打付我就]|$)"
)
# 一千二 heard 一千、两千; 元 heard 亿/云 closing an amount; 还一 heard 怀疑 before a unit
_SPLIT_TAIL = re.compile(
    r"(?<=[还转付打给][一二两三四五六七八九]千)、\s*[两二]千(?=[,，。.!！?？ ]|$)"
)
_YUAN = re.compile(r"(?<=[千百][一二两三四五六七八九])[亿云](?=[,，。.!！ ]|$)")
_PAY_ONE = re.compile(r"怀疑(?=[千百万])")


_LEDGER = re.compile(r"(?<!蚊)帐(?![篷子幕])")


def _payday_and_tail(text: str) -> str:
    text = _LEDGER.sub("账", _WAGES.sub("工资", text))
    text = _PAYDAY_TENTH.sub("十号", text)
    text = _SPLIT_TAIL.sub("二", text)
    text = _YUAN.sub("元", text)
    return _PAY_ONE.sub("还一", text)


def _paid_heard(text: str) -> str:
    gone = _GONE_BY.search(text)
    if gone is not None:
        head, tail = text[: gone.end()], text[gone.end() :]
        text = head + _HUAN_LE.sub("还", tail)
    return _ZHUAN.sub("转", _PAID_LE.sub("了", text))


def repair_amount_slips(text: str) -> str:
    """``text`` with the slips of the module docstring repaired."""
    text = _paid_heard(_payday_and_tail(text))
    text = _DAY_WORD_SLIPS.sub(lambda m: _DAY_WORD_FIXES[m.group(0)], text)
    text = _ONE.sub("一", text)
    text = _SUNDAY.sub("周日", text)
    text = _TENTH.sub(_tenth, text)
    text = _THREE_THOUSAND.sub("三千", text)
    text = _HUNDRED.sub("百", text)
    text = _NINE.sub("九", text)
    text = _NINE_CLOSING.sub("九", text)
    text = _AT_AS_AGAIN.sub("在", text)
    text = _PAY_SLIP.sub("还", text)
    text = _PAUSED_PAY.sub("", text)
    text = _OVER.sub("千", text)
    return _MEASURE.sub("个", text)
