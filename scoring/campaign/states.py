"""A campaign's states and the actions that move it between them (one table, pure).

``draft → running ⇄ paused → stopped | finished``; only a draft is edited or deleted; only a
running campaign dials; stopped and finished are final.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from scoring.errors import TransitionRefused


class CampaignState(StrEnum):
    DRAFT = "draft"
    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"
    FINISHED = "finished"


class CampaignAction(StrEnum):
    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    STOP = "stop"
    FINISH = "finish"


S, A = CampaignState, CampaignAction
# action → (states it may be taken from, the state it leads to)
TRANSITIONS: Mapping[CampaignAction, tuple[frozenset[CampaignState], CampaignState]] = (
    MappingProxyType(
        {
            A.START: (frozenset({S.DRAFT}), S.RUNNING),
            A.PAUSE: (frozenset({S.RUNNING}), S.PAUSED),
            A.RESUME: (frozenset({S.PAUSED}), S.RUNNING),
            A.STOP: (frozenset({S.RUNNING, S.PAUSED}), S.STOPPED),
            A.FINISH: (frozenset({S.RUNNING, S.PAUSED}), S.FINISHED),
        }
    )
)
FINAL: frozenset[CampaignState] = frozenset({S.STOPPED, S.FINISHED})


def state_of(value: str) -> CampaignState:
    """The state a stored status names (TransitionRefused for a name that is no state)."""
    try:
        return CampaignState(value)
    except ValueError as e:
        raise TransitionRefused(f"{value!r} is not a campaign state") from e


def transition(current: CampaignState | str, action: CampaignAction | str) -> CampaignState:
    """The state after ``action``; TransitionRefused when it is not allowed from ``current``."""
    state = state_of(str(current))
    try:
        act = CampaignAction(action)
    except ValueError as e:
        raise TransitionRefused(f"{action!r} is not a campaign action") from e
    sources, target = TRANSITIONS[act]
    if state not in sources:
        allowed = ", ".join(sorted(a.value for a, (src, _) in TRANSITIONS.items() if state in src))
        raise TransitionRefused(
            f"cannot {act.value} a campaign that is {state.value}"
            + (f" (allowed: {allowed})" if allowed else " (it is final)")
        )
    return target


def allowed_actions(current: CampaignState | str) -> tuple[CampaignAction, ...]:
    """The actions that may be taken now (none for a final state or an unknown name)."""
    try:
        state = CampaignState(str(current))
    except ValueError:
        return ()
    return tuple(a for a, (sources, _) in TRANSITIONS.items() if state in sources)


def editable(state: CampaignState | str) -> bool:
    """Only a draft's name and definition change (a running campaign's settings are fixed)."""
    return str(state) == CampaignState.DRAFT


def dials(state: CampaignState | str) -> bool:
    """The dialer places calls only for a running campaign."""
    return str(state) == CampaignState.RUNNING


def ended(state: CampaignState | str) -> bool:
    """Stopped, finished — or never started: a worker has nothing to do for it."""
    return str(state) in FINAL or str(state) == CampaignState.DRAFT
