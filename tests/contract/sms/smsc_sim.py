"""A small SMSC for tests: speaks SMPP 3.4 on loopback (bind_transmitter, submit_sm,
enquire_link, unbind), checks the password, records every message, can refuse or drop."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

from sms import smpp_pdu as p


@dataclass
class Smsc:
    system_id: str = "cb"
    password: str = "secret"
    messages: list[p.SubmitSm] = field(default_factory=list)
    commands: list[int] = field(default_factory=list)
    refuse_status: int = 0  # answer submit_sm with this status when non-zero
    ping_first: bool = False  # send an enquire_link of its own before answering a submit_sm
    binds: int = 0
    port: int = 0
    _server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            while True:
                length, command, _, seq = p.HEADER.unpack(await reader.readexactly(16))
                body = await reader.readexactly(length - 16)
                self.commands.append(command)
                if not await self._answer(writer, reader, command, seq, body):
                    break
        writer.close()

    async def _answer(
        self,
        writer: asyncio.StreamWriter,
        reader: asyncio.StreamReader,
        command: int,
        seq: int,
        body: bytes,
    ) -> bool:
        if command == p.BIND_TRANSMITTER:
            system_id, o = p.read_cstr(body, 0)
            password, _ = p.read_cstr(body, o)
            ok = (system_id, password) == (self.system_id, self.password)
            self.binds += ok
            status = 0 if ok else 0x0000000E  # ESME_RINVPASWD
            writer.write(p.Pdu(p.BIND_TRANSMITTER_RESP, status, seq, b"smsc\x00").encode())
        elif command == p.SUBMIT_SM:
            if self.ping_first:
                writer.write(p.Pdu(p.ENQUIRE_LINK, 0, 9000 + seq).encode())
                await writer.drain()
                resp = await reader.readexactly(16)
                self.commands.append(p.HEADER.unpack(resp)[1])
            if self.refuse_status:
                writer.write(p.Pdu(p.SUBMIT_SM_RESP, self.refuse_status, seq).encode())
            else:
                self.messages.append(p.parse_submit_sm(body))
                msg_id = f"m{len(self.messages)}".encode() + b"\x00"
                writer.write(p.Pdu(p.SUBMIT_SM_RESP, 0, seq, msg_id).encode())
        elif command == p.ENQUIRE_LINK:
            writer.write(p.Pdu(p.ENQUIRE_LINK_RESP, 0, seq).encode())
        elif command == p.UNBIND:
            writer.write(p.Pdu(p.UNBIND_RESP, 0, seq).encode())
            await writer.drain()
            return False
        else:
            writer.write(p.Pdu(p.GENERIC_NACK, 0x00000003, seq).encode())
        await writer.drain()
        return True
