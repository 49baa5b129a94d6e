"""A unit of work put together from repositories of several stores.

A host that keeps some aggregates in its own storage -- its CRM's client table
behind its own :class:`~kamcore.ports.ClientRepository` -- runs kamcore on a
:class:`CompositeUnitOfWork`: the host's repositories where it has them,
kamcore's in-memory or SQL repositories for the rest, one ``with`` block over
all of them.

Commit semantics, stated once: the stores commit one after the other, the
host's ``stores`` in the order given and the ``base`` unit of work last. Two
stores that are not one database cannot commit atomically, so:

* if the **first** store refuses its commit, nothing is stored anywhere: the
  other stores are rolled back and the refusal (a
  :class:`~kamcore.errors.ConcurrencyConflictError`, a
  :class:`~kamcore.errors.DuplicateError`...) is raised as it is;
* if a **later** store refuses, the stores before it have committed already
  and cannot take it back: the stores after it are rolled back and
  :class:`~kamcore.errors.PartialCommitError` says which stores hold the
  block's writes and which do not. It is never silent.

Put first the store most likely to refuse, and keep the blocks that write to
two stores few: a block that writes to one store only is as atomic as that
store.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import Self

from kamcore.errors import PartialCommitError, TransactionError, ValidationError
from kamcore.ports import (
    ActivityRepository,
    ClientGroupRepository,
    ClientRepository,
    ContractRepository,
    DiscountGroupRepository,
    InvoiceRepository,
    MembershipRepository,
    OpportunityRepository,
    OrderRepository,
    PriceListRepository,
    ProductRepository,
    ProgrammeRepository,
    ProposalRepository,
    RenewalAlertRepository,
    RenewalCaseRepository,
    TicketRepository,
    Transactional,
    UnitOfWork,
)

__all__ = ["CompositeUnitOfWork"]


class _ThreadState(threading.local):
    # A class-level default is what each new thread sees before it enters.
    entered: list[Transactional] | None = None


class CompositeUnitOfWork:
    """A :class:`~kamcore.ports.UnitOfWork` over kamcore's store and the host's.

    Every repository not given comes from ``base``. Entering the block enters
    ``base`` and then each of ``stores``; leaving it leaves them in reverse
    order (each rolling back what it did not commit); :meth:`rollback` rolls
    back every one. :meth:`commit` commits ``stores`` in order, then ``base``,
    as the module documentation states. Like kamcore's own units of work, one
    composite may be shared by threads if its stores keep one transaction per
    thread; otherwise build one per thread.

    Args:
        base: kamcore's unit of work (in-memory or SQL), for every repository
            not given.
        stores: The stores behind the repositories given, each a
            :class:`~kamcore.ports.Transactional`; required when a repository
            is given.
        clients: Client records, instead of ``base.clients``; and so on for
            every repository of :class:`~kamcore.ports.UnitOfWork`.

    Raises:
        ValidationError: a repository given without a store, a store given
            twice, or ``base`` among ``stores``.

    Example:
        >>> from kamcore.accounts import Client
        >>> from kamcore.adapters.memory import InMemoryUnitOfWork
        >>> from kamcore.kernel import ClientId
        >>> crm = InMemoryUnitOfWork()  # stands for the host's own store
        >>> uow = CompositeUnitOfWork(
        ...     InMemoryUnitOfWork(), stores=[crm], clients=crm.clients
        ... )
        >>> acme = Client(id=ClientId("acme"), name="Acme", currency="EUR", locale="en")
        >>> with uow:
        ...     _ = uow.clients.add(acme)
        ...     uow.commit()
        >>> with crm:
        ...     crm.clients.get(ClientId("acme")).version
        1
    """

    def __init__(
        self,
        base: UnitOfWork,
        *,
        stores: Sequence[Transactional] = (),
        clients: ClientRepository | None = None,
        client_groups: ClientGroupRepository | None = None,
        products: ProductRepository | None = None,
        price_lists: PriceListRepository | None = None,
        discount_groups: DiscountGroupRepository | None = None,
        orders: OrderRepository | None = None,
        invoices: InvoiceRepository | None = None,
        tickets: TicketRepository | None = None,
        activities: ActivityRepository | None = None,
        contracts: ContractRepository | None = None,
        renewal_alerts: RenewalAlertRepository | None = None,
        renewal_cases: RenewalCaseRepository | None = None,
        proposals: ProposalRepository | None = None,
        opportunities: OpportunityRepository | None = None,
        programmes: ProgrammeRepository | None = None,
        memberships: MembershipRepository | None = None,
    ) -> None:
        given = {
            name: repository
            for name, repository in {
                "clients": clients,
                "client_groups": client_groups,
                "products": products,
                "price_lists": price_lists,
                "discount_groups": discount_groups,
                "orders": orders,
                "invoices": invoices,
                "tickets": tickets,
                "activities": activities,
                "contracts": contracts,
                "renewal_alerts": renewal_alerts,
                "renewal_cases": renewal_cases,
                "proposals": proposals,
                "opportunities": opportunities,
                "programmes": programmes,
                "memberships": memberships,
            }.items()
            if repository is not None
        }
        _check_stores(base, stores, given)
        self.base = base
        self.stores = tuple(stores)
        self.clients = base.clients if clients is None else clients
        self.client_groups = (
            base.client_groups if client_groups is None else client_groups
        )
        self.products = base.products if products is None else products
        self.price_lists = base.price_lists if price_lists is None else price_lists
        self.discount_groups = (
            base.discount_groups if discount_groups is None else discount_groups
        )
        self.orders = base.orders if orders is None else orders
        self.invoices = base.invoices if invoices is None else invoices
        self.tickets = base.tickets if tickets is None else tickets
        self.activities = base.activities if activities is None else activities
        self.contracts = base.contracts if contracts is None else contracts
        self.renewal_alerts = (
            base.renewal_alerts if renewal_alerts is None else renewal_alerts
        )
        self.renewal_cases = (
            base.renewal_cases if renewal_cases is None else renewal_cases
        )
        self.proposals = base.proposals if proposals is None else proposals
        self.opportunities = (
            base.opportunities if opportunities is None else opportunities
        )
        self.programmes = base.programmes if programmes is None else programmes
        self.memberships = base.memberships if memberships is None else memberships
        # Each store's name in errors, in commit order: the stores, then base.
        self._names = _names([*self.stores, base])
        self._state = _ThreadState()

    def __enter__(self) -> Self:
        """Begin a transaction in ``base`` and in every store, for the calling thread.

        Raises:
            TransactionError: if this thread is already inside this unit of work.
        """
        if self._state.entered is not None:
            msg = (
                "this CompositeUnitOfWork is already active in this thread; "
                "finish the current `with` block before entering it again"
            )
            raise TransactionError(msg)
        entered: list[Transactional] = []
        try:
            for store in (self.base, *self.stores):
                store.__enter__()
                entered.append(store)
        except BaseException as error:
            _leave(entered, type(error), error, error.__traceback__)
            raise
        self._state.entered = entered
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Leave every store's block, last entered first, rolling back the rest."""
        entered, self._state.entered = self._state.entered, None
        if entered is not None:
            _leave(entered, exc_type, exc, tb)

    def commit(self) -> None:
        """Commit ``stores`` in order, then ``base``.

        Raises:
            TransactionError: outside the ``with`` block.
            PartialCommitError: a store refused its commit after others had
                committed (chained to the refusal).
            Exception: whatever the first store raised when it refused its
                commit; nothing is stored then.
        """
        self._active()
        order = [*self.stores, self.base]
        for index, store in enumerate(order):
            try:
                store.commit()
            except BaseException as error:
                later = order[index + 1 :]
                for position, failure in _each(later, lambda s: s.rollback()):
                    name = self._names[index + 1 + position]
                    error.add_note(f"rolling back {name} failed: {failure!r}")
                if index == 0:
                    raise
                names = self._names
                raise PartialCommitError(
                    names[:index], names[index], names[index + 1 :], error
                ) from error

    def rollback(self) -> None:
        """Discard every write not yet committed, in every store.

        Raises:
            TransactionError: outside the ``with`` block.
        """
        self._active()
        _raise_first(_each([self.base, *self.stores], lambda store: store.rollback()))

    def _active(self) -> None:
        if self._state.entered is None:
            msg = (
                "CompositeUnitOfWork used outside its `with` block: repositories, "
                "commit and rollback are only available inside `with uow:`"
            )
            raise TransactionError(msg)


