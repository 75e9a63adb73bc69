"""A call's recording that Asterisk ends on its own (its spool full) while the call goes on is
noted on the call's result; the recording stopped by the session at its end is not."""

from __future__ import annotations

from ivr_session_fakes import AT

from ivr.ari import AriClient
from ivr.ari.models import AriEvent
from ivr.calls import CallResult
from ivr.router import IvrApp
from ivr.settings import AriSettings


class FakeSession:
    def __init__(self, call_id: str, closing: bool = False) -> None:
        self.call_id, self.closing = call_id, closing
        self.result = CallResult(call_id, call_id, AT, recording=f"call-{call_id}")


def _finished(name: str, kind: str = "RecordingFinished", seconds: int = 0) -> AriEvent:
    recording = {"name": name, "format": "wav", "state": "done", "target_uri": "bridge:b",
                 "duration": seconds}  # fmt: skip
    return AriEvent.from_json({"type": kind, "application": "a", "timestamp": "t",
                               "recording": recording})  # fmt: skip


def _app(*sessions: FakeSession) -> IvrApp:
    settings = AriSettings()
    app = IvrApp(settings, AriClient(settings), lambda *a: None)  # type: ignore[arg-type]
    app.active = {s.call_id: s for s in sessions}  # type: ignore[misc]
    return app


async def test_a_recording_ended_by_asterisk_mid_call_is_noted_on_that_call_only() -> None:
    cut, other = FakeSession("c1"), FakeSession("c2")
    app = _app(cut, other)
    await app._on_event(_finished("call-c1", seconds=2))
    assert cut.result.recording_cut.startswith("the PBX ended the recording 2 s in")
    assert other.result.recording_cut == ""


async def test_a_failed_recording_is_noted_too() -> None:
    cut = FakeSession("c1")
    await _app(cut)._on_event(_finished("call-c1", kind="RecordingFailed"))
    assert "RecordingFailed" in cut.result.recording_cut


async def test_the_recording_the_session_stops_at_its_end_is_no_cut() -> None:
    closing = FakeSession("c1", closing=True)
    stranger = FakeSession("c2")
    app = _app(closing, stranger)
    await app._on_event(_finished("call-c1", seconds=30))
    await app._on_event(_finished("call-unknown"))
    assert closing.result.recording_cut == ""
    assert stranger.result.recording_cut == ""
