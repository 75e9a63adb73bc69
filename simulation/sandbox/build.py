"""Builds the sandbox chroot: debootstrap + Debian's asterisk packages, cached outside the repo.

The cache folder is keyed by suite, Asterisk major version and a hash of this recipe, so a
change of recipe builds a fresh root next to the old one. A second build is a no-op; when the
root is gone but its zstd tarball is there, the root is restored from it in a few seconds.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from core.logging import get_logger
from simulation.sandbox.settings import SandboxError, SandboxSettings

log = get_logger(__name__)

PACKAGES = ("asterisk", "asterisk-modules", "asterisk-core-sounds-en-wav")
APT_CONF = {
    "99no-check-valid-until": 'Acquire::Check-Valid-Until "false";\n',  # frozen archive snapshots
    "99no-translations": 'Acquire::Languages "none";\n',
}
DEFAULT_MIRROR = "http://deb.debian.org/debian"
RECIPE_VERSION = "1"
BUILD_TIMEOUT_S = 900.0


@dataclass(frozen=True, slots=True)
class SandboxLayout:
    """Where one sandbox lives on disk."""

    dir: Path
    suite: str

    @property
    def root(self) -> Path:
        return self.dir / "root"

    @property
    def stamp(self) -> Path:
        return self.dir / "built.json"

    @property
    def tarball(self) -> Path:
        return self.dir / "root.tar.zst"

    @property
    def pidfile(self) -> Path:
        return self.dir / "asterisk.pid"

    @property
    def logfile(self) -> Path:
        return self.dir / "asterisk.log"

    @property
    def build_log(self) -> Path:
        return self.dir / "build.log"

    @property
    def etc(self) -> Path:
        return self.root / "etc" / "asterisk"

    def is_built(self) -> bool:
        return self.stamp.is_file() and (self.root / "usr/sbin/asterisk").is_file()


def recipe_key(settings: SandboxSettings) -> str:
    recipe = "|".join((RECIPE_VERSION, *PACKAGES, *sorted(APT_CONF.values())))
    digest = hashlib.sha256(recipe.encode()).hexdigest()[:8]
    return f"{settings.asterisk_major}-{digest}"


def layout_for(settings: SandboxSettings, suite: str | None = None) -> SandboxLayout:
    chosen = suite or settings.suite
    if settings.dir is not None:
        return SandboxLayout(settings.dir, chosen)
    name = f"asterisk-{chosen}-{recipe_key(settings)}"
    return SandboxLayout(settings.cache_root / name, chosen)


def candidate_layouts(settings: SandboxSettings) -> list[SandboxLayout]:
    suites = [settings.suite]
    if settings.fallback_suite and settings.fallback_suite != settings.suite:
        suites.append(settings.fallback_suite)
    return [layout_for(settings, s) for s in suites]


def find_built(settings: SandboxSettings) -> SandboxLayout | None:
    for layout in candidate_layouts(settings):
        if layout.is_built():
            return layout
    return None


def host_mirror(sources_dir: Path = Path("/etc/apt")) -> str:
    """The Debian archive URI of the host's own apt sources (deb822 or one-line format)."""
    for path in sorted(sources_dir.glob("sources.list.d/*.sources")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("URIs:"):
                uri = line.split(":", 1)[1].strip().split()[0]
                if "/debian" in uri and "security" not in uri:
                    return uri
    classic = [sources_dir / "sources.list", *sorted(sources_dir.glob("sources.list.d/*.list"))]
    for path in classic:
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            parts = [p for p in line.split() if not p.startswith("[")]
            is_deb = len(parts) >= 3 and parts[0] == "deb"
            if is_deb and "/debian" in parts[1] and "security" not in parts[1]:
                return parts[1]
    return DEFAULT_MIRROR


@contextlib.contextmanager
def _locked(layout: SandboxLayout) -> Iterator[None]:
    layout.dir.mkdir(parents=True, exist_ok=True)
    with (layout.dir / ".lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _run(cmd: Sequence[str | Path], layout: SandboxLayout, step: str) -> str:
    started = time.monotonic()
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive", "LC_ALL": "C"}
    try:
        proc = subprocess.run(
            [str(c) for c in cmd],
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_S,
            env=env,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise SandboxError(f"sandbox build step {step!r} failed: {e}") from e
    with layout.build_log.open("a", encoding="utf-8") as fh:
        fh.write(f"$ {' '.join(str(c) for c in cmd)}\n{proc.stdout}{proc.stderr}\n")
    log.info(
        "sandbox.build_step", step=step, rc=proc.returncode, s=round(time.monotonic() - started, 1)
    )
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr)[-2000:]
        raise SandboxError(f"sandbox build step {step!r} exited {proc.returncode}:\n{tail}")
    return proc.stdout


def asterisk_version(root: Path) -> str:
    """``22.10.1+dfsg…`` from the chroot's asterisk package."""
    out = subprocess.run(
        ["chroot", str(root), "dpkg-query", "-W", "-f=${Version}", "asterisk"],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    if out.returncode != 0 or not out.stdout:
        raise SandboxError(f"asterisk is not installed in {root}: {out.stderr.strip()}")
    version = out.stdout.strip()
    return version.split(":", 1)[1] if ":" in version else version


def _bootstrap(layout: SandboxLayout, mirror: str) -> None:
    root = layout.root
    script = Path("/usr/share/debootstrap/scripts/sid")  # bookworm's debootstrap has no forky
    _run(
        ["debootstrap", "--variant=minbase", layout.suite, root, mirror, script],
        layout,
        "debootstrap",
    )
    for name, text in APT_CONF.items():
        (root / "etc/apt/apt.conf.d" / name).write_text(text, encoding="utf-8")
    policy = root / "usr/sbin/policy-rc.d"
    policy.write_text("#!/bin/sh\nexit 101\n", encoding="utf-8")
    policy.chmod(0o755)
    _run(["chroot", root, "apt-get", "update", "-q"], layout, "apt-get update")
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *PACKAGES]
    _run(["chroot", root, *install], layout, "apt-get install")
    _run(["chroot", root, "apt-get", "clean"], layout, "apt-get clean")
    shutil.rmtree(root / "var/lib/apt/lists", ignore_errors=True)
    (root / "var/lib/apt/lists/partial").mkdir(parents=True, exist_ok=True)
    if not (root / "etc/asterisk.dist").exists():
        (root / "etc/asterisk").rename(root / "etc/asterisk.dist")
    (root / "etc/asterisk").mkdir(exist_ok=True)
    (root / "var/spool/asterisk/recording").mkdir(parents=True, exist_ok=True)


def _check_and_stamp(layout: SandboxLayout, settings: SandboxSettings, how: str) -> None:
    version = asterisk_version(layout.root)
    if not version.startswith(f"{settings.asterisk_major}."):
        raise SandboxError(
            f"{layout.suite} carries asterisk {version}, not {settings.asterisk_major}.x"
        )
    stamp = {"suite": layout.suite, "asterisk": version, "how": how, "key": recipe_key(settings)}
    layout.stamp.write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
    log.info("sandbox.built", suite=layout.suite, asterisk=version, how=how, dir=str(layout.dir))


def _build_one(layout: SandboxLayout, settings: SandboxSettings, mirror: str) -> None:
    with _locked(layout):
        if layout.is_built():
            log.info("sandbox.build_skipped", dir=str(layout.dir), reason="already built")
            return
        layout.stamp.unlink(missing_ok=True)
        shutil.rmtree(layout.root, ignore_errors=True)
        if layout.tarball.is_file():
            _run(["tar", "-C", layout.dir, "-I", "zstd", "-xf", layout.tarball], layout, "restore")
            _check_and_stamp(layout, settings, "restored")
            return
        layout.build_log.unlink(missing_ok=True)
        _bootstrap(layout, mirror)
        _check_and_stamp(layout, settings, "built")
        if settings.tarball:
            pack = f"tar -C '{layout.dir}' -cf - root | zstd -3 -T0 -q -f -o '{layout.tarball}'"
            _run(["sh", "-c", pack], layout, "tarball")


def build(settings: SandboxSettings | None = None) -> SandboxLayout:
    """Build the sandbox (first suite that works); a no-op when one is already built."""
    settings = settings or SandboxSettings()
    if os.geteuid() != 0:
        raise SandboxError("building the Asterisk sandbox needs root (debootstrap, chroot)")
    built = find_built(settings)
    if built is not None:
        log.info("sandbox.build_skipped", dir=str(built.dir), reason="already built")
        return built
    mirror = settings.mirror or host_mirror()
    errors: list[str] = []
    for layout in candidate_layouts(settings):
        try:
            _build_one(layout, settings, mirror)
        except SandboxError as e:
            log.warning("sandbox.build_failed", suite=layout.suite, error=str(e)[-500:])
            errors.append(f"{layout.suite}: {e}")
            continue
        return layout
    raise SandboxError("no suite could be built:\n" + "\n".join(errors))
