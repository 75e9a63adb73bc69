"""What a sandbox Asterisk holds, read over ARI by the tests that kill things under it: the
channels and bridges still up, and which of them belong to given calls."""

from __future__ import annotations

import re

import httpx

from ivr.settings import AriSettings


class Ari:
    def __init__(self, settings: AriSettings) -> None:
        auth = (settings.user, settings.password.get_secret_value())
        self.http = httpx.Client(base_url=f"{settings.url}/ari", auth=auth, timeout=5)

    def ids(self, what: str) -> set[str]:
        r = self.http.get(f"/{what}")
        r.raise_for_status()
        return {str(x["id"]) for x in r.json()}

    def of_calls(self, what: str, call_ids: set[str]) -> set[str]:
        """Channels/bridges that belong to these calls (``<id>``, ``<id>;2``, ``<id>-em`` …)."""
        return {i for i in self.ids(what) if re.split(r"[;-]", i, maxsplit=1)[0] in call_ids}
