"""One payment or a plan? The classifier's ``promise_to_pay`` / ``installment`` settled by what
the debtor said (English; the policy uses the same plan words for both languages; Mandarin:
``settle_zh``).

* ``installment`` with one amount and one day still to come, and no plan words ("can I pay
  700 on the 22nd?", "1.5k in two weeks") is one payment on one day: ``promise_to_pay``.
* ``promise_to_pay`` with an amount and a repeating rate ("twenty five every friday", "a
  hundred every two weeks", "fifty a month") is a plan: ``installment``.
* a long answer whose point comes last ("we had the car trouble … but I think I can do 125 on
  the 20th"): an amount, a day to come and "I can / I'll pay" make it ``promise_to_pay``
  whatever the classifier made of the story before it (hardship, an acknowledgement, nothing).
* "paid" said of wages ("I get paid on Friday", "when my paycheck comes on the 4th") with a day
  still to come and no payment made is no payment made: the day the debtor can pay
  (``promise_to_pay``), whatever the classifier made of "paid".
"""

from __future__ import annotations

import re
from datetime import date

from core.dialogue import AmountEntity, DateEntity, Entity, Intent
from nlu.tense import past_spans

# what makes an amount with a day a plan rather than one payment
PLAN_WORDS = re.compile(
    # ("the end of the month", "this month", "the 15th of next month" name one day, no plan)
    r"\b(?:(?<!\bthe )(?<!\bthis )(?<!\bnext )(?<!\blast )months?\b(?!\s*end\b)|monthly|weekly"
    r"|biweekly|every|each|per|installments?|instalments?|payments"
    r"|split|parts|chunks|at a time)\b"
    r"|期|每月|每个月|每周|分(?:成|开|几|[0-9一二两三四五六]次)|月供"
)
# a rate, the narrower test for turning a promise into a plan ("this month" is no rate)
_RATE_EN = re.compile(
    r"\b(?:every|each|per)\s+(?:\w+\s+)?(?:weeks?|months?|fortnight|paychecks?|payday|monday"
    r"|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"|(?<!\bin )(?<!\bfor )(?<!within )(?<!\bof )\ba (?:week|month)\b(?!\s+(?:from|after|later))"
    r"|\b(?:monthly|weekly|biweekly)\b|\bat a time\b|\blittle by little\b"
)


def plan_said(text: str) -> bool:
    """The words of a plan or a rate ("a month", "every friday", 每月, 分三期) in ``text``."""
    return bool(PLAN_WORDS.search(text) or _RATE_EN.search(text))


_WILL_PAY_EN = re.compile(
    r"\b(?:i|we)\s+(?:think\s+)?(?:i\s+|we\s+)?(?:can|could|will|'ll|would|am gonna|'m gonna"
    r"|am going to|'m going to|'?mma|should be able to)\s+(?:\w+\s+)?(?:pay|do|send|give|put"
    r"|swing|manage|make|get you|have)\b"
)
# wages coming in: "i get paid", "gets paid", "my paycheck", "payday"
_WAGES_EN = re.compile(
    r"\b(?:get|gets|getting|'m|am|be|being) paid\b|\bpay ?(?:check|cheque|day)s?\b"
    r"|\b(?:my|the) (?:wages?|salary|check|cheque|benefits?|pension|social security)\b"
)
_STORY_INTENTS: tuple[Intent, ...] = ("hardship", "acknowledge", "out_of_scope", "callback_later")
# Mandarin: a pay verb said as a commitment (先还, 肯定还清, 一定转, 保证给你), no word of "not"
_WILL_PAY_ZH = re.compile(
    r"(?:先|肯定|一定|保证|争取|尽量|会|能|可以|就)[^,，。了不没]{0,4}?"
    r"(?:还|付|转|给你|打过去|打给你|结清)(?![不了过])"
)
_NOT_ZH = re.compile(r"不上|不了|不起|不清|没法|没办法|不能|不会|不行|没钱|冇")
# the rest to come later is a plan: 先还一半 剩下的下个月
_REST_ZH = re.compile(r"剩下|剩余|其余|余下|其他的|其它的|然后|再还")
_SETTLED_ZH: tuple[Intent, ...] = ("installment", "already_paid", "out_of_scope")
# after a festival or the new year, no day named (过完年再还, 年后我还上, 国庆以后还): a promise
# whose day the policy asks for, as for 过完年还两千
_AFTER_FESTIVAL_ZH = re.compile(
    r"过(?:完|了)了?(?:年|春节|节|十五|元宵)|(?:年|春节|节|十五|元宵)过(?:完|了)|年后|节后|开工|开春"
    r"|(?:春节|国庆|中秋|元宵|端午|元旦|清明)节?(?:以后|之后|过后|后(?![天面]))"
)
_PAY_AFTER_ZH = re.compile(r"(?<![不没别])(?:还|付|转|给你|打过去|结清)(?![不过没是])")
_ASKS_LEAVE_ZH = re.compile(r"行不行|可不可以|好不好|成不成")  # "is that all right?": no "not"
_REST_LATER_ZH = re.compile(r"剩下|剩余|其余|余下|然后")
# half the balance offered, no day yet (我只能还一半, 能不能先还一半): one payment of half, its day
# asked next, as for 我可以先还两千 (the policy reads 一半 as half the balance)
_HALF_ZH = re.compile(r"一半")
# a tag question asks leave, its 不 refuses nothing (能不能先还一半, 一半行吗): taken out before
# the words are read for a "not" (here and in ``nlu.policy.offers``)
TAG_QUESTION_ZH = re.compile(r"能不能|可不可以|行不行|好不好|成不成|可以不|可以吗|行吗|好吗")


