"""Table-driven edge cases of the compliance guard (hours, DST, day boundaries, caps, flags)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from scoring.compliance import (
    Channel,
    Contact,
    Debtor,
    HistoryEntry,
    Reason,
    check,
    load_profiles,
)
from scoring.errors import ComplianceInputError, UnknownJurisdictionError

PHONE = "+13125550100"
CALL = Contact(Channel.CALL, "L1", PHONE)
SMS = Contact(Channel.SMS, "L1", PHONE)
CHICAGO = Debtor.of("US", "America/Chicago")
SHANGHAI = Debtor.of("CN", "Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def calls(now: datetime, ages: list[timedelta], debt: str = "L1", **kw: bool) -> list[HistoryEntry]:
    return [HistoryEntry(Channel.CALL, now - age, debt, **kw) for age in ages]


@pytest.mark.parametrize(
    ("debtor", "now", "allowed"),
    [
        (CHICAGO, "2026-03-10T20:59:00-05:00", True),
        (CHICAGO, "2026-03-10T21:00:00-05:00", False),  # the end of the window is excluded
        (CHICAGO, "2026-03-10T21:01:00-05:00", False),
        (CHICAGO, "2026-03-10T07:59:59-05:00", False),
        (CHICAGO, "2026-03-10T08:00:00-05:00", True),
        # the same instants written in UTC: the guard reads the debtor's zone, not the offset
        (CHICAGO, "2026-03-11T01:59:00+00:00", True),
        (CHICAGO, "2026-03-11T02:01:00+00:00", False),
        # DST: 13:30Z is 08:30 CDT the day the clocks spring forward, 07:30 CST after fall back
        (CHICAGO, "2026-03-07T13:30:00+00:00", False),  # CST: 07:30
        (CHICAGO, "2026-03-08T13:30:00+00:00", True),  # CDT: 08:30
        (CHICAGO, "2026-10-31T13:30:00+00:00", True),  # CDT: 08:30
        (CHICAGO, "2026-11-01T13:30:00+00:00", False),  # CST: 07:30
        (CHICAGO, "2026-11-01T02:59:00+00:00", False),  # CDT 21:59 the night before
        (SHANGHAI, "2026-05-01T21:59:00+08:00", True),
        (SHANGHAI, "2026-05-01T22:00:00+08:00", False),
        (SHANGHAI, "2026-05-01T22:01:00+08:00", False),
        (SHANGHAI, "2026-05-02T07:59:00+08:00", False),
        (SHANGHAI, "2026-05-02T08:00:00+08:00", True),
        (SHANGHAI, "2026-05-01T13:59:00+00:00", True),  # 21:59 in Shanghai
    ],
)
def test_contact_hours_in_the_debtors_zone(debtor: Debtor, now: str, allowed: bool) -> None:
    for contact in (CALL, SMS):
        decision = check(contact, [], debtor, at(now))
        assert decision.allowed is allowed
        assert decision.reasons == (() if allowed else (Reason.OUTSIDE_HOURS,))


def test_every_zone_of_the_debtor_must_be_inside_hours() -> None:
    two_zones = Debtor.of("US", "America/Chicago", extra_timezones=("America/New_York",))
    now = at("2026-03-10T20:30:00-05:00")  # 20:30 in Chicago, 21:30 in New York
    assert check(CALL, [], CHICAGO, now).allowed
    assert check(CALL, [], two_zones, now).reasons == (Reason.OUTSIDE_HOURS,)


NOON_US = at("2026-06-10T12:00:00-05:00")


@pytest.mark.parametrize(
    ("history", "reasons"),
    [
        (calls(NOON_US, [timedelta(hours=h) for h in range(1, 7)]), ()),  # 6 attempts: 7th ok
        (
            calls(NOON_US, [timedelta(hours=h) for h in range(1, 8)]),
            (Reason.CALL_CAP_7D,),
        ),  # 7 attempts: the 8th is refused
        (
            calls(NOON_US, [timedelta(days=6, hours=23, minutes=59)] * 7),
            (Reason.CALL_CAP_7D,),
        ),
        (calls(NOON_US, [timedelta(days=7, minutes=1)] * 7), ()),  # out of the window
        (calls(NOON_US, [timedelta(hours=h) for h in range(1, 8)], debt="L2"), ()),  # other debt
        (
            calls(NOON_US, [timedelta(days=6)], conversation=True, connected=True),
            (Reason.AFTER_CONVERSATION_7D,),
        ),
        (calls(NOON_US, [timedelta(days=8)], conversation=True, connected=True), ()),
        (  # a conversation on the local calendar day 7 days ago but less than 168 h ago
            calls(NOON_US, [timedelta(days=6, hours=23)], conversation=True),
            (Reason.AFTER_CONVERSATION_7D,),
        ),
        (
            calls(NOON_US, [timedelta(days=6)], debt="L2", conversation=True, connected=True),
            (),
        ),
        (calls(NOON_US, [timedelta(hours=1)] * 5, connected=True), ()),  # US: no daily cap
    ],
)
def test_us_call_frequency(history: list[HistoryEntry], reasons: tuple[Reason, ...]) -> None:
    assert check(CALL, history, CHICAGO, NOON_US).reasons == reasons


def test_us_calendar_reading_of_seven_days_across_fall_back() -> None:
    # 2026-11-01 the clocks go back: a conversation 00:30 CDT on Oct 26 is 7 local days
    # before Nov 1 but 168 h later is still Nov 1 at 23:30 CST. Both readings refuse on Nov 1.
    talk = at("2026-10-26T00:30:00-05:00")
    history = [HistoryEntry(Channel.CALL, talk, "L1", True, True)]
    nov1_evening = at("2026-11-01T20:00:00-06:00")
    assert check(CALL, history, CHICAGO, nov1_evening).reasons == (Reason.AFTER_CONVERSATION_7D,)
    nov2_morning = at("2026-11-02T08:30:00-06:00")
    assert check(CALL, history, CHICAGO, nov2_morning).allowed


def test_us_conversation_does_not_block_sms_and_calls_do_not_count_as_sms() -> None:
    history = calls(NOON_US, [timedelta(hours=h) for h in range(1, 9)], conversation=True)
    assert check(SMS, history, CHICAGO, NOON_US).allowed


NOON_CN = at("2026-05-02T12:00:00+08:00")


@pytest.mark.parametrize(
    ("contact", "history", "reasons"),
    [
        (CALL, calls(NOON_CN, [timedelta(hours=h) for h in (1, 2)], connected=True), ()),
        (
            CALL,
            calls(NOON_CN, [timedelta(hours=h) for h in (1, 2, 3)], connected=True),
            (Reason.DAILY_CONNECTED_CAP,),
        ),
        (  # across all debts of the debtor
            CALL,
            calls(NOON_CN, [timedelta(hours=1)], connected=True)
            + calls(NOON_CN, [timedelta(hours=2), timedelta(hours=3)], "L9", connected=True),
            (Reason.DAILY_CONNECTED_CAP,),
        ),
        (CALL, calls(NOON_CN, [timedelta(hours=1)] * 10), ()),  # unanswered attempts: no cap
        (SMS, calls(NOON_CN, [timedelta(hours=1)] * 3, connected=True), ()),
        (CALL, calls(NOON_CN, [timedelta(days=6)], conversation=True, connected=True), ()),
    ],
)
def test_cn_calls(
    contact: Contact, history: list[HistoryEntry], reasons: tuple[Reason, ...]
) -> None:
    assert check(contact, history, SHANGHAI, NOON_CN).reasons == reasons


def test_cn_daily_cap_counts_the_debtors_local_day_not_utc() -> None:
    la = Debtor.of("CN", "America/Los_Angeles")
    # same local day (May 1 in LA), different UTC days -> refused
    history = [
        HistoryEntry(Channel.CALL, at(f"2026-05-01T16:{m}:00-07:00"), "L1", connected=True)
        for m in ("00", "10", "20")
    ]
    assert check(CALL, history, la, at("2026-05-01T18:00:00-07:00")).reasons == (
        Reason.DAILY_CONNECTED_CAP,
    )
    # same UTC day (May 1), previous local day in LA -> allowed
    history = [
        HistoryEntry(Channel.CALL, at(f"2026-04-30T20:{m}:00-07:00"), "L1", connected=True)
        for m in ("00", "10", "20")
    ]
    assert check(CALL, history, la, at("2026-05-01T09:00:00-07:00")).allowed
    # Shanghai: three connected calls late yesterday do not block this morning
    history = calls(NOON_CN, [timedelta(hours=h) for h in (14, 14.5, 15)], connected=True)
    assert check(CALL, history, SHANGHAI, at("2026-05-02T08:05:00+08:00")).allowed


def sms(now: datetime, ages: list[timedelta], debt: str = "L1") -> list[HistoryEntry]:
    return [HistoryEntry(Channel.SMS, now - age, debt) for age in ages]


@pytest.mark.parametrize(
    ("history", "reasons"),
    [
        (sms(NOON_CN, [timedelta(days=d) for d in (1, 2)]), ()),
        (sms(NOON_CN, [timedelta(days=d) for d in (1, 2, 6.9)]), (Reason.SMS_CAP_7D,)),
        (
            sms(NOON_CN, [timedelta(days=1)]) + sms(NOON_CN, [timedelta(days=2)] * 2, "L7"),
            (Reason.SMS_CAP_7D,),
        ),  # per debtor, across debts
        (sms(NOON_CN, [timedelta(days=d) for d in (1, 2, 7.1)]), ()),
    ],
)
def test_cn_sms_cap(history: list[HistoryEntry], reasons: tuple[Reason, ...]) -> None:
    assert check(SMS, history, SHANGHAI, NOON_CN).reasons == reasons
    assert check(CALL, history, SHANGHAI, NOON_CN).allowed  # SMS never count as calls


@pytest.mark.parametrize("jurisdiction", ["US", "CN"])
@pytest.mark.parametrize(
    ("flags", "reasons"),
    [
        (["cease"], (Reason.CEASE,)),
        (["attorney"], (Reason.ATTORNEY,)),
        (["deceased"], (Reason.DECEASED,)),
        (["dispute"], (Reason.DISPUTE_HOLD,)),
        (["bankruptcy"], ()),  # routed to legal review by the strategy, not a guard reason
        (
            ["dispute", "deceased", "cease", "attorney"],
            (Reason.CEASE, Reason.ATTORNEY, Reason.DECEASED, Reason.DISPUTE_HOLD),
        ),
    ],
)
def test_flags_stop_every_channel(
    jurisdiction: str, flags: list[str], reasons: tuple[Reason, ...]
) -> None:
    debtor = Debtor.of(jurisdiction, "UTC", flags=flags)
    now = at("2026-05-02T12:00:00+00:00")
    for contact in (CALL, SMS):
        assert check(contact, [], debtor, now).reasons == reasons


def test_do_not_call_numbers_match_whatever_their_format() -> None:
    debtor = Debtor.of("US", "America/Chicago", do_not_call=["+1 (312) 555-0100"])
    assert check(CALL, [], debtor, NOON_US).reasons == (Reason.DO_NOT_CALL,)
    assert check(SMS, [], debtor, NOON_US).reasons == (Reason.DO_NOT_CALL,)
    other = Contact(Channel.CALL, "L1", "+13125550199")
    assert check(other, [], debtor, NOON_US).allowed


def test_every_broken_rule_is_reported_in_a_fixed_order() -> None:
    debtor = Debtor.of("US", "America/Chicago", flags=["dispute"], do_not_call=[PHONE])
    late = at("2026-06-10T22:00:00-05:00")
    history = calls(late, [timedelta(hours=h) for h in range(1, 8)], conversation=True)
    assert check(CALL, history, debtor, late).as_json() == {
        "allowed": False,
        "reasons": [
            "dispute_hold",
            "do_not_call",
            "outside_hours",
            "call_cap_7d",
            "after_conversation_7d",
        ],
    }


def test_bad_input_is_refused_loudly() -> None:
    with pytest.raises(UnknownJurisdictionError):
        check(CALL, [], Debtor.of("XX", "UTC"), NOON_US)
    with pytest.raises(ComplianceInputError):
        check(CALL, [], CHICAGO, datetime(2026, 1, 1, 12))
    with pytest.raises(ComplianceInputError):
        Debtor.of("US", "Mars/Olympus")
    with pytest.raises(ComplianceInputError):
        Debtor.of("US", "UTC", flags=["vip"])
    with pytest.raises(ComplianceInputError):
        HistoryEntry(Channel.CALL, datetime(2026, 1, 1), "L1")


def test_profiles_are_configurable(tmp_path: Path) -> None:
    path = tmp_path / "profiles.yaml"
    path.write_text('US: {hours_end: "20:00", call_cap_7d: 3}\nGB: {base: US, call_cap_7d: null}\n')
    profiles = load_profiles(path)
    now = at("2026-06-10T20:30:00-05:00")
    assert check(CALL, [], CHICAGO, now, profiles).reasons == (Reason.OUTSIDE_HOURS,)
    history = calls(NOON_US, [timedelta(hours=h) for h in (1, 2, 3)])
    assert check(CALL, history, CHICAGO, NOON_US, profiles).reasons == (Reason.CALL_CAP_7D,)
    gb = Debtor.of("GB", "Europe/London")
    london_noon = at("2026-06-10T12:00:00+01:00")
    many = calls(london_noon, [timedelta(hours=h) for h in range(1, 12)])
    assert check(CALL, many, gb, london_noon, profiles).allowed
    bad = tmp_path / "bad.yaml"
    bad.write_text("US: {call_cap: 3}\n")
    with pytest.raises(ComplianceInputError, match="unknown keys"):
        load_profiles(bad)
    bad.write_text('US: {hours_start: "22:00"}\n')
    with pytest.raises(ComplianceInputError, match="before hours_end"):
        load_profiles(bad)
