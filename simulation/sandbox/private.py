"""A second, private sandbox beside the shared one: its own folder, ports and Asterisk.

Fault tests kill and restart Asterisk; doing that to the shared sandbox would break everyone
else's calls. ``private_settings`` names another instance (another folder under the cache root,
HTTP/SIP/RTP ports moved by ``offset``), ``prepare`` restores its root from the shared build's
tarball (hard-linked, so no second download or 500 MB copy), and ``start``/``stop``/``kill``
act on that instance's own PID only. ``environment`` gives the variables that point a
``collectbot`` process (``ARI_URL``, ``COLLECTBOT_SANDBOX_*``) at it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
from collections.abc import Iterator
from pathlib import Path

from ivr.settings import AriSettings
from simulation.sandbox.build import SandboxLayout, build, find_built
from simulation.sandbox.runner import status, wait_gone
from simulation.sandbox.settings import SandboxError, SandboxSettings

LOCKS = Path("/tmp")  # noqa: S108 - the same place as the shared sandbox's lock


def private_settings(
    name: str, offset: int = 100, shared: SandboxSettings | None = None
) -> SandboxSettings:
    """The shared settings with their own folder and every port moved by ``offset``."""
    base = shared or SandboxSettings()
    span = base.rtp_end - base.rtp_start
    rtp_start = base.rtp_start + offset * 10
    return base.model_copy(
        update={
            "dir": base.cache_root / f"private-{name}",
            "http_port": base.http_port + offset,
            "sip_port": base.sip_port + offset,
            "rtp_start": rtp_start,
            "rtp_end": rtp_start + min(span, 999),
        }
    )


def private_ari(settings: SandboxSettings, ari: AriSettings | None = None) -> AriSettings:
    """The ARI of the private instance (same user and password, its own HTTP port)."""
    base = ari or AriSettings()
    return base.model_copy(update={"url": f"http://127.0.0.1:{settings.http_port}"})


def environment(settings: SandboxSettings, ari: AriSettings) -> dict[str, str]:
    """What a child process needs to use this instance instead of the shared one."""
    assert settings.dir is not None
    return {
        "ARI_URL": ari.url,
        "COLLECTBOT_SANDBOX_DIR": str(settings.dir),
        "COLLECTBOT_SANDBOX_HTTP_PORT": str(settings.http_port),
        "COLLECTBOT_SANDBOX_SIP_PORT": str(settings.sip_port),
        "COLLECTBOT_SANDBOX_RTP_START": str(settings.rtp_start),
        "COLLECTBOT_SANDBOX_RTP_END": str(settings.rtp_end),
    }


def prepare(settings: SandboxSettings, shared: SandboxSettings | None = None) -> SandboxLayout:
    """Restore the private root from the shared build's tarball (a no-op once restored)."""
    if settings.dir is None:
        raise SandboxError("a private sandbox needs its own dir")
    if find_built(settings) is None:
        source = find_built(shared or SandboxSettings())
        if source is None or not source.tarball.is_file():
            raise SandboxError("build the shared sandbox first: `collectbot sandbox build`")
        settings.dir.mkdir(parents=True, exist_ok=True)
        target = settings.dir / source.tarball.name
        if not target.exists():
            try:
                os.link(source.tarball, target)
            except OSError:  # another file system
                target.symlink_to(source.tarball)
    return build(settings)


@contextlib.contextmanager
def held(settings: SandboxSettings) -> Iterator[None]:
    """Exclusive use of one private instance (two test runs never share it)."""
    assert settings.dir is not None
    with (LOCKS / f"collectbot-{settings.dir.name}.lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def kill(settings: SandboxSettings, ari: AriSettings) -> int:
    """SIGKILL the instance's Asterisk (a crash, not a shutdown); returns the PID killed."""
    now = status(settings, ari)
    if not now.running or now.pid is None:
        raise SandboxError("the private sandbox is not running")
    os.kill(now.pid, signal.SIGKILL)
    if not wait_gone(now.pid, 10.0):
        raise SandboxError(f"asterisk pid {now.pid} survived SIGKILL")
    return now.pid
