"""Fakes for the call session's parts: Asterisk's REST half behind ``httpx.MockTransport`` (so
the real ``AriClient`` is the call-control port), a media leg, a turn detector, a scripted
conversation."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from asr.vad import SpeechEnded, SpeechStarted
from core.dialogue import DialogueCommand, DialogueEvent, Intent, Lang, Parse
from ivr.ari import AriClient
from ivr.ari.models import AriEvent
from ivr.call_events import CallEvents
from ivr.media import PlayResult
from ivr.media_leg import AriMedia, CallMedia
from ivr.settings import AriSettings, IvrSettings

AT = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
CALLER = "c1"
LOUD = b"\xe8\x03\x18\xfc" * 400  # 100 ms of int16 +1000/-1000: words to the fake recogniser
QUIET = b"\x00\x00" * 800  # 100 ms of silence: noise, no words


def event(kind: str, channel_id: str = CALLER, **extra: object) -> AriEvent:
    return AriEvent.from_json(
        {"type": kind, "application": "collectbot", "channel": {"id": channel_id}, **extra}
    )


def dtmf(digit: str, channel_id: str = CALLER) -> AriEvent:
    return event("ChannelDtmfReceived", channel_id, digit=digit)


@dataclass
class FakeAsterisk:
    """ARI's REST half in memory: channels, bridges, recordings. Every request is logged as
    ``"METHOD /path"``; ``fail`` maps a request regex to the status it answers with;
    ``before_request`` and ``on_request`` hooks see each request before and after it was
    served (to change the world, to send events)."""

    channels: set[str] = field(default_factory=lambda: {CALLER})
    bridges: dict[str, list[str]] = field(default_factory=dict)
    recordings: set[str] = field(default_factory=set)
    requests: list[str] = field(default_factory=list)
    fail: dict[str, int] = field(default_factory=dict)
    on_request: list[Callable[[str, httpx.Request], None]] = field(default_factory=list)
    before_request: list[Callable[[str], None]] = field(default_factory=list)

    def client(self) -> AriClient:
        http = httpx.AsyncClient(
            transport=httpx.MockTransport(self.handle), base_url="http://ari.test/ari"
        )
        return AriClient(AriSettings(), http=http)

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/ari")
        line = f"{request.method} {path}"
        self.requests.append(line)
        for before in self.before_request:
            before(line)
        for pattern, status in self.fail.items():
            if re.fullmatch(pattern, line):
                return httpx.Response(status, json={"message": "refused by the test"})
        response = self._serve(request, line, path)
        for hook in self.on_request:
            hook(line, request)
        return response

    def _serve(self, request: httpx.Request, line: str, path: str) -> httpx.Response:
        q = request.url.params
        parts = path.strip("/").split("/")
        match request.method, parts:
            case "POST", ["channels", "externalMedia"]:
                cid = q["channelId"]
                self.channels.add(cid)
                variables = {"UNICASTRTP_LOCAL_ADDRESS": "127.0.0.1", "UNICASTRTP_LOCAL_PORT": "9"}
                return _channel(cid, channelvars=variables)
            case "POST", ["channels"]:
                self.channels.add(q["channelId"])
                return _channel(q["channelId"])
            case "POST", ["channels", cid, "snoop"]:
                return self._known(cid) or self._add(q["snoopId"])
            case "GET", ["channels", cid]:
                return self._known(cid) or _channel(cid)
            case "DELETE", ["channels", cid]:
                gone = self._known(cid)
                self.channels.discard(cid)
                return gone or httpx.Response(204)
            case "POST", ["bridges"]:
                self.bridges[q["bridgeId"]] = []
                return httpx.Response(200, json={"id": q["bridgeId"], "bridge_type": "mixing"})
            case "POST", ["bridges", bid, "addChannel" | "removeChannel" as what]:
                if bid not in self.bridges:
                    return _missing(line)
                members = q["channel"].split(",")
                for member in members:
                    if member not in self.channels:
                        return _missing(line)
                if what == "addChannel":
                    self.bridges[bid] += members
                else:
                    self.bridges[bid] = [m for m in self.bridges[bid] if m not in members]
                return httpx.Response(204)
            case "DELETE", ["bridges", bid]:
                return (
                    _missing(line) if self.bridges.pop(bid, None) is None else httpx.Response(204)
                )
            case "POST", ["bridges", bid, "record"]:
                if bid not in self.bridges:
                    return _missing(line)
                self.recordings.add(q["name"])
                return httpx.Response(200, json={"name": q["name"], "state": "recording"})
            case "POST", ["recordings", "live", name, "stop"]:
                if name not in self.recordings:
                    return _missing(line)
                self.recordings.discard(name)
                return httpx.Response(204)
        return httpx.Response(500, json={"message": f"the fake does not serve {line}"})

    def _known(self, cid: str) -> httpx.Response | None:
        return None if cid in self.channels else _missing(f"channel {cid}")

    def _add(self, cid: str) -> httpx.Response:
        self.channels.add(cid)
        return _channel(cid)

    def left_behind(self) -> tuple[set[str], dict[str, list[str]], set[str]]:
        """What is still up: channels, bridges, recordings."""
        return self.channels, self.bridges, self.recordings


def _channel(cid: str, **extra: object) -> httpx.Response:
    return httpx.Response(200, json={"id": cid, "name": f"Fake/{cid}", "state": "Up", **extra})


def _missing(what: str) -> httpx.Response:
    return httpx.Response(404, json={"message": f"{what} not found"})


class FakeLeg:
    """Caller audio is what the test ``push``es; what the bot plays is kept. With ``hold``,
    a prompt stops after its first chunk until ``stop`` (barge-in, hang-up) or ``release``."""

    def __init__(self) -> None:
        self._in: asyncio.Queue[bytes | None] = asyncio.Queue()
        self.chunks_played = 0
        self.plays = 0
        self.stops = 0
        self.closed = False
        self.hold = False
        self.playing = asyncio.Event()
        self._stop = asyncio.Event()

    def push(self, *frames: bytes) -> None:
        for frame in frames:
            self._in.put_nowait(frame)

    async def frames(self) -> AsyncIterator[bytes]:
        while (chunk := await self._in.get()) is not None:
            yield chunk

    async def play(self, audio: AsyncIterable[bytes]) -> PlayResult:
        loop = asyncio.get_running_loop()
        self._stop = stop = asyncio.Event()
        self.plays += 1
        first: float | None = None
        sent = 0
        async for _chunk in audio:
            if stop.is_set():
                return PlayResult(sent, True, first, loop.time())
            first = loop.time() if first is None else first
            sent += 1
            self.chunks_played += 1
            self.playing.set()
            if self.hold:
                await stop.wait()
                return PlayResult(sent, True, first, loop.time())
        return PlayResult(sent, False, first, loop.time())

    def release(self) -> None:
        self.hold = False
        self._stop.set()

    def stop(self) -> None:
        self.stops += 1
        self._stop.set()

    def close(self) -> None:
        self.closed = True
        self._in.put_nowait(None)


@dataclass
class FakeMedia:
    """Hands the session a ``FakeLeg`` as if bridged (``c1-em`` in ``c1-br``, recorded): the
    fake Asterisk gets those; ``close`` undoes them as ``AriMedia`` does."""

    asterisk: FakeAsterisk
    control: AriClient
    leg: FakeLeg = field(default_factory=FakeLeg)
    opened: int = 0
    closed: list[CallMedia] = field(default_factory=list)

    async def open(self, events: CallEvents, bridged: Callable[[CallMedia], None]) -> CallMedia:
        self.opened += 1
        em, bridge, recording = f"{CALLER}-em", f"{CALLER}-br", f"call-{CALLER}"
        self.asterisk.channels.add(em)
        self.asterisk.bridges[bridge] = [CALLER, em]
        self.asterisk.recordings.add(recording)
        media = CallMedia(self.leg, em, bridge, recording=recording)
        events.when_hung_up(self.leg.stop)
        bridged(media)
        return media

    async def close(self, media: CallMedia) -> None:
        self.closed.append(media)
        await AriMedia(self.control, CALLER, CALLER, IvrSettings()).close(media)


class MarkerDetector:
    """A turn detector over marker frames: ``S`` speech starts, ``E`` a turn of words ends,
    ``N`` a turn of noise ends; any other frame is silence."""

    def feed(self, pcm: bytes) -> Iterable[object]:
        match pcm:
            case b"S":
                return [SpeechStarted(0)]
            case b"E":
                return [SpeechEnded(100, 0, LOUD)]
            case b"N":
                return [SpeechEnded(100, 0, QUIET)]
        return []


Reply = Callable[[DialogueEvent], Sequence[DialogueCommand]]


class Scripted:
    """A conversation whose replies the test writes; it keeps every event it was given."""

    def __init__(self, reply: Reply, intent: Intent = "affirm") -> None:
        self._reply, self._intent = reply, intent
        self.events: list[DialogueEvent] = []
        self.understood: list[tuple[str, Lang]] = []

    def understand(self, text: str, lang: Lang) -> Parse:
        self.understood.append((text, lang))
        return Parse(self._intent, 0.9)

    def decide(self, event: DialogueEvent) -> Sequence[DialogueCommand]:
        self.events.append(event)
        return self._reply(event)
