"""A scenario run on text alone (``collectbot simulate call --transcript-only``): the debtor's
lines go to the real NLU + policy as if the recogniser had heard exactly them. No Asterisk, no
audio, no models but the NLU; a call takes well under a second once the NLU is loaded.

The events follow the spoken call's: the call is answered, each line is an ``UtteranceHeard``
(``<silence>`` the no-input timeout, ``<hangup>`` the debtor hanging up), and when the lines
are used up the debtor stays silent until the bot ends the call, as the spoken simulator's
debtor does. A ``TransferToAgent`` is taken as answered (outcome ``transferred``): there is no
agent desk to fail. The report is the spoken call's ``SimulationReport``, so the JSON has the
same keys (latencies are empty, there is no recording).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from core.dialogue import (
    AskDTMF,
    CallAnswered,
    CallerHungUp,
    DialogueEvent,
    Hangup,
    Outcome,
    Say,
    SilenceTimedOut,
    TransferToAgent,
    UtteranceHeard,
)
from ivr.calls import CallResult, TranscriptLine
from ivr.conversation import PolicyConversation
from nlu.parser import NluParser
from simulation.far_end import DebtorTurn
from simulation.scenario import HANGUP, SILENCE, Scenario
from simulation.simulate import SimulationReport

# after the lines are used up the debtor stays silent; the policy gives up well before this
MAX_SILENT_TURNS = 8
_TURN = timedelta(seconds=2)  # the simulated clock's step between turns (for the transcript)


class _TextCall:
    def __init__(self, scenario: Scenario, parser: NluParser | None, now: datetime) -> None:
        self.scenario = scenario
        self.conversation = PolicyConversation(scenario.case_facts(), scenario.today, parser=parser)
        self.now = now
        self.result = CallResult(call_id="text-" + now.strftime("%H%M%S"), channel_id="text",
                                 started_at=now)  # fmt: skip
        self.turns: list[DebtorTurn] = []

    def _line(self, speaker: Literal["bot", "debtor"], text: str) -> None:
        self.result.transcript.append(TranscriptLine(self.now, speaker, text))

    def send(self, event: DialogueEvent) -> None:
        """One event to the policy; its commands are executed as the session would."""
        for command in self.conversation.decide(event):
            match command:
                case Say():
                    self._line("bot", command.text)
                case AskDTMF():
                    pass
                case TransferToAgent():
                    self.result.records.append(command)
                    self.result.outcome = self.result.outcome or Outcome.TRANSFERRED
                    self.result.end_reason = "transferred"
                case Hangup():
                    self.result.outcome = command.outcome
                    self.result.end_reason = self.result.end_reason or "bot_hung_up"
                case _:
                    self.result.records.append(command)
        self.now += _TURN

    @property
    def over(self) -> bool:
        return self.result.outcome is not None

    def run(self) -> SimulationReport:
        self.send(CallAnswered(self.now))
        lang = self.scenario.language
        for line in self.scenario.debtor:
            if self.over:
                break
            self.turns.append(DebtorTurn(line, self.now))
            if line == HANGUP:
                self.result.end_reason = "caller_hung_up"
                self.send(CallerHungUp(self.now))
                break
            if line == SILENCE:
                self.send(SilenceTimedOut(8.0))
                continue
            self._line("debtor", line)
            heard = self.conversation.understand(line, lang).heard_with(1.0)  # heard exactly
            self.send(UtteranceHeard(line, lang, heard))
        for _ in range(MAX_SILENT_TURNS):
            if self.over:
                break
            self.send(SilenceTimedOut(8.0))
        if not self.over:
            self.result.end_reason = "max_duration"
            self.send(CallerHungUp(self.now))
        self.result.ended_at = self.now
        return SimulationReport(self.scenario, self.result, tuple(self.turns), None)


def simulate_transcript(scenario: Scenario, *, parser: NluParser | None = None) -> SimulationReport:
    """Run ``scenario`` on text: every line is heard exactly as written. The call is placed at
    noon on the scenario's ``today`` in the case's time zone (so "Friday" means the same day in
    every run)."""
    zone = ZoneInfo(scenario.case_facts().timezone)
    placed = datetime.combine(scenario.today, time(12), tzinfo=zone)
    return _TextCall(scenario, parser, placed).run()
