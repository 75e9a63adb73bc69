"""A realistic synthetic collections portfolio, with each debtor's hidden behaviour profile.

Deterministic for a seed. The profile is what a simulation needs to play the debtor (how
likely they answer, pay, keep a promise, what they tend to say) and what a model's lift can be
checked against; it never goes into the portfolio file itself.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

US_ZONES = (
    ("America/New_York", ("212", "718", "917", "617", "305", "404", "215", "202")),
    ("America/Chicago", ("312", "773", "713", "214", "512", "612", "314")),
    ("America/Denver", ("303", "720", "801", "505")),
    ("America/Phoenix", ("602", "480", "520")),
    ("America/Los_Angeles", ("213", "310", "415", "206", "503", "702", "619")),
    ("Pacific/Honolulu", ("808",)),
)
CN_ZONES = ("Asia/Shanghai",)
CN_MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "158",
    "159",
    "182",
    "186",
    "187",
    "188",
    "189",
)
CN_REGIONS = ("110101", "310101", "440103", "440305", "330102", "510104", "420102", "320102")
EN_FIRST = (
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Maria",
    "Carlos",
    "Aisha",
    "Wei",
    "Priya",
    "Daniel",
    "Sarah",
    "Kevin",
    "Laura",
    "Jose",
    "Emily",
    "Brandon",
)
EN_LAST = (
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Lee",
    "Nguyen",
    "Patel",
    "Kim",
    "Chen",
    "Walker",
)
ZH_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
ZH_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"
STREETS_EN = ("Oak St", "Maple Ave", "Pine Rd", "Cedar Ln", "Elm St", "Lake Dr", "Hill Rd")
STREETS_ZH = ("人民路", "中山路", "解放路", "建设路", "和平路", "长江路")
PRODUCTS = {  # product: (share, principal range in USD, term months)
    "small": (0.22, (200, 2_000), (3, 12)),
    "online": (0.20, (100, 5_000), (1, 12)),
    "personal": (0.25, (1_000, 20_000), (12, 48)),
    "offline": (0.13, (500, 10_000), (6, 24)),
    "large": (0.08, (20_000, 200_000), (36, 84)),
    "business": (0.12, (5_000, 300_000), (12, 60)),
}
DPD_BUCKETS = ((0.40, 1, 30), (0.25, 31, 60), (0.15, 61, 90), (0.12, 91, 180), (0.08, 181, 540))
PERSONAS = {  # persona: (share, likely replies)
    "cooperative": (0.30, ("affirm", "promise_to_pay")),
    "forgetful": (0.15, ("affirm", "ask_amount", "promise_to_pay")),
    "hardship": (0.20, ("affirm", "hardship", "installment")),
    "avoider": (0.15, ("callback_later", "refuse")),
    "disputer": (0.06, ("affirm", "dispute")),
    "already_paid": (0.06, ("affirm", "already_paid")),
    "wrong_number": (0.04, ("wrong_number",)),
    "third_party": (0.04, ("third_party",)),
}
CNY_PER_USD = Decimal(7)
PAY_BASE = {
    "cooperative": 0.7,
    "forgetful": 0.55,
    "hardship": 0.3,
    "avoider": 0.12,
    "disputer": 0.05,
    "already_paid": 0.9,
    "wrong_number": 0.02,
    "third_party": 0.15,
}


@dataclass(frozen=True, slots=True)
class BehaviourProfile:
    """How a synthetic debtor behaves; hidden from the system, used by simulations."""

    debtor_id: str
    loan_id: str
    persona: str
    propensity_to_pay: float  # chance of paying within 30 days once reached
    answer_rate: float  # chance of answering a call in a preferred hour
    preferred_hours: tuple[int, ...]  # local hours when they tend to pick up
    promise_keep_rate: float  # chance that a promise made is kept
    sms_response: float  # chance an SMS reminder alone triggers a payment
    likely_replies: tuple[str, ...]  # intents, in the order they tend to say them
    wrong_number: bool  # the main phone reaches someone else


@dataclass(frozen=True, slots=True)
class SyntheticCase:
    row: dict[str, str]  # portfolio columns, as in the CSV
    profile: BehaviourProfile


def _pick(rng: random.Random, weighted: dict[str, float]) -> str:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def _cn_national_id(rng: random.Random, birth: date) -> str:
    body = rng.choice(CN_REGIONS) + birth.strftime("%Y%m%d") + f"{rng.randrange(1000):03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


def _us_phone(rng: random.Random, area_codes: tuple[str, ...]) -> str:
    return f"+1{rng.choice(area_codes)}{rng.randrange(200, 1000)}{rng.randrange(10_000):04d}"


def _cn_phone(rng: random.Random) -> str:
    return f"+86{rng.choice(CN_MOBILE_PREFIXES)}{rng.randrange(100_000_000):08d}"


def _amounts(rng: random.Random, product: str, currency: str) -> tuple[Decimal, Decimal]:
    low, high = PRODUCTS[product][1]
    principal = Decimal(round(rng.lognormvariate(0, 0.6) * (low + high) / 4)).max(Decimal(low))
    principal = principal.min(Decimal(high))
    if currency == "CNY":
        principal *= CNY_PER_USD
    remaining = Decimal(str(round(rng.uniform(0.15, 1.08), 4)))
    return principal.quantize(Decimal("0.01")), (principal * remaining).quantize(Decimal("0.01"))


def _profile(rng: random.Random, debtor_id: str, loan_id: str, dpd: int) -> BehaviourProfile:
    persona = _pick(rng, {k: v[0] for k, v in PERSONAS.items()})
    base = PAY_BASE[persona]
    decay = 0.5 ** (dpd / 120)  # the longer overdue, the less likely to pay
    start = rng.choice((8, 9, 12, 17, 18, 19))
    propensity = min(0.98, base * (0.4 + 0.6 * decay) * rng.uniform(0.8, 1.2))
    avoider = persona == "avoider"
    answer = rng.uniform(0.15, 0.35) if avoider else rng.uniform(0.45, 0.9)
    keep = {"cooperative": 0.85, "forgetful": 0.6, "hardship": 0.45}.get(persona, 0.3)
    return BehaviourProfile(
        debtor_id=debtor_id,
        loan_id=loan_id,
        persona=persona,
        propensity_to_pay=round(propensity, 3),
        answer_rate=round(answer, 3),
        preferred_hours=tuple(range(start, min(start + 3, 21))),
        promise_keep_rate=round(keep * rng.uniform(0.8, 1.1), 3),
        sms_response=round(base * 0.25, 3),
        likely_replies=PERSONAS[persona][1],
        wrong_number=persona == "wrong_number",
    )


def generate(cases: int, seed: int, *, as_of: date) -> Iterator[SyntheticCase]:
    """Yield ``cases`` loans (about 8 % of debtors hold two) with their debtors' profiles."""
    rng = random.Random(seed)
    debtor_no = 0
    made = 0
    while made < cases:
        debtor_no += 1
        debtor_id = f"D{debtor_no:07d}"
        china = rng.random() < 0.4
        if china:
            tz, phone = rng.choice(CN_ZONES), _cn_phone(rng)
            lang, currency = "zh", "CNY"
            name = rng.choice(ZH_SURNAMES) + "".join(rng.sample(ZH_GIVEN, rng.choice((1, 2))))
            birth = date(rng.randrange(1960, 2003), rng.randrange(1, 13), rng.randrange(1, 29))
            national_id = _cn_national_id(rng, birth)
            alts = [_cn_phone(rng) for _ in range(rng.choice((0, 0, 0, 1, 1, 2)))]
            address = f"{rng.randrange(1, 300)}号{rng.choice(STREETS_ZH)}"
        else:
            tz, area_codes = rng.choice(US_ZONES)
            phone = _us_phone(rng, area_codes)
            lang, currency = ("zh" if rng.random() < 0.05 else "en"), "USD"
            name = f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"
            birth = date(rng.randrange(1955, 2003), rng.randrange(1, 13), rng.randrange(1, 29))
            national_id = (
                f"9{rng.randrange(10, 100)}-{rng.randrange(70, 100)}-{rng.randrange(10_000):04d}"
            )
            alts = [_us_phone(rng, area_codes) for _ in range(rng.choice((0, 0, 0, 1, 1, 2)))]
            address = f"{rng.randrange(1, 9999)} {rng.choice(STREETS_EN)}"
        for _ in range(2 if rng.random() < 0.08 else 1):
            if made >= cases:
                break
            made += 1
            loan_id = f"L{made:08d}"
            product = _pick(rng, {k: v[0] for k, v in PRODUCTS.items()})
            bucket = rng.choices(DPD_BUCKETS, weights=[b[0] for b in DPD_BUCKETS])[0]
            dpd = rng.randint(bucket[1], bucket[2])
            due = as_of - timedelta(days=dpd)
            term = rng.randint(*PRODUCTS[product][2])
            principal, outstanding = _amounts(rng, product, currency)
            row = {
                "debtor_id": debtor_id,
                "name": name,
                "national_id": national_id,
                "phone": phone,
                "alt_phones": ";".join(alts),
                "language": lang,
                "timezone": tz,
                "loan_id": loan_id,
                "product": product,
                "principal": str(principal),
                "outstanding": str(outstanding),
                "currency": currency,
                "due_date": due.isoformat(),
                "days_past_due": str(dpd),
                "origination_date": (due - timedelta(days=30 * term)).isoformat(),
                "birth_date": birth.isoformat(),
                "address": address,
                "jurisdiction": "CN" if china else "US",
                "as_of": as_of.isoformat(),
            }
            yield SyntheticCase(row=row, profile=_profile(rng, debtor_id, loan_id, dpd))
