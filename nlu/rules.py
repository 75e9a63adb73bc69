"""Rules on top of the classifier for the intents with legal weight, and an abuse lexicon.

Classifiers confuse "stop calling me" with callback_later; a missed cease request or dispute is a
compliance breach, so these patterns override the classifier. Order is priority: a debtor who
says "I don't owe this, stop calling me" has asked to stop calling.
"""

from __future__ import annotations

import re

from core.dialogue import Intent

_EN: tuple[tuple[Intent, re.Pattern[str]], ...] = (
    (
        "stop_calling",
        re.compile(
            r"\b(stop|quit|cease)\s+(?:\w+\s+){0,2}?"
            r"(calling|phoning|contacting|harass|these calls|the calls)"
            r"|\b(don'?t|do not|never|dont)\s+(ever\s+)?(call|contact|phone)\b"
            r"|\bno more (phone )?calls\b|\b(take|remove|delete) (me|my number|this number)\b"
            r"|\bdo not call list\b|\blose my number\b|\brevoke\b.*\bconsent\b"
            r"|\bcease (all )?(communication|contact)\b|\bin writing only\b"
            r"|\bcalls? to stop\b|\bcan'?t call me anymore\b"
            # telephone-band Whisper hears "please stop calling me" as "please start calling
            # me" (1 in 12 measured); no debtor asks a collector for more calls
            r"|\b(please )?start (calling|contacting|phoning) me\b",
            re.I,
        ),
    ),
    (
        "dispute",
        re.compile(
            r"\b(don'?t|do not|dont) owe\b|\bnot my (debt|loan|account)\b|\bdisput"
            r"|\bnever (took out|borrowed|had|opened|signed|got that money|applied)"
            r"|\bidentity theft\b|\b(stole|used) my identity\b|\bfraud\b"
            r"|\b(debt|loan) (isn'?t|is not) mine\b|\bvalidation notice\b|\bcontest"
            r"|\bproof (that )?i owe\b|\bverification of the debt\b",
            re.I,
        ),
    ),
    (
        "request_agent",
        re.compile(
            r"\b(speak|talk|transfer|connect|put)\b.{0,25}\b(human|person|agent|representative"
            r"|supervisor|manager|somebody|someone|operator)\b"
            r"|^(agent|representative|operator|human)( please)?( \w+)?$"
            r"|\blive (agent|person)\b",
            re.I,
        ),
    ),
    (
        "wrong_number",
        re.compile(
            r"\bwrong (number|person|guy)\b|\bno(body| one)\b.{0,20}\bby that name\b"
            r"|\bno such person\b|\bnever heard of (him|her|them|that)\b",
            re.I,
        ),
    ),
)

_ZH: tuple[tuple[Intent, re.Pattern[str]], ...] = (
    (
        "stop_calling",
        re.compile(
            r"(别|不要|不许|不准|停止)(再)?(给我|往我|打我|打到我)?.{0,4}(打|来电|联系|骚扰)"
            r"|骚扰|删(掉|除)?(我的)?号码|拉黑|别打了"
        ),
    ),
    (
        "dispute",
        re.compile(
            r"没借过|不是我借的|不欠|异议|冒用|盗用|没申请过|没有这笔|不认(这|账)|不是我的(账|债)"
            r"|没签过|申诉|算错|乱收费|高利贷|这笔债不是"
        ),
    ),
    (
        "request_agent",
        re.compile(
            r"转人工|人工客服|要人工|找人工|接人工|人工服务|转接|(找|要|跟|和)真人|真人客服|^人工"
        ),
    ),
    (
        "wrong_number",
        re.compile(r"打错|没有这个人|没这个人|查无此人|找错人|拨错"),
    ),
)

_ABUSE_EN = re.compile(
    r"\b(fuck\w*|f\*+k|shit\w*|bitch\w*|asshole|bastard|cunt|dickhead|motherf\w*|go to hell"
    r"|piece of crap|screw you)\b",
    re.I,
)
_ABUSE_ZH = re.compile(r"傻逼|傻b|煞笔|他妈的|操你|草你|滚蛋|滚开|去死|王八蛋|混蛋|狗日|贱人|妈的")


def rule_intent(text: str, lang: str) -> Intent | None:
    """The legally weighty intent the text clearly expresses, if any."""
    for intent, pattern in _ZH if lang == "zh" else _EN:
        if pattern.search(text):
            return intent
    return None


def is_abusive(text: str, lang: str) -> bool:
    return bool((_ABUSE_ZH if lang == "zh" else _ABUSE_EN).search(text))
