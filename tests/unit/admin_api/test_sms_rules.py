"""SMS templates, sending windows (debtor-local) and the policy that asks the guard."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from scoring.compliance import Channel, Debtor, HistoryEntry
from sms.errors import NotAllowedNow, TemplateError
from sms.policy import reasons_not_to_send, require_allowed
from sms.templates import render, segments, variables_of
from sms.windows import DEFAULT_WINDOWS, Window, in_windows, next_opening


def test_template_variables_and_rendering() -> None:
    body = "Pay {amount} by {due_date} via {payment_link}. {amount}"
    assert variables_of(body) == ("amount", "due_date", "payment_link")
    values = {"amount": "25.00 USD", "due_date": "2026-12-01", "payment_link": "https://p/x"}
    assert render(body, values) == "Pay 25.00 USD by 2026-12-01 via https://p/x. 25.00 USD"
    with pytest.raises(TemplateError, match="due_date"):
        render(body, {"amount": "1"})


@pytest.mark.parametrize("bad", ["{0}", "{amount!r}", "{amount:>9}", "{amount", "{secret}"])
def test_template_refuses_anything_but_known_plain_names(bad: str) -> None:
    with pytest.raises(TemplateError):
        variables_of(bad)


@pytest.mark.parametrize(
    ("text", "parts"), [("a" * 160, 1), ("a" * 161, 2), ("还" * 70, 1), ("还" * 71, 2)]
)
def test_segments(text: str, parts: int) -> None:
    assert segments(text) == parts


# 2026-11-30 is a Monday; New York is UTC-5 then
@pytest.mark.parametrize(
    ("utc_hour", "minute", "inside"),
    [(13, 59, False), (14, 0, True), (15, 59, True), (16, 0, False), (20, 0, True), (22, 0, False)],
)
def test_default_windows_in_debtor_local_time(utc_hour: int, minute: int, inside: bool) -> None:
    now = datetime(2026, 11, 30, utc_hour, minute, tzinfo=UTC)
    assert in_windows(now, "America/New_York", DEFAULT_WINDOWS) is inside


def test_next_opening() -> None:
    now = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)  # 11:30 in New York
    assert next_opening(now, "America/New_York", DEFAULT_WINDOWS) == datetime(
        2026, 11, 30, 20, 0, tzinfo=UTC
    )
    late = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)  # 18:00 → next morning 09:00
    assert next_opening(late, "America/New_York", DEFAULT_WINDOWS) == datetime(
        2026, 12, 1, 14, 0, tzinfo=UTC
    )
    assert Window.parse("08:30-09:15") == Window(time(8, 30), time(9, 15))
    with pytest.raises(ValueError, match="before"):
        Window.parse("10:00-09:00")


def test_policy_window_then_guard() -> None:
    debtor = Debtor.of("US", "America/New_York")
    inside = datetime(2026, 11, 30, 14, 30, tzinfo=UTC)
    args = {"debt_id": "L1", "phone": "+14155550100", "debtor": debtor, "windows": DEFAULT_WINDOWS}
    assert reasons_not_to_send(history=(), now=inside, **args) == ()  # type: ignore[arg-type]
    outside = inside + timedelta(hours=3)
    assert reasons_not_to_send(history=(), now=outside, **args) == ("outside_sms_window",)  # type: ignore[arg-type]
    # China caps SMS at 3 a week (the guard's CN profile); 10:00 in Shanghai is 02:00 UTC
    cn = Debtor.of("CN", "Asia/Shanghai")
    morning = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    sent = [HistoryEntry(Channel.SMS, morning - timedelta(days=d), "L1") for d in (1, 2, 3)]
    common = {"debt_id": "L1", "phone": "+8613800138000", "debtor": cn, "windows": DEFAULT_WINDOWS}
    assert reasons_not_to_send(history=sent[:2], now=morning, **common) == ()  # type: ignore[arg-type]
    reasons = reasons_not_to_send(history=sent, now=morning, **common)  # type: ignore[arg-type]
    assert reasons == ("sms_cap_7d",)
    ceased = Debtor.of("US", "America/New_York", flags=["cease"])
    with pytest.raises(NotAllowedNow) as refused:
        require_allowed(
            debt_id="L1",
            phone="+14155550100",
            debtor=ceased,
            history=(),
            now=inside,
            windows=DEFAULT_WINDOWS,
        )
    assert refused.value.reasons
