"""The sandbox Asterisk for the dialer's integration tests (imported by the test modules, like
``tests/integration/ivr/ivr_sandbox_fixtures.py``; not a ``conftest.py``).

Builds the chroot if missing and starts Asterisk, or FAILS with the reason (never skips). An
Asterisk started here is stopped at the end of the session (as the IVR tests' is: on a fresh
machine it was started and stopped again for each of a dozen modules); one already running is
left running, and gets its dialplan reloaded if it predates the dialer's test contexts.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest

from ivr.settings import AriSettings
from simulation.sandbox import ensure_running, status, stop
from simulation.sandbox.build import find_built
from simulation.sandbox.config import rendered_configs, write_configs
from simulation.sandbox.settings import SandboxError, SandboxSettings

CONTEXTS = (
    "sim-busy", "sim-noanswer", "sim-ring", "sim-invalid", "sim-congestion", "answer-hangup",
    "answer-hold",
)  # fmt: skip


def ensure_contexts(ari_settings: AriSettings) -> None:
    """A sandbox started before these contexts were added gets its dialplan reloaded."""
    layout = find_built(SandboxSettings())
    assert layout is not None
    root = str(layout.root)

    def cli(command: str) -> str:
        done = subprocess.run(
            ["chroot", root, "/usr/sbin/asterisk", "-rx", command],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        return done.stdout

    def missing() -> list[str]:
        return [n for n in CONTEXTS if f"[ Context '{n}'" not in cli(f"dialplan show {n}")]

    if not missing():
        return
    write_configs(layout.etc, rendered_configs(SandboxSettings(), ari_settings))
    cli("dialplan reload")
    assert not missing(), f"dialplan reload did not add {missing()}"


@pytest.fixture(scope="session")
def asterisk() -> Iterator[AriSettings]:
    sandbox, ari = SandboxSettings(), AriSettings()
    was_running = status(sandbox, ari).running
    try:
        state = ensure_running(sandbox, ari)
    except SandboxError as e:
        pytest.fail(f"the Asterisk sandbox could not be built/started: {e}", pytrace=False)
    if not state.ari_ready:
        pytest.fail(f"sandbox Asterisk runs but ARI does not answer at {ari.url}", pytrace=False)
    ensure_contexts(ari)
    yield ari
    if not was_running:
        stop(sandbox)
