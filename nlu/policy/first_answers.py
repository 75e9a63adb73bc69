"""First answers to "is this {name}?" read for who speaks (ver8). Pure text: no state.

- ``corrected_yes``: an answer that corrects itself ("who's this... I mean yes, it's me", "no
  wait, yes that's me", 不是… 哦对 是我) is read by what it ends on: the closing words when they
  are a plain "yes" that says who speaks ("it's me", "speaking", "this is him", the debtor's
  name, 是我, 我就是, 本人), said after a correction ("I mean", "wait", "actually", "sorry",
  "oh", 哦, 不对) or after only a "no"; else None. The other way ("yes... no wait, you want my
  brother", 是…不对 你找我哥) ends on words that are no yes: None, the answer read as it is.
  Nothing in the answer may name or speak of anyone else.
- ``answers_as_a_business``: a business or a household answering by its name ("Smith
  Roofing, how can I help", "Jones residence", 李记餐馆, 张家): somebody else.
"""

from __future__ import annotations

import re

from nlu.affirmation import of_another_en, plain_yes, says_who_en
from nlu.given_names import NOT_NAMES_EN
from nlu.policy.names import (
    SURNAMES_ZH,
    claims_own_name_en,
    names_another,
    speaks_of_another,
)

# where an English answer corrects itself: the words after the last of these are the answer
_CORRECTION_EN = re.compile(
    r"\b(?:i mean|no wait|oh wait|wait|actually|sorry|oh|my bad|i misheard|pardon me|hold on"
    r"|scratch that)\b|\.\.\.|…|—|--"
)
# where a Mandarin answer corrects itself (哦 / 不对 / a pause mark)
_CORRECTION_ZH = re.compile(r"哦不对|哦不|不对|哦|噢|喔|啊不|…|\.\.\.|——")
_SELF_ZH = re.compile(r"是我|我就是|本人|我是")
_OTHER_ZH = re.compile(
    r"[他她]|老婆|老公|爱人|媳妇|爸|妈|儿子|女儿|哥|姐|弟|妹|朋友|同事|打错|没有这个人|找错"
)


def corrected_yes(text: str, lang: str, debtor_name: str | None) -> str | None:
    """The closing "yes, it's me" of an answer that corrects itself, else None (see the module)."""
    if names_another(text, lang, debtor_name) or speaks_of_another(text, lang, debtor_name):
        return None  # "Mike, yes that's me", "是…哦 他不在": somebody else said anywhere
    if lang == "zh":
        return _corrected_zh(text, debtor_name)
    if lang != "en":
        return None
    marks = list(_CORRECTION_EN.finditer(text.lower()))
    if not marks:
        return None
    before, after = text[: marks[-1].start()], text[marks[-1].end() :].strip(" ,.!?;:-")
    words = " ".join(re.findall(r"[a-z']+", before.lower()))
    if not after or of_another_en(words) or "wrong" in words.split():
        return None
    clauses = [c.strip() for c in re.split(r"[,.!?;:]+", after) if c.strip()]
    own = {p.lower() for p in re.findall(r"[A-Za-z']+", debtor_name or "")}
    # only his own name may be skipped before the closing clause ("John, yes that's me")
    skippable = 1
    while skippable < len(clauses) and set(clauses[skippable - 1].lower().split()) <= own:
        skippable += 1
    for answer in (after, *(", ".join(clauses[i:]) for i in range(1, skippable))):
        says_who = says_who_en(answer.lower()) or claims_own_name_en(answer, debtor_name)
        if says_who and plain_yes(answer, "en", debtor_name):
            return answer  # "John, yes that's me": its last clause says it
    return None


def _corrected_zh(text: str, debtor_name: str | None) -> str | None:
    marks = list(_CORRECTION_ZH.finditer(text))
    clauses = [c for c in re.split(r"[\s,，.。!！;；?？、…]+", text) if c]
    if marks:
        before, after = text[: marks[-1].start()], text[marks[-1].end() :]
    elif len(clauses) >= 2 and re.fullmatch(r"(?:不是|不对|没有|不)+", clauses[0]):
        before, after = clauses[0], " ".join(clauses[1:])  # "不是不是 是我 我就是"
    else:
        return None
    after = after.strip(" ,，.。!！?？、")
    if not after or _OTHER_ZH.search(before) or _OTHER_ZH.search(after):
        return None
    for answer in (after, re.split(r"[\s,，.。!！;；?？、]+", after)[-1]):
        if _SELF_ZH.search(answer) and plain_yes(answer, "zh", debtor_name):
            return answer
    return None


