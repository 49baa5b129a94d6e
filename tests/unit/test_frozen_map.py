"""FrozenMap: read-only, picklable, hashable."""

from __future__ import annotations

import pickle

import pytest

from kamcore.kernel import FrozenMap


def test_it_reads_like_the_mapping_it_was_built_from() -> None:
    frozen = FrozenMap({"b": 2, "a": 1})
    assert frozen["a"] == 1
    assert list(frozen) == ["b", "a"]
    assert len(frozen) == 2
    assert frozen == {"a": 1, "b": 2}
    assert dict(frozen.items()) == {"b": 2, "a": 1}
    with pytest.raises(KeyError):
        frozen["c"]


def test_it_cannot_be_changed_nor_changed_through_its_source() -> None:
    source = {"a": 1}
    frozen = FrozenMap(source)
    source["a"] = 99
    assert frozen["a"] == 1
    with pytest.raises(TypeError):
        frozen["a"] = 2  # type: ignore[index]  # on purpose


def test_it_pickles_and_hashes() -> None:
    frozen = FrozenMap({"a": 1, "b": 2})
    copy = pickle.loads(pickle.dumps(frozen))  # noqa: S301 - our own bytes
    assert copy == frozen
    assert isinstance(copy, FrozenMap)
    assert hash(copy) == hash(FrozenMap({"b": 2, "a": 1}))
    assert repr(FrozenMap({"a": 1})) == "FrozenMap({'a': 1})"
    assert FrozenMap() == {}
