"""``collectbot serve`` as a real process: it answers /health and ends cleanly on SIGTERM,
first without telephony, then with the IVR + dialer attached to the sandbox Asterisk (real
Whisper/Piper loaded; run under ``flock /tmp/collectbot-sandbox.lock``)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from dialer_sandbox import asterisk

from ivr.settings import AriSettings

__all__ = ["asterisk"]

COLLECTBOT = str(Path(sys.executable).parent / "collectbot")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _start(tmp_path: Path, *args: str, **env: str) -> tuple[subprocess.Popen[bytes], int, Path]:
    port, log = _free_port(), tmp_path / "serve.log"
    environ = {**os.environ, "COLLECTBOT_HOME": str(tmp_path), **env}
    command = [COLLECTBOT, "serve", "--host", "127.0.0.1", "--port", str(port), *args]
    if args[:1] == ("worker",):
        command = [COLLECTBOT, *args]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command,
            env=environ,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return proc, port, log


def _wait_health(proc: subprocess.Popen[bytes], port: int, log: Path, within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"serve exited early:\n{log.read_text()[-3000:]}"
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise AssertionError(f"no /health within {within} s:\n{log.read_text()[-3000:]}")


def _wait_log(proc: subprocess.Popen[bytes], log: Path, event: str, within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if event in log.read_text():
            return
        assert proc.poll() is None, f"serve exited early:\n{log.read_text()[-3000:]}"
        time.sleep(0.1)
    proc.kill()
    raise AssertionError(f"no {event} within {within} s:\n{log.read_text()[-3000:]}")


def _terminate(proc: subprocess.Popen[bytes], log: Path, final: str = "serve.stopped") -> None:
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError(f"serve ignored SIGTERM:\n{log.read_text()[-3000:]}") from None
    print(f"stopped in {time.monotonic() - started:.2f} s")
    assert code == 0, log.read_text()[-3000:]
    assert final in log.read_text()


def test_serve_without_telephony_answers_health_and_stops_on_sigterm(tmp_path: Path) -> None:
    proc, port, log = _start(tmp_path, "--no-telephony")
    _wait_health(proc, port, log, within=30)
    _terminate(proc, log)


def test_serve_with_telephony_joins_asterisk_and_stops_on_sigterm(
    tmp_path: Path, asterisk: AriSettings
) -> None:
    proc, port, log = _start(tmp_path, ARI_APP="collectbot-serve-test")
    _wait_health(proc, port, log, within=30)
    _wait_log(proc, log, "telephony.ready", within=90)  # models load first
    assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200
    _terminate(proc, log)
    assert "telephony.stopped" in log.read_text()


def test_worker_joins_asterisk_and_stops_on_sigterm(tmp_path: Path, asterisk: AriSettings) -> None:
    proc, _port, log = _start(tmp_path, "worker", ARI_APP="collectbot-worker-test")
    _wait_log(proc, log, "telephony.ready", within=90)
    _terminate(proc, log, final="telephony.stopped")


def test_serve_keeps_the_api_up_while_asterisk_is_unreachable(tmp_path: Path) -> None:
    closed = _free_port()  # nothing listens there
    proc, port, log = _start(
        tmp_path,
        ARI_URL=f"http://127.0.0.1:{closed}",
        ARI_CONNECT_TIMEOUT_S="0.3",
        ARI_APP="collectbot-serve-noari",
    )
    _wait_health(proc, port, log, within=30)
    _wait_log(proc, log, "serve.telephony_failed", within=90)
    assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200
    _terminate(proc, log)
