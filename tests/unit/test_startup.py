"""What the command line imports at start-up, and what it leaves as it found it."""

from __future__ import annotations

import subprocess
import sys

import pytest


def run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_sqlite_utils_loads_without_pandas_and_numpy_which_stay_importable() -> None:
    pytest.importorskip("numpy")
    shown = run(
        "import sys\n"
        "from flashpoint.cli import without_dataframe_libraries\n"
        "without_dataframe_libraries()\n"
        "import sqlite_utils\n"
        "print('numpy' in sys.modules, 'pandas' in sys.modules)\n"
        "import numpy\n"
        "print(numpy.__name__)\n"
    )
    assert shown.splitlines() == ["False False", "numpy"]


def test_numpy_loaded_before_sqlite_utils_is_the_same_module_after() -> None:
    """``chart`` loads numpy (matplotlib) before sqlite-utils: it must not be dropped and loaded twice."""
    pytest.importorskip("numpy")
    shown = run(
        "import sys, warnings\n"
        "warnings.simplefilter('error')\n"
        "from flashpoint.cli import without_dataframe_libraries\n"
        "without_dataframe_libraries()\n"
        "import numpy\n"
        "first = sys.modules['numpy']\n"
        "import sqlite_utils\n"
        "print(sys.modules.get('numpy') is first)\n"
    )
    assert shown == "True"
