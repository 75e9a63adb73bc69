"""Starts, stops and reports on the sandbox Asterisk, always by its own PID."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from core.logging import get_logger
from ivr.settings import AriSettings
from simulation.sandbox.build import SandboxLayout, build, find_built
from simulation.sandbox.config import rendered_configs, write_configs
from simulation.sandbox.settings import SandboxError, SandboxSettings

log = get_logger(__name__)

POLL_S = 0.05


@dataclass(frozen=True, slots=True)
class SandboxStatus:
    built: bool
    running: bool
    pid: int | None
    ari_ready: bool
    dir: Path | None
    suite: str | None
    ari_url: str


def _port_busy(port: int, kind: int) -> bool:
    with socket.socket(socket.AF_INET, kind) as s:
        if kind == socket.SOCK_STREAM:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def busy_ports(settings: SandboxSettings) -> list[str]:
    """The sandbox ports something else already holds (the chroot shares our network)."""
    busy = []
    if _port_busy(settings.http_port, socket.SOCK_STREAM):
        busy.append(f"tcp/{settings.http_port} (HTTP/ARI)")
    if _port_busy(settings.sip_port, socket.SOCK_DGRAM):
        busy.append(f"udp/{settings.sip_port} (SIP)")
    for port in (settings.rtp_start, settings.rtp_end):
        if _port_busy(port, socket.SOCK_DGRAM):
            busy.append(f"udp/{port} (RTP)")
    return busy


def _read_pid(layout: SandboxLayout) -> int | None:
    try:
        return int(layout.pidfile.read_text().strip())
    except (OSError, ValueError):
        return None


def _is_our_asterisk(pid: int, layout: SandboxLayout) -> bool:
    """True when ``pid`` is an asterisk process chrooted into this sandbox's root."""
    try:
        exe_name = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
        proc_root = os.readlink(f"/proc/{pid}/root")
    except OSError:
        return False
    return exe_name.endswith(b"asterisk") and Path(proc_root) == layout.root.resolve()


def _ari_ready(ari: AriSettings) -> bool:
    try:
        r = httpx.get(
            f"{ari.url}/ari/asterisk/info",
            auth=(ari.user, ari.password.get_secret_value()),
            timeout=1.0,
        )
    except httpx.HTTPError:
        return False
    return r.status_code == 200


def status(
    settings: SandboxSettings | None = None, ari: AriSettings | None = None
) -> SandboxStatus:
    settings = settings or SandboxSettings()
    ari = ari or AriSettings()
    layout = find_built(settings)
    pid = _read_pid(layout) if layout else None
    running = bool(layout and pid and _is_our_asterisk(pid, layout))
    return SandboxStatus(
        built=layout is not None,
        running=running,
        pid=pid if running else None,
        ari_ready=running and _ari_ready(ari),
        dir=layout.dir if layout else None,
        suite=layout.suite if layout else None,
        ari_url=ari.url,
    )


def _log_tail(layout: SandboxLayout, chars: int = 2000) -> str:
    try:
        return layout.logfile.read_text(encoding="utf-8", errors="replace")[-chars:]
    except OSError:
        return "(no log)"


def _wait_ready(
    proc: subprocess.Popen[bytes], layout: SandboxLayout, ari: AriSettings, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SandboxError(f"asterisk exited with {proc.returncode}:\n{_log_tail(layout)}")
        if _ari_ready(ari):
            return
        time.sleep(POLL_S)
    raise SandboxError(f"ARI not ready after {timeout} s at {ari.url}:\n{_log_tail(layout)}")


def start(settings: SandboxSettings | None = None, ari: AriSettings | None = None) -> SandboxStatus:
    """Start the built sandbox; a no-op when it already runs. Refuses busy ports."""
    settings = settings or SandboxSettings()
    ari = ari or AriSettings()
    layout = find_built(settings)
    if layout is None:
        raise SandboxError("the sandbox is not built: run `collectbot sandbox build` first")
    now = status(settings, ari)
    if now.running:
        if not now.ari_ready:
            raise SandboxError(f"sandbox asterisk (pid {now.pid}) runs but ARI does not answer")
        return now
    busy = busy_ports(settings)
    if busy:
        raise SandboxError(f"sandbox ports already in use: {', '.join(busy)}")
    write_configs(layout.etc, rendered_configs(settings, ari))
    started = time.monotonic()
    with layout.logfile.open("wb") as out:
        proc = subprocess.Popen(
            ["chroot", str(layout.root), "/usr/sbin/asterisk", "-f", "-n", "-vvv"],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    layout.pidfile.write_text(f"{proc.pid}\n")
    try:
        _wait_ready(proc, layout, ari, settings.start_timeout_s)
    except SandboxError:
        _terminate(proc.pid)
        layout.pidfile.unlink(missing_ok=True)
        raise
    log.info("sandbox.started", pid=proc.pid, s=round(time.monotonic() - started, 2), url=ari.url)
    return status(settings, ari)


def wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        if not Path(f"/proc/{pid}").exists():
            return True
        time.sleep(POLL_S)
    return False


def _terminate(pid: int) -> None:
    for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        if wait_gone(pid, wait):
            return
    raise SandboxError(f"asterisk pid {pid} survived SIGKILL")


def stop(settings: SandboxSettings | None = None) -> bool:
    """Stop the sandbox asterisk (only its own PID). True if one was running."""
    settings = settings or SandboxSettings()
    layout = find_built(settings)
    if layout is None:
        return False
    pid = _read_pid(layout)
    if pid is None or not _is_our_asterisk(pid, layout):
        layout.pidfile.unlink(missing_ok=True)
        return False
    with contextlib.suppress(subprocess.TimeoutExpired, OSError):
        subprocess.run(
            ["chroot", str(layout.root), "/usr/sbin/asterisk", "-rx", "core stop now"],
            capture_output=True,
            timeout=5,
            check=False,
        )
    if not wait_gone(pid, 5.0):
        _terminate(pid)
    layout.pidfile.unlink(missing_ok=True)
    log.info("sandbox.stopped", pid=pid)
    return True


def ensure_running(
    settings: SandboxSettings | None = None, ari: AriSettings | None = None
) -> SandboxStatus:
    """Build if needed, start if needed, and return a status with ARI ready (or raise)."""
    settings = settings or SandboxSettings()
    build(settings)
    return start(settings, ari)
