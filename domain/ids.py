"""Deterministic aggregate ids from natural keys, computed once per key."""

from __future__ import annotations

from functools import lru_cache
from uuid import NAMESPACE_URL, UUID, uuid5


def fresh_natural_id(kind: str, key: str) -> UUID:
    """``uuid5`` of ``/kind/key``: the same name always names the same aggregate."""
    return uuid5(NAMESPACE_URL, f"/{kind}/{key}")


# Names that recur (installations, groups) are cached; one-off keys such as report ids
# use fresh_natural_id, so that a 100,000-report append does not churn the cache.
natural_id = lru_cache(maxsize=65_536)(fresh_natural_id)
