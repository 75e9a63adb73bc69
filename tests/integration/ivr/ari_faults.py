"""ARI requests that time out, injected in the client (the real Asterisk answers everything else).

``FaultyTransport`` forwards every request to the real Asterisk except the ones a ``Fault``
names (method and path, the first ``times`` of them), which the client sees time out:

- ``lost``: the request never reaches Asterisk (a starved event loop, a connection that never
  came: what the soak's caller hang-ups looked like, the debtor still on the line minutes later);
- ``late``: Asterisk carries it out ``late_s`` after the client gave up (a loaded Asterisk that
  answers after our timeout: an ExternalMedia channel that comes up after its call's undo).
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from typing import Literal

import httpx

from ivr.ari import AriClient
from ivr.settings import AriSettings


@dataclass
class Fault:
    method: str
    path: str  # a regular expression the whole path after ``/ari`` matches
    mode: Literal["lost", "late"]
    times: int = 1
    late_s: float = 1.5
    hit: int = 0


@dataclass
class FaultyTransport(httpx.AsyncBaseTransport):
    faults: list[Fault] = field(default_factory=list)
    inner: httpx.AsyncBaseTransport = field(default_factory=httpx.AsyncHTTPTransport)
    late: set[asyncio.Task[httpx.Response]] = field(default_factory=set)

    def _fault(self, request: httpx.Request) -> Fault | None:
        path = request.url.path.removeprefix("/ari")
        for fault in self.faults:
            if (
                fault.method == request.method
                and re.fullmatch(fault.path, path)
                and fault.hit < fault.times
            ):
                fault.hit += 1
                return fault
        return None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        fault = self._fault(request)
        if fault is None:
            return await self.inner.handle_async_request(request)
        if fault.mode == "late":  # carried out after the client's timeout, whatever it does
            task = asyncio.create_task(self._later(request, fault.late_s))
            self.late.add(task)
            task.add_done_callback(self.late.discard)
        await asyncio.Event().wait()  # no answer: the client's own timeout ends the wait
        raise AssertionError("unreachable")

    async def _later(self, request: httpx.Request, delay_s: float) -> httpx.Response:
        await asyncio.sleep(delay_s)
        await request.aread()
        response = await self.inner.handle_async_request(request)
        await response.aread()
        await response.aclose()
        return response

    async def aclose(self) -> None:
        if self.late:
            await asyncio.wait(self.late, timeout=10)
        await self.inner.aclose()


def faulty_client(settings: AriSettings, transport: FaultyTransport) -> AriClient:
    """An ``AriClient`` as the worker builds it, over ``transport``."""
    http = httpx.AsyncClient(
        base_url=f"{settings.url.rstrip('/')}/ari",
        auth=(settings.user, settings.password.get_secret_value()),
        timeout=httpx.Timeout(settings.request_timeout_s, connect=settings.connect_timeout_s),
        transport=transport,
    )
    return AriClient(settings, http=http)
