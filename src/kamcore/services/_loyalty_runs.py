"""The loyalty ledger kept up to date, and the news told, through the ports.

:func:`post_invoice` runs after each invoice event (issued, paid, credited,
cancelled); :func:`run_loyalty_day` is the daily job (expiries, expiry warnings,
tier news). Both store everything or nothing, and send each notification once.
See ``docs/loyalty.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from kamcore.accounts import Client, Invoice
from kamcore.errors import NotFoundError
from kamcore.kernel import CategoryId, ClientId, InvoiceId, MembershipId, ProductId
from kamcore.loyalty import (
    EntryKind,
    ExpiryEvent,
    LedgerEntry,
    Membership,
    Programme,
    TierEvent,
    expire_points,
    expiry_events,
    sync_invoice,
    tier_events,
)
from kamcore.ports import Clock, Notification, Notifier, UnitOfWork
from kamcore.services._loyalty_messages import (
    check_locales,
    expiry_notifications,
    tier_notifications,
)

__all__ = ["LoyaltyRun", "LoyaltyUpdate", "post_invoice", "run_loyalty_day"]


@attrs.frozen(kw_only=True)
class LoyaltyUpdate:
    """What one call did to one membership.

    Attributes:
        membership: The membership (``None``: the client is not a member, and
            nothing was done).
        as_of: The business date of the call.
        entries: The ledger entries written, in order.
        events: The tier news found (upgrades, downgrade warnings).
        expiring: The lots found about to expire.
        sent: The notifications handed to the notifier.
    """

    membership: MembershipId | None
    as_of: dt.date
    entries: tuple[LedgerEntry, ...] = ()
    events: tuple[TierEvent, ...] = ()
    expiring: tuple[ExpiryEvent, ...] = ()
    sent: tuple[Notification, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether anything was written or told."""
        return bool(self.entries or self.events or self.expiring)


@attrs.frozen(kw_only=True)
class LoyaltyRun:
    """What one :func:`run_loyalty_day` did.

    Attributes:
        as_of: The run date (the clock's business date).
        updates: One per membership that changed, by membership id.
        skipped: Memberships whose client is not stored (nothing was done).
    """

    as_of: dt.date
    updates: tuple[LoyaltyUpdate, ...] = ()
    skipped: tuple[MembershipId, ...] = ()

    @property
    def expired(self) -> tuple[LedgerEntry, ...]:
        """The expiry entries written, membership by membership."""
        return tuple(
            entry
            for update in self.updates
            for entry in update.entries
            if entry.kind is EntryKind.EXPIRE
        )

    @property
    def sent(self) -> tuple[Notification, ...]:
        """Every notification handed to the notifier."""
        return tuple(message for update in self.updates for message in update.sent)


def _categories(uow: UnitOfWork, invoice: Invoice) -> dict[ProductId, CategoryId]:
    """The category of each product on the invoice that the catalogue holds."""
    wanted = sorted({line.product for line in invoice.lines})
    try:
        products = uow.products.get_many(wanted)
    except NotFoundError as missing:
        absent = set(missing.ids)
        products = uow.products.get_many([p for p in wanted if p not in absent])
    return {product.id: product.category for product in products}


def _news(
    membership: Membership,
    programme: Programme,
    client: Client,
    *,
    today: dt.date,
    now: dt.datetime,
    locales: Mapping[str, str],
    default_locale: str,
    expiring: bool,
) -> tuple[
    Membership, tuple[TierEvent, ...], tuple[ExpiryEvent, ...], list[Notification]
]:
    """Tier (and expiry) events of the day, recorded, with their messages."""
    told, soon = membership, tuple[ExpiryEvent, ...]()
    if expiring:
        told, soon = expiry_events(told, programme, as_of=today, at=now)
    told, events = tier_events(told, programme, as_of=today, at=now)
    messages = [
        *tier_notifications(
            events,
            told,
            programme,
            client,
            locales=locales,
            default_locale=default_locale,
        ),
        *expiry_notifications(
            soon,
            told,
            programme,
            client,
            locales=locales,
            default_locale=default_locale,
        ),
    ]
    return told, events, soon, messages


