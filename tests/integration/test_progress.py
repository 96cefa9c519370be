"""Progress bars on stderr when it is a terminal, and silence when it is not."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import drone_attack


def many_reports(path: Path, count: int) -> Path:
    reports = [drone_attack(f"drone-{n}", occurred="2021-06-01", reported="2021-06-02") for n in range(count)]
    path.write_text(json.dumps(reports), encoding="utf-8")
    return path


def run_on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run with stderr on a pseudo-terminal (stdout piped); return the exit status and what the terminal saw."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=terminal, env=env)
    os.close(terminal)
    seen = bytearray()
    while True:
        ready, _, _ = select.select([controller], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen.extend(chunk)
    process.communicate(timeout=120)
    os.close(controller)
    return process.returncode, seen.decode("utf-8", "replace")


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_a_long_append_on_a_terminal_shows_progress(tmp_path: Path) -> None:
    reports = many_reports(tmp_path / "many.json", 4000)
    env = {**os.environ, "FLASHPOINT_DB": str(tmp_path / "log.db"), "TERM": "xterm-256color", "COLUMNS": "100"}

    status, terminal = run_on_a_terminal([sys.executable, "-m", "flashpoint", "append", str(reports)], env)

    assert status == 0, terminal
    assert "validating many.json" in terminal
    assert "appending" in terminal
    assert "appended 4000 report(s)" in terminal


def test_progress_stays_off_stderr_when_it_is_not_a_terminal(tmp_path: Path) -> None:
    reports = many_reports(tmp_path / "many.json", 2000)
    env = {**os.environ, "FLASHPOINT_DB": str(tmp_path / "log.db")}

    result = subprocess.run(
        [sys.executable, "-m", "flashpoint", "append", str(reports)], capture_output=True, text=True, env=env
    )

    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("appended 2000 report(s), ")
    assert "\x1b" not in result.stderr and "validating" not in result.stderr
