"""Per-writer request limits: a token bucket per writer, refilled at `per_minute`, holding `burst` at most.

The buckets live in this process: behind a load balancer, each replica limits on its own, so a writer
may make up to (replicas x the limit) requests; set the limit per replica accordingly.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    """`take(key)` spends one request of `key`'s bucket: 0.0 when allowed, else the seconds until one is."""

    def __init__(self, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic):
        self.per_second = per_minute / 60.0
        self.burst = max(1, burst)
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[object, tuple[float, float]] = {}  # key -> (tokens, when counted)

    @property
    def enabled(self) -> bool:
        """False when the limit is 0 (no limit)."""
        return self.per_second > 0

    def take(self, key: object) -> float:
        """Spend one request of `key` if it has one; else how long until it will."""
        if not self.enabled:
            return 0.0
        now = self._clock()
        with self._lock:
            tokens, then = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - then) * self.per_second)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.per_second
