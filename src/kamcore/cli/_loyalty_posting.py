"""Imported invoices earn their loyalty points, in the import's own transaction.

An invoice imported for a client that is a loyalty member (a membership
imported with it or already stored) is posted to the membership's ledger with
:func:`kamcore.loyalty.sync_invoice`, as ``kamcore`` posts an invoice it
issues: earned at the tier multiplier of its issue date, confirmed once paid
(``earn on payment``), reversed by its credit notes, withdrawn if cancelled.
Invoices are posted oldest first. Posting is idempotent: a ledger imported
with the entries of an invoice already gets nothing more for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs

from kamcore.cli._cross_checks import Fetch, lookup, shown
from kamcore.errors import KamcoreError
from kamcore.kernel import CategoryId, ProductId
from kamcore.loyalty import sync_invoice

__all__ = ["Posting", "post_invoices"]


@attrs.frozen
class Posting:
    """What posting the imported invoices gives.

    Attributes:
        records: The records to write, imported memberships with their new
            entries.
        updates: Stored memberships with new entries, to save.
        posted: How many invoices were posted to a membership.
        messages: What could not be posted, and why.
    """

    records: list[Any]
    updates: list[Any]
    posted: int
    messages: list[str]


def post_invoices(records: Sequence[Any], fetch: Fetch, at: dt.datetime) -> Posting:
    """Post every imported invoice of a member to its membership's ledger.

    Args:
        records: The checked records to import.
        fetch: Finds stored records of a kind by id.
        at: When the entries are written.
    """
    invoices = sorted(
        (r for r in records if r.kind == "invoices"),
        key=lambda r: (r.entity.issue_date, r.entity.id),
    )
    clients = lookup(records, fetch, "clients", (r.entity.client for r in invoices))
    wanted = {c.membership for c in clients.values() if c.membership is not None}
    current = lookup(records, fetch, "memberships", wanted)
    if not current:
        return Posting(list(records), [], 0, [])
    programmes = lookup(
        records, fetch, "programmes", (m.programme for m in current.values())
    )
    products = lookup(
        records,
        fetch,
        "products",
        (line.product for r in invoices for line in r.entity.lines),
    )
    categories = {
        ProductId(ident): CategoryId(product.category)
        for ident, product in products.items()
    }
    changed: set[str] = set()
    messages: list[str] = []
    posted = 0
    for record in invoices:
        membership_id = clients[record.entity.client].membership
        if membership_id is None or membership_id not in current:
            continue
        membership = current[membership_id]
        try:
            after = sync_invoice(
                membership,
                programmes[membership.programme],
                record.entity,
                categories=categories,
                at=at,
            )
        except KamcoreError as error:
            messages.append(
                f"{record.origin.at('')}: cannot earn loyalty points on "
                f"membership {shown(membership_id)}: {str(error).splitlines()[0]}"
            )
            continue
        posted += 1
        if after != membership:
            current[membership_id] = after
            changed.add(membership_id)
    imported = {r.entity.id for r in records if r.kind == "memberships"}
    kept = [
        attrs.evolve(r, entity=current[r.entity.id])
        if r.kind == "memberships" and r.entity.id in changed
        else r
        for r in records
    ]
    updates = [current[i] for i in sorted(changed - imported)]
    return Posting(kept, updates, posted, messages)
