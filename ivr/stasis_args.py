"""The Stasis arguments of a call channel, formatted and parsed in one place.

A call the dialer places enters the Stasis application with ``outbound,<case_id>,<lang>,
amd=<mode>`` (``heuristic`` or ``off``), or, through the Asterisk AMD dialplan context, with
``outbound,<case_id>,<lang>,amd=<AMDSTATUS>:<AMDCAUSE>`` (``MACHINE``, ``HUMAN``, ``NOTSURE``).
A campaign's script and whether agents take its transfers follow as ``script=<name>`` (absent:
the default script) and ``transfers=no`` (absent or ``yes``: allowed).
A call from the PSTN enters with ``inbound,<extension>``. Every other channel of the app (agent
legs ``agent,<call>``, snoops, the sandbox's simulated debtors) is not a call: ``parse`` gives None.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from core.dialogue import Lang

CallKind = Literal["outbound", "inbound"]
AMD_PREFIX = "amd="
SCRIPT_PREFIX = "script="
TRANSFERS_PREFIX = "transfers="
# what the AMD dialplan context passes to Stasis (its channel variables, set by the dialer)
AMD_DIALPLAN_ARGS = (
    "outbound,${COLLECTBOT_CASE},${COLLECTBOT_LANG},amd=${AMDSTATUS}:${AMDCAUSE},"
    "script=${COLLECTBOT_SCRIPT},transfers=${COLLECTBOT_TRANSFERS}"
)


@dataclass(frozen=True, slots=True)
class StasisArgs:
    kind: CallKind
    case_id: str | None = None  # outbound: the dialed case
    lang: str = ""  # outbound: the debtor's language as the dialer sent it
    amd: str = ""  # the AMD mode (heuristic, off) or Asterisk's verdict (MACHINE, HUMAN, ...)
    amd_cause: str = ""  # Asterisk's AMDCAUSE, e.g. LONGGREETING-1600-1500
    extension: str | None = None  # inbound: the dialed extension
    script: str = ""  # outbound: the campaign's dialogue script ("": the default one)
    transfers: bool = True  # outbound: whether the campaign's agents take transfers

    @classmethod
    def outbound(
        cls, case_id: str, lang: str, amd: str = "", *, script: str = "", transfers: bool = True
    ) -> StasisArgs:
        """The arguments of a call the dialer places (ValueError: one would not survive the
        comma-separated ``appArgs``)."""
        if not case_id or "," in case_id:
            raise ValueError(f"not a case id for Stasis arguments: {case_id!r}")
        if "," in lang or "," in amd or ":" in amd or "," in script:
            raise ValueError(
                f"not a language or AMD mode (or script) for Stasis arguments: {lang!r} {amd!r}"
            )
        return cls(
            "outbound", case_id=case_id, lang=lang, amd=amd, script=script, transfers=transfers
        )

    @property
    def language(self) -> Lang:
        return "zh" if self.lang == "zh" else "en"

    @property
    def machine_verdict(self) -> bool:
        return self.amd == "MACHINE"

    def format(self) -> tuple[str, ...]:
        if self.kind == "inbound":
            return ("inbound", self.extension) if self.extension else ("inbound",)
        args = ["outbound", self.case_id or "", self.lang]
        if self.amd:
            cause = f":{self.amd_cause}" if self.amd_cause else ""
            args.append(f"{AMD_PREFIX}{self.amd}{cause}")
        if self.script:
            args.append(f"{SCRIPT_PREFIX}{self.script}")
        if not self.transfers:
            args.append(f"{TRANSFERS_PREFIX}no")
        return tuple(args)

    @classmethod
    def parse(cls, args: Sequence[str]) -> StasisArgs | None:
        """The call these arguments start (None: not a call channel)."""
        if not args:
            return None
        match args[0]:
            case "inbound":
                return cls("inbound", extension=args[1] if len(args) > 1 and args[1] else None)
            case "outbound":
                amd, cause, script, transfers = "", "", "", True
                for arg in args[3:]:
                    if arg.startswith(AMD_PREFIX) and not amd:
                        amd, _, cause = arg.removeprefix(AMD_PREFIX).partition(":")
                    elif arg.startswith(SCRIPT_PREFIX):
                        script = arg.removeprefix(SCRIPT_PREFIX)
                    elif arg.startswith(TRANSFERS_PREFIX):
                        transfers = arg.removeprefix(TRANSFERS_PREFIX) != "no"
                case_id = args[1] if len(args) > 1 and args[1] else None
                lang = args[2] if len(args) > 2 else ""
                return cls(
                    "outbound", case_id=case_id, lang=lang, amd=amd, amd_cause=cause,
                    script=script, transfers=transfers,
                )  # fmt: skip
            case _:
                return None
