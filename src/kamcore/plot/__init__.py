"""Charts of the metrics and the loyalty standing, as matplotlib figures.

Needs the ``plot`` extra (``pip install kamcore[plot]``: matplotlib). Every
function returns a :class:`matplotlib.figure.Figure` built with the object
API on its own Agg canvas: no pyplot, no global state, safe in a server.
Save one with ``figure.savefig("chart.png")``; show it in a notebook by
leaving it as a cell's value.

Amounts are drawn from the exact ``Decimal`` figures (a float only for the
drawing), every amount a person reads is the exact ``Money`` formatted with
Babel for the locale, and each axis names its currency. See
``docs/metrics.md``.
"""

try:
    import matplotlib  # noqa: F401 - only to say what is missing
except ImportError as missing:  # pragma: no cover - depends on the install
    msg = "kamcore.plot needs matplotlib: pip install 'kamcore[plot]'"
    raise ImportError(msg) from missing

from kamcore.plot._canvas import DPI
from kamcore.plot._decline import decline_chart
from kamcore.plot._loyalty import POINT_KINDS, loyalty_standing
from kamcore.plot._ranking import ranking_chart
from kamcore.plot._renewals import renewal_calendar
from kamcore.plot._trend import monthly_sums, monthly_trend

__all__ = [
    "DPI",
    "POINT_KINDS",
    "decline_chart",
    "loyalty_standing",
    "monthly_sums",
    "monthly_trend",
    "ranking_chart",
    "renewal_calendar",
]
