"""Exit statuses follow sysexits everywhere, with no traceback on any signal at any moment."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flashpoint.cli.statuses import (
    EX_CANTCREAT,
    EX_DATAERR,
    EX_INTERRUPTED,
    EX_IOERR,
    EX_NOINPUT,
    EX_SOFTWARE,
    EX_TEMPFAIL,
    EX_UNAVAILABLE,
    EX_USAGE,
    status_of,
)

from .test_cli import flashpoint


@pytest.fixture(scope="module")
def seeded_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("seeded") / "flashpoint.db"
    assert flashpoint("demo", db=db).returncode == 0
    return db


READY_HOOK = """
import os
fd = os.environ.pop("FLASHPOINT_TEST_READY_FD", None)
if fd:
    os.write(int(fd), b".")
    os.close(int(fd))
"""


@pytest.fixture(scope="module")
def ready_hook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sitecustomize that says when Python's own start-up is over (the tests' clock starts there)."""
    folder = tmp_path_factory.mktemp("hook")
    (folder / "sitecustomize.py").write_text(READY_HOOK)
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("entry", ["script", "module"])
@pytest.mark.parametrize("delay", [0.02, 0.03, 0.04, 0.07, 0.1, 0.15, 0.25, 0.4])
def test_ctrl_c_at_any_moment_of_start_up_is_130_without_a_traceback(
    seeded_log: Path, ready_hook: Path, entry: str, delay: float
) -> None:
    """From the moment Python's own start-up is over (before that the interpreter, not
    flashpoint, is running), through the imports, catching up and answering."""
    script = Path(sys.executable).with_name("flashpoint")
    if entry == "script" and not script.exists():
        pytest.skip("the console script is not installed beside this Python")
    command = [str(script)] if entry == "script" else [sys.executable, "-m", "flashpoint"]
    ready, told = os.pipe()
    process = subprocess.Popen(
        [*command, "escalation", "--json"],
        env={
            **os.environ,
            "FLASHPOINT_DB": str(seeded_log),
            "PYTHONPATH": str(ready_hook),
            "FLASHPOINT_TEST_READY_FD": str(told),
        },
        pass_fds=(told,),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(told)
    assert os.read(ready, 1) == b"."
    os.close(ready)
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)

    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    if process.returncode == 0:  # it had finished before the signal came
        assert stdout.startswith("{")
    else:
        # 130, or death by SIGINT itself (which a shell also shows as 130): CPython ends that way
        # when the interrupt passed through a C extension's code, even though flashpoint caught it.
        assert process.returncode in (EX_INTERRUPTED, -signal.SIGINT), (process.returncode, stderr)
        assert stderr.strip() == "interrupted", stderr


def test_a_full_stdout_is_an_io_error(seeded_log: Path) -> None:
    if not Path("/dev/full").is_char_device():
        pytest.skip("this system has no /dev/full device")
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "flashpoint", "log", "--json"],
            env={**os.environ, "FLASHPOINT_DB": str(seeded_log)},
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )

    assert result.returncode == EX_IOERR
    assert result.stderr.strip() == "error: cannot write the output: No space left on device"


def test_a_closed_stdout_is_an_io_error(seeded_log: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "flashpoint", "escalation", "--summary"],
        env={**os.environ, "FLASHPOINT_DB": str(seeded_log)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        preexec_fn=lambda: os.close(1),
    )

    assert result.returncode == EX_IOERR, result.stderr
    assert result.stderr.strip().splitlines() == ["error: cannot write the output: standard output is closed"]


