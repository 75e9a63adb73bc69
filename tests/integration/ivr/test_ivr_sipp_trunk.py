"""One real SIP call: SIPp (Debian ``sip-tester``) as the far end of the PJSIP trunk.

SIPp's built-in ``uac_pcap`` scenario calls extension 1000 on the sandbox's PJSIP port; the
``from-trunk`` context hands it to the Stasis app, where the test answers it, bridges it with
an ExternalMedia channel and checks that the caller's audio (G.711 A-law from the pcap,
transcoded by Asterisk) and its RFC 2833 DTMF digit reach the client, then SIPp hangs up.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from ivr_sandbox_fixtures import Harness, asterisk, harness

from ivr.media.audio import rms
from simulation.sandbox.settings import SandboxSettings

__all__ = ["asterisk", "harness"]

PCAP_DIR = Path("/usr/share/sip-tester")


@pytest.fixture
def sipp(tmp_path: Path) -> tuple[str, Path]:
    """The sipp binary and a working folder with ./pcap/ (uac_pcap reads pcap/g711a.pcap)."""
    binary = shutil.which("sipp")
    if binary is None or not (PCAP_DIR / "g711a.pcap").is_file():
        pytest.fail("SIPp (Debian package sip-tester) is not installed", pytrace=False)
    (tmp_path / "pcap").mkdir()
    for pcap in PCAP_DIR.glob("*.pcap"):
        (tmp_path / "pcap" / pcap.name).symlink_to(pcap)
    return binary, tmp_path


async def test_sip_call_through_the_pjsip_trunk_reaches_stasis(
    harness: Harness, sipp: tuple[str, Path]
) -> None:
    binary, workdir = sipp
    sip_port = SandboxSettings().sip_port
    cmd = [
        binary, "-sn", "uac_pcap", f"127.0.0.1:{sip_port}", "-s", "1000", "-i", "127.0.0.1",
        "-p", "25061", "-mp", "26000", "-m", "1", "-timeout", "30s", "-timeout_error",
        "-nostdin", "-trace_err",
    ]  # fmt: skip
    mark = len(harness.events)
    proc = await asyncio.create_subprocess_exec(
        *cmd, cwd=workdir, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    try:
        start = await harness.wait_for(
            "StasisStart", where=lambda e: e.args[:1] == ("inbound",), after=mark
        )
        assert start.args == ("inbound", "1000")
        caller = start.channel
        assert caller is not None
        assert caller.name.startswith("PJSIP/sipp-")
        harness.channels.append(caller.id)
        await harness.ari.answer(caller.id)
        bot = await harness.media_leg(caller.id)

        digit = await harness.wait_for("ChannelDtmfReceived", caller.id, within=20)
        assert digit.digit == "1"
        end = await harness.wait_for("StasisEnd", caller.id, within=20)  # SIPp sends BYE
        assert end.channel_id == caller.id
        heard = bot.endpoint.receiver.drain()
        assert len(heard) > 2 * 8000 * 2  # seconds of caller audio
        assert rms(heard) > 500
        out, _ = await asyncio.wait_for(proc.communicate(), 15)
        assert proc.returncode == 0, out.decode(errors="replace")[-2000:]
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
