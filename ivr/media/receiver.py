"""The receiving half of an ExternalMedia RTP stream: parse, filter, reorder, convert to LE."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

from core.logging import get_logger
from ivr.errors import MediaError
from ivr.media.jitter import JitterBuffer
from ivr.media.rtp import PT_SLIN, RtpPacket, be_to_native

log = get_logger(__name__)

Address = tuple[str, int]


@dataclass(slots=True)
class ReceiverStats:
    packets: int = 0
    bytes: int = 0
    malformed: int = 0
    wrong_payload_type: int = 0
    first_payload_size: int | None = None


class RtpReceiver(asyncio.DatagramProtocol):
    """An ``asyncio.DatagramProtocol`` that turns RTP slin packets into native PCM chunks.

    Chunks (native-endian int16, any size) are queued in sequence order; read them with
    ``chunks()``. The address packets come from is remembered as ``remote`` (where Asterisk
    sends from, which is where it expects our RTP: symmetric RTP).
    """

    def __init__(
        self, *, payload_type: int = PT_SLIN, depth: int = 3, max_queue: int = 500
    ) -> None:
        self.payload_type = payload_type
        self.jitter = JitterBuffer(depth)
        self.stats = ReceiverStats()
        self.remote: Address | None = None
        self._queue: asyncio.Queue[bytes | None] = asyncio.Queue(max_queue)
        self._closed = asyncio.Event()
        self.first_packet_at: float | None = None

    def datagram_received(self, data: bytes, addr: Address) -> None:
        try:
            packet = RtpPacket.parse(data)
        except MediaError:
            self.stats.malformed += 1
            return
        if packet.payload_type != self.payload_type:
            self.stats.wrong_payload_type += 1
            return
        if self.remote is None:
            self.remote = (addr[0], addr[1])
            self.first_packet_at = asyncio.get_running_loop().time()
            self.stats.first_payload_size = len(packet.payload)
        self.stats.packets += 1
        self.stats.bytes += len(packet.payload)
        for payload in self.jitter.push(packet.sequence, packet.payload):
            self._offer(be_to_native(payload))

    def _offer(self, chunk: bytes) -> None:
        if self._queue.full():  # nobody reads: keep the newest audio, drop the oldest
            self._queue.get_nowait()
        self._queue.put_nowait(chunk)

    def error_received(self, exc: Exception) -> None:
        log.warning("media.rtp_error", error=repr(exc))

    def connection_lost(self, exc: Exception | None) -> None:
        for payload in self.jitter.flush():
            self._offer(be_to_native(payload))
        self._offer_end()

    def _offer_end(self) -> None:
        if not self._closed.is_set():
            self._closed.set()
            if self._queue.full():
                self._queue.get_nowait()
            self._queue.put_nowait(None)

    async def chunks(self) -> AsyncIterator[bytes]:
        """PCM chunks in order until the endpoint is closed."""
        while (chunk := await self._queue.get()) is not None:
            yield chunk

    def drain(self) -> bytes:
        """Everything received and not yet read, concatenated (tests, recordings)."""
        out = []
        while not self._queue.empty():
            chunk = self._queue.get_nowait()
            if chunk is None:
                self._queue.put_nowait(None)
                break
            out.append(chunk)
        return b"".join(out)
