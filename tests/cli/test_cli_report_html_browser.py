"""The HTML report in a real browser: headless Chromium from Debian's
``chromium`` package, driven over the DevTools protocol with the standard
library (:mod:`cli.browser_support`).

The page that docs/cli.md's example makes loads with the page's scripts
disabled and without one error or warning in the browser's console, and
docs/images/report-html.png is its screenshot, so the docs cannot drift from
the code. Pixels depend on Chromium and the fonts installed, so they are not
compared: the committed image must have the width of a fresh screenshot, its
height give or take the machine's fonts, and stay small. Set
``KAMCORE_WRITE_DOC_IMAGES=1`` to write it again after changing the page.

Without Chromium these tests are skipped, saying why, unless
``KAMCORE_REQUIRE_BROWSER=1`` (as ``.ci/run`` sets it): then they fail.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.browser_support import Browser, chromium
from cli.html_support import PLAIN_NAMES, DemoStore, Names

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "cli.md"
IMAGE = ROOT / "docs" / "images" / "report-html.png"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
WIDTH = 960
"""The window's width in CSS pixels."""
SCALE = 0.75
"""The screenshot's pixels per CSS pixel: 720 pixels wide, as the docs show it."""
MAX_BYTES = 300_000
WRITE = os.environ.get("KAMCORE_WRITE_DOC_IMAGES") == "1"
REQUIRED = os.environ.get("KAMCORE_REQUIRE_BROWSER") == "1"

COUNT_ELEMENTS = "document.getElementsByTagName('*').length"
FORBIDDEN = (
    "document.querySelectorAll('script, img, iframe, object, embed, link').length"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the module's pages."""
    executable = chromium()
    if executable is None:
        reason = (
            "no Chromium to check the HTML report in a real browser "
            "(apt-get install chromium)"
        )
        if REQUIRED:
            pytest.fail(f"KAMCORE_REQUIRE_BROWSER=1, but {reason}")
        pytest.skip(reason)
    with Browser(executable) as started:
        yield started


def _docs_page() -> str:
    """The page docs/cli.md's example makes (every block run in order, as
    the docs test does)."""
    namespace: dict[str, object] = {"__name__": "docs_cli_report_html"}
    for number, block in enumerate(BLOCK.findall(PAGE.read_text("utf-8")), 1):
        exec(compile(block, f"cli.md block {number}", "exec"), namespace)  # noqa: S102 - our own docs
    page = namespace["monday"]
    assert isinstance(page, str)
    return page


def _size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(png[16:20]), int.from_bytes(png[20:24])


def test_the_docs_page_loads_cleanly_and_is_the_docs_screenshot(
    browser: Browser, tmp_path: Path
) -> None:
    file = tmp_path / "monday.html"
    file.write_text(_docs_page(), encoding="utf-8")
    loaded = browser.load(file.as_uri(), width=WIDTH, scale=SCALE)
    assert loaded.console == []
    assert loaded.title == "Weekly report: All key accounts, 23 Nov 2026"
    fresh = loaded.png
    (tmp_path / IMAGE.name).write_bytes(fresh)
    assert _size(fresh) == (int(WIDTH * SCALE), int(loaded.size[1] * SCALE))
    if WRITE:
        IMAGE.write_bytes(fresh)
    committed = IMAGE.read_bytes()
    # The width is the page's; the height follows the fonts the machine has,
    # which may differ a little from the machine that wrote the image.
    (width, height), (fresh_width, fresh_height) = _size(committed), _size(fresh)
    assert width == fresh_width, "run the test with KAMCORE_WRITE_DOC_IMAGES=1"
    assert abs(height - fresh_height) <= fresh_height * 0.15, (
        "docs/images/report-html.png is not the screenshot of the page: "
        "run the test with KAMCORE_WRITE_DOC_IMAGES=1"
    )
    assert len(committed) < MAX_BYTES
    assert f"](images/{IMAGE.name})" in PAGE.read_text("utf-8")


def _hostile(count: int) -> tuple[str, ...]:
    return tuple(
        f'</td></svg><script>alert({n})</script><img src="https://x.example">&'
        for n in range(count)
    )


HOSTILE_NAMES = Names(
    clients=_hostile(len(PLAIN_NAMES.clients)),
    products=_hostile(len(PLAIN_NAMES.products)),
    opportunities=_hostile(len(PLAIN_NAMES.opportunities)),
    contracts=_hostile(len(PLAIN_NAMES.contracts)),
    manager=_hostile(1)[0],
    programme=_hostile(1)[0],
    tiers=_hostile(len(PLAIN_NAMES.tiers)),
)
"""Markup, a script and a remote image in every name."""


def test_hostile_names_are_text_in_the_browser(
    browser: Browser, tmp_path: Path
) -> None:
    store = DemoStore()
    counts = []
    for kind, names in [("plain", PLAIN_NAMES), ("hostile", HOSTILE_NAMES)]:
        store.rename(names)
        file = tmp_path / f"{kind}.html"
        file.write_text(store.page(), encoding="utf-8")
        loaded = browser.load(
            file.as_uri(), width=WIDTH, evaluate=[COUNT_ELEMENTS, FORBIDDEN]
        )
        assert (kind, loaded.console) == (kind, [])
        counts.append(loaded.values)
    elements = counts[0][0]
    assert counts == [[elements, 0], [elements, 0]]


def test_the_console_check_sees_a_refused_load(
    browser: Browser, tmp_path: Path
) -> None:
    # The check must be able to fail: a page whose policy refuses its image.
    file = tmp_path / "refused.html"
    file.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
        '<title>t</title></head><body><img src="https://x.example/a.png" alt="">'
        "</body></html>",
        encoding="utf-8",
    )
    loaded = browser.load(file.as_uri(), width=WIDTH)
    assert len(loaded.console) == 1
    assert loaded.console[0].startswith("error: ")
    assert "Content Security Policy" in loaded.console[0]
