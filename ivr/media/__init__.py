"""Media transport for ExternalMedia: RTP ``slin`` (8 kHz, L16 big-endian, PT 10) over UDP."""

from ivr.media.endpoint import RtpEndpoint, open_rtp_endpoint
from ivr.media.jitter import FrameAssembler, JitterBuffer
from ivr.media.receiver import ReceiverStats, RtpReceiver
from ivr.media.rtp import RtpPacket
from ivr.media.sender import PlayResult, RtpSender

__all__ = [
    "FrameAssembler",
    "JitterBuffer",
    "PlayResult",
    "ReceiverStats",
    "RtpEndpoint",
    "RtpPacket",
    "RtpReceiver",
    "RtpSender",
    "open_rtp_endpoint",
]
