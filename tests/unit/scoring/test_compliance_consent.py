"""Consent: the guard refuses a channel the debtor gave no consent to (``no_consent``), in the
guard itself, in its JSON request, and in the planner, which plans no step on such a channel."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from scoring.compliance import Channel, Contact, Debtor, Reason, check, parse_request
from scoring.errors import ComplianceInputError
from scoring.strategy import ContactSummary, PlanCase, load_strategy, plan, to_frame

NOON_NY = datetime(2026, 6, 10, 16, 0, tzinfo=UTC)
NIGHT_NY = datetime(2026, 6, 11, 3, 0, tzinfo=UTC)
STRATEGY = replace(load_strategy(), challenger_share=Decimal(0))


@pytest.mark.parametrize(
    ("consent_call", "consent_sms", "channel", "refused"),
    [
        (True, True, Channel.CALL, False),
        (True, True, Channel.SMS, False),
        (False, True, Channel.CALL, True),
        (False, True, Channel.SMS, False),
        (True, False, Channel.SMS, True),
        (True, False, Channel.CALL, False),
        (False, False, Channel.CALL, True),
        (False, False, Channel.SMS, True),
    ],
)
def test_no_consent_refuses_only_that_channel(
    consent_call: bool, consent_sms: bool, channel: Channel, refused: bool
) -> None:
    debtor = Debtor.of("US", "America/New_York", consent_call=consent_call, consent_sms=consent_sms)
    decision = check(Contact(channel, "L1", "+12125550100"), [], debtor, NOON_NY)
    assert (Reason.NO_CONSENT in decision.reasons) is refused
    assert decision.allowed is not refused


def test_no_consent_is_listed_with_every_other_reason() -> None:
    debtor = Debtor.of("US", "America/New_York", ["cease"], consent_call=False)
    decision = check(Contact(Channel.CALL, "L1", "+12125550100"), [], debtor, NIGHT_NY)
    assert set(decision.reasons) == {Reason.CEASE, Reason.OUTSIDE_HOURS, Reason.NO_CONSENT}
    assert Reason.NO_CONSENT.value == "no_consent"


def _request(consent: object) -> dict[str, object]:
    debtor: dict[str, object] = {"timezone": "America/New_York"}
    if consent is not None:
        debtor["consent"] = consent
    return {
        "channel": "sms", "debt_id": "L1", "phone": "+12125550100", "jurisdiction": "US",
        "now": "2026-06-10T16:00:00Z", "debtor": debtor,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("consent", "refused"),
    [(None, False), (["call", "sms"], False), (["call"], True), ([], True), (["sms"], False)],
)
def test_the_json_request_carries_consent(consent: object, refused: bool) -> None:
    req = parse_request(_request(consent))
    decision = check(req.contact, req.history, req.debtor, req.now)
    assert (Reason.NO_CONSENT in decision.reasons) is refused


@pytest.mark.parametrize("bad", [["fax"], "sms", [1]])
def test_a_bad_consent_list_names_the_field(bad: object) -> None:
    with pytest.raises(ComplianceInputError, match=r"debtor\.consent"):
        parse_request(_request(bad))


def _case(
    case_id: str, attempts: int, *, consent_call: bool = True, consent_sms: bool = True
) -> PlanCase:
    return PlanCase(
        case_id=case_id, jurisdiction="US", timezone="America/Chicago", tier="low", dpd=10,
        product="personal", balance_minor=100_000, currency="USD",
        summary=ContactSummary(attempts=attempts), consent_call=consent_call,
        consent_sms=consent_sms,
    )  # fmt: skip


def test_the_planner_blocks_a_step_on_a_channel_without_consent() -> None:
    # gentle_reminder: sms, bot_call, sms, ... by attempt count
    frame = to_frame(
        [
            _case("sms-ok", 0, consent_call=False),
            _case("sms-no", 0, consent_sms=False),
            _case("call-ok", 1, consent_sms=False),
            _case("call-no", 1, consent_call=False),
        ]
    )
    out = plan(frame, STRATEGY, NOON_NY).set_index("case_id")
    assert list(out["step"]) == ["sms", "sms", "bot_call", "bot_call"]
    assert out.loc["sms-no", "reasons"] == "no_consent"
    assert out.loc["call-no", "reasons"] == "no_consent"
    assert list(out.loc[["sms-no", "call-no"], "channel"]) == ["none", "none"]
    assert not out.loc["sms-ok", "blocked"]
    assert not out.loc["call-ok", "blocked"]
    assert out.loc["call-ok", "channel"] == "call"


def test_bankruptcy_is_still_named_after_the_new_reason() -> None:
    frame = to_frame([_case("b", 0, consent_sms=False)])
    frame["bankruptcy"] = True
    out = plan(frame, STRATEGY, NOON_NY)
    assert out.loc[0, "reasons"] == "no_consent,bankruptcy"
