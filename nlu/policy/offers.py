"""What the debtor offers without saying a figure or a day, read into the offer:

* a share of the balance: 一半 / "half of it" is half of it; 全部 / 全额 / 一次性 / 还清, "the
  full amount", "all of it", "pay it off" all of it ("下个月初全部还清", "I can pay the full
  amount on the 18th");
* the minimum: "the minimum", 最低的, and, right after the bot said what the minimum is, "that" /
  这么多 ("what's the least I can pay?" … "ok, I'll do that on wednesday");
* now: "a hundred right now", 我现在就可以还五百, 我下午去银行转: today.

Only in a promise (or an answer to "how much?") with no figure of its own and no word of no
(一次性还不清, 全部还不了, "I can't pay it all" promise nothing). Pure: the state's facts and
today are all it reads.
"""

from __future__ import annotations

import re
from decimal import Decimal

from core.dialogue import AmountEntity, DateEntity, Intent, Parse
from nlu.plans import TAG_QUESTION_ZH
from nlu.policy.state import DialogueState, Stage
from nlu.text import prepare

MINIMUM_STATED = "minimum_stated"  # noted when the bot has just said what the minimum is

_SHARE = {
    "zh": (
        (re.compile(r"一半"), Decimal("0.5")),
        (re.compile(r"全部|全额|一次性|还清|结清|都还上"), Decimal(1)),
    ),
    "en": (
        (re.compile(r"\bhalf\b(?! (?:past|an? |hour))"), Decimal("0.5")),
        (
            re.compile(
                r"\b(?:full|whole|entire|total|complete) (?:amount|balance|thing|sum|debt|bill)\b"
                r"|\b(?:all|the whole|the rest) of (?:it|that|the (?:amount|balance|debt))\b"
                r"|\bin full\b|\bthe (?:full|whole|entire) (?:thing|lot)\b|\beverything\b"
                # the recogniser's homophone: "i'll pay the hole thing on friday"
                r"|\bthe hole (?:thing|amount|balance|lot)\b"
                r"|\bpay (?:it|that|this|everything|the balance) (?:all )?off\b"
                r"|\bpay (?:it|that) all\b"
            ),
            Decimal(1),
        ),
    ),
}
_MINIMUM = {
    "zh": re.compile(r"最低|最少的|起码的"),
    "en": re.compile(
        r"\b(?:the|that) (?:minimum|least|smallest|lowest)(?: (?:amount|payment|one))?\b"
        r"|\bminimum (?:amount|payment)\b"
    ),
}
# "that" after the minimum was said: the minimum
_THAT_MUCH = {
    "zh": re.compile(r"这么多|那么多|这个数|那个数|这个钱|那个金额|这个金额"),
    "en": re.compile(
        r"\b(?:that much|this much|that amount|do that|pay that|that then|that one)\b"
    ),
}
_NOW = {
    # (a part of the day with no day before it is today's: 我下午去银行转, 我晚上还一千)
    "zh": re.compile(r"现在|马上|立刻|立即|立马|这就|上午|中午|下午|晚上|今晚|待会|等会|一会儿"),
    "en": re.compile(r"\b(?:right now|right away|straight away|immediately|now)\b"),
}
_NO = {"zh": re.compile(r"不|没|别|难"), "en": re.compile(r"\b(?:not|never|no)\b|n't\b")}
_OFFERING: tuple[Intent, ...] = ("promise_to_pay", "affirm")
# asked "how much?", a share or the minimum said alone answers it, whatever the classifier says
_ANSWERING_AMOUNT: tuple[Intent, ...] = (*_OFFERING, "out_of_scope", "acknowledge", "installment")


def unsaid(state: DialogueState, prepared: str, parse: Parse) -> Parse:
    """``parse`` with the amount and the day the words give without a figure or a date."""
    lang = state.facts.lang
    if lang not in _SHARE or _NO[lang].search(TAG_QUESTION_ZH.sub(" ", prepared)):
        return parse
    entities = parse.entities
    if parse.amount is None and parse.intent in _intents_for_amount(state):
        value = _amount_meant(state, prepared)
        if value is not None:
            entities = (*entities, AmountEntity(value, state.facts.balance.currency, ""))
    if parse.date is None and parse.intent in _OFFERING and _NOW[lang].search(prepared):
        entities = (*entities, DateEntity(state.today, ""))
    if entities == parse.entities:
        return parse
    return Parse(parse.intent, parse.confidence, entities, parse.asr_confidence)


def _intents_for_amount(state: DialogueState) -> tuple[Intent, ...]:
    asked = state.stage is Stage.PROMISE and state.promise_amount is None
    return _ANSWERING_AMOUNT if asked else _OFFERING


def _amount_meant(state: DialogueState, prepared: str) -> Decimal | None:
    lang, facts = state.facts.lang, state.facts
    share = next((part for said, part in _SHARE[lang] if said.search(prepared)), None)
    if share is not None:
        return (facts.balance.amount * share).quantize(Decimal("0.01"))
    minimum = _MINIMUM[lang].search(prepared) or (
        MINIMUM_STATED in state.notes and _THAT_MUCH[lang].search(prepared)
    )
    return facts.limits.min_promise.amount if minimum else None


_ASKS_MINIMUM = {
    "zh": re.compile(r"(?:最少|最低|至少|起码)[^,，。]{0,5}(?:多少|几)|最低还款|最低(?:要|得)?还"),
    "en": re.compile(
        r"\b(?:what|how much)\b.{0,30}\b(?:minimum|least|lowest|smallest)\b"
        r"|\b(?:minimum|least|lowest|smallest)\b.{0,30}\b(?:i can|can i|i could|could i|i have to"
        r"|do i have to|you(?:'d| would)? (?:take|accept))\b"
        r"|\bis there a minimum\b"
    ),
}


def asks_minimum(text: str, lang: str) -> bool:
    """ "what's the least I can pay?", 最少要还多少, 最低还多少: a question about the minimum."""
    pattern = _ASKS_MINIMUM.get(lang)  # read as the parser reads it (最底還多少 = 最低还多少)
    return pattern is not None and pattern.search(prepare(text, lang)) is not None
