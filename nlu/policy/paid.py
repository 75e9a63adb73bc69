""" "I already paid": the day and the channel, asked for when missing, read back, recorded.

The two slots are filled from any utterance, in either order or together ("last Tuesday,
online"; "through the app" … "on the 15th"). A past date is read as the past ("on Tuesday" is
the latest Tuesday, 上周三 last week's Wednesday). What is missing is asked once more; an
answer with nothing new (or "I don't remember") ends the step with what was said: the debtor's
word that they paid is never lost for a missing detail.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from core.dialogue import DialogueCommand, Outcome, Parse, RecordAlreadyPaid
from nlu.dates import find_past_dates
from nlu.policy.common import Result, ask, end, reprompt, say
from nlu.policy.state import DialogueState, Stage
from nlu.text import prepare

# how far back a payment date is believed
PAID_LOOKBACK_DAYS = 180

# order matters: the first channel named in this list wins ("用银行卡转账" is a transfer,
# "银行卡" alone a card)
_CHANNELS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("app", r"\bapp\b|\bapplication\b|应用|小程序|客户端|app"),
        (
            "autopay",
            r"auto ?pay|automatic(?:ally)? (?:payment|debit|withdrawal|deduct)|direct debit"
            r"|自动扣|代扣|自动还",
        ),
        (
            "wallet",
            r"paypal|venmo|cash ?app|apple pay|google pay|zelle|alipay|wechat|支付宝|微信|云闪付",
        ),
        (
            "online",
            r"online|on line|website|web site|internet|portal|your site|网上|网站|官网|线上|网银",
        ),
        ("bank_transfer", r"transfer|\bwire|\bbank\b(?! ?card)|\bach\b|转账|银行(?!卡)|汇款|打款"),
        ("card", r"\b(?:debit|credit)? ?card\b|刷卡|信用卡|借记卡|银行卡"),
        (
            "cash",
            r"\bcash\b|in person|at (?:the|a|your) (?:store|branch|office)|现金|柜台|营业厅|网点",
        ),
        (
            "check",
            r"\b(?:a|by|my|the|with a|sent a|mailed a|mailed you a) (?:check|cheque)\b|cheque"
            r"|money order|支票",
        ),
        ("phone", r"over the phone|by phone|called (?:in|you)|电话(?:里|上)?(?:还|付|支付|缴)"),
    )
)
_DONT_KNOW = re.compile(
    r"\b(?:don'?t|do not|can'?t|cannot) (?:remember|recall|know)\b|\bnot sure\b|\bno idea\b"
    r"|不记得|记不清|忘了|不清楚|不知道|想不起"
)


def channel_of(text: str, lang: str) -> str | None:
    """The payment channel named in ``text`` (``online``, ``app``, ``card``, …), if any."""
    prepared = prepare(text, lang)
    return next((name for name, pattern in _CHANNELS if pattern.search(prepared)), None)


def paid_date_of(text: str, lang: str, today: date) -> date | None:
    """The (past) day a payment was made, named in ``text``."""
    earliest = today - timedelta(days=PAID_LOOKBACK_DAYS)
    found = find_past_dates(prepare(text, lang), lang, today)
    return next((d.value for d in found if earliest <= d.value <= today), None)


def names_a_slot(state: DialogueState, text: str) -> bool:
    """Whether ``text`` names the day or the channel of the payment."""
    lang = state.facts.lang
    return paid_date_of(text, lang, state.today) is not None or channel_of(text, lang) is not None


def _take(state: DialogueState, text: str) -> DialogueState:
    lang = state.facts.lang
    day = paid_date_of(text, lang, state.today)
    channel = channel_of(text, lang)
    return replace(state, paid_on=day or state.paid_on, paid_channel=channel or state.paid_channel)


def start(state: DialogueState, text: str) -> Result:
    """The debtor says they already paid (in any stage): take what they said, ask the rest."""
    state = _take(replace(state.to(Stage.ALREADY_PAID), paid_on=None, paid_channel=None), text)
    return _next(state)


def answer(state: DialogueState, text: str, parse: Parse) -> Result:
    """An answer to "when and how did you pay?"."""
    before = (state.paid_on, state.paid_channel)
    state = _take(state, text)
    if (state.paid_on, state.paid_channel) != before:
        return _next(replace(state, misses=0))
    if parse.intent in ("deny", "refuse") or _DONT_KNOW.search(text.lower()) or state.misses:
        return close(state)  # nothing more to learn: record what was said
    return reprompt(state)


def _next(state: DialogueState) -> Result:
    if state.paid_on is not None and state.paid_channel is not None:
        return close(state)
    return state, ask(state)


def close(state: DialogueState) -> Result:
    """End the step with what was said (read back), recorded as a claim to verify."""
    readback: list[DialogueCommand] = []
    if state.paid_on is not None and state.paid_channel is not None:
        readback.append(say(state, "paid_readback"))
    elif state.paid_on is not None:
        readback.append(say(state, "paid_readback.date"))
    elif state.paid_channel is not None:
        readback.append(say(state, "paid_readback.channel"))
    record = RecordAlreadyPaid(state.paid_on, state.paid_channel)
    state, commands = end(state.noted("payment_to_verify"), Outcome.ALREADY_PAID, "paid_close")
    return state, [*readback, record, *commands]
