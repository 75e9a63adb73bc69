"""Property tests: no generated history and clock gets a forbidden contact through the guard.

The oracle below restates each rule from the issue independently of the guard's code (local
time via UTC offset arithmetic, windows by brute force over calendar days and hours).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.compliance import Channel, Contact, Debtor, HistoryEntry, Reason, check

ZONES = [
    "America/Chicago",
    "America/New_York",
    "America/Los_Angeles",
    "Pacific/Honolulu",
    "Asia/Shanghai",
    "Europe/London",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
]
PHONES = ["+13125550100", "+13125550101"]
DEBTS = ["L1", "L2"]
START = datetime(2025, 1, 1, tzinfo=UTC)

instants = st.integers(min_value=0, max_value=3 * 365 * 24 * 60).map(
    lambda m: START + timedelta(minutes=m)
)


@st.composite
def histories(draw: st.DrawFn, now: datetime) -> list[HistoryEntry]:
    # ages cluster within ~9 days so that caps and windows are reached often
    ages = draw(st.lists(st.integers(min_value=0, max_value=9 * 24 * 60), max_size=14))
    return [
        HistoryEntry(
            channel=draw(st.sampled_from(list(Channel))),
            at=now - timedelta(minutes=age),
            debt_id=draw(st.sampled_from(DEBTS)),
            connected=(connected := draw(st.booleans())),
            conversation=connected and draw(st.booleans()),
        )
        for age in ages
    ]


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Contact, list[HistoryEntry], Debtor, datetime]:
    now = draw(instants)
    zones = draw(st.lists(st.sampled_from(ZONES), min_size=1, max_size=2, unique=True))
    flags = draw(st.lists(st.sampled_from(["cease", "attorney", "deceased", "dispute"])))
    if draw(st.integers(0, 3)) > 0:
        flags = []  # mostly clean debtors, so the other rules get exercised
    debtor = Debtor.of(
        draw(st.sampled_from(["US", "CN"])),
        zones[0],
        flags=flags,
        do_not_call=draw(st.lists(st.sampled_from(PHONES), max_size=1)),
        extra_timezones=tuple(zones[1:]),
    )
    contact = Contact(draw(st.sampled_from(list(Channel))), draw(st.sampled_from(DEBTS)), PHONES[0])
    return contact, draw(histories(now)), debtor, now


def local_minutes(instant: datetime, tz: str) -> tuple[date, int]:
    offset = instant.astimezone(ZoneInfo(tz)).utcoffset()
    assert offset is not None
    wall = instant.astimezone(UTC).replace(tzinfo=None) + offset
    return wall.date(), wall.hour * 60 + wall.minute


def in_any_seven_days(entry: datetime, now: datetime, zones: tuple[str, ...]) -> bool:
    if now - entry < timedelta(days=7):
        return True
    return any((local_minutes(now, z)[0] - local_minutes(entry, z)[0]).days < 7 for z in zones)


def forbidden(
    contact: Contact, history: list[HistoryEntry], debtor: Debtor, now: datetime
) -> set[Reason]:
    """Every reason the issue's rules give for refusing this contact."""
    out: set[Reason] = set()
    names = {"cease": Reason.CEASE, "attorney": Reason.ATTORNEY, "deceased": Reason.DECEASED}
    out |= {names[f.value] for f in debtor.flags if f.value in names}
    if any(f.value == "dispute" for f in debtor.flags):
        out.add(Reason.DISPUTE_HOLD)
    if contact.phone in debtor.do_not_call:
        out.add(Reason.DO_NOT_CALL)
    end = 21 * 60 if debtor.jurisdiction == "US" else 22 * 60
    if any(not 8 * 60 <= local_minutes(now, z)[1] < end for z in debtor.timezones):
        out.add(Reason.OUTSIDE_HOURS)
    recent = [h for h in history if in_any_seven_days(h.at, now, debtor.timezones)]
    is_call = contact.channel is Channel.CALL
    if debtor.jurisdiction == "US" and is_call:
        same = [h for h in recent if h.channel is Channel.CALL and h.debt_id == contact.debt_id]
        if len(same) >= 7:
            out.add(Reason.CALL_CAP_7D)
        if any(h.conversation for h in same):
            out.add(Reason.AFTER_CONVERSATION_7D)
    if debtor.jurisdiction == "CN" and is_call:
        home = debtor.timezones[0]
        today = [
            h
            for h in history
            if h.channel is Channel.CALL
            and h.connected
            and local_minutes(h.at, home)[0] == local_minutes(now, home)[0]
        ]
        if len(today) >= 3:
            out.add(Reason.DAILY_CONNECTED_CAP)
    sms_sent = sum(1 for h in recent if h.channel is Channel.SMS)
    if debtor.jurisdiction == "CN" and not is_call and sms_sent >= 3:
        out.add(Reason.SMS_CAP_7D)
    return out


@settings(max_examples=800, deadline=None)
@given(scenarios())
def test_no_forbidden_contact_gets_through(
    scenario: tuple[Contact, list[HistoryEntry], Debtor, datetime],
) -> None:
    contact, history, debtor, now = scenario
    decision = check(contact, history, debtor, now)
    expected = forbidden(contact, history, debtor, now)
    assert expected <= set(decision.reasons)
    if expected:
        assert not decision.allowed
    assert decision.allowed == (not decision.reasons)


@settings(max_examples=300, deadline=None)
@given(scenarios(), st.randoms())
def test_the_answer_does_not_depend_on_history_order_or_offset_of_now(
    scenario: tuple[Contact, list[HistoryEntry], Debtor, datetime], rnd: random.Random
) -> None:
    contact, history, debtor, now = scenario
    shuffled = list(history)
    rnd.shuffle(shuffled)
    elsewhere = now.astimezone(ZoneInfo("Asia/Kathmandu"))
    assert check(contact, shuffled, debtor, elsewhere) == check(contact, history, debtor, now)


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_single_zone_debtors_get_exactly_the_oracles_reasons(
    scenario: tuple[Contact, list[HistoryEntry], Debtor, datetime],
) -> None:
    contact, history, debtor, now = scenario
    if len(debtor.timezones) == 1:
        assert set(check(contact, history, debtor, now).reasons) == forbidden(
            contact, history, debtor, now
        )


@settings(max_examples=300, deadline=None)
@given(instants, st.sampled_from(ZONES), st.integers(min_value=0, max_value=20))
def test_adding_history_never_turns_a_refusal_into_an_allowance(
    now: datetime, tz: str, extra: int
) -> None:
    debtor = Debtor.of("US", tz)
    contact = Contact(Channel.CALL, "L1", PHONES[0])
    base = [HistoryEntry(Channel.CALL, now - timedelta(hours=h + 1), "L1") for h in range(7)]
    more = base + [
        HistoryEntry(Channel.CALL, now - timedelta(hours=h + 1), "L2", True, True)
        for h in range(extra)
    ]
    assert not check(contact, base, debtor, now).allowed
    assert not check(contact, more, debtor, now).allowed
