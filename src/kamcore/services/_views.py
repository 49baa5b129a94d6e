"""The account 360 and the client portal, read through the ports.

Each call is one read-only unit of work (nothing is written, nothing
committed): the client's records are read with keyword queries filtered on the
client, so another client's record is never even loaded; the pure builders of
:mod:`kamcore.views` do the rest. The portal reads only what it may show
(contracts, proposals, invoices, loyalty), never activities, opportunities,
tickets or orders.
"""

from __future__ import annotations

import datetime as dt

from kamcore.kernel import ClientId
from kamcore.ports import UnitOfWork
from kamcore.views import (
    Account360,
    AsOf,
    ClientPortal,
    ClientRecords,
    build_account_360,
    build_client_portal,
)

__all__ = ["account_360", "client_portal"]


def account_360(
    uow: UnitOfWork,
    *,
    client: ClientId,
    as_of: dt.date,
    timezone: dt.tzinfo = dt.UTC,
) -> Account360:
    """The client's full history as of ``as_of``, with its summary.

    Args:
        uow: The unit of work to read through (read only).
        client: The client.
        as_of: The last business date included (a host passes its clock's
            ``today()`` for "now").
        timezone: The business timezone (instants belong to their date there).

    Raises:
        NotFoundError: the client, or a membership's programme, is not stored.
        ValidationError: a bad ``as_of`` or ``timezone``.
    """
    cut = AsOf(as_of, timezone)
    with uow:
        owner = uow.clients.get(client)
        memberships = tuple(uow.memberships.find(client=client))
        records = ClientRecords(
            client=owner,
            orders=tuple(uow.orders.find(client=client, placed_to=as_of)),
            invoices=tuple(uow.invoices.find(client=client, issued_to=as_of)),
            tickets=tuple(uow.tickets.find(client=client)),
            activities=tuple(uow.activities.find(client=client)),
            contracts=tuple(uow.contracts.find(client=client)),
            opportunities=tuple(uow.opportunities.find(client=client)),
            proposals=tuple(uow.proposals.find(client=client)),
            memberships=memberships,
            programmes=tuple(
                uow.programmes.get_many(sorted({m.programme for m in memberships}))
            ),
        )
    return build_account_360(records, as_of=cut.day, timezone=cut.timezone)


def client_portal(
    uow: UnitOfWork,
    *,
    client: ClientId,
    as_of: dt.date,
    timezone: dt.tzinfo = dt.UTC,
) -> ClientPortal:
    """What ``client`` may see in its own portal as of ``as_of``.

    Args:
        uow: The unit of work to read through (read only).
        client: The client whose portal it is.
        as_of: The date shown (a host passes its clock's ``today()``).
        timezone: The business timezone.

    Raises:
        NotFoundError: the client, or a membership's programme, is not stored.
        ValidationError: a bad ``as_of`` or ``timezone``.
    """
    cut = AsOf(as_of, timezone)
    with uow:
        owner = uow.clients.get(client)
        memberships = tuple(uow.memberships.find(client=client))
        records = ClientRecords(
            client=owner,
            invoices=tuple(uow.invoices.find(client=client, issued_to=as_of)),
            contracts=tuple(uow.contracts.find(client=client)),
            proposals=tuple(uow.proposals.find(client=client)),
            memberships=memberships,
            programmes=tuple(
                uow.programmes.get_many(sorted({m.programme for m in memberships}))
            ),
        )
    return build_client_portal(records, as_of=cut.day, timezone=cut.timezone)
