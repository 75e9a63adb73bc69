"""The sandbox itself: idempotent build and start, configuration from the templates."""

from __future__ import annotations

import httpx
from ivr_sandbox_fixtures import asterisk
from structlog.testing import capture_logs

from ivr.settings import AriSettings
from simulation.sandbox import build, start, status
from simulation.sandbox.build import asterisk_version
from simulation.sandbox.config import rendered_configs
from simulation.sandbox.settings import SandboxSettings

__all__ = ["asterisk"]


def test_second_build_and_start_are_no_ops(asterisk: AriSettings) -> None:
    settings = SandboxSettings()
    before = status(settings, asterisk)
    assert before.running
    assert before.ari_ready
    with capture_logs() as logs:  # a no-op by what it did, not by how long it took
        layout = build(settings)
    assert [e["event"] for e in logs] == ["sandbox.build_skipped"], logs
    assert layout.dir == before.dir
    again = start(settings, asterisk)
    assert again.pid == before.pid


def test_the_chroot_runs_asterisk_22_with_the_rendered_config(asterisk: AriSettings) -> None:
    settings = SandboxSettings()
    layout = build(settings)
    assert asterisk_version(layout.root).startswith("22.")
    for name, text in rendered_configs(settings, asterisk).items():
        assert (layout.etc / name).read_text(encoding="utf-8") == text
    info = httpx.get(
        f"{asterisk.url}/ari/asterisk/info",
        auth=(asterisk.user, asterisk.password.get_secret_value()),
        timeout=5,
    ).json()
    assert info["system"]["version"].startswith("22.")
    wrong = httpx.get(f"{asterisk.url}/ari/asterisk/info", auth=("nobody", "x"), timeout=5)
    assert wrong.status_code == 401
