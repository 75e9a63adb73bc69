"""Field-level bounds of a portfolio record, checked before any value is interpreted.

Every field is text (a JSON number or boolean counts as its text) of at most its column's
length, with no control character (line breaks, NUL, escape …) and no lone surrogate; a few
columns may be a JSON list of such texts. A reason quotes at most a short excerpt of a value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from core.errors import ValidationError

EXCERPT_CHARS = 40
# control characters, line/paragraph separators, bidirectional overrides, lone surrogates
_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
MAX_CHARS: dict[str, int] = {
    "debtor_id": 64,
    "loan_id": 64,
    "name": 200,
    "national_id": 64,
    "phone": 40,
    "alt_phones": 400,
    "do_not_call": 400,
    "language": 16,
    "timezone": 64,
    "product": 32,
    "principal": 40,
    "outstanding": 40,
    "currency": 8,
    "due_date": 32,
    "as_of": 32,
    "origination_date": 32,
    "birth_date": 32,
    "days_past_due": 16,
    "jurisdiction": 8,
    "phone_type": 16,
    "flags": 200,
    "consent_sms": 8,
    "consent_call": 8,
    "address": 500,
    "email": 254,
}
LIST_COLUMNS = frozenset({"alt_phones", "do_not_call", "flags"})


def excerpt(value: object, limit: int = EXCERPT_CHARS) -> str:
    """A short, printable rendering of a value for a reason (never a whole long field)."""
    text = value if isinstance(value, str) else str(value)
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    shown = repr(text[:limit])
    return shown + (f"… ({len(text)} characters)" if len(text) > limit else "")


def _check_text(column: str, text: str, limit: int) -> None:
    if len(text) > limit:
        raise ValidationError(f"{column} has {len(text)} characters (at most {limit})")
    bad = _FORBIDDEN.search(text)
    if bad is None:
        return
    ch = bad.group()
    if "\ud800" <= ch <= "\udfff":
        raise ValidationError(f"{column} holds an invalid character (a lone surrogate)")
    breaks = {"\n", "\r", "\u2028", "\u2029"}
    what = "a line break" if ch in breaks else "a NUL byte" if ch == "\x00" else None
    what = what or f"the control character U+{ord(ch):04X}"
    raise ValidationError(f"{column} holds {what}")


def _as_text(column: str, value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | Decimal):
        return str(value)
    kind = "an object" if isinstance(value, dict) else "a list"
    raise ValidationError(f"{column} is {kind}, not a value")


def check_fields(raw: dict[str, Any], limits: Mapping[str, int] = MAX_CHARS) -> None:
    """Raise ValidationError for the first field of a known column that breaks a bound
    (other columns are ignored by the import, and so here)."""
    for column, limit in limits.items():
        value = raw.get(column)
        if value is None:
            continue
        if isinstance(value, list) and column in LIST_COLUMNS:
            if len(value) > 20:
                raise ValidationError(f"{column} lists {len(value)} values (at most 20)")
            items = [_as_text(column, v) for v in value]
            for item in items:
                _check_text(column, item, limit)
            _check_text(column, ";".join(items), limit)
            continue
        _check_text(column, _as_text(column, value), limit)
