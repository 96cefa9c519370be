"""A pytest plugin for mutation runs only (scripts/mutation loads it with ``-p``).

flashpoint keeps parsed days and occurrences in ``functools.lru_cache`` wrappers
(``flashpoint.domain.dates``), and actor lookups likewise. Across the tests of one process
such a cache hides calls: the second test that parses "2021-06-01/2021-06-11" is answered
from the cache without calling the parser. mutmut learns which tests reach a function by
recording the calls in one run of all the tests, and then runs only those tests against each
of that function's mutants; a test whose call the cache swallowed is never run against them,
and the mutants survive tests that would have killed them. Emptying every flashpoint cache
before each test makes each test call what it uses.

It also loads a hypothesis profile without the shrink phase (see below).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from hypothesis import Phase, settings

# A mutant is killed by the first failing example; shrinking it to a minimal one (many
# more runs of the test, tens of seconds for the property tests) changes no verdict. And no
# example database: each mutant is judged on the seeded examples alone, not on the failures
# another mutant left behind.
settings.register_profile("mutation", phases=(Phase.explicit, Phase.generate), database=None)
settings.load_profile("mutation")


def _flashpoint_caches() -> Iterator[object]:
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "flashpoint" or name.startswith("flashpoint.")):
            continue
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)) and callable(getattr(value, "cache_info", None)):
                yield value


@pytest.fixture(autouse=True)
def _empty_flashpoint_caches() -> Iterator[None]:
    for cache in _flashpoint_caches():
        cache.cache_clear()  # type: ignore[attr-defined]
    yield
