"""docs/images/*.png: drawn from the charts of docs/metrics.md, so they cannot
drift from the code.

Pixels depend on the matplotlib and FreeType versions, so they are not
compared: each committed image must exist, have the pixel size of a fresh
drawing (the figure's size at the charts' dpi) and stay small. Set
``KAMCORE_WRITE_DOC_IMAGES=1`` to write them again after changing a chart.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

from matplotlib.figure import Figure

from kamcore.plot import loyalty_standing
from plot.chart_samples import membership

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "metrics.md"
IMAGES = ROOT / "docs" / "images"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
MAX_BYTES = 60_000
WRITE = os.environ.get("KAMCORE_WRITE_DOC_IMAGES") == "1"


def _doc_charts() -> dict[str, Figure]:
    """The ``charts`` of the page's examples (every block run in order, as the
    docs test does), and the loyalty standing of the chart tests."""
    namespace: dict[str, object] = {"__name__": "docs_metrics_images"}
    for number, block in enumerate(BLOCK.findall(PAGE.read_text("utf-8")), 1):
        exec(compile(block, f"metrics.md block {number}", "exec"), namespace)  # noqa: S102 - our own docs
    charts = namespace["charts"]
    assert isinstance(charts, dict)
    return {**charts, "loyalty": loyalty_standing(membership(), name="Acme")}


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def _size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(png[16:20]), int.from_bytes(png[20:24])


def test_the_docs_images_are_the_charts_of_the_docs() -> None:
    charts = _doc_charts()
    linked = set(re.findall(r"\]\(images/(\w+)\.png\)", PAGE.read_text("utf-8")))
    assert linked == set(charts)
    for name, figure in charts.items():
        fresh = _png(figure)
        path = IMAGES / f"{name}.png"
        if WRITE:
            IMAGES.mkdir(exist_ok=True)
            path.write_bytes(fresh)
        committed = path.read_bytes()
        assert (name, _size(committed)) == (name, _size(fresh))
        assert len(committed) < MAX_BYTES, name
