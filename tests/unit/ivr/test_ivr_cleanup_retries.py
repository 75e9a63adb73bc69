"""A clean-up step whose ARI request timed out is asked again (``tidy``), and a bridge whose create
timed out is asked for again (``make_by_id``): a timed-out request may never have reached
Asterisk (the soak's callers left on the line), or may reach it after the call's undo."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from ivr.call_control import make_by_id, tidy
from ivr.errors import AriError, AriNotFound, AriTimeout

Step = Callable[[], Coroutine[Any, Any, None]]


def answers(*outcomes: Exception | None) -> tuple[Step, list[int]]:
    """A request answered in turn by ``outcomes`` (None: done); the list counts the asks."""
    asked: list[int] = []

    async def call() -> None:
        asked.append(1)
        outcome = outcomes[len(asked) - 1]
        if outcome is not None:
            raise outcome

    return call, asked


TIMEOUT = AriTimeout("ARI DELETE /channels/c1 timed out")


@pytest.mark.parametrize(
    ("outcomes", "done", "asks"),
    [
        ((None,), True, 1),
        ((TIMEOUT, None), True, 2),  # the first never reached Asterisk: the second does it
        ((TIMEOUT, AriNotFound("gone")), True, 2),  # the first did it after all
        ((TIMEOUT, TIMEOUT, TIMEOUT), False, 3),  # given up (the router's net goes on)
        ((AriError("400 bad", status=400, retryable=False),), False, 1),  # no point asking again
        ((AriError("503", status=503, retryable=True),), False, 1),  # only timeouts are re-asked
    ],
)
async def test_tidy_asks_again_only_while_the_request_times_out(
    outcomes: tuple[Exception | None, ...], done: bool, asks: int
) -> None:
    call, asked = answers(*outcomes)
    assert await tidy("c1", "hangup", call, pause_s=0) is done
    assert len(asked) == asks


async def test_a_bridge_whose_create_timed_out_is_ours_when_asked_again() -> None:
    call, asked = answers(TIMEOUT, AriError("409 exists", status=409, retryable=False))
    await make_by_id(call, pause_s=0)  # the first ask made it: ours, to use and to destroy
    assert len(asked) == 2
    call, asked = answers(TIMEOUT, None)
    await make_by_id(call, pause_s=0)
    assert len(asked) == 2


async def test_a_bridge_that_already_existed_before_we_asked_is_not_ours() -> None:
    call, _ = answers(AriError("409 exists", status=409, retryable=False))
    with pytest.raises(AriError):
        await make_by_id(call, pause_s=0)
    call, asked = answers(TIMEOUT, TIMEOUT, TIMEOUT)
    with pytest.raises(AriTimeout):
        await make_by_id(call, pause_s=0)
    assert len(asked) == 3
