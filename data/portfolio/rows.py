"""Validation of one portfolio row: pure, no database. A bad row gets one clear reason."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import phonenumbers

from core.errors import ValidationError
from core.money import MINOR_UNITS, parse_amount
from data.portfolio.fields import EXCERPT_CHARS, check_fields, excerpt

CORE_COLUMNS = (
    "debtor_id",
    "name",
    "national_id",
    "phone",
    "alt_phones",
    "language",
    "timezone",
    "loan_id",
    "product",
    "principal",
    "outstanding",
    "currency",
    "due_date",
    "days_past_due",
)
PRODUCTS = frozenset({"personal", "business", "small", "large", "online", "offline"})
FLAGS = ("cease", "dispute", "attorney", "deceased", "bankruptcy")
JURISDICTIONS = frozenset({"US", "CN"})
MAX_AMOUNT = Decimal(1_000_000_000_000)  # principal and outstanding, in major units
MAX_DAYS_PAST_DUE = 36_500  # a hundred years
MIN_DATE, MAX_DATE = date(1900, 1, 1), date(2199, 12, 31)
_DIGITS = re.compile("[0-9]{1,9}")
_CN_ZONES = frozenset({"Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "Asia/Urumqi", "PRC"})


@dataclass(frozen=True, slots=True)
class Phone:
    e164: str
    kind: str
    country: str | None
    do_not_call: bool = False


@dataclass(frozen=True, slots=True)
class PortfolioRow:
    line: int
    debtor_id: str
    name: str
    national_id: str | None
    phones: tuple[Phone, ...]
    language: str
    timezone: str
    jurisdiction: str
    loan_id: str
    product: str
    currency: str
    principal_minor: int
    outstanding_minor: int
    due_date: date
    days_past_due: int
    as_of: date
    origination_date: date | None
    address: str | None = None
    birth_date: date | None = None
    email: str | None = None
    flags: frozenset[str] = field(default_factory=frozenset)
    consent_sms: bool = True
    consent_call: bool = True


def _text(raw: dict[str, Any], key: str) -> str:
    value = raw.get(key)
    return "" if value is None else str(value).strip()


def _required(raw: dict[str, Any], key: str) -> str:
    value = _text(raw, key)
    if not value:
        raise ValidationError(f"{key} is empty")
    return value


def _date(raw: dict[str, Any], key: str) -> date | None:
    value = _text(raw, key)
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError as e:
        raise ValidationError(f"{key} {excerpt(value)} is not a date (YYYY-MM-DD)") from e
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValidationError(f"{key} {day} is outside {MIN_DATE.year}–{MAX_DATE.year}")
    return day


def amount_minor(raw: dict[str, Any], key: str, currency: str) -> int:
    """A bounded, finite, non-negative amount in the currency's minor units."""
    value = raw.get(key)
    text = "" if value is None else str(value).strip()
    if not text:
        raise ValidationError(f"{key} is empty")
    try:
        amount = value if isinstance(value, Decimal) else parse_amount(text)
    except ValidationError as e:
        raise ValidationError(f"{key} {excerpt(text)} is not an amount") from e
    if not amount.is_finite():
        raise ValidationError(f"{key} {excerpt(text)} is not an amount")
    if amount < 0:
        raise ValidationError(f"{key} {text} is negative")  # at most MAX_CHARS[key] long
    if amount > MAX_AMOUNT:
        raise ValidationError(f"{key} {excerpt(text)} is above the limit of {MAX_AMOUNT:,}")
    scaled = amount.scaleb(MINOR_UNITS[currency])
    if scaled != scaled.to_integral_value():
        raise ValidationError(f"{key} {excerpt(text)} has more decimals than {currency} allows")
    return int(scaled)


def _bool(raw: dict[str, Any], key: str, default: bool) -> bool:
    value = _text(raw, key).lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "y"):
        return True
    if value in ("0", "false", "no", "n"):
        return False
    raise ValidationError(f"{key} {excerpt(value)} is not yes/no")


def _split(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    text = "" if value is None else str(value)
    for sep in ("|", ","):
        text = text.replace(sep, ";")
    return [p.strip() for p in text.split(";") if p.strip()]


def default_region(timezone: str, jurisdiction: str | None) -> str | None:
    if jurisdiction:
        return jurisdiction
    if timezone in _CN_ZONES:
        return "CN"
    if timezone.startswith(("America/", "US/", "Pacific/Honolulu")):
        return "US"
    return None


def normalise_phone(text: str, region: str | None, what: str) -> tuple[str, str | None]:
    """E.164 form and country of a phone number, or a ValidationError naming ``what``."""
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as e:
        raise ValidationError(f"{what} {excerpt(text)} is not a phone number") from e
    country = phonenumbers.region_code_for_number(parsed)
    if country is None or not phonenumbers.is_valid_number_for_region(parsed, country):
        raise ValidationError(f"{what} {excerpt(text)} is not a valid number")
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return e164, country


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _timezone(raw: dict[str, Any]) -> str:
    """An IANA zone name (``US`` or ``America`` are folders of the database, not zones)."""
    tz = _required(raw, "timezone")
    if tz not in _zones():
        raise ValidationError(f"timezone {excerpt(tz)} is not an IANA time zone")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError) as e:
        raise ValidationError(f"timezone {excerpt(tz)} is not an IANA time zone") from e
    return tz


