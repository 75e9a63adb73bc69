"""A private sandbox instance: its own folder and ports, restored from the shared build."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivr.settings import AriSettings
from simulation.sandbox import private
from simulation.sandbox.build import layout_for
from simulation.sandbox.config import rendered_configs
from simulation.sandbox.settings import SandboxError, SandboxSettings


def test_a_private_instance_moves_every_port_and_has_its_own_folder(tmp_path: Path) -> None:
    shared = SandboxSettings(cache_root=tmp_path)
    mine = private.private_settings("faults", 100, shared)
    assert mine.dir == tmp_path / "private-faults"
    assert (mine.http_port, mine.sip_port) == (shared.http_port + 100, shared.sip_port + 100)
    assert mine.rtp_start == shared.rtp_end + 1  # no overlap with the shared RTP range
    assert mine.rtp_end - mine.rtp_start == shared.rtp_end - shared.rtp_start
    other = private.private_settings("soak", 200, shared)
    assert other.rtp_start > mine.rtp_end
    ari = private.private_ari(mine, AriSettings())
    assert ari.url == f"http://127.0.0.1:{mine.http_port}"
    # what Asterisk is configured with: the private ports, nothing of the shared instance's
    configs = rendered_configs(mine, ari)
    assert f"bindport = {mine.http_port}" in configs["http.conf"]
    assert f"127.0.0.1:{mine.sip_port}" in configs["pjsip.conf"]
    assert f"rtpstart={mine.rtp_start}" in configs["rtp.conf"].replace(" ", "")
    assert str(shared.http_port) not in configs["http.conf"]


def test_the_environment_points_a_child_process_at_the_private_instance(tmp_path: Path) -> None:
    mine = private.private_settings("x", 300, SandboxSettings(cache_root=tmp_path))
    env = private.environment(mine, private.private_ari(mine))
    child = pytest.MonkeyPatch()
    try:
        for name, value in env.items():
            child.setenv(name, value)
        assert SandboxSettings() == mine.model_copy(
            update={"cache_root": SandboxSettings().cache_root}
        )
        assert AriSettings().url == f"http://127.0.0.1:{mine.http_port}"
    finally:
        child.undo()


def test_prepare_needs_the_shared_build_and_links_its_tarball(tmp_path: Path) -> None:
    shared = SandboxSettings(cache_root=tmp_path)
    mine = private.private_settings("p", 100, shared)
    with pytest.raises(SandboxError, match="build the shared sandbox first"):
        private.prepare(mine, shared)
    with pytest.raises(SandboxError, match="its own dir"):
        private.prepare(shared, shared)
    assert not layout_for(mine).is_built()
