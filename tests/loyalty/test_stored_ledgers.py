"""Memberships stored before the ledger gained fields are read as they were."""

from __future__ import annotations

import json

import attrs

from kamcore.loyalty import EntryKind, Membership
from kamcore.serialization import from_json, to_json
from kamcore.testing._loyalty_kinds import full_membership

NEW_ENTRY_FIELDS = ("returns", "base", "invoice", "corrects")
"""The ledger entry fields added since the first stored ledgers, each with a
default that means what a ledger without it meant."""


def as_stored_before() -> Membership:
    """A membership whose entries are of the kinds that existed then, with
    the newer fields at their defaults."""
    current = full_membership("ms-1")
    old_kinds = [
        attrs.evolve(e, base=None, invoice=None)
        for e in current.entries
        if e.kind not in (EntryKind.RETURN, EntryKind.CORRECT)
    ]
    return attrs.evolve(current, entries=tuple(old_kinds))


def test_a_ledger_stored_without_the_newer_entry_fields_reads_the_same() -> None:
    old = as_stored_before()
    stored = json.loads(to_json(old))
    for entry in stored["entries"]:
        for field in NEW_ENTRY_FIELDS:
            del entry[field]
    assert from_json(json.dumps(stored), Membership) == old