def _language(raw: dict[str, Any]) -> str:
    lang = _required(raw, "language").lower().replace("_", "-").split("-")[0]
    if lang not in ("en", "zh"):
        raise ValidationError(f"language {excerpt(lang)} is not supported (en or zh)")
    return lang


def _phones(raw: dict[str, Any], region: str | None) -> tuple[Phone, ...]:
    dnc = {normalise_phone(p, region, "do_not_call")[0] for p in _split(raw.get("do_not_call"))}
    main, country = normalise_phone(_required(raw, "phone"), region, "phone")
    kind = _text(raw, "phone_type").lower() or "mobile"
    if kind not in ("mobile", "home", "work", "other"):
        raise ValidationError(f"phone_type {excerpt(kind)} is not mobile/home/work/other")
    phones = [Phone(main, kind, country, main in dnc)]
    for alt in _split(raw.get("alt_phones")):
        e164, alt_country = normalise_phone(alt, region, "alt_phones")
        if all(p.e164 != e164 for p in phones):
            phones.append(Phone(e164, "other", alt_country, e164 in dnc))
    return tuple(phones)


def _flags(raw: dict[str, Any]) -> frozenset[str]:
    flags = {f.lower() for f in _split(raw.get("flags"))}
    unknown = flags - set(FLAGS)
    if unknown:
        shown = sorted(f[:EXCERPT_CHARS] for f in unknown)[:5]
        raise ValidationError(f"flags {shown} unknown (allowed: {', '.join(FLAGS)})")
    return frozenset(flags)


def parse_row(raw: dict[str, Any], line: int, *, as_of: date) -> PortfolioRow:
    """Validate one row; raises ValidationError with the first problem found."""
    check_fields(raw)
    timezone = _timezone(raw)
    jurisdiction = _text(raw, "jurisdiction").upper() or None
    if jurisdiction is not None and jurisdiction not in JURISDICTIONS:
        raise ValidationError(f"jurisdiction {excerpt(jurisdiction)} is not US or CN")
    region = default_region(timezone, jurisdiction)
    phones = _phones(raw, region)
    jurisdiction = jurisdiction or (
        phones[0].country if phones[0].country in JURISDICTIONS else None
    )
    if jurisdiction is None:
        raise ValidationError("jurisdiction is empty and cannot be told from the phone number")
    currency = _required(raw, "currency").upper()
    if currency not in MINOR_UNITS:
        raise ValidationError(f"currency {excerpt(currency)} is not an ISO 4217 code")
    product = _required(raw, "product").lower()
    if product not in PRODUCTS:
        allowed = ", ".join(sorted(PRODUCTS))
        raise ValidationError(f"product {excerpt(product)} is not one of {allowed}")
    dpd_text = _required(raw, "days_past_due")
    if not _DIGITS.fullmatch(dpd_text) or int(dpd_text) > MAX_DAYS_PAST_DUE:
        raise ValidationError(
            f"days_past_due {excerpt(dpd_text)} is not a whole number from 0 to "
            f"{MAX_DAYS_PAST_DUE:,}"
        )
    due = _date(raw, "due_date")
    if due is None:
        raise ValidationError("due_date is empty")
    return PortfolioRow(
        line=line,
        debtor_id=_required(raw, "debtor_id"),
        name=_required(raw, "name"),
        national_id=_text(raw, "national_id") or None,
        phones=phones,
        language=_language(raw),
        timezone=timezone,
        jurisdiction=jurisdiction,
        loan_id=_required(raw, "loan_id"),
        product=product,
        currency=currency,
        principal_minor=amount_minor(raw, "principal", currency),
        outstanding_minor=amount_minor(raw, "outstanding", currency),
        due_date=due,
        days_past_due=int(dpd_text),
        as_of=_date(raw, "as_of") or as_of,
        origination_date=_date(raw, "origination_date"),
        address=_text(raw, "address") or None,
        birth_date=_date(raw, "birth_date"),
        email=_text(raw, "email") or None,
        flags=_flags(raw),
        consent_sms=_bool(raw, "consent_sms", True),
        consent_call=_bool(raw, "consent_call", True),
    )
