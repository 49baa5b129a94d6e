"""Everything recorded about one client, checked to be that client's alone.

Both views are built from a :class:`ClientRecords`. It refuses any record of
another client with a :class:`~kamcore.errors.ValidationError` naming the
record, rather than silently dropping it: a record of the wrong client reaching
a view is a bug in the caller (or a query), and hiding it would hide the bug
(SPEC §8, "nobody sees what isn't theirs").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from kamcore.accounts import Activity, Client, Invoice, Order, Ticket
from kamcore.contracts import Contract
from kamcore.errors import ValidationError
from kamcore.kernel import Checks, ProgrammeId
from kamcore.loyalty import Membership, Programme
from kamcore.opportunities import Opportunity
from kamcore.proposals import Proposal

__all__ = ["ClientRecords"]

_OWNED: tuple[tuple[str, type], ...] = (
    ("orders", Order),
    ("invoices", Invoice),
    ("tickets", Ticket),
    ("activities", Activity),
    ("contracts", Contract),
    ("opportunities", Opportunity),
    ("proposals", Proposal),
    ("memberships", Membership),
)


@attrs.frozen(kw_only=True)
class ClientRecords:
    """One client's records, as read for a view.

    Attributes:
        client: The client.
        orders: Its orders.
        invoices: Its invoices, with payments and credit notes.
        tickets: Its support tickets.
        activities: Its activities (internal ones included: the portal never
            reads them).
        contracts: Its contracts, with versions, signatures and status history.
        opportunities: Its opportunities, with every change.
        proposals: Its proposals, with revisions and status history.
        memberships: Its loyalty memberships.
        programmes: The programmes of those memberships (others are ignored).

    Raises:
        ValidationError: a record belongs to another client (the path names
            the record, ``invoices[2].client``, and the message its id), an id
            appears twice, a membership's programme is missing, or a field is
            not a tuple of the right records.

    Example:
        >>> from kamcore.kernel import ClientId
        >>> ClientRecords(
        ...     client=Client(id=ClientId("acme"), name="ACME", currency="EUR",
        ...                   locale="en_GB"),
        ... ).invoices
        ()
    """

    client: Client
    orders: tuple[Order, ...] = ()
    invoices: tuple[Invoice, ...] = ()
    tickets: tuple[Ticket, ...] = ()
    activities: tuple[Activity, ...] = ()
    contracts: tuple[Contract, ...] = ()
    opportunities: tuple[Opportunity, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    memberships: tuple[Membership, ...] = ()
    programmes: tuple[Programme, ...] = ()

    def __attrs_post_init__(self) -> None:
        checks = Checks("ClientRecords")
        checks.instance("client", self.client, Client)
        for family, kind in _OWNED:
            checks.each(family, getattr(self, family), kind)
        checks.each("programmes", self.programmes, Programme)
        checks.raise_if_any()
        for family, kind in _OWNED:
            _check_owned(checks, self.client, family, kind, getattr(self, family))
        _check_unique(checks, "programmes", self.programmes)
        known = {programme.id for programme in self.programmes}
        for index, membership in enumerate(self.memberships):
            checks.require(
                membership.programme in known,
                f"memberships[{index}].programme",
                f"membership {membership.id!r} is of programme "
                f"{membership.programme!r}, which was not given",
                membership.programme,
            )
        checks.raise_if_any()

    def programme(self, programme: ProgrammeId) -> Programme:
        """The programme with id ``programme``.

        Raises:
            ValidationError: it was not given.
        """
        for candidate in self.programmes:
            if candidate.id == programme:
                return candidate
        raise ValidationError.single(
            "ClientRecords", "programmes", f"no programme {programme!r}", programme
        )


def _check_owned(
    checks: Checks, client: Client, family: str, kind: type, records: Sequence[Any]
) -> None:
    for index, record in enumerate(records):
        if record.client != client.id:
            checks.fail(
                f"{family}[{index}].client",
                f"{kind.__name__} {record.id!r} belongs to client "
                f"{record.client!r}, not to {client.id!r}",
                record.client,
            )
    _check_unique(checks, family, records)


def _check_unique(checks: Checks, family: str, records: Sequence[Any]) -> None:
    seen: set[str] = set()
    for index, record in enumerate(records):
        checks.require(
            record.id not in seen, f"{family}[{index}].id", "appears twice", record.id
        )
        seen.add(record.id)
