"""The transfer part of a ``CallSession``: originate the agent leg, bridge it with the debtor,
drop the bot's media leg, publish ``TransferStarted``, and wait for either side to hang up."""

from __future__ import annotations

import contextlib

from core.dialogue import Outcome, TransferToAgent
from ivr.calls import TransferStarted
from ivr.errors import AriError
from ivr.session_base import HANGUP_EVENTS, CallOver, SessionBase


class Transferring(SessionBase):
    async def _transfer(self, command: TransferToAgent) -> bool:
        """Hand the debtor to an agent; False when no agent answered in time."""
        assert self._media is not None
        agent_id = f"{self.call_id}-agent"
        self._claim(agent_id)
        await self.ari.originate(
            self._settings.agent_endpoint,
            app_args=["agent", self.call_id],
            channel_id=agent_id,
            other_channel_id=f"{agent_id}-2",
            timeout_s=int(self._settings.agent_answer_timeout_s),
        )
        try:
            await self._wait_ari("StasisStart", agent_id, self._settings.agent_answer_timeout_s)
        except TimeoutError:
            with contextlib.suppress(AriError):
                await self.ari.hangup(agent_id)
            return False
        media = self._media
        await self.ari.add_to_bridge(media.bridge_id, [agent_id])
        await self.ari.remove_from_bridge(media.bridge_id, [media.em_id])
        with contextlib.suppress(AriError):
            await self.ari.hangup(media.em_id)
        self.result.outcome = Outcome.TRANSFERRED
        self.result.agent_channel_id = agent_id
        if self._publish is not None:
            transcript = tuple(self.result.transcript)
            await self._publish(
                TransferStarted(self.call_id, agent_id, command.reason, command.summary, transcript)
            )
        await self._wait_leg_ends({self.channel_id, agent_id})
        return True

    async def _wait_leg_ends(self, legs: set[str]) -> None:
        """After a transfer: the call is over when the debtor or the agent hangs up."""
        while True:
            event = await self._ari_events.get()
            if event.channel_id in legs and event.type in HANGUP_EVENTS:
                ended = "caller_hung_up" if event.channel_id == self.channel_id else "agent_hung_up"
                raise CallOver(ended)