def post_invoice(
    uow: UnitOfWork,
    notifier: Notifier,
    clock: Clock,
    *,
    invoice: InvoiceId,
    locales: Mapping[str, str] | None = None,
    default_locale: str = "en_US",
) -> LoyaltyUpdate:
    """Bring the client's points up to date with an invoice, and tell the news.

    Call it after an invoice is issued, paid, credited or cancelled. In one
    unit of work it posts what the invoice's current state means for the
    ledger (:func:`~kamcore.loyalty.sync_invoice`: earn at the tier
    multiplier of the earn date, with each product's category from the
    catalogue; confirm once paid under ``earn on payment``; reverse each credit
    note; withdraw a cancelled invoice), then looks for tier news as of the
    clock's date (:func:`~kamcore.loyalty.tier_events`): an upgrade ("benefits
    unlocked") or a downgrade warning goes to the client, in its locale, and
    to its account manager, in theirs; the notifications are handed to the
    notifier before the commit. Posting the same document again writes and
    sends nothing.

    A client that is not a loyalty member gets nothing: the update's
    ``membership`` is ``None``.

    Args:
        uow: The unit of work.
        notifier: Where the notifications go.
        clock: Gives the business date and the time stamps.
        invoice: The invoice, as stored.
        locales: Each account manager's locale, by manager id.
        default_locale: The locale of managers not in ``locales``.

    Raises:
        NotFoundError: the invoice, its client or the membership's programme
            does not exist.
        ValidationError: an unknown locale (before anything is read), or an
            invoice in another currency than the programme.
        PolicyViolationError: under the ``refuse`` reversal policy, a credit
            note must take back points already spent; nothing is stored.
        ConcurrencyConflictError: another writer changed the membership.
    """
    chosen = {} if locales is None else locales
    check_locales("post_invoice", chosen, default_locale)
    today, now = clock.today(), clock.now()
    with uow:
        stored = uow.invoices.get(invoice)
        client = uow.clients.get(stored.client)
        if client.membership is None:
            return LoyaltyUpdate(membership=None, as_of=today)
        membership = uow.memberships.get(client.membership)
        programme = uow.programmes.get(membership.programme)
        posted = sync_invoice(
            membership,
            programme,
            stored,
            categories=_categories(uow, stored),
            at=now,
        )
        told, events, _, messages = _news(
            posted,
            programme,
            client,
            today=today,
            now=now,
            locales=chosen,
            default_locale=default_locale,
            expiring=False,
        )
        if told != membership:
            uow.memberships.save(told)
        for message in messages:
            notifier.send(message)
        uow.commit()
    return LoyaltyUpdate(
        membership=membership.id,
        as_of=today,
        entries=posted.entries[len(membership.entries) :],
        events=events,
        sent=tuple(messages),
    )


def run_loyalty_day(
    uow: UnitOfWork,
    notifier: Notifier,
    clock: Clock,
    *,
    locales: Mapping[str, str] | None = None,
    default_locale: str = "en_US",
) -> LoyaltyRun:
    """The daily loyalty job, as of the clock's business date.

    For every membership, in one unit of work: expire the lots whose expiry
    date has come (:func:`~kamcore.loyalty.expire_points`, each dated on its
    expiry date, so a missed day catches up), warn of the lots expiring
    within the programme's ``expiry_warning_days``
    (:func:`~kamcore.loyalty.expiry_events`), and look for tier news: an
    upgrade, or a downgrade warning within the programme's
    ``downgrade_warning_days`` before the period ends. Each warning goes to
    the client and to its account manager once. Running it again the same
    day writes and sends nothing.

    Args:
        uow: The unit of work.
        notifier: Where the notifications go.
        clock: Gives the run date and the time stamps.
        locales: Each account manager's locale, by manager id.
        default_locale: The locale of managers not in ``locales``.

    Raises:
        ValidationError: an unknown locale (before anything is read).
        NotFoundError: a membership's programme does not exist.
        ConcurrencyConflictError: another writer changed a membership; nothing
            is stored.
    """
    chosen = {} if locales is None else locales
    check_locales("run_loyalty_day", chosen, default_locale)
    today, now = clock.today(), clock.now()
    updates: list[LoyaltyUpdate] = []
    skipped: list[MembershipId] = []
    messages: list[Notification] = []
    with uow:
        memberships = uow.memberships.all()
        programmes = {
            p.id: p
            for p in uow.programmes.get_many(sorted({m.programme for m in memberships}))
        }
        clients = _clients(uow, {m.client for m in memberships})
        for membership in memberships:
            client = clients.get(membership.client)
            if client is None:
                skipped.append(membership.id)
                continue
            programme = programmes[membership.programme]
            expired = expire_points(membership, programme, as_of=today, at=now)
            told, events, soon, sent = _news(
                expired,
                programme,
                client,
                today=today,
                now=now,
                locales=chosen,
                default_locale=default_locale,
                expiring=True,
            )
            if told == membership:
                continue
            uow.memberships.save(told)
            messages += sent
            updates.append(
                LoyaltyUpdate(
                    membership=membership.id,
                    as_of=today,
                    entries=expired.entries[len(membership.entries) :],
                    events=events,
                    expiring=soon,
                    sent=tuple(sent),
                )
            )
        for message in messages:
            notifier.send(message)
        uow.commit()
    return LoyaltyRun(as_of=today, updates=tuple(updates), skipped=tuple(skipped))


def _clients(uow: UnitOfWork, ids: set[ClientId]) -> dict[ClientId, Client]:
    """The stored clients among ``ids``, by id; missing ones are left out."""
    wanted = sorted(ids)
    try:
        return {c.id: c for c in uow.clients.get_many(wanted)}
    except NotFoundError as missing:
        absent = set(missing.ids)
        found = [i for i in wanted if i not in absent]
        return {c.id: c for c in uow.clients.get_many(found)}
