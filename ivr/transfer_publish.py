"""The agent console's side of a transfer: the screen-pop, then live transcript lines, then the
end of the call, published on the agent's live topic (``data.live``) through Redis pub/sub, so
that the admin API's ``/live/agent`` websocket (in any process) delivers them.

A transfer to the queue (no one agent picked) pops on ``data.live.QUEUE_TOPIC``.
"""

from __future__ import annotations

from dataclasses import dataclass

from data.live import QUEUE_TOPIC, Message, agent_topic
from ivr.calls import TranscriptLine, TransferStarted
from ivr.transfer_desk import Publisher


def _topic(call: TransferStarted) -> str:
    return agent_topic(call.agent_id) if call.agent_id else QUEUE_TOPIC


def line_message(call: TransferStarted, line: TranscriptLine) -> Message:
    return {
        "type": "transcript",
        "call_id": call.call_id,
        "at": line.at.isoformat(),
        "speaker": line.speaker,
        "text": line.text,
    }


def screen_pop(call: TransferStarted) -> Message:
    """The same ``type``/``case``/``call_id``/``summary``/``by`` keys as the API's manual
    transfer (``POST /cases/{id}/transfer``); ``case`` holds only the id (the console reads
    the rest with ``GET /cases/{id}``)."""
    return {
        "type": "screen_pop",
        "case": {"id": call.case_id} if call.case_id else None,
        "case_id": call.case_id,
        "call_id": call.call_id,
        "agent_id": call.agent_id,
        "agent_channel_id": call.agent_channel_id,
        "reason": call.reason,
        "summary": call.summary,
        "by": "bot",
        "transcript": [
            {"at": x.at.isoformat(), "speaker": x.speaker, "text": x.text} for x in call.transcript
        ],
    }


@dataclass
class AgentConsole:
    """``publish`` (the screen-pop) and ``LiveFeed`` (lines, end) of a ``CallSession``."""

    publisher: Publisher

    async def __call__(self, call: TransferStarted) -> None:
        await self.publisher.publish(_topic(call), screen_pop(call))

    async def line(self, call: TransferStarted, line: TranscriptLine) -> None:
        await self.publisher.publish(_topic(call), line_message(call, line))

    async def ended(self, call: TransferStarted, reason: str) -> None:
        message = {"type": "call.ended", "call_id": call.call_id, "case_id": call.case_id}
        await self.publisher.publish(_topic(call), message | {"reason": reason})
