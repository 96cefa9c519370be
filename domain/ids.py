"""Deterministic aggregate ids from natural keys, computed once per key."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from uuid import NAMESPACE_URL, UUID

_NAMESPACE = NAMESPACE_URL.bytes
_VERSION_BITS = ~((0xF000 << 64) | (0xC000 << 48))
_VERSION_5 = (5 << 76) | (0x8000 << 48)  # version 5, RFC 4122 variant


def fresh_natural_id(kind: str, key: str) -> UUID:
    """``uuid5(NAMESPACE_URL, "/kind/key")``: the same name always names the same aggregate.

    Spelled out (the same SHA-1 and bits as ``uuid.uuid5``; a test holds them equal) because
    the stdlib's goes through ``UUID(bytes=..., version=5)``, slower for one id per report.
    """
    digest = hashlib.sha1(_NAMESPACE + f"/{kind}/{key}".encode(), usedforsecurity=False).digest()
    return UUID(int=int.from_bytes(digest[:16], "big") & _VERSION_BITS | _VERSION_5)


# Names that recur (installations, groups) are cached; one-off keys such as report ids
# use fresh_natural_id, so that a 100,000-report append does not churn the cache.
natural_id = lru_cache(maxsize=65_536)(fresh_natural_id)
