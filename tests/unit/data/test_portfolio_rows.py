from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from core.errors import ValidationError
from data.portfolio.rows import parse_row

AS_OF = date(2026, 11, 29)


def good(**over: Any) -> dict[str, Any]:
    row = {
        "debtor_id": "D1",
        "name": "Jane Roe",
        "national_id": "912-70-1234",
        "phone": "(415) 555-2671",
        "alt_phones": "+1 212 555 0199;4155552671",
        "language": "en-US",
        "timezone": "America/Los_Angeles",
        "loan_id": "L1",
        "product": "Personal",
        "principal": "1,000.00",
        "outstanding": "850.5",
        "currency": "usd",
        "due_date": "2026-10-01",
        "days_past_due": "59",
    }
    row.update(over)
    return row


def test_good_row_is_normalised() -> None:
    row = parse_row(good(), 2, as_of=AS_OF)
    assert [p.e164 for p in row.phones] == ["+14155552671", "+12125550199"]  # duplicate dropped
    assert row.language == "en"
    assert row.product == "personal"
    assert row.currency == "USD"
    assert (row.principal_minor, row.outstanding_minor) == (100000, 85050)
    assert row.jurisdiction == "US"
    assert row.as_of == AS_OF


def test_chinese_row() -> None:
    row = parse_row(
        good(
            phone="13800138000",
            alt_phones="",
            language="zh",
            timezone="Asia/Shanghai",
            currency="CNY",
            principal="3000",
            outstanding="2999.99",
        ),
        3,
        as_of=AS_OF,
    )
    assert row.phones[0].e164 == "+8613800138000"
    assert row.jurisdiction == "CN"


@pytest.mark.parametrize(
    ("over", "reason"),
    [
        ({"phone": "12345"}, "phone '12345' is not a valid number"),
        ({"phone": "call me"}, "is not a phone number"),
        ({"phone": ""}, "phone is empty"),
        ({"alt_phones": "+1 999"}, "alt_phones"),
        ({"principal": "-5"}, "principal -5 is negative"),
        ({"outstanding": "abc"}, "outstanding 'abc' is not an amount"),
        ({"outstanding": "1.005"}, "more decimals than USD allows"),
        ({"currency": "XYZ"}, "currency 'XYZ' is not an ISO 4217 code"),
        ({"product": "mortgage"}, "product 'mortgage' is not one of"),
        ({"timezone": "Mars/Olympus"}, "not an IANA time zone"),
        ({"due_date": "01/10/2026"}, "due_date '01/10/2026' is not a date"),
        ({"days_past_due": "-3"}, "days_past_due '-3' is not a whole number"),
        ({"language": "fr"}, "language 'fr' is not supported"),
        ({"debtor_id": " "}, "debtor_id is empty"),
        ({"flags": "cease;angry"}, "flags ['angry'] unknown"),
        ({"jurisdiction": "DE"}, "jurisdiction 'DE' is not US or CN"),
    ],
)
def test_bad_rows_give_a_clear_reason(over: dict[str, Any], reason: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_row(good(**over), 7, as_of=AS_OF)
    assert reason in str(err.value)


def test_flags_and_do_not_call() -> None:
    row = parse_row(good(flags="cease|dispute", do_not_call="+12125550199"), 2, as_of=AS_OF)
    assert row.flags == {"cease", "dispute"}
    assert [p.do_not_call for p in row.phones] == [False, True]
