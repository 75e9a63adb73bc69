"""The real dialogue brain of a call: ``nlu.parse`` + ``nlu.policy.decide`` over one state.

The policy is a pure function; this adapter keeps its ``DialogueState`` for the length of one
call and exposes the ``Conversation`` protocol ``CallSession`` talks to.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from core.dialogue import DialogueCommand, DialogueEvent, Lang, Parse
from nlu.parser import NluParser, default_parser
from nlu.policy import (
    CaseFacts,
    DialogueState,
    MachineHandling,
    Script,
    decide,
    load_script,
    start,
)


class PolicyConversation:
    """One call's dialogue: the case facts, the script, "today", and the state so far."""

    def __init__(
        self,
        facts: CaseFacts,
        today: date,
        *,
        script: Script | None = None,
        parser: NluParser | None = None,
        machine: MachineHandling | None = None,
    ) -> None:
        self.today = today
        self._parser = parser or default_parser()
        self.state: DialogueState = start(
            facts, script or load_script(facts.lang), today, machine=machine
        )

    def understand(self, text: str, lang: Lang) -> Parse:
        return self._parser.parse(text, lang, self.today)

    def decide(self, event: DialogueEvent) -> Sequence[DialogueCommand]:
        self.state, commands = decide(self.state, event)
        return commands
