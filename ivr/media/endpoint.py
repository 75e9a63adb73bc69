"""One local UDP socket for an ExternalMedia channel: a receiver and, once known, a sender."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from ivr.errors import MediaError
from ivr.media.receiver import RtpReceiver
from ivr.media.sender import RtpSender


@dataclass(slots=True)
class RtpEndpoint:
    transport: asyncio.DatagramTransport
    receiver: RtpReceiver
    host: str
    port: int

    @property
    def external_host(self) -> str:
        """``host:port`` to pass to ARI ``externalMedia`` as ``external_host``."""
        return f"{self.host}:{self.port}"

    def sender(self, remote_host: str, remote_port: int) -> RtpSender:
        """A sender to Asterisk's side (UNICASTRTP_LOCAL_ADDRESS/PORT), from this socket."""
        return RtpSender(self.transport, (remote_host, remote_port))

    def close(self) -> None:
        self.transport.close()


async def open_rtp_endpoint(
    host: str = "127.0.0.1", port: int = 0, *, depth: int = 3
) -> RtpEndpoint:
    """Bind a UDP socket (port 0: any free port) with an ``RtpReceiver`` on it."""
    loop = asyncio.get_running_loop()
    try:
        transport, protocol = await loop.create_datagram_endpoint(
            lambda: RtpReceiver(depth=depth), local_addr=(host, port)
        )
    except OSError as e:
        raise MediaError(f"cannot bind RTP socket {host}:{port}: {e}") from e
    sockname = transport.get_extra_info("sockname")
    return RtpEndpoint(transport, protocol, sockname[0], int(sockname[1]))
