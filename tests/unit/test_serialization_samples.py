"""Every aggregate's full conformance sample survives JSON and back unchanged."""

from __future__ import annotations

from typing import Any

import pytest

from kamcore.serialization import from_json, to_json
from kamcore.testing._kinds import KINDS, AggregateKind


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_full_sample_round_trips_through_json(kind: AggregateKind[Any]) -> None:
    sample = kind.sample("x-1")
    assert from_json(to_json(sample), kind.type) == sample
