"""A population of simulated debtors that answers the calls a dialer places to their numbers.

The dialer dials ``Local/<number>@sim-debtor/n`` (``DIALER_ENDPOINT_TEMPLATE``): the call's
near half goes to the bot's own Stasis app, the far half enters this pool's app with the
arguments ``sim-debtor,<number>``. The pool looks the number up and behaves as that debtor's
``Persona``: it lets the phone ring out, answers busy, or answers and talks (``FarEnd``); an
unknown number is reported as unallocated. Every line is rendered before the first call, so
the debtors' own speech costs the calls nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from core.clock import Clock
from core.logging import get_logger
from data.case_facts import case_facts, case_phones
from data.crypto import Keyring
from data.db import Database
from ivr.ari import AriClient, AriEvent, AriEventStream, OrderedDispatcher
from ivr.errors import AriError
from ivr.media.rtp import RATE
from ivr.settings import AriSettings
from simulation.far_end import DebtorTurn, FarEnd, FarEndTiming, SimEvents
from simulation.personas import Behaviour, Persona, make_persona
from simulation.scenario import HANGUP, SILENCE
from tts.base import Synthesizer

log = get_logger(__name__)

SIM_ARG = "sim-debtor"


class PrerenderedVoice:
    """A synthesizer that answers from lines rendered ahead of time (and renders the rest)."""

    def __init__(self, voice: Synthesizer) -> None:
        self._voice = voice
        self._lines: dict[tuple[str, str, int], bytes] = {}

    async def prepare(self, lines: list[tuple[str, str]]) -> None:
        for text, lang in lines:
            await self.synthesize(text, lang, RATE)

    async def synthesize(self, text: str, language: str, sample_rate: int) -> bytes:
        key = (text, language, sample_rate)
        if key not in self._lines:
            self._lines[key] = await self._voice.synthesize(text, language, sample_rate)
        return self._lines[key]


@dataclass(slots=True)
class PoolCall:
    """What one simulated debtor did on one call."""

    number: str
    channel_id: str
    persona: Persona | None
    answered: bool = False
    turns: list[DebtorTurn] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Population:
    """Simulated debtors: the persona of each number as the dialer dials it (E.164 without
    '+'), and of each case."""

    by_number: dict[str, Persona]
    by_case: dict[str, Persona]


def population(
    db: Database,
    keyring: Keyring,
    behaviours: Mapping[str, Behaviour],
    *,
    company: str,
    clock: Clock,
) -> Population:
    """Personas for stored cases (case id -> behaviour), each in the debtor's own language and
    reached on every number of the debtor. Synchronous (database, decryption)."""
    by_number: dict[str, Persona] = {}
    by_case: dict[str, Persona] = {}
    for case_id, behaviour in behaviours.items():
        facts = case_facts(db, keyring, case_id, None, company)
        today = clock.now().astimezone(ZoneInfo(facts.timezone)).date()
        persona = by_case[case_id] = make_persona(behaviour, facts, today)
        for phone in case_phones(db, keyring, case_id):
            by_number[phone.lstrip("+")] = persona
    return Population(by_number, by_case)


class DebtorPool:
    """Run ``run()`` as a task; ``ready`` is set once the pool's app receives calls."""

    def __init__(
        self,
        settings: AriSettings,
        personas: Mapping[str, Persona],
        voices: Mapping[str, Synthesizer],
        clock: Clock,
        timing: FarEndTiming | None = None,
    ) -> None:
        self.settings, self.personas, self.clock = settings, dict(personas), clock
        self.timing = timing or FarEndTiming()
        self.voices = {lang: PrerenderedVoice(v) for lang, v in voices.items()}
        self.events = SimEvents()
        self.calls: list[PoolCall] = []
        self.ready = asyncio.Event()
        self._ari: AriClient | None = None
        self._tg: asyncio.TaskGroup | None = None

    async def prepare(self) -> None:
        """Render every persona's lines (before the campaign starts)."""
        for lang, voice in self.voices.items():
            said = [p.lines for p in self.personas.values() if p.lang == lang]
            lines = {line for group in said for line in group if line not in (HANGUP, SILENCE)}
            await voice.prepare([(line, lang) for line in sorted(lines)])

    async def run(self) -> None:
        await self.prepare()
        async with (
            AriClient(self.settings) as ari,
            OrderedDispatcher(self._on_event) as dispatcher,
            asyncio.TaskGroup() as tg,
        ):
            self._ari, self._tg = ari, tg
            stream = AriEventStream(self.settings, ari, dispatcher.submit)
            tg.create_task(stream.run(), name="debtor-pool-events")
            await stream.connected.wait()
            self.ready.set()
            log.info("ivr.debtor_pool.ready", app=self.settings.app, numbers=len(self.personas))

    def calls_by_number(self) -> dict[str, list[PoolCall]]:
        out: dict[str, list[PoolCall]] = {}
        for call in self.calls:
            out.setdefault(call.number, []).append(call)
        return out

    async def _on_event(self, event: AriEvent) -> None:
        if self.events.resolve(event):
            return
        channel_id = event.channel_id
        if event.type != "StasisStart" or event.args[:1] != (SIM_ARG,) or channel_id is None:
            return
        number = event.args[1] if len(event.args) > 1 else ""
        call = PoolCall(number, channel_id, self.personas.get(number))
        self.calls.append(call)
        over = self.events.expect("StasisEnd", channel_id)  # before the next event is read
        assert self._tg is not None
        self._tg.create_task(self._take(call, over), name=f"debtor-{channel_id}")

    async def _take(self, call: PoolCall, over: asyncio.Future[AriEvent]) -> None:
        ari, persona = self._ari, call.persona
        assert ari is not None
        try:
            if persona is None:
                log.info("ivr.debtor_pool.unknown_number", call_id=call.channel_id)
                await ari.hangup(call.channel_id, reason="unallocated")
            elif persona.behaviour is Behaviour.BUSY:
                await ari.hangup(call.channel_id, reason="busy")
            elif persona.behaviour is Behaviour.NO_ANSWER:
                await over  # it rings until the dialer gives up
            else:
                call.answered = True
                far = FarEnd(
                    ari, self.events, call.channel_id, voice=self.voices[persona.lang],
                    lang=persona.lang, lines=persona.lines, clock=self.clock, timing=self.timing,
                )  # fmt: skip
                call.turns = await far.talk(over)
        except AriError as e:  # one debtor's trouble must not end the others
            log.warning("ivr.debtor_pool.call_failed", call_id=call.channel_id, error=str(e))
        finally:
            with contextlib.suppress(AriError):
                await ari.hangup(call.channel_id)
