"""Renders the Asterisk configuration templates shipped in ``simulation/sandbox/templates``."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from ivr.settings import AriSettings
from simulation.sandbox.settings import SandboxError, SandboxSettings

# Present (empty) only so that their modules load instead of declining.
EMPTY_CONFIGS = (
    "acl agents alarmreceiver amd ccss chan_websocket cli_aliases confbridge features followme "
    "musiconhold pjproject pjsip_notify pjsip_wizard queuerules queues res_http_media_cache "
    "res_parking udptl websocket_client"
)

SIPP_UAS_PORT = 25060
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def template_values(sandbox: SandboxSettings, ari: AriSettings) -> dict[str, str]:
    return {
        "http_port": str(sandbox.http_port),
        "sip_port": str(sandbox.sip_port),
        "rtp_start": str(sandbox.rtp_start),
        "rtp_end": str(sandbox.rtp_end),
        "sipp_uas_port": str(SIPP_UAS_PORT),
        "ari_user": ari.user,
        "ari_password": ari.password.get_secret_value(),
        "app": ari.app,
    }


def render(text: str, values: dict[str, str]) -> str:
    """Replace every ``{{name}}``; an unknown name is an error, not a silent blank."""

    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise SandboxError(f"template placeholder without a value: {name}")
        return values[name]

    return _PLACEHOLDER.sub(sub, text)


def rendered_configs(sandbox: SandboxSettings, ari: AriSettings) -> dict[str, str]:
    """File name -> content of the whole ``/etc/asterisk`` of the sandbox."""
    values = template_values(sandbox, ari)
    out = {f"{name}.conf": "" for name in EMPTY_CONFIGS.split()}
    folder = resources.files("simulation.sandbox").joinpath("templates")
    for item in folder.iterdir():
        if item.name.endswith(".conf"):
            out[item.name] = render(item.read_text(encoding="utf-8"), values)
    return out


def write_configs(etc: Path, configs: dict[str, str]) -> None:
    """Replace the contents of ``etc`` with ``configs`` (fresh on every start)."""
    etc.mkdir(parents=True, exist_ok=True)
    for old in etc.iterdir():
        if old.is_file() or old.is_symlink():
            old.unlink()
    for name, text in configs.items():
        (etc / name).write_text(text, encoding="utf-8")
