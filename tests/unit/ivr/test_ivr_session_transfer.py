"""Transfers of a call session without Asterisk (fakes as in ``test_ivr_session_units``): the
agent bridged in and the bot's leg out, the screen-pop and live lines, nobody answering, the
caller leaving while the agent rings."""

from __future__ import annotations

import asyncio

import pytest
from ivr_session_fakes import CALLER, event
from ivr_session_harness import (
    SETTINGS,
    Call,
    Console,
    Desk,
    a_call,
    caller_hangs_up,
    finished,
    say,
    until,
)

from core.dialogue import (
    CallAnswered,
    CallerHungUp,
    DialogueCommand,
    DialogueEvent,
    Hangup,
    Outcome,
    TransferFailed,
    TransferToAgent,
)
from ivr.transfer_desk import AgentPick


# --- transfer ----------------------------------------------------------------------------------
def _transfer_reply(e: DialogueEvent) -> list[DialogueCommand]:
    if isinstance(e, CallAnswered):
        return [say("connecting"), TransferToAgent("asked", "wants a person")]
    if isinstance(e, TransferFailed):
        return [say("sorry"), Hangup(Outcome.CALLBACK_SCHEDULED)]
    return []


def _agent_answers(c: Call) -> None:
    def hook(line: str, request: object) -> None:
        entered = {"POST /channels": f"{CALLER}-agent", f"POST /channels/{CALLER}/snoop": None}
        if line in entered:
            leg = entered[line] or f"{CALLER}-snoop"
            asyncio.get_running_loop().call_soon(c.session.deliver, event("StasisStart", leg))

    c.asterisk.on_request.append(hook)


async def test_a_transfer_bridges_the_agent_pops_their_screen_and_ends_when_they_hang_up() -> None:
    desk, console = Desk(AgentPick("agt-7", "PJSIP/agent-7")), Console()
    async with a_call(_transfer_reply, lines=["my account"], desk=desk, console=console) as c:
        _agent_answers(c)
        run = asyncio.create_task(c.session.run())
        await until(lambda: f"POST /bridges/{CALLER}-live/addChannel" in c.asterisk.requests)
        # the debtor and the agent share the call's bridge; the bot's leg listens on a snoop
        assert c.asterisk.bridges[f"{CALLER}-br"] == [CALLER, f"{CALLER}-agent"]
        assert c.asterisk.bridges[f"{CALLER}-live"] == [f"{CALLER}-snoop", f"{CALLER}-em"]
        c.leg.push(b"S", b"E")  # the debtor talks to the agent: a live line on their console
        await until(lambda: bool(console.lines))
        c.session.deliver(event("ChannelHangupRequest", f"{CALLER}-agent"))
        result = await asyncio.wait_for(run, 5)
    assert "POST /channels" in c.asterisk.requests
    assert c.asterisk.left_behind() == (set(), {}, set())  # every leg, bridge, recording
    assert (result.outcome, result.end_reason) == (Outcome.TRANSFERRED, "agent_hung_up")
    assert (result.agent_id, result.agent_channel_id) == ("agt-7", f"{CALLER}-agent")
    [pop] = console.pops
    assert (pop.agent_id, pop.case_id, pop.summary) == ("agt-7", "case-1", "wants a person")
    assert pop.transcript[0].text == "the connecting prompt"
    assert console.ended == ["agent_hung_up"]
    assert console.lines == ["my account"]
    assert ("debtor", "my account") in c.transcript()
    assert desk.connected_ == ["agt-7"]
    assert desk.released == [("agt-7", True)]
    assert [type(e) for e in c.heard] == [CallAnswered]  # the bot is out of the call
    assert f"{CALLER}-agent" in c.media.closed[0].extra_legs  # hung up by the clean-up


async def test_a_transfer_nobody_answers_goes_back_to_the_policy() -> None:
    desk = Desk(None)  # nobody free: the queue is dialed
    async with a_call(_transfer_reply, desk=desk) as c:
        result = await finished(c)
    assert c.heard[1:] == [TransferFailed("no agent answered")]
    assert f"DELETE /channels/{CALLER}-agent" in c.asterisk.requests  # the ringing leg ends
    assert (result.outcome, result.agent_id) == (Outcome.CALLBACK_SCHEDULED, None)
    assert "the sorry prompt" in [t for _, t in c.transcript()]


async def test_the_caller_hanging_up_while_the_agent_rings_ends_the_call() -> None:
    async with a_call(_transfer_reply, settings=SETTINGS.model_copy(update={
        "agent_answer_timeout_s": 5.0})) as c:  # fmt: skip
        run = asyncio.create_task(c.session.run())
        await until(lambda: "POST /channels" in c.asterisk.requests)
        caller_hangs_up(c)
        result = await asyncio.wait_for(run, 5)
    assert result.end_reason == "caller_hung_up"
    assert isinstance(c.heard[-1], CallerHungUp)
    assert f"DELETE /channels/{CALLER}-agent" in c.asterisk.requests


async def test_an_ari_error_in_a_transfer_fails_the_call_and_still_cleans_up() -> None:
    async with a_call(_transfer_reply, desk=Desk(None)) as c:
        _agent_answers(c)
        c.asterisk.fail[r"POST /bridges/.*/addChannel"] = 500
        with pytest.raises(ExceptionGroup) as failure:
            await finished(c)
    assert failure.group_contains(Exception)
    assert f"DELETE /channels/{CALLER}" in c.asterisk.requests
    assert len(c.media.closed) == 1
    assert c.session.result.ended_at is not None
