"""Money: a Decimal amount with an ISO 4217 currency. Never a float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from core.errors import ValidationError

# ISO 4217 active codes and their minor units (digits after the decimal point).
_ZERO = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE = "BHD IQD JOD KWD LYD OMR TND"
_FOUR = "CLF UYW"
_TWO = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP "
    "BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD "
    "FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD "
    "KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD "
    "NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP "
    "SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED "
    "VES WST XCD YER ZAR ZMW ZWG"
)
MINOR_UNITS: dict[str, int] = {
    **dict.fromkeys(_TWO.split(), 2),
    **dict.fromkeys(_ZERO.split(), 0),
    **dict.fromkeys(_THREE.split(), 3),
    **dict.fromkeys(_FOUR.split(), 4),
}


def is_known_currency(code: str) -> bool:
    return code in MINOR_UNITS


def parse_amount(text: str) -> Decimal:
    """Parse a decimal amount written with '.' as the separator; thousands commas allowed."""
    cleaned = text.strip().replace(",", "").replace("_", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as e:
        raise ValidationError(f"not an amount: {text!r}") from e
    if not value.is_finite():
        raise ValidationError(f"not an amount: {text!r}")
    return value


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError("Money.amount must be a Decimal, never a float")
        if self.currency not in MINOR_UNITS:
            raise ValidationError(f"unknown currency: {self.currency!r}")
        exp = Decimal(1).scaleb(-MINOR_UNITS[self.currency])
        if self.amount.quantize(exp, rounding=ROUND_HALF_EVEN) != self.amount:
            raise ValidationError(
                f"{self.amount} has more decimals than {self.currency} allows "
                f"({MINOR_UNITS[self.currency]})"
            )

    @classmethod
    def of(cls, amount: Decimal | str | int, currency: str) -> Money:
        """Build Money, rounding half-even to the currency's minor unit."""
        value = parse_amount(amount) if isinstance(amount, str) else Decimal(amount)
        if currency not in MINOR_UNITS:
            raise ValidationError(f"unknown currency: {currency!r}")
        exp = Decimal(1).scaleb(-MINOR_UNITS[currency])
        return cls(value.quantize(exp, rounding=ROUND_HALF_EVEN), currency)

    @classmethod
    def from_minor(cls, minor: int, currency: str) -> Money:
        return cls(Decimal(minor).scaleb(-MINOR_UNITS[currency]), currency).normalized()

    def normalized(self) -> Money:
        exp = Decimal(1).scaleb(-MINOR_UNITS[self.currency])
        return Money(self.amount.quantize(exp), self.currency)

    @property
    def minor(self) -> int:
        """The amount in the currency's minor unit (cents, fen), exact."""
        return int(self.amount.scaleb(MINOR_UNITS[self.currency]))

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValidationError(f"currency mismatch: {self.currency} vs {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def is_negative(self) -> bool:
        return self.amount < 0

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
