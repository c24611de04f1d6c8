"""The per-writer token bucket, on a fake clock."""

from __future__ import annotations

import pytest

from spelltune.serve.rate_limit import RateLimiter


def test_a_bucket_allows_its_burst_then_refills_at_the_rate():
    now = [0.0]
    limiter = RateLimiter(per_minute=60, burst=3, clock=lambda: now[0])
    assert [limiter.take("ann") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.take("ann") == pytest.approx(1.0)
    assert limiter.take("bob") == 0.0  # buckets are per key
    now[0] = 0.5
    assert limiter.take("ann") == pytest.approx(0.5)
    now[0] = 1.0
    assert limiter.take("ann") == 0.0 and limiter.take("ann") > 0
    now[0] = 100.0
    assert [limiter.take("ann") for _ in range(4)][-1] > 0  # refills to the burst, never past it


def test_a_zero_rate_means_no_limit():
    limiter = RateLimiter(per_minute=0, burst=1)
    assert not limiter.enabled and all(limiter.take("ann") == 0.0 for _ in range(1000))
