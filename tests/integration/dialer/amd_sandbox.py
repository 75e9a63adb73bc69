"""The sandbox dialplan and AMD settings the answering-machine tests and bench need: written
from the templates and reloaded into a running sandbox that predates them (imported by
``test_dialer_amd.py`` and ``bench/amd_latency.py``; not a ``conftest.py``)."""

from __future__ import annotations

import subprocess

from ivr.settings import AriSettings
from simulation.sandbox.build import find_built
from simulation.sandbox.config import rendered_configs, write_configs
from simulation.sandbox.settings import SandboxSettings

AMD_CONTEXTS = ("collectbot-amd", "sim-machine", "sim-human")


def sandbox_cli(command: str) -> str:
    layout = find_built(SandboxSettings())
    assert layout is not None, "the sandbox is not built"
    done = subprocess.run(
        ["chroot", str(layout.root), "/usr/sbin/asterisk", "-rx", command],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    return done.stdout


def ensure_amd_dialplan(ari: AriSettings) -> None:
    """Reload the dialplan (and app_amd's settings) if a context is missing or AMD is not
    tuned as the template says."""
    missing = [
        c for c in AMD_CONTEXTS if f"[ Context '{c}'" not in sandbox_cli(f"dialplan show {c}")
    ]
    layout = find_built(SandboxSettings())
    assert layout is not None
    amd_conf = (
        (layout.etc / "amd.conf").read_text(encoding="utf-8")
        if (layout.etc / "amd.conf").exists()
        else ""
    )
    wanted = rendered_configs(SandboxSettings(), ari)["amd.conf"]
    if not missing and amd_conf == wanted:
        return
    write_configs(layout.etc, rendered_configs(SandboxSettings(), ari))
    sandbox_cli("dialplan reload")
    sandbox_cli("module reload app_amd.so")
    still = [c for c in AMD_CONTEXTS if f"[ Context '{c}'" not in sandbox_cli(f"dialplan show {c}")]
    assert not still, f"dialplan reload did not add {still}"
