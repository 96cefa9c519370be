"""flashpoint serve as an analyst sees it: screenshots in headless Chromium, and the pages behind them.

Skipped, with the reason, when no Chromium is installed (``apt-get install chromium`` on Debian;
``.ci/run`` installs it). Chromium is kept off the network (only 127.0.0.1 resolves), so the
map's tiles stay blank here: fetching them is the browser's business, not flashpoint's. With
``FLASHPOINT_SCREENSHOTS=DIR`` set, a copy of each screenshot is left in DIR.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import struct
import subprocess
import sys
import urllib.request
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flashpoint.cli import main

CHROMIUM = next(
    (found for name in ("chromium", "chromium-browser", "google-chrome", "chrome") if (found := shutil.which(name))),
    None,
)
WIDTH, HEIGHT = 1400, 1000

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium to take screenshots with (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``flashpoint serve -p 0`` on the demo log: the base URL it announces on stderr."""
    pytest.importorskip("datasette")
    db = tmp_path_factory.mktemp("screens") / "flashpoint.db"
    assert CliRunner().invoke(main, ["--db", str(db), "demo"]).exit_code == 0
    server = subprocess.Popen(
        [sys.executable, "-m", "flashpoint", "--db", str(db), "serve", "-p", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stderr is not None
        ready, _, _ = select.select([server.stderr], [], [], 60)
        line = server.stderr.readline() if ready else ""
        announced = re.search(r"at (http://127\.0\.0\.1:\d+)/flashpoint ", line)
        assert announced, f"serve did not announce its port: {line!r}"
        yield announced.group(1)
    finally:
        server.terminate()
        server.wait(timeout=30)


def screenshot(url: str, out: Path) -> Path:
    """``url`` in headless Chromium, off the network but for 127.0.0.1, after its scripts have run."""
    assert CHROMIUM is not None
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",  # CI runs as root
            "--disable-gpu",
            "--hide-scrollbars",
            f"--user-data-dir={out.parent / 'chromium-profile'}",
            f"--window-size={WIDTH},{HEIGHT}",
            "--virtual-time-budget=15000",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            f"--screenshot={out}",
            url,
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    kept = os.environ.get("FLASHPOINT_SCREENSHOTS")
    if kept:
        Path(kept).mkdir(parents=True, exist_ok=True)
        shutil.copy(out, Path(kept) / out.name)
    return out


def colours(png: Path) -> tuple[int, int, int]:
    """Width, height and the number of distinct bytes in a PNG's pixel rows (a blank page has a handful)."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{png} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        if data[at + 4 : at + 8] == b"IDAT":
            chunks.append(data[at + 8 : at + 8 + length])
        at += 12 + length
    return width, height, len(set(zlib.decompress(b"".join(chunks))))


def html(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


PAGES = {
    "home": "/",
    "database": "/flashpoint",
    "acts": "/flashpoint/acts",
    "claims": "/flashpoint/claims",
    "act": "/flashpoint/acts/erbil-rockets-2021-02-15",
    "timeline": "/flashpoint/timeline?to=2021-06-30&known_on=2021-06-28",
    "estimates": "/flashpoint/estimates?known_on=2021-02-21",
    "refused": "/flashpoint/timeline?to=2021-02-31",
}


@pytest.mark.parametrize("name", PAGES)
def test_each_page_renders_something_an_analyst_can_read(served: str, name: str, tmp_path: Path) -> None:
    shot = screenshot(served + PAGES[name], tmp_path / f"{name}.png")

    width, height, distinct = colours(shot)
    assert (width, height) == (WIDTH, HEIGHT)
    assert distinct > 16, f"{shot} looks blank ({distinct} distinct bytes)"


def test_the_home_page_offers_the_read_models_alone_with_bookkeeping_hidden(served: str) -> None:
    home, database = html(served + "/"), html(served + "/flashpoint")

    assert "_memory" not in home and "_memory" not in database
    assert "_sqlite_migrations" not in home and "_sqlite_migrations" not in database.split("hidden tables")[0]
    assert 'href="/flashpoint/acts"' in database and 'href="/flashpoint/timeline"' in database


def test_a_canned_query_shows_its_answer_not_its_sql(served: str) -> None:
    page = html(served + PAGES["timeline"])

    assert '<pre id="sql-query"' not in page and "FROM acts" not in page  # (the Edit SQL link carries it encoded)
    assert page.index('name="to"') < page.index('name="known_on"')
    assert "<title>flashpoint: Escalation timeline at a cut</title>" in page


def test_the_map_of_the_acts_is_drawn_when_the_plugin_is_installed(served: str, tmp_path: Path) -> None:
    pytest.importorskip(
        "datasette_cluster_map", reason="the map extra is not installed (pip install 'flashpoint[map]')"
    )
    shot = screenshot(served + "/flashpoint/acts", tmp_path / "map.png")

    assert colours(shot)[2] > 16
    assert "datasette-cluster-map.js" in html(served + "/flashpoint/acts")
    markers = html(served + "/flashpoint/acts.json?_shape=array&_col=lat&_col=lon&lat__notblank=1")
    assert '"lat": 36.19' in markers  # the Erbil attack, where the demo's reports place it
