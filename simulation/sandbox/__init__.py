"""The Asterisk sandbox: Asterisk 22 from Debian's archive in a chroot on loopback ports.

``build`` makes (or restores) the chroot in a cache folder outside the repository, ``start``
renders the configuration templates into it and runs Asterisk by its own PID, ``stop`` ends
exactly that PID. Run as ``collectbot sandbox build|start|stop|status`` or
``python -m ivr.sandbox build|start|stop|status``.
"""

from simulation.sandbox.build import SandboxLayout, build, layout_for
from simulation.sandbox.runner import SandboxStatus, ensure_running, start, status, stop

__all__ = [
    "SandboxLayout",
    "SandboxStatus",
    "build",
    "ensure_running",
    "layout_for",
    "start",
    "status",
    "stop",
]