def test_a_pipe_closed_by_the_reader_ends_quietly(seeded_log: Path) -> None:
    """``| head``: nothing said (the reader asked for no more); status 1 by click's convention when the
    write failed, 0 when the output fitted in the pipe before the reader left."""
    result = subprocess.run(
        f"'{sys.executable}' -m flashpoint log --json | head -c 10 >/dev/null; exit ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        env={**os.environ, "FLASHPOINT_DB": str(seeded_log)},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode in (0, 1) and result.stderr == ""


def test_a_usage_error_is_64_with_the_command_to_ask_for_help(seeded_log: Path) -> None:
    unknown_option = flashpoint("escalation", "--knwon-on", "2021-06-27", db=seeded_log)
    unknown_command = flashpoint("escalate", db=seeded_log)

    assert unknown_option.returncode == EX_USAGE and unknown_command.returncode == EX_USAGE
    assert unknown_option.stderr.startswith("error: No such option '--knwon-on'. Did you mean '--known-on'?")
    assert len(unknown_option.stderr.strip().splitlines()) == 1


def test_a_missing_extra_is_69(seeded_log: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "matplotlib.py").write_text("raise ImportError('no matplotlib here')\n")

    result = subprocess.run(
        [sys.executable, "-m", "flashpoint", "chart", "--out", str(tmp_path / "x.png")],
        env={**os.environ, "FLASHPOINT_DB": str(seeded_log), "PYTHONPATH": str(blocker)},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == EX_UNAVAILABLE, result.stderr
    assert "pip install 'flashpoint[charts]'" in result.stderr and not (tmp_path / "x.png").exists()


def test_a_lock_held_past_the_timeout_is_75(seeded_log: Path, tmp_path: Path) -> None:
    report = tmp_path / "r.yaml"
    report.write_text(
        "id: late-drone\nkind: drone_attack\noccurred: 2021-07-01\nreported: 2021-07-01\n"
        "actor: Kata'ib Hezbollah\ntarget: [Erbil air base]\n"
    )
    holder = sqlite3.connect(seeded_log, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "flashpoint", "append", str(report)],
            env={**os.environ, "FLASHPOINT_DB": str(seeded_log), "FLASHPOINT_LOCK_TIMEOUT": "1"},
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    assert result.returncode == EX_TEMPFAIL, result.stderr
    assert "locked" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_the_table_gives_each_error_type_its_status() -> None:
    import click
    from eventsourcing.persistence import OperationalError
    from flashpoint.app import WriterContention
    from flashpoint.chart import ChartsUnavailable
    from flashpoint.domain.errors import InvalidValue
    from flashpoint.domain.installation import NotAnAttack
    from flashpoint.reports.files import BadReport, MissingFile
    from flashpoint.storage.outputs import OutputRefused, UnusableLog
    from flashpoint.storage.stores import BadStore

    cases: list[tuple[BaseException, int]] = [
        (KeyboardInterrupt(), EX_INTERRUPTED),
        (click.UsageError("x"), EX_USAGE),
        (BadStore("x"), EX_USAGE),
        (BadReport("f.yaml", "r", "id", "x"), EX_DATAERR),
        (InvalidValue("killed", "x"), EX_DATAERR),
        (MissingFile("x.yaml", "no such file"), EX_NOINPUT),
        (ChartsUnavailable("x"), EX_UNAVAILABLE),
        (OutputRefused("x"), EX_CANTCREAT),
        (UnusableLog("x"), EX_IOERR),
        (OSError(28, "No space left on device"), EX_IOERR),
        (sqlite3.OperationalError("disk I/O error"), EX_IOERR),
        (OperationalError("x"), EX_IOERR),
        (WriterContention("x"), EX_TEMPFAIL),
        (NotAnAttack("'statement' is not an attack on an installation"), EX_DATAERR),
        (ZeroDivisionError(), EX_SOFTWARE),
    ]

    assert [(type(error).__name__, status_of(error)) for error, _ in cases] == [
        (type(error).__name__, status) for error, status in cases
    ]


def test_ctrl_c_that_python_wrapped_in_another_error_is_still_130(capsys: pytest.CaptureFixture[str]) -> None:
    """A Ctrl-C landing while a class is built during start-up reaches the handler as
    ``RuntimeError: Error calling __set_name__ …`` caused by the KeyboardInterrupt (seen in CI: 70)."""
    import signal

    from flashpoint.cli.statuses import report

    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as interrupt:
            raise RuntimeError("Error calling __set_name__ on 'cached_property' instance") from interrupt
    except RuntimeError as wrapped:
        previous = signal.getsignal(signal.SIGINT)
        try:
            assert report(wrapped) == 130
        finally:
            signal.signal(signal.SIGINT, previous)
    assert capsys.readouterr().err.strip() == "interrupted"
