"""Bulk work without the cyclic garbage collector.

An append or a file load builds hundreds of thousands of small objects that all stay
alive until the work is done. Python's collector, triggered by allocation counts, then
scans that growing heap again and again and finds nothing to free: a quarter of an
append's time went there. The work creates no reference cycles worth collecting early,
so the collector is paused for its duration and resumes (as it was) afterwards.

A big file's validated reports then live on until they are appended; the first
collection after the pause would still scan every one of them (5% of a 100,000-report
append). ``pause.long_lived()`` says so, and on a successful exit the collector is told,
with ``gc.freeze()``, to leave every object alive at that moment out of its scans. They
are still freed as usual when no longer referenced; only a reference cycle among them
would outlive its use, which is why small loads (and failed ones) do not freeze.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


class Pause:
    def __init__(self) -> None:
        self.freeze = False

    def long_lived(self, really: bool = True) -> None:
        """What was built during the pause will live on: do not scan it again (see the module)."""
        self.freeze = really


@contextmanager
def paused_gc() -> Iterator[Pause]:
    was_enabled = gc.isenabled()
    gc.disable()
    pause = Pause()
    try:
        yield pause
        if pause.freeze:
            gc.freeze()
    finally:
        if was_enabled:
            gc.enable()
