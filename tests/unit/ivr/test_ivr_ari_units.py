"""ARI models, ordered dispatch, event URL/backoff and the sandbox's templates (no network)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from ivr.ari import AriEvent, Bridge, Channel, ExternalMediaChannel, OrderedDispatcher
from ivr.ari.dispatch import dispatch_key
from ivr.ari.events import events_url
from ivr.errors import AriError
from ivr.settings import AriSettings
from simulation.sandbox.build import host_mirror, layout_for, recipe_key
from simulation.sandbox.config import render, rendered_configs
from simulation.sandbox.settings import SandboxError, SandboxSettings


def _event(kind: str, channel: str | None = None, **extra: object) -> AriEvent:
    raw: dict[str, object] = {"type": kind, "application": "collectbot", **extra}
    if channel is not None:
        raw["channel"] = {"id": channel, "name": f"Local/{channel}", "state": "Up"}
    return AriEvent.from_json(raw)


def test_channel_and_external_media_parse() -> None:
    raw = {
        "id": "em-1",
        "name": "UnicastRTP/127.0.0.1:41000-0x1",
        "state": "Up",
        "caller": {"number": "555"},
        "dialplan": {"exten": "100"},
        "channelvars": {"UNICASTRTP_LOCAL_ADDRESS": "127.0.0.1", "UNICASTRTP_LOCAL_PORT": "20012"},
    }
    em = ExternalMediaChannel.from_channel(Channel.from_json(raw))
    assert (em.local_host, em.local_port) == ("127.0.0.1", 20012)
    assert em.channel.caller_number == "555"
    with pytest.raises(AriError) as info:
        ExternalMediaChannel.from_channel(Channel.from_json({"id": "x"}))
    assert info.value.retryable is False


def test_bridge_and_event_accessors() -> None:
    bridge = Bridge.from_json({"id": "b1", "technology": "simple_bridge", "channels": ["a", "b"]})
    assert bridge.channels == ("a", "b")
    event = _event("ChannelDtmfReceived", "c1", digit="5", args=["x", "y"])
    assert event.channel_id == "c1"
    assert event.digit == "5"
    assert event.args == ("x", "y")
    assert dispatch_key(event) == "c1"
    assert dispatch_key(_event("BridgeDestroyed", bridge={"id": "b9"})) == "bridge:b9"
    assert dispatch_key(_event("Dial")) == ""
    with pytest.raises(AriError):
        AriEvent.from_json(["not", "an", "object"])


async def test_dispatcher_keeps_order_per_channel_and_runs_channels_in_parallel() -> None:
    seen: list[tuple[str, int]] = []
    release_a = asyncio.Event()

    async def handler(event: AriEvent) -> None:
        n = int(str(event.raw["n"]))
        if event.channel_id == "a" and n == 0:
            await release_a.wait()  # channel a blocks; b must not wait for it
        if event.channel_id == "b" and n == 2:
            raise RuntimeError("handler bug")  # must not stop b's later events
        seen.append((event.channel_id or "", n))

    async with OrderedDispatcher(handler) as dispatcher:
        for n in range(4):
            dispatcher.submit(_event("ChannelVarset", "a", n=n))
            dispatcher.submit(_event("ChannelVarset", "b", n=n))
        await asyncio.sleep(0.01)
        assert [x for x in seen if x[0] == "a"] == []
        assert [x for x in seen if x[0] == "b"] == [("b", 0), ("b", 1), ("b", 3)]
        release_a.set()
        dispatcher.submit(_event("ChannelDestroyed", "b", n=9))
        await asyncio.sleep(0.01)
        assert "b" not in dispatcher.active_keys
    assert [x for x in seen if x[0] == "a"] == [("a", 0), ("a", 1), ("a", 2), ("a", 3)]
    assert ("b", 9) in seen


async def test_dispatcher_keeps_nothing_of_calls_that_ended() -> None:
    """A worker handles thousands of calls: every call's channels and bridges come and go, and
    the dispatcher must not keep a queue and a task per bridge (the soak's leak hunt)."""
    handled: list[str] = []

    async def handler(e: AriEvent) -> None:
        handled.append(e.type)

    async with OrderedDispatcher(handler) as dispatcher:
        for n in range(50):
            bridge = {"id": f"c{n}-br"}
            dispatcher.submit(_event("StasisStart", f"c{n}"))
            dispatcher.submit(_event("ChannelEnteredBridge", f"c{n}", bridge=bridge))
            dispatcher.submit(_event("ChannelDestroyed", f"c{n}"))
            dispatcher.submit(_event("BridgeDestroyed", bridge=bridge | {"channels": []}))
        await asyncio.sleep(0.05)
        assert dispatcher.active_keys == frozenset()
        tasks = [t for t in asyncio.all_tasks() if t.get_name().startswith("ari-dispatch-")]
        assert tasks == []
    assert handled.count("BridgeDestroyed") == 50


def test_events_url_from_settings() -> None:
    s = AriSettings(url="https://pbx.example:8089/", app="bot")
    assert events_url(s) == "wss://pbx.example:8089/ari/events?app=bot&subscribeAll=false"


def test_render_fills_placeholders_and_refuses_unknown() -> None:
    assert render("bindport = {{p}}\n${EXTEN}", {"p": "1"}) == "bindport = 1\n${EXTEN}"
    with pytest.raises(SandboxError):
        render("{{missing}}", {})


def test_rendered_configs_use_ports_and_credentials() -> None:
    sandbox = SandboxSettings(http_port=31000, sip_port=31060, rtp_start=32000, rtp_end=32100)
    ari = AriSettings(user="u1", app="myapp")
    conf = rendered_configs(sandbox, ari)
    assert "bindport = 31000" in conf["http.conf"]
    assert "bindaddr = 127.0.0.1" in conf["http.conf"]
    assert "bind = 127.0.0.1:31060" in conf["pjsip.conf"]
    assert "rtpstart = 32000" in conf["rtp.conf"]
    assert "[u1]" in conf["ari.conf"]
    assert "Stasis(myapp," in conf["extensions.conf"]
    assert conf["queues.conf"] == ""
    assert not any("{{" in text for text in conf.values())


def test_layout_is_keyed_by_suite_and_version(tmp_path: Path) -> None:
    s = SandboxSettings(cache_root=tmp_path)
    forky, sid = layout_for(s, "forky"), layout_for(s, "sid")
    assert forky.dir.name == f"asterisk-forky-{recipe_key(s)}"
    assert forky.dir != sid.dir
    assert recipe_key(s).startswith("22-")
    override = SandboxSettings(dir=tmp_path / "mine")
    assert layout_for(override).root == tmp_path / "mine" / "root"


def test_host_mirror_reads_deb822_and_one_line_sources(tmp_path: Path) -> None:
    d = tmp_path / "apt"
    (d / "sources.list.d").mkdir(parents=True)
    (d / "sources.list.d" / "debian.sources").write_text(
        "Types: deb\nURIs: http://security.example/debian-security\n\n"
        "Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm\n"
    )
    assert host_mirror(d) == "http://mirror.example/debian"
    e = tmp_path / "apt2"
    e.mkdir()
    (e / "sources.list").write_text("deb [arch=amd64] http://old.example/debian bookworm main\n")
    assert host_mirror(e) == "http://old.example/debian"


def test_busy_ports_names_the_port_that_is_taken() -> None:
    import socket

    from simulation.sandbox.runner import busy_ports

    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        same = SandboxSettings(http_port=port, sip_port=port, rtp_start=port, rtp_end=port)
        assert busy_ports(same) == [f"tcp/{port} (HTTP/ARI)"]  # UDP {port} is still free
    assert busy_ports(same) == []
