"""Deterministic aggregate ids from natural keys, computed once per key."""

from __future__ import annotations

from functools import lru_cache
from uuid import NAMESPACE_URL, UUID, uuid5


@lru_cache(maxsize=65_536)
def natural_id(kind: str, key: str) -> UUID:
    """``uuid5`` of ``/kind/key``: the same name always names the same aggregate."""
    return uuid5(NAMESPACE_URL, f"/{kind}/{key}")
