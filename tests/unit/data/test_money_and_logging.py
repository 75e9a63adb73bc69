from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest

from core.errors import ValidationError
from core.logging import configure_logging, get_logger
from core.money import Money


def test_money_is_decimal_with_currency() -> None:
    assert Money.of("1,234.565", "USD").amount == Decimal("1234.56")  # half-even
    assert Money.of("100", "JPY").minor == 100
    assert Money.of("1.5", "KWD").minor == 1500
    assert Money.from_minor(12345, "CNY") == Money(Decimal("123.45"), "CNY")
    assert Money.of("1", "USD") + Money.of("2.50", "USD") == Money.of("3.5", "USD")
    with pytest.raises(TypeError):
        Money(1.5, "USD")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="currency mismatch"):
        _ = Money.of("1", "USD") + Money.of("1", "CNY")
    with pytest.raises(ValidationError, match="unknown currency"):
        Money.of("1", "ABC")
    with pytest.raises(ValidationError, match="more decimals"):
        Money(Decimal("1.001"), "USD")


@pytest.mark.parametrize("keep", [False, True])
def test_pii_keys_dropped_unless_enabled(keep: bool) -> None:
    out = io.StringIO()
    configure_logging(log_pii=keep, stream=out)
    get_logger("t").info("call.started", call_id="c1", **{"pii.phone": "+14155552671"})
    line = json.loads(out.getvalue())
    assert line["event"] == "call.started"
    assert line["call_id"] == "c1"
    assert ("pii.phone" in line) is keep
    assert ("+14155552671" in out.getvalue()) is keep
    configure_logging()
