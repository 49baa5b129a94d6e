"""Memberships stored before the ledger gained fields are read as they were."""

from __future__ import annotations

import json

from kamcore.loyalty import Membership
from kamcore.serialization import from_json, to_json
from kamcore.testing._loyalty_kinds import full_membership

NEW_ENTRY_FIELDS = ("returns",)
"""The ledger entry fields added since the first stored ledgers, each with a
default that means what a ledger without it meant."""


def test_a_ledger_stored_without_the_newer_entry_fields_reads_the_same() -> None:
    current = full_membership("ms-1")
    stored = json.loads(to_json(current))
    for entry in stored["entries"]:
        for field in NEW_ENTRY_FIELDS:
            if not entry[field]:
                del entry[field]
    assert from_json(json.dumps(stored), Membership) == current
