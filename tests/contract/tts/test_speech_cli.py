"""``collectbot speech say`` then ``transcribe``: the CLI wiring over real engines."""

from __future__ import annotations

import json
import wave
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app


def _last_json(output: str) -> dict[str, object]:
    line = [x for x in output.splitlines() if x.startswith("{")][-1]
    parsed: dict[str, object] = json.loads(line)
    return parsed


def test_say_then_transcribe(tmp_path: Path) -> None:
    out = tmp_path / "reply.wav"
    runner = CliRunner()
    said = runner.invoke(
        app,
        ["speech", "say", "I can pay $200 on Friday.", "--out", str(out), "--engine", "piper"],
    )
    assert said.exit_code == 0, said.output
    report = _last_json(said.output)
    assert report["clauses"] == ["I can pay two hundred dollars on Friday."]
    with wave.open(str(out)) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (8000, 1, 2)
        assert w.getnframes() > 8000
    heard = runner.invoke(app, ["speech", "transcribe", str(out), "--lang", "en"])
    assert heard.exit_code == 0, heard.output
    text = str(_last_json(heard.output)["text"]).lower()
    assert "pay" in text
    assert "friday" in text
