"""One suite over every ``SmsGateway``: the file sink, the HTTP gateway (through an httpx
transport that plays the provider) and the SMPP client (against a real SMPP server on loopback)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from smsc_sim import Smsc

from core.clock import FixedClock
from sms import smpp_pdu as p
from sms.errors import GatewayError
from sms.file_gateway import FileSmsGateway
from sms.gateway import OutboundSms, SmsGateway
from sms.http_gateway import HttpSmsGateway
from sms.smpp import SmppSmsGateway

LONG = "Your payment of 120.00 USD is due on 2026-12-05. " * 8  # > 254 octets
TEXTS = (
    "Please pay 25.00 USD by 2026-12-01: https://pay.example/x",
    "请于12月1日前还款500元",
    LONG,
)


@dataclass
class Provider:
    """What the provider received, in order: (to, body)."""

    received: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Rig:
    gateway: SmsGateway
    received: Callable[[], list[tuple[str, str]]]


class HttpProvider:
    def __init__(self, provider: Provider) -> None:
        self.provider = provider
        self.headers: list[httpx.Headers] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.headers.append(request.headers)
        body = json.loads(request.content)
        if body["to"] == "+10000000000":
            return httpx.Response(400, json={"error": "invalid number"})
        self.provider.received.append((body["to"], body["text"]))
        return httpx.Response(200, json={"id": f"h{len(self.provider.received)}"})


def _file_view(path: Path) -> list[tuple[str, str]]:
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [(r["to"], r["body"]) for r in rows]


@pytest.fixture(params=["file", "http", "smpp"])
async def rig(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Rig]:
    smsc: Smsc | None = None
    if request.param == "file":
        path = tmp_path / "outbox.jsonl"
        rig_ = Rig(FileSmsGateway(path), lambda: _file_view(path))
    elif request.param == "http":
        provider = Provider()
        client = httpx.AsyncClient(transport=httpx.MockTransport(HttpProvider(provider)))
        gateway = HttpSmsGateway(
            url="https://sms.example/send",
            client=client,
            body_template='{"to": {to}, "from": {sender}, "text": {body}, "ref": {id}}',
        )
        rig_ = Rig(gateway, lambda: list(provider.received))
    else:
        smsc = Smsc()
        await smsc.start()
        clock = FixedClock(datetime(2026, 11, 29, 10, tzinfo=UTC))
        gateway_ = SmppSmsGateway("127.0.0.1", smsc.port, "cb", "secret", clock, timeout=3)
        server = smsc
        rig_ = Rig(gateway_, lambda: [(f"+{m.destination}", m.text) for m in server.messages])
    yield rig_
    await rig_.gateway.aclose()
    if smsc is not None:
        await smsc.stop()


async def test_every_message_reaches_the_provider_intact(rig: Rig) -> None:
    refs = []
    for i, text in enumerate(TEXTS):
        result = await rig.gateway.send(OutboundSms(f"sms_{i}", "+8613800138000", text))
        assert result.accepted
        refs.append(result.provider_ref)
    assert len(set(refs)) == len(TEXTS)
    assert all(refs)
    assert rig.received() == [("+8613800138000", t) for t in TEXTS]
    await rig.gateway.aclose()
    await rig.gateway.aclose()  # idempotent


@pytest.fixture
async def smsc() -> AsyncIterator[Smsc]:
    server = Smsc()
    await server.start()
    yield server
    await server.stop()


def smpp(smsc: Smsc, password: str = "secret") -> SmppSmsGateway:  # noqa: S107
    clock = FixedClock(datetime(2026, 11, 29, 10, tzinfo=UTC))
    return SmppSmsGateway("127.0.0.1", smsc.port, "cb", password, clock, timeout=3)


async def test_smpp_binds_once_submits_and_unbinds(smsc: Smsc) -> None:
    gw = smpp(smsc)
    for i, text in enumerate(TEXTS):
        await gw.send(OutboundSms(str(i), "+8613800138000", text))
    await gw.aclose()
    assert smsc.binds == 1
    assert [m.text for m in smsc.messages] == list(TEXTS)
    assert [m.data_coding for m in smsc.messages] == [0x00, 0x08, 0x00]
    assert {m.destination for m in smsc.messages} == {"8613800138000"}
    assert all(m.registered_delivery == 1 for m in smsc.messages)
    assert smsc.commands == [p.BIND_TRANSMITTER, *[p.SUBMIT_SM] * 3, p.UNBIND]


async def test_smpp_sends_enquire_link_after_idle_and_answers_the_smscs(smsc: Smsc) -> None:
    gw = smpp(smsc)
    await gw.send(OutboundSms("1", "+14155550100", "one"))
    gw.clock.advance(timedelta(seconds=31))  # type: ignore[attr-defined]
    smsc.ping_first = True
    await gw.send(OutboundSms("2", "+14155550100", "two"))
    await gw.enquire_link()
    await gw.aclose()
    assert smsc.commands == [
        p.BIND_TRANSMITTER,
        p.SUBMIT_SM,
        p.ENQUIRE_LINK,  # ours, after 31 s idle
        p.SUBMIT_SM,
        p.ENQUIRE_LINK_RESP,  # our answer to the SMSC's own enquire_link
        p.ENQUIRE_LINK,
        p.UNBIND,
    ]


async def test_smpp_refusals_become_gateway_errors(smsc: Smsc) -> None:
    with pytest.raises(GatewayError, match="bind"):
        await smpp(smsc, password="wrong").send(OutboundSms("1", "+14155550100", "x"))
    gw = smpp(smsc)
    smsc.refuse_status = 0x0B  # ESME_RINVDSTADR
    with pytest.raises(GatewayError, match="0xb"):
        await gw.send(OutboundSms("1", "+14155550100", "x"))
    await gw.aclose()
    await smsc.stop()
    with pytest.raises(GatewayError):
        await smpp(smsc).send(OutboundSms("1", "+14155550100", "x"))


async def test_http_gateway_sends_auth_and_maps_refusals() -> None:
    provider = Provider()
    handler = HttpProvider(provider)
    gw = HttpSmsGateway(
        url="https://sms.example/send",
        client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        body_template='{"to": {to}, "text": {body}, "ref": {id}}',
        auth_header="Bearer t0ken",
    )
    result = await gw.send(OutboundSms("sms_1", "+14155550100", 'quote " and 还款'))
    assert result.provider_ref == "h1"
    assert provider.received == [("+14155550100", 'quote " and 还款')]
    assert handler.headers[0]["authorization"] == "Bearer t0ken"
    with pytest.raises(GatewayError, match="400"):
        await gw.send(OutboundSms("sms_2", "+10000000000", "x"))
    await gw.aclose()
