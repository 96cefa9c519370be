"""Bulk work without the cyclic garbage collector.

An append or a file load builds hundreds of thousands of small objects that all stay
alive until the work is done. Python's collector, triggered by allocation counts, then
scans that growing heap again and again and finds nothing to free: a quarter of an
append's time went there. The work creates no reference cycles worth collecting early,
so the collector is paused for its duration and resumes (as it was) afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