# a business or a household answering by its name ("Smith Roofing, how can I help", "yes, Garcia
# Auto", "Jones residence", 李记餐馆, 王氏装修, 张家): somebody else, whatever the score (ver8)
_BUSINESS_EN = (
    r"roofing|roofers|auto|autos|automotive|auto body|body shop|bakery|bakers|plumbing|plumbers"
    r"|dental|dentistry|law|law office|law firm|legal|insurance|construction|contracting"
    r"|contractors|builders|motors|farms?|landscaping|lawn care|towing|realty|real estate"
    r"|electric|electrical|electricians|associates|inc|llc|ltd|co|company|corp|corporation"
    r"|group|services?|restaurant|cafe|diner|grill|deli|pizza|pizzeria|kitchen|catering|salon"
    r"|barbers?|barbershop|shop|store|garage|clinic|hardware|pharmacy|market|cleaners|cleaning"
    r"|studio|agency|repairs?|heating|cooling|hvac|painting|flooring|trucking|transport"
    r"|logistics|enterprises|industries|holdings|partners|consulting|accounting|office|offices"
    r"|residence|household|house|home|family|funeral home|florist|flowers|tires?|collision"
    r"|glass|lumber|supply|supplies|printing|photography|daycare|academy|hotel|motel|inn|pub"
    r"|tavern|veterinary|animal hospital|medical|chiropractic|optical|jewelers|jewelry"
    r"|furniture|appliances?|electronics|computers|technologies|solutions|design|masonry"
    r"|concrete|paving|movers|moving|storage|rentals?|dealership|sales|imports|foods|produce"
    r"|meats|bros|brothers|sons|daughters|and sons|and daughters|& sons|and associates"
)
_BUSINESS_NAMED_EN = re.compile(rf"^\s*(?:&\s*|and\s+)?(?:{_BUSINESS_EN})\b", re.I)
_RECEPTION_EN = re.compile(
    r"\b(?:thank(?:s| you) for calling|how (?:may|can) i direct your call|front desk|reception)\b",
    re.I,
)
_BUSINESS_ZH = re.compile(
    r"餐馆|饭店|饭馆|餐厅|超市|商店|商行|小卖部|五金|装修|公司|集团|事务所|诊所|牙科|物流|建材|快餐|面馆|车行"
    r"|修车|酒店|宾馆|药店|药房|门市|店铺|工作室|前台|工厂|加工厂|批发|专卖"
)
_ZH_LEAD_IN = re.compile(r"^(?:这里是|这是|喂|你好|您好|是的|对|嗯|啊)+")
# what before a shop's word says it is where the speaker is or someone's, not the shop's name
_ZH_NOT_A_SHOP_NAME = re.compile(r"[我在去到从回的你他她们]")


def answers_as_a_business(text: str, lang: str, debtor_name: str | None) -> bool:
    """A business or a household answering by its name: in English the debtor's surname or a
    capitalised word that can be a name before a word of trade or home ("Smith Roofing", "the
    Garcias' house", "Jones residence"), or a receptionist's words ("thank you for calling");
    in Mandarin a shop's name (李记, 王氏, 张家, 黄记超市, 赵师傅修车行), never where the speaker
    is (我在超市) or a word said first (公司有事)."""
    if lang == "zh":
        return _business_zh(text, (debtor_name or " ")[0])
    if _RECEPTION_EN.search(text):
        return True
    surname = (re.findall(r"[A-Za-z']{2,}", debtor_name or "") or [""])[-1].lower()
    for word in re.finditer(r"[A-Za-z][A-Za-z']*", text):
        owner = re.sub(r"(?:'s|s'|')$", "", word.group())
        capital = owner[0].isupper() and "'" not in owner and _name_like(owner)
        said_surname = bool(surname) and owner.lower().rstrip("s") == surname.rstrip("s")
        if (capital or said_surname) and _BUSINESS_NAMED_EN.match(text[word.end() :]):
            return True
    return False


def _business_zh(text: str, surname: str) -> bool:
    surnames = re.escape(SURNAMES_ZH + surname)
    if re.search(rf"[{surnames}](?:记(?![得住着错性])|氏)", text):
        return True
    if re.search(rf"(?<![我在回到去老])[{re.escape(surname)}]家(?![里人乡])", text):
        return True
    for clause in re.split(r"[\s,，.。!！;；?？、]+", text):
        clause = _ZH_LEAD_IN.sub("", clause)
        shop = _BUSINESS_ZH.search(clause)
        if shop and shop.start() > 0 and not _ZH_NOT_A_SHOP_NAME.search(clause[: shop.start()]):
            return True
    return False


def _name_like(word: str) -> bool:
    """A word that can be a name: a vowel, no common word, no "-ing" ("Driving home")."""
    bare = word.lower()
    vowel = re.search(r"[aeiouy]", bare) is not None
    return vowel and bare not in NOT_NAMES_EN and not bare.endswith("ing") and len(bare) > 1


# what may follow his name said as who speaks, and leave it standing: a greeting, an offer of help
_AFTER_NAME_EN = re.compile(
    r"^(?:hi|hello|hey|yes|yeah|go ahead|go on|what'?s up|what is it|(?:how )?(?:can|could|may)"
    r" i help(?: you)?|what can i do for you|what do you need|how can i help you)$"
)


def named_then_greets(text: str, lang: str, debtor_name: str | None) -> bool:
    """ "Katie speaking, can I help you?", "Jen here, hi": his own name said as who speaks (a
    short form too), then only a greeting or an offer of help (English)."""
    clauses = [" ".join(re.findall(r"[a-z']+", c.lower())) for c in re.split(r"[,.!?;:]+", text)]
    clauses = [c for c in clauses if c]
    if lang != "en" or len(clauses) < 2 or not all(_AFTER_NAME_EN.match(c) for c in clauses[1:]):
        return False
    first = re.split(r"[,.!?;:]+", text)[0]
    return plain_yes(first, lang, debtor_name) and claims_own_name_en(first, debtor_name)


# "go ahead, this is Tom", "okay, shoot. it's me": leave to go on, said before who speaks; the
# rest is the answer (what follows the invitation is read as if said alone)
_LEADING_INVITATION_EN = re.compile(
    r"^\s*(?:(?:ok(?:ay)?|alright|all right|sure|yeah|yes|well|uh|um)[\s,.]+)*"
    r"(?:go ahead|go on|shoot|i'?m listening)\s*[,.!;:-]+\s*(?=\S)",
    re.I,
)


def without_leading_invitation(text: str, lang: str) -> str:
    """``text`` without a leading "go ahead," before the answer (English); else ``text``."""
    if lang != "en":
        return text
    return _LEADING_INVITATION_EN.sub("", text, count=1)
