"""The root command lists every sub-command without importing any area, and runs the real one."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from cli.main import COMMANDS, MOUNTS, app, load_mount

HEAVY = ("sqlalchemy", "pandas", "numpy", "sklearn", "fastapi", "faster_whisper", "data", "nlu")


@pytest.mark.parametrize("mount", sorted(MOUNTS))
def test_the_table_lists_exactly_what_each_module_registers(mount: str) -> None:
    registered = set(load_mount(mount).commands)
    listed = {name for name, (owner, _) in COMMANDS.items() if owner == mount}
    assert registered == listed


def test_every_listed_command_has_a_mount_and_a_help_line() -> None:
    for name, (mount, short_help) in COMMANDS.items():
        assert mount in MOUNTS, name
        assert short_help.strip(), name


def test_help_lists_every_command_without_importing_any_area() -> None:
    probe = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from cli.main import app\n"
        "result = CliRunner().invoke(app, ['--help'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(result.output)\n"
        f"print('LOADED', sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert out.rstrip().endswith("LOADED []"), out[-400:]
    for name in COMMANDS:
        assert f" {name} " in out, name


def test_a_listed_command_runs_the_real_one() -> None:
    result = CliRunner().invoke(app, ["keys", "secret"])
    assert result.exit_code == 0, result.output
    assert len(result.output.strip()) >= 40  # a generated secret, not the stand-in's help


def test_an_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["no-such-command"])
    assert result.exit_code == 2
    assert "No such command" in result.output
