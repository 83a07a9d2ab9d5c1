"""Stop waiting on a dependency that just failed, for a while.

A Redis that is down answers at once (connection refused), but a frozen one (a stopped process,
a dead network path) lets every call wait for its socket timeout. Once a call has failed, the
callers (`core.cache`, `core.queueing`) take their fallback at once for `retry_after` seconds
instead of paying that timeout again in every request, then try the dependency again.
"""

import time


class CircuitBreaker:
    """Open for `retry_after` seconds after `trip()`; `is_open` tells callers to skip the
    dependency meanwhile. State is per process and needs no lock: two threads tripping it at
    the same moment both just set the same deadline."""

    def __init__(self, *, retry_after: float) -> None:
        self.retry_after = retry_after
        self._open_until = 0.0  # time.monotonic(): the test suite's pinned clock does not move it

    @property
    def is_open(self) -> bool:
        return time.monotonic() < self._open_until

    def trip(self) -> None:
        self._open_until = time.monotonic() + self.retry_after

    def reset(self) -> None:
        self._open_until = 0.0
