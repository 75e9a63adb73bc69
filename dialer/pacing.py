"""How many lines to dial now: bot, progressive and predictive pacing (pure).

Predictive pacing dials ahead of the free agents using the measured answer rate, but never
so far that the expected share of answered calls without an agent (abandoned) goes over the
limit; when the rolling abandonment rate is already at the limit it falls back to
progressive (one line per free agent).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from math import comb


class PacingMode(StrEnum):
    BOT = "bot"
    PROGRESSIVE = "progressive"
    PREDICTIVE = "predictive"


@dataclass(frozen=True, slots=True)
class PacingState:
    mode: PacingMode
    max_lines: int  # the campaign's ceiling on simultaneous lines
    lines_in_use: int  # ringing + talking, this campaign
    ringing: int  # dialed and not answered yet
    free_agents: int  # agents available for this campaign now
    ivr_capacity: int  # bot sessions this worker can still take
    answer_rate: float  # measured share of dials answered by a person (rolling)
    abandon_rate: float  # measured abandonment over the rolling 30 days
    abandon_limit: float = 0.03


def expected_abandon_share(dials: int, answer_rate: float, agents: int) -> float:
    """Expected abandoned / expected answered when ``dials`` ring and ``agents`` are free."""
    if dials <= 0 or answer_rate <= 0:
        return 0.0
    p = min(max(answer_rate, 0.0), 1.0)
    expected_answered = dials * p
    over = sum(
        (k - agents) * comb(dials, k) * p**k * (1 - p) ** (dials - k)
        for k in range(agents + 1, dials + 1)
    )
    return over / expected_answered


def lines_to_dial(state: PacingState) -> int:
    """New calls to originate now (never negative, never above the campaign's line limit)."""
    room = max(state.max_lines - state.lines_in_use, 0)
    match state.mode:
        case PacingMode.BOT:
            wanted = state.ivr_capacity - state.ringing
        case PacingMode.PROGRESSIVE:
            wanted = state.free_agents - state.ringing
        case PacingMode.PREDICTIVE:
            wanted = _predictive(state)
    return max(min(wanted, room), 0)


def _predictive(state: PacingState) -> int:
    agents = state.free_agents
    if agents <= 0:
        return 0
    if state.abandon_rate >= state.abandon_limit or state.answer_rate <= 0:
        return agents - state.ringing
    # the largest number of calls in flight whose expected abandonment stays under the limit
    target = state.abandon_limit - max(state.abandon_rate - state.abandon_limit / 2, 0.0)
    in_flight = agents
    ceiling = min(int(agents / max(state.answer_rate, 0.05)) + 1, state.max_lines)
    while in_flight < ceiling:
        if expected_abandon_share(in_flight + 1, state.answer_rate, agents) > target:
            break
        in_flight += 1
    return in_flight - state.ringing
