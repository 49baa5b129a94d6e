"""Shared pytest configuration: Hypothesis profiles.

Pick one with ``KAMCORE_HYPOTHESIS_PROFILE``: ``dev`` (default, quick),
``ci`` (derandomised, so a CI run is reproducible) or ``thorough`` (for a
long hunt before a release).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=60, deadline=None)
# CI runs the same examples as development, derandomised; the suite has grown
# to thousands of tests and must stay well under ten minutes on two cores. The
# thorough profile is the long hunt.
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("KAMCORE_HYPOTHESIS_PROFILE", "dev"))
