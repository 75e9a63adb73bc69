"""The real Asterisk sandbox for the IVR integration tests, and an ARI harness per test.

Imported by the test modules (``from ivr_sandbox_fixtures import asterisk, harness``) rather
than living in a ``conftest.py``: a second ``conftest`` module breaks ``mypy .`` (duplicate
module name without ``__init__.py`` files).

The session fixture builds the chroot when it is missing (about a minute, network needed) and
starts Asterisk; when either fails the tests FAIL with the reason (they never skip). An
Asterisk that was already running is left running; one started here is stopped at the end.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import subprocess
import uuid
import wave
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field

import pytest

from ivr.ari import AriClient, AriEvent, AriEventStream, OrderedDispatcher, ResyncReport
from ivr.ari.models import ExternalMediaChannel
from ivr.errors import AriError, AriNotFound
from ivr.media import RtpEndpoint, RtpSender, open_rtp_endpoint
from ivr.settings import AriSettings
from simulation.sandbox import ensure_running, status, stop
from simulation.sandbox.build import find_built
from simulation.sandbox.config import rendered_configs, write_configs
from simulation.sandbox.settings import SandboxError, SandboxSettings


@pytest.fixture(scope="session")
def asterisk() -> Iterator[AriSettings]:
    settings, ari = SandboxSettings(), AriSettings()
    was_running = status(settings, ari).running
    try:
        state = ensure_running(settings, ari)
    except SandboxError as e:
        pytest.fail(f"the Asterisk sandbox could not be built/started: {e}", pytrace=False)
    if not state.ari_ready:
        pytest.fail(f"sandbox Asterisk runs but ARI does not answer at {ari.url}", pytrace=False)
    yield ari
    if not was_running:
        stop(settings)


def _cli(command: str) -> str:
    layout = find_built(SandboxSettings())
    assert layout is not None, "the sandbox is not built"
    done = subprocess.run(
        ["chroot", str(layout.root), "/usr/sbin/asterisk", "-rx", command],
        capture_output=True, text=True, timeout=10, check=False,
    )  # fmt: skip
    return done.stdout


def ensure_contexts(ari: AriSettings, *contexts: str) -> None:
    """Write the templates' configs and reload the dialplan (and app_amd) when a context a test
    needs is missing from the running sandbox (one started before the context was added)."""

    def missing() -> list[str]:
        return [c for c in contexts if f"[ Context '{c}'" not in _cli(f"dialplan show {c}")]

    if not missing():
        return
    layout = find_built(SandboxSettings())
    assert layout is not None
    write_configs(layout.etc, rendered_configs(SandboxSettings(), ari))
    _cli("dialplan reload")
    _cli("module reload app_amd.so")
    assert not missing(), f"dialplan reload did not add {missing()}"


@dataclass
class MediaLeg:
    """An ExternalMedia channel in a mixing bridge, with our RTP socket and a sender."""

    endpoint: RtpEndpoint
    channel: ExternalMediaChannel
    bridge_id: str
    sender: RtpSender


@dataclass
class Harness:
    ari: AriClient
    stream: AriEventStream
    events: list[AriEvent] = field(default_factory=list)
    resyncs: list[ResyncReport] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    bridges: list[str] = field(default_factory=list)
    recordings: list[str] = field(default_factory=list)
    endpoints: list[RtpEndpoint] = field(default_factory=list)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    def new_id(self, prefix: str) -> str:
        return f"t-{prefix}-{uuid.uuid4().hex[:10]}"

    async def on_event(self, event: AriEvent) -> None:
        self.events.append(event)
        self._changed.set()

    async def on_resync(self, report: ResyncReport) -> None:
        self.resyncs.append(report)
        self._changed.set()

    async def wait_for(
        self,
        kind: str,
        channel_id: str | None = None,
        *,
        within: float = 5.0,
        where: Callable[[AriEvent], bool] = lambda e: True,
        after: int = 0,
    ) -> AriEvent:
        """The first event (from index ``after``) of ``kind`` on ``channel_id``."""
        async with asyncio.timeout(within):
            while True:
                for event in self.events[after:]:
                    if (
                        event.type == kind
                        and channel_id in (None, event.channel_id)
                        and where(event)
                    ):
                        return event
                self._changed.clear()
                await self._changed.wait()

    async def wait_resync(self, *, within: float = 10.0) -> ResyncReport:
        async with asyncio.timeout(within):
            while not self.resyncs:
                self._changed.clear()
                await self._changed.wait()
        return self.resyncs[0]

    async def simulated_call(self, *, bot_app: str | None = None) -> tuple[str, str]:
        """Originate Local/…@sim-debtor: the ;1 half (the debtor as the bot sees it) and the
        ;2 half (the simulated debtor, driven over ARI) both enter Stasis, answered. With
        ``bot_app`` the ;1 half goes to that app (an ``IvrApp``) with args ``outbound``."""
        debtor, sim = self.new_id("debtor"), self.new_id("sim")
        self.channels += [debtor, sim]
        await self.ari.originate(
            "Local/100@sim-debtor/n",
            app=bot_app,
            app_args=["outbound"],
            channel_id=debtor,
            other_channel_id=sim,
        )
        await self.wait_for("StasisStart", sim)
        await self.ari.answer(sim)
        if bot_app is None:
            await self.wait_for("StasisStart", debtor)
        return debtor, sim

    async def media_leg(self, *members: str) -> MediaLeg:
        """A mixing bridge holding ``members`` and a new ExternalMedia slin channel."""
        endpoint = await open_rtp_endpoint()
        self.endpoints.append(endpoint)
        em_id = self.new_id("em")
        self.channels.append(em_id)
        em = await self.ari.external_media(endpoint.external_host, channel_id=em_id)
        await self.wait_for("StasisStart", em_id)  # addChannel needs it in the app
        bridge = await self.ari.create_bridge(bridge_id=self.new_id("bridge"))
        self.bridges.append(bridge.id)
        await self.ari.add_to_bridge(bridge.id, [*members, em_id])
        return MediaLeg(endpoint, em, bridge.id, endpoint.sender(em.local_host, em.local_port))

    async def download_wav(self, name: str) -> tuple[int, bytes]:
        """Stop a live recording, fetch it over ARI; (sample rate, native int16 PCM)."""
        with contextlib.suppress(AriNotFound):  # already stopped (e.g. by the session)
            await self.ari.stop_recording(name)
        for _ in range(50):  # the file is finalised just after the stop
            with contextlib.suppress(AriError):
                data = await self.ari.stored_recording_file(name)
                with wave.open(io.BytesIO(data)) as w:
                    return w.getframerate(), w.readframes(w.getnframes())
            await asyncio.sleep(0.05)
        raise AssertionError(f"recording {name} never became available")

    async def bridge_gone(self, bridge_id: str, *, polls: int = 40) -> bool:
        """True once ``bridge_id`` is no longer listed (Asterisk drops it just after DELETE)."""
        for _ in range(polls):  # polling a REST listing; there is no event to wait for
            if bridge_id not in {b.id for b in await self.ari.list_bridges()}:
                return True
            await asyncio.sleep(0.05)
        return False

    async def channel_gone(self, channel_id: str, *, polls: int = 40) -> bool:
        for _ in range(polls):
            if channel_id not in {c.id for c in await self.ari.list_channels()}:
                return True
            await asyncio.sleep(0.05)
        return False

    async def cleanup(self) -> None:
        for channel_id in self.channels:
            with contextlib.suppress(AriError):
                await self.ari.hangup(channel_id)
        for bridge_id in self.bridges:
            with contextlib.suppress(AriError):
                await self.ari.destroy_bridge(bridge_id)
        for name in self.recordings:
            with contextlib.suppress(AriError):
                await self.ari.delete_stored_recording(name)
        for endpoint in self.endpoints:
            endpoint.close()


async def _own_connection(
    settings: AriSettings, ready: asyncio.Future[Harness], stop: asyncio.Event
) -> None:
    """One task owns the client, dispatcher and event stream (fixtures' setup and teardown
    run in different tasks, and task groups must be entered and left in the same one)."""
    async with AriClient(settings) as ari:
        box: list[Harness] = []

        async def handle(event: AriEvent) -> None:
            await box[0].on_event(event)

        async def resync(report: ResyncReport) -> None:
            await box[0].on_resync(report)

        async with OrderedDispatcher(handle) as dispatcher:
            stream = AriEventStream(settings, ari, dispatcher.submit, on_resync=resync)
            box.append(Harness(ari, stream))
            async with asyncio.TaskGroup() as tg:
                runner = tg.create_task(stream.run())
                try:
                    await asyncio.wait_for(stream.connected.wait(), 5)
                except TimeoutError as e:
                    ready.set_exception(
                        AssertionError(f"ARI events websocket did not connect: {e}")
                    )
                    runner.cancel()
                    return
                ready.set_result(box[0])
                await stop.wait()
                runner.cancel()


@pytest.fixture
async def harness(asterisk: AriSettings) -> AsyncIterator[Harness]:
    ready: asyncio.Future[Harness] = asyncio.get_running_loop().create_future()
    stop = asyncio.Event()
    owner = asyncio.create_task(_own_connection(asterisk, ready, stop))
    try:
        h = await asyncio.wait_for(asyncio.shield(ready), 10)
        yield h
        await h.cleanup()
    finally:
        stop.set()
        await asyncio.wait_for(owner, 10)
