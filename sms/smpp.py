"""``SmppSmsGateway``: a minimal SMPP 3.4 transmitter over asyncio.

bind_transmitter once, submit_sm per message (with a delivery receipt requested),
enquire_link when the link was idle, unbind on close. Requests go one at a time under a
lock; PDUs the SMSC sends on its own (enquire_link, unbind) are answered while waiting.
Delivery receipts arrive at the HTTP receipt endpoint or on a receiver bind (not here).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

from core.clock import Clock
from core.logging import get_logger
from sms import smpp_pdu as p
from sms.errors import GatewayError
from sms.gateway import OutboundSms, SendResult

log = get_logger(__name__)


@dataclass
class SmppSmsGateway:
    host: str
    port: int
    system_id: str
    password: str
    clock: Clock
    system_type: str = ""
    source: str = "CollectBot"
    timeout: float = 10.0
    enquire_after: float = 30.0
    _reader: asyncio.StreamReader | None = None
    _writer: asyncio.StreamWriter | None = None
    _sequence: int = 0
    _last_io: float = 0.0
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def _next(self) -> int:
        self._sequence = self._sequence % 0x7FFFFFFF + 1
        return self._sequence

    async def _write(self, pdu: p.Pdu) -> None:
        assert self._writer is not None
        self._writer.write(pdu.encode())
        await asyncio.wait_for(self._writer.drain(), self.timeout)
        self._last_io = self.clock.monotonic()

    async def _read(self) -> p.Pdu:
        assert self._reader is not None
        header = await asyncio.wait_for(self._reader.readexactly(p.HEADER.size), self.timeout)
        length, command, status, seq = p.HEADER.unpack(header)
        if not p.HEADER.size <= length <= p.MAX_PDU:
            raise GatewayError(f"SMPP: bad PDU length {length}")
        body = await asyncio.wait_for(
            self._reader.readexactly(length - p.HEADER.size), self.timeout
        )
        self._last_io = self.clock.monotonic()
        return p.Pdu(command, status, seq, body)

    async def _request(self, command: int, body: bytes = b"") -> p.Pdu:
        seq = self._next()
        await self._write(p.Pdu(command, 0, seq, body))
        while True:
            pdu = await self._read()
            if pdu.command_id == p.ENQUIRE_LINK:
                await self._write(p.Pdu(p.ENQUIRE_LINK_RESP, 0, pdu.sequence))
            elif pdu.command_id == p.UNBIND:
                await self._write(p.Pdu(p.UNBIND_RESP, 0, pdu.sequence))
                await self._drop()
                raise GatewayError("SMPP: the SMSC unbound")
            elif pdu.sequence == seq and pdu.command_id in (
                command | p.RESPONSE_BIT,
                p.GENERIC_NACK,
            ):
                if pdu.status != 0:
                    raise GatewayError(f"SMPP: command {command:#x} failed, status {pdu.status:#x}")
                return pdu
            else:
                log.warning("smpp.unexpected_pdu", command=hex(pdu.command_id))

    async def _connect(self) -> None:
        try:
            self._reader, self._writer = await asyncio.wait_for(
                asyncio.open_connection(self.host, self.port), self.timeout
            )
            await self._request(
                p.BIND_TRANSMITTER,
                p.bind_transmitter_body(self.system_id, self.password, self.system_type),
            )
        except (OSError, TimeoutError, asyncio.IncompleteReadError) as e:
            await self._drop()
            raise GatewayError(f"SMPP: cannot bind to {self.host}:{self.port}: {e!r}") from e
        except GatewayError as e:
            await self._drop()
            raise GatewayError(f"SMPP: cannot bind to {self.host}:{self.port}: {e}") from e
        log.info("smpp.bound", host=self.host, port=self.port)

    async def _drop(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError, TimeoutError):
                await asyncio.wait_for(writer.wait_closed(), 2.0)

    async def enquire_link(self) -> None:
        async with self._lock:
            if self._writer is None:
                await self._connect()
            await self._request(p.ENQUIRE_LINK)

    async def send(self, sms: OutboundSms) -> SendResult:
        body = p.submit_sm_body(self.source or sms.sender, sms.to, sms.body)
        async with self._lock:
            if self._writer is None:
                await self._connect()
            try:
                if self.clock.monotonic() - self._last_io > self.enquire_after:
                    await self._request(p.ENQUIRE_LINK)
                resp = await self._request(p.SUBMIT_SM, body)
            except (OSError, TimeoutError, asyncio.IncompleteReadError) as e:
                await self._drop()
                raise GatewayError(f"SMPP: link lost while sending: {e!r}") from e
        message_id, _ = p.read_cstr(resp.body, 0) if resp.body else ("", 0)
        return SendResult(provider_ref=message_id or f"smpp:{resp.sequence}")

    async def aclose(self) -> None:
        async with self._lock:
            if self._writer is None:
                return
            with contextlib.suppress(
                OSError, TimeoutError, asyncio.IncompleteReadError, GatewayError
            ):
                await self._request(p.UNBIND)
            await self._drop()
