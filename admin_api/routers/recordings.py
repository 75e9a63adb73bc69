"""A call's recording, decrypted as it streams: role-checked, audited, with HTTP Range.

``GET /cases/{case_id}/attempts/{attempt_id}/recording`` → ``audio/wav`` (200, or 206 for a
``Range: bytes=…`` request; 416 past the end). Never a file URL: the audio exists in clear
only in this response.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Response
from fastapi.responses import StreamingResponse

from admin_api import recording_reads
from admin_api.deps import get_services, require
from admin_api.errors import NotFound
from admin_api.recording_reads import UNSATISFIABLE, RecordingUnreadable, Span
from admin_api.roles import STAFF, Principal, Role
from admin_api.services import Services
from core.logging import get_logger
from data.errors import KeyringError
from data.recordings import RecordingError, RecordingVault

router = APIRouter(prefix="/cases", tags=["recordings"])
log = get_logger(__name__)
Svc = Annotated[Services, Depends(get_services)]
Listeners = Annotated[Principal, Depends(require(*STAFF, Role.AUDITOR, Role.AGENT))]
_AUDIO = {200: {"content": {"audio/wav": {}}, "description": "the recording (WAV)"},
          206: {"content": {"audio/wav": {}}, "description": "the requested byte range"},
          404: {"description": "no such attempt, not yours, or no stored recording"},
          416: {"description": "the range starts past the end"}}  # fmt: skip


@dataclass
class _Opened:
    """A recording opened for one response: its size, the range asked, the audio to send."""

    size: int
    span: Span | None | Literal["unsatisfiable"]
    audio: Iterator[bytes]
    close: Callable[[], None]


def _open(vault: RecordingVault, ref: str, attempt_id: str, header: str | None) -> _Opened:
    """Open and authenticate the first chunk of the range before any header is sent, so a
    tampered or unreadable file is an error response, not a cut stream."""
    stack = ExitStack()
    try:
        reader = stack.enter_context(vault.open(ref, attempt_id))
        span = recording_reads.byte_range(header, reader.size)
        start, end = span if isinstance(span, tuple) else (0, reader.size)
        pieces = reader.read(start, end)
        first = b"" if span == UNSATISFIABLE else next(pieces, b"")
    except RecordingError as e:
        stack.close()
        log.error("recording.file_missing", attempt_id=attempt_id)
        raise NotFound(f"no stored recording for attempt {attempt_id!r}") from e
    except KeyringError as e:
        stack.close()
        log.error("recording.unreadable", attempt_id=attempt_id, error=str(e))
        raise RecordingUnreadable("the stored recording cannot be opened") from e

    def audio() -> Iterator[bytes]:
        with stack:
            if first:
                yield first
            yield from pieces

    return _Opened(reader.size, span, audio(), stack.close)


@router.get(
    "/{case_id}/attempts/{attempt_id}/recording",
    response_class=Response,
    responses=_AUDIO,  # type: ignore[arg-type]
)
def get_recording(
    case_id: str,
    attempt_id: str,
    who: Listeners,
    services: Svc,
    range: Annotated[str | None, Header(max_length=200)] = None,
) -> Response:
    with services.db.transaction() as s:
        ref = recording_reads.locate(s, who, case_id, attempt_id)
    opened = _open(services.recordings, ref, attempt_id, range)
    size, span = opened.size, opened.span
    if not isinstance(span, tuple | None):
        opened.close()
        return Response(status_code=416, headers={"Content-Range": f"bytes */{size}"})
    try:
        record = recording_reads.listened(services.clock.now(), who, case_id, attempt_id, span)
        services.audit.write(record)  # committed before any audio leaves
    except BaseException:
        opened.close()
        raise
    start, end = span or (0, size)

    headers = {
        "Accept-Ranges": "bytes",
        "Content-Length": str(end - start),
        "Cache-Control": "no-store, private",
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": 'inline; filename="recording.wav"',
    }
    if span is not None:
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
    return StreamingResponse(
        opened.audio, status_code=206 if span else 200, media_type="audio/wav", headers=headers
    )
