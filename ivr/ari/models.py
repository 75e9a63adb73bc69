"""ARI resources as frozen dataclasses, parsed from the JSON Asterisk sends."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeAlias

from ivr.errors import AriError

Json: TypeAlias = Mapping[str, object]


def as_obj(value: object, what: str) -> Json:
    if not isinstance(value, Mapping):
        raise AriError(f"ARI sent {what} that is not an object", retryable=False)
    return value


def as_list(value: object, what: str) -> list[Json]:
    if not isinstance(value, list):
        raise AriError(f"ARI sent {what} that is not a list", retryable=False)
    return [as_obj(v, what) for v in value]


def text(obj: Json, key: str, default: str = "") -> str:
    value = obj.get(key, default)
    return value if isinstance(value, str) else str(value)


def _str_map(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {str(k): str(v) for k, v in value.items()}


@dataclass(frozen=True, slots=True)
class Channel:
    id: str
    name: str
    state: str
    caller_number: str = ""
    dialplan_exten: str = ""
    channelvars: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_json(cls, raw: object) -> Channel:
        obj = as_obj(raw, "a channel")
        caller = obj.get("caller")
        dialplan = obj.get("dialplan")
        return cls(
            id=text(obj, "id"),
            name=text(obj, "name"),
            state=text(obj, "state"),
            caller_number=text(caller, "number") if isinstance(caller, Mapping) else "",
            dialplan_exten=text(dialplan, "exten") if isinstance(dialplan, Mapping) else "",
            channelvars=_str_map(obj.get("channelvars")),
        )


@dataclass(frozen=True, slots=True)
class ExternalMediaChannel:
    """An ExternalMedia (UnicastRTP) channel and where Asterisk expects our RTP."""

    channel: Channel
    local_host: str
    local_port: int

    @classmethod
    def from_channel(cls, channel: Channel) -> ExternalMediaChannel:
        vars_ = channel.channelvars
        try:
            host = vars_["UNICASTRTP_LOCAL_ADDRESS"]
            port = int(vars_["UNICASTRTP_LOCAL_PORT"])
        except (KeyError, ValueError) as e:
            raise AriError("externalMedia channel without its RTP address", retryable=False) from e
        return cls(channel, host, port)


@dataclass(frozen=True, slots=True)
class Bridge:
    id: str
    technology: str
    bridge_type: str
    channels: tuple[str, ...]

    @classmethod
    def from_json(cls, raw: object) -> Bridge:
        obj = as_obj(raw, "a bridge")
        members = obj.get("channels")
        return cls(
            id=text(obj, "id"),
            technology=text(obj, "technology"),
            bridge_type=text(obj, "bridge_type"),
            channels=tuple(str(c) for c in members) if isinstance(members, list) else (),
        )


@dataclass(frozen=True, slots=True)
class Playback:
    id: str
    media_uri: str
    target_uri: str
    state: str

    @classmethod
    def from_json(cls, raw: object) -> Playback:
        obj = as_obj(raw, "a playback")
        return cls(
            text(obj, "id"), text(obj, "media_uri"), text(obj, "target_uri"), text(obj, "state")
        )


@dataclass(frozen=True, slots=True)
class LiveRecording:
    name: str
    format: str
    state: str
    target_uri: str

    @classmethod
    def from_json(cls, raw: object) -> LiveRecording:
        obj = as_obj(raw, "a live recording")
        return cls(
            text(obj, "name"), text(obj, "format"), text(obj, "state"), text(obj, "target_uri")
        )


@dataclass(frozen=True, slots=True)
class StoredRecording:
    name: str
    format: str

    @classmethod
    def from_json(cls, raw: object) -> StoredRecording:
        obj = as_obj(raw, "a stored recording")
        return cls(text(obj, "name"), text(obj, "format"))


@dataclass(frozen=True, slots=True)
class AriEvent:
    """One event from the ARI websocket; ``raw`` keeps every field Asterisk sent."""

    type: str
    application: str
    timestamp: str
    raw: Json

    @classmethod
    def from_json(cls, raw: object) -> AriEvent:
        obj = as_obj(raw, "an event")
        return cls(text(obj, "type"), text(obj, "application"), text(obj, "timestamp"), obj)

    @property
    def channel(self) -> Channel | None:
        value = self.raw.get("channel")
        return Channel.from_json(value) if isinstance(value, Mapping) else None

    @property
    def channel_id(self) -> str | None:
        channel = self.raw.get("channel")
        return text(channel, "id") if isinstance(channel, Mapping) else None

    @property
    def bridge_id(self) -> str | None:
        bridge = self.raw.get("bridge")
        return text(bridge, "id") if isinstance(bridge, Mapping) else None

    @property
    def playback(self) -> Playback | None:
        value = self.raw.get("playback")
        return Playback.from_json(value) if isinstance(value, Mapping) else None

    @property
    def recording(self) -> LiveRecording | None:
        value = self.raw.get("recording")
        return LiveRecording.from_json(value) if isinstance(value, Mapping) else None

    @property
    def args(self) -> tuple[str, ...]:
        value = self.raw.get("args")
        return tuple(str(a) for a in value) if isinstance(value, list) else ()

    @property
    def digit(self) -> str | None:
        value = self.raw.get("digit")
        return value if isinstance(value, str) else None
