"""A "no" at "is this {name}?": somebody else, or the debtor saying no to paying?

Before verification the bot has said nothing of a debt, so only the right party talks about
paying one: "no, I can't pay that right now", "no I don't have the money", 全部还不了, 现在没钱还
(the classifier often scores these ``deny`` or ``wrong_number``, and a wrong number retires the
phone). Such a "no" (``pays_not_denies``) is read as words about the debt (``hardship``, held
for after verification) and the identity question is asked again; it never verifies anyone.

A "no" that says who is NOT speaking ("wrong number", "no one by that name", "I'm not John",
打错了, 没有这个人, 我不是李明) stays a wrong number whatever else it says ("no, wrong number, and
I don't owe anybody anything": ``denies_identity``). Pure text: no state.
"""

from __future__ import annotations

import re

from core.dialogue import Parse
from nlu.affirmation import of_another_en

# words about paying a debt, money or the means to pay
_PAYING_EN = re.compile(
    r"\b(?:pay|pays|paid|paying|payment|payments|repay|afford|money|cash|funds?|broke|paycheck"
    r"|payday|paid|bucks|dollars|rent|bills?|owe|owed|behind on|out of work|lost my job|laid off"
    r"|unemployed|cover (?:it|that|this)|(?:don'?t|do not|dont|haven'?t|havent) (?:got |have )?it"
    r"|the whole (?:thing|amount|balance)|all at once"
    r"|short on|tight|installments?|part of it|a little at a time|(?:get|got) paid"
    r"|(?:ain'?t|aint) got it|full amount|all of it|half|more time|an extension"
    r"|tapped out|strapped|hard times|tough times|struggling"
    r"|things are (?:tough|tight|hard|rough))\b"
    r"|\$\s?\d"
)
_PAYING_ZH = re.compile(
    r"钱|还不[了上起]|还清|还款|全还|先还|少还|多还|怎么还|没法还|没办法还|还一部分|付不[起了]|交不[起了]"
    r"|拿不出|手头.{0,3}紧|工资|发薪|失业|没工作|生意不好|凑不|分期|一次性|那么多|这么多|还不出"
    r"|晚几天|宽限|延期|缓几天|缓一缓|周转|全部"
)
# words that say who is NOT speaking: a wrong number, nobody by that name, not him
_DENIES_EN = re.compile(
    r"\bwrong (?:number|person|guy|lady|man|woman|house|phone|people)\b"
    r"|\b(?:no ?one|nobody|no body|no person|noone)\b.{0,20}\b(?:by that name|called|named"
    r"|here|lives here|like that)\b"
    r"|\bno such (?:person|guy|man|woman|lady|name)\b|\bnever heard of\b"
    r"|\b(?:don'?t|dont) know (?:any|who|him|her|no)\b"
    r"|\b(?:this|it|that) (?:isn'?t|is not|ain'?t|aint|isnt) (?:him|her|the right)\b"
    r"|\bnot (?:him|her|me)\b(?! to)|\bnot the (?:right )?(?:person|one)\b"
    r"|\b(?:he|she) (?:doesn'?t|does not|dont|doesnt) live here\b"
)
_DENIES_ZH = re.compile(
    r"打错|拨错|错号|号码错|找错|错人|没(?:有)?(?:这个|这|此|那个)人|没(?:有)?叫|没有姓|不认识"
    r"|不是本人|我不是(?:他|她|本人)|不是(?:他|她)|不是我(?=[\s,，。.!！]|$)"
)
# intents a paying "no" is mistaken for; what the classifier already read as words about the
# debt (hardship, promise, refuse ...) is held as it is
_MISREAD_AS = ("deny", "wrong_number", "callback_later", "out_of_scope")
# intents a "no" that denies who speaks is mistaken for ("no, wrong number, and I don't owe
# anybody anything" scored a dispute); never a third party's ("not me, you want my son")
_DENIAL_MISREAD_AS = ("deny", "wrong_number", "dispute", "refuse", "hardship", "out_of_scope")
# the score a paying "no" is held with: high enough to be words about the debt (answers)
PAYING_NO_CONFIDENCE = 0.5


def denies_identity(text: str, lang: str, debtor_name: str | None) -> bool:
    """The answer says the one asked for is not speaking or not known here ("wrong number",
    "no John here", "I'm not John", 打错了, 没有这个人, 我不是李明)."""
    if lang == "zh":
        name = debtor_name or ""
        said = _DENIES_ZH.search(text) is not None
        return said or bool(
            name and re.search(rf"我不是{re.escape(name)}|不是{re.escape(name)}", text)
        )
    words = " ".join(re.findall(r"[a-z0-9$']+", text.lower()))
    if _DENIES_EN.search(words):
        return True
    parts = [re.escape(p.lower()) for p in re.findall(r"[A-Za-z']{2,}", debtor_name or "")]
    if not parts:
        return False
    names = "|".join(parts)
    return (
        re.search(rf"\b(?:i'?m not|i am not|im not|this isn'?t|this is not) (?:{names})\b", words)
        is not None
        or re.search(rf"\bno (?:{names})\b.{{0,12}}\bhere\b|\bthere'?s no (?:{names})\b", words)
        is not None
    )


def speaks_of_paying(text: str, lang: str) -> bool:
    """The answer speaks of paying, money or the means to pay, of the speaker's own (never "he
    can't pay": someone who knows of the debt, not the debtor)."""
    if lang == "zh":
        return _PAYING_ZH.search(text) is not None and re.search(r"[他她]", text) is None
    words = " ".join(re.findall(r"[a-z0-9$']+", text.lower()))
    return _PAYING_EN.search(words) is not None and not of_another_en(words)


def pays_not_denies(text: str, parse: Parse, lang: str, debtor_name: str | None) -> bool:
    """A "no" about paying, read by the classifier as a denial or a wrong number: the debtor
    speaking, not somebody else (see the module)."""
    misread = parse.intent in _MISREAD_AS or (
        parse.intent == "refuse" and parse.confidence < PAYING_NO_CONFIDENCE
    )
    return misread and speaks_of_paying(text, lang) and not denies_identity(text, lang, debtor_name)


def read_no(text: str, parse: Parse, lang: str, debtor_name: str | None) -> Parse:
    """``parse`` as verification reads a "no": a paying "no" becomes words about the debt
    (``hardship``, held for after verification); a "no" that denies who speaks, whatever the
    classifier made of it (a dispute, a low score), a wrong number; anything else as it is."""
    if pays_not_denies(text, parse, lang, debtor_name):
        score = max(parse.confidence, PAYING_NO_CONFIDENCE)
        return Parse("hardship", score, parse.entities, parse.asr_confidence)
    if parse.intent in _DENIAL_MISREAD_AS and denies_identity(text, lang, debtor_name):
        return Parse("wrong_number", 1.0, parse.entities, parse.asr_confidence)
    return parse