def _check_stores(
    base: UnitOfWork, stores: Sequence[Transactional], given: Mapping[str, object]
) -> None:
    if given and not stores:
        raise ValidationError.single(
            "CompositeUnitOfWork",
            "stores",
            "repositories of your own need the stores they write to, so that "
            "the block begins, commits and rolls them back",
            sorted(given),
        )
    identities = [id(store) for store in stores]
    if id(base) in identities:
        raise ValidationError.single(
            "CompositeUnitOfWork",
            "stores",
            "base is entered and committed already; list only the other stores",
            type(base).__name__,
        )
    repeated = [type(s).__name__ for s in stores if identities.count(id(s)) > 1]
    if repeated:
        raise ValidationError.single(
            "CompositeUnitOfWork", "stores", "a store is given twice", repeated[0]
        )


def _names(stores: Sequence[Transactional]) -> list[str]:
    """Each store's name in errors: its type, numbered when two share one."""
    counts = Counter(type(store).__name__ for store in stores)
    seen: Counter[str] = Counter()
    names = []
    for store in stores:
        name = type(store).__name__
        seen[name] += 1
        names.append(f"{name} #{seen[name]}" if counts[name] > 1 else name)
    return names


def _leave(
    entered: Sequence[Transactional],
    exc_type: type[BaseException] | None,
    exc: BaseException | None,
    tb: TracebackType | None,
) -> None:
    """Leave every entered store, last first, even when one of them fails."""
    stores = list(reversed(entered))
    _raise_first(_each(stores, lambda store: store.__exit__(exc_type, exc, tb)))


def _each(
    stores: Sequence[Transactional], act: Callable[[Transactional], object]
) -> list[tuple[int, BaseException]]:
    """Apply ``act`` to every store; return the failures, by position."""
    failures: list[tuple[int, BaseException]] = []
    for index, store in enumerate(stores):
        try:
            act(store)
        except Exception as error:
            failures.append((index, error))
    return failures


def _raise_first(failures: Sequence[tuple[int, BaseException]]) -> None:
    """Raise the first failure, the others noted on it."""
    if not failures:
        return
    first = failures[0][1]
    for _, other in failures[1:]:
        first.add_note(f"also failed: {other!r}")
    raise first