def settle(intent: Intent, entities: tuple[Entity, ...], text: str, today: date) -> Intent:
    """``intent`` with the three rules of the module's docstring applied (English text)."""
    amounts = [e for e in entities if isinstance(e, AmountEntity)]
    upcoming = [e for e in entities if isinstance(e, DateEntity) and e.value >= today]
    if intent == "installment" and len(amounts) == 1 and len(upcoming) == 1:
        return intent if PLAN_WORDS.search(text) else "promise_to_pay"
    if intent == "promise_to_pay" and amounts and _RATE_EN.search(text):
        return "installment"
    if intent in _STORY_INTENTS and amounts and upcoming and _WILL_PAY_EN.search(text):
        return "promise_to_pay"
    if intent in _STORY_INTENTS and len(amounts) == 1 and _RATE_EN.search(text):
        return "installment"  # "I'm on disability, I can only manage about fifty a month"
    if intent == "already_paid" and upcoming and _WAGES_EN.search(text):
        return intent if past_spans(text, "en") else "promise_to_pay"
    return intent


def settle_zh(intent: Intent, entities: tuple[Entity, ...], text: str, today: date) -> Intent:
    """Mandarin: one payment promised by a day still to come with no figure or one (先还一半
    月底, 年前肯定还清, 春节前一定还你) is ``promise_to_pay`` whatever the classifier made of it (a
    plan, a payment made, nothing); never of a payment made, with a word of "not" (年前肯定还不上)
    or of a rest to come later (先还一半 剩下的下个月), nor with plan words (期, 每月)."""
    amounts = [e for e in entities if isinstance(e, AmountEntity)]
    upcoming = [e for e in entities if isinstance(e, DateEntity) and e.value > today]
    if (
        intent in _SETTLED_ZH
        and len(amounts) <= 1
        and len(upcoming) == 1
        and _WILL_PAY_ZH.search(text)
        and not (_NOT_ZH.search(text) or _REST_ZH.search(text) or PLAN_WORDS.search(text))
        and not past_spans(text, "zh")  # 年前就转给你们了: a payment made
    ):
        return "promise_to_pay"
    if intent in _SETTLED_ZH and not upcoming and len(amounts) <= 1 and _after_festival(text):
        return "promise_to_pay"
    if intent in _SETTLED_ZH and not upcoming and not amounts and _half_offered(text):
        return "promise_to_pay"
    return intent


def _half_offered(text: str) -> bool:
    """我只能还一半 / 能不能先还一半 / 先给你一半: half the balance offered as one payment (no
    "not", no rest to come later, no plan words, not a payment made)."""
    said = TAG_QUESTION_ZH.sub(" ", text)
    return bool(
        _HALF_ZH.search(said)
        and _WILL_PAY_ZH.search(said)
        and not (_NOT_ZH.search(said) or _REST_ZH.search(said) or PLAN_WORDS.search(said))
        and not past_spans(said, "zh")
    )


def _after_festival(text: str) -> bool:
    """过完年再还 / 年后我还上 / 国庆以后还: a payment after a festival, no day, no "not"."""
    said = _ASKS_LEAVE_ZH.sub(" ", text)
    return bool(
        _AFTER_FESTIVAL_ZH.search(said)
        and _PAY_AFTER_ZH.search(said)
        and not (_NOT_ZH.search(said) or _REST_LATER_ZH.search(said) or PLAN_WORDS.search(said))
        and not past_spans(said, "zh")
    )
