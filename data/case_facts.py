"""``CaseFacts`` for one stored case: what the dialogue policy needs, decrypted only here (used by
the IVR wiring and by `collectbot chat --case`)."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

from sqlalchemy import select

from core.dialogue import Lang
from core.money import Money
from data.crypto import Keyring
from data.db import Database
from data.models import Case, Debtor, DebtorPhone, Loan
from nlu.policy import CaseFacts, NegotiationLimits, VerificationMode, demo_case

_PRODUCT_WORDS = {
    "en": {"personal": "personal loan", "business": "business loan", "small": "small loan",
           "large": "loan", "online": "online loan", "offline": "loan"},
    "zh": {"personal": "个人贷款", "business": "经营贷款", "small": "小额贷款", "large": "贷款",
           "online": "网络贷款", "offline": "贷款"},
}  # fmt: skip


class UnknownCase(LookupError):
    pass


DEFAULT_SHARE = Decimal("0.1")


def negotiation_limits(balance: Money, terms: object) -> NegotiationLimits:
    """The treatment's negotiation terms as the planner stored them (``next_action.negotiation``:
    ``min_promise_share``, ``max_promise_days``, ``plan_lengths``); a 10 % minimum and the
    policy's defaults when the case was never planned or a term is unusable."""
    given = terms if isinstance(terms, dict) else {}
    defaults = NegotiationLimits(min_promise=balance)
    try:
        share = Decimal(str(given.get("min_promise_share", DEFAULT_SHARE)))
    except ArithmeticError:
        share = DEFAULT_SHARE
    if not share.is_finite() or not 0 < share <= 1:
        share = DEFAULT_SHARE
    days = given.get("max_promise_days")
    lengths = given.get("plan_lengths")
    listed = lengths if isinstance(lengths, list) else []
    plans = tuple(n for n in listed if type(n) is int and 0 < n <= 60)
    least = (balance.amount * share).quantize(Decimal(1), rounding=ROUND_CEILING)
    return NegotiationLimits(
        min_promise=Money.of(min(least, balance.amount), balance.currency),
        max_promise_days=days
        if type(days) is int and 0 < days <= 90
        else defaults.max_promise_days,
        plan_lengths=plans or defaults.plan_lengths,
    )


def case_facts(
    db: Database,
    keyring: Keyring,
    case_id: str,
    lang: Lang | None,
    company: str,
    *,
    agent_name: str | None = None,
) -> CaseFacts:
    """Synchronous (database and decryption): run it in a thread from async code. ``lang``
    None: the debtor's own language. ``company`` and ``agent_name`` are said in the call's
    language (configured per language by the caller); no ``agent_name``: the language's own."""
    with db.transaction() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise UnknownCase(case_id)
        loan = session.get_one(Loan, case.loan_id)
        debtor = session.get_one(Debtor, case.debtor_id)
        name = keyring.decrypt(debtor.name_enc, "debtors.name")
        birth = keyring.decrypt_opt(debtor.birth_date_enc, "debtors.birth_date")
        national_id = keyring.decrypt_opt(debtor.national_id_enc, "debtors.national_id")
        timezone, jurisdiction = debtor.timezone, debtor.jurisdiction
        terms = (case.next_action or {}).get("negotiation")
        if lang is None:
            lang = "zh" if debtor.language == "zh" else "en"
    balance = Money.from_minor(loan.outstanding_minor, loan.currency)
    mode = VerificationMode.NAME_AND_BIRTH_YEAR if birth else VerificationMode.NAME
    if not birth and national_id and len(national_id) >= 4:
        mode = VerificationMode.NAME_AND_ID_LAST4
    return CaseFacts(
        debtor_name=name,
        balance=balance,
        days_past_due=loan.days_past_due,
        product=_PRODUCT_WORDS.get(lang, _PRODUCT_WORDS["en"]).get(loan.product, loan.product),
        company=company,
        jurisdiction="CN" if jurisdiction == "CN" else "US",
        lang=lang,
        limits=negotiation_limits(balance, terms),
        verification=mode,
        birth_year=int(birth[:4]) if birth else None,
        id_last4=national_id[-4:] if national_id else None,
        timezone=timezone,
        payment_methods=demo_case(lang).payment_methods,
        agent_name=agent_name or demo_case(lang).agent_name,
    )


def case_phones(db: Database, keyring: Keyring, case_id: str) -> list[str]:
    """The debtor's phone numbers (E.164), in dialing order. Synchronous, like ``case_facts``."""
    with db.transaction() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise UnknownCase(case_id)
        phones = session.scalars(
            select(DebtorPhone)
            .where(DebtorPhone.debtor_id == case.debtor_id)
            .order_by(DebtorPhone.position)
        ).all()
        return [keyring.decrypt(p.phone_enc, "debtor_phones.phone") for p in phones]
