"""Portfolio metric state: updated one event at a time, merged across partitions.

A :class:`PortfolioState` holds every account's exact monthly sums (integer
matrices of accounts x months in minor units: :mod:`kamcore.metrics._sums`;
one account reads as an :class:`AccountState`), and, per contract and per
renewal alert, the facts the metrics need. It is what every metric is
computed from, and it obeys two laws that make it safe to build in pieces:

* **idempotent per event id** — an invoice, credit note, order, contract or
  alert sent again changes nothing; a *later version* (a higher ``version``)
  replaces the earlier one, whichever arrives first. Two different events
  under one id and version are an error, not a silent pick;
* **mergeable** — ``state(A).merge(state(B)) == state(A + B)`` exactly, for
  any split of the events, in any order: the state of a whole portfolio can be
  built per partition (per month, per region, per Dask or Spark worker) and
  merged.

Plain invoice records added in bulk (:meth:`PortfolioState.add_invoice_records`)
have no id: they are summed, not de-duplicated; add each extract once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from kamcore.accounts import CreditNote, Invoice, Order
from kamcore.contracts import Contract, RenewalAlert
from kamcore.errors import ValidationError
from kamcore.kernel import EXACT, AlertId, ClientId, ContractId, CreditNoteId, InvoiceId
from kamcore.metrics._account import AccountState, AccountsView
from kamcore.metrics._bulk import InvoiceRecord, add_invoice_records
from kamcore.metrics._facts import AlertFacts, ContractFacts
from kamcore.metrics._frames import FrameExport
from kamcore.metrics._ledger import (
    CreditEntry,
    InvoiceEntry,
    OrderEntry,
    invoice_entries,
    order_entry,
    require,
    supersedes,
)
from kamcore.metrics._merge import merge_into
from kamcore.metrics._months import month_key
from kamcore.metrics._sums import COUNTS, INVOICED, ORDERED, MonthlySums

__all__ = ["PortfolioState"]


_DERIVED = ("_contract_memo", "_covers", "_lines")
"""Memos of derived values: not part of what a state *is* (equality,
pickling, merging)."""


class PortfolioState(FrameExport):
    """Per-account metric state of a portfolio (see the module docstring).

    Example:
        >>> import datetime as dt
        >>> from decimal import Decimal
        >>> records = [
        ...     ("acme", dt.date(2026, 1, 12), Decimal("1200.00")),
        ...     ("acme", dt.date(2026, 1, 30), Decimal("300.00")),
        ...     ("bolt", dt.date(2026, 2, 2), Decimal("80.00")),
        ... ]
        >>> state = PortfolioState.from_invoice_records(records, currency="EUR")
        >>> dict(state.accounts["acme"].invoiced)
        {24312: Decimal('1500.00')}
        >>> halves = PortfolioState.from_invoice_records(records[:1], currency="EUR")
        >>> rest = PortfolioState.from_invoice_records(records[1:], currency="EUR")
        >>> halves.merge(rest) == state
        True
    """

    __slots__ = (
        "_alerts",
        "_contract_memo",
        "_contracts",
        "_covers",
        "_credits",
        "_invoices",
        "_lines",
        "_orders",
        "_sums",
    )

    __hash__ = None  # type: ignore[assignment]  # mutable: equal states, no hash

    def __init__(self) -> None:
        self._sums = MonthlySums()
        self._invoices: dict[InvoiceId, InvoiceEntry] = {}
        self._credits: dict[tuple[InvoiceId, CreditNoteId], CreditEntry] = {}
        self._orders: dict[str, OrderEntry] = {}
        self._contracts: dict[ContractId, ContractFacts] = {}
        # Lines derived from every contract (expiring contracts as of a date),
        # emptied whenever a contract changes.
        self._contract_memo: dict[str, Any] = {}
        # Selections' accounts and rows, by selection: see kamcore.metrics._cover.
        self._covers: dict[tuple[int, str | None], Any] = {}
        # Result lines last built, by kind: see kamcore.metrics._line_memo.
        self._lines: dict[tuple[object, ...], Any] = {}
        self._alerts: dict[AlertId, AlertFacts] = {}

    @classmethod
    def from_invoice_records(
        cls, records: Iterable[InvoiceRecord], *, currency: str
    ) -> PortfolioState:
        """A state built from plain ``(client, issue_date, net_amount)`` records.

        The fast path for notebooks and extracts; see :meth:`add_invoice_records`.
        """
        state = cls()
        state.add_invoice_records(records, currency=currency)
        return state

    @classmethod
    def from_frame(cls, frame: object, **columns: Any) -> PortfolioState:
        """A state of the invoices and credit notes in a pandas or polars
        DataFrame or a pyarrow Table (``kamcore[frames]``): the same as
        :func:`~kamcore.metrics.invoices_from_frame`, whose keyword arguments
        (``client=``, ``issued=``, ``amount=``, ``currency=``, ...) it takes.
        """
        from kamcore.metrics._frames_in import invoices_from_frame  # noqa: PLC0415 - a cycle

        return invoices_from_frame(frame, **columns)

    @classmethod
    def from_orders_frame(cls, frame: object, **columns: Any) -> PortfolioState:
        """A state of the orders in a frame: the same as
        :func:`~kamcore.metrics.orders_from_frame` (``client=``, ``ordered=``,
        ``amount=``, ``currency=``, ...)."""
        from kamcore.metrics._frames_in import orders_from_frame  # noqa: PLC0415 - a cycle

        return orders_from_frame(frame, **columns)

    # -- reading ------------------------------------------------------------
    @property
    def accounts(self) -> Mapping[ClientId, AccountState]:
        """Every account seen, by id (read-only view; each account is read
        from the state's matrices when looked up)."""
        return AccountsView(self._sums)

    def account(self, client: ClientId) -> AccountState | None:
        """The state of ``client``'s account, ``None`` if nothing was seen for it."""
        row = self._sums.rows.get(client)
        return None if row is None else AccountState.of(self._sums, row)

    @property
    def contracts(self) -> Mapping[ContractId, ContractFacts]:
        """Every contract seen, by id (read-only view)."""
        return MappingProxyType(self._contracts)

    @property
    def alerts(self) -> Mapping[AlertId, AlertFacts]:
        """Every renewal alert seen, by id (read-only view)."""
        return MappingProxyType(self._alerts)

    # -- events -------------------------------------------------------------
    def add_invoice(self, invoice: Invoice) -> None:
        """Count an invoice and the credit notes it carries.

        The invoice counts its :attr:`~kamcore.accounts.Invoice.total` in its
        issue month (nothing when cancelled); each credit note takes its
        amount away in the month it was issued. A later version of the
        invoice replaces the earlier one; its credit notes are kept by id,
        so a note seen before is not counted twice.

        Raises:
            ValidationError: not an invoice, or a different invoice (or credit
                note) under an id and version already seen.
            CurrencyMismatchError: the account's amounts are in another currency.
        """
        require(invoice, Invoice, "invoice")
        client, currency = invoice.client, invoice.currency
        entry, notes = invoice_entries(invoice)
        self._check_currency(client, currency, f"invoice {invoice.id!r}")
        old = self._invoices.get(invoice.id)
        replace = supersedes(old, entry, "invoice", invoice.id)
        fresh = [(key, note) for key, note in notes if self._new_credit(key, note)]
        self._account(client, currency)
        if replace:
            self._put_invoice(invoice.id, entry)
        for key, note in fresh:
            self._put_credit(key, note)

    def add_credit_note(
        self, note: CreditNote, *, invoice: InvoiceId, client: ClientId
    ) -> None:
        """Count a credit note of ``invoice`` (of ``client``) on its own.

        Keyed by (invoice, note id): the same note arriving again, on its own
        or inside a later version of its invoice, is counted once.

        Raises:
            ValidationError: not a credit note, or a different note under an
                id already seen.
            CurrencyMismatchError: the account's amounts are in another currency.
        """
        require(note, CreditNote, "credit_note")
        currency = note.amount.currency
        self._check_currency(client, currency, f"credit note {note.id!r}")
        entry = (client, currency, month_key(note.issued_on), note.amount.amount)
        fresh = self._new_credit((invoice, note.id), entry)
        self._account(client, currency)
        if fresh:
            self._put_credit((invoice, note.id), entry)

    def add_order(self, order: Order) -> None:
        """Count an order (its total and one order) in the month of its date.

        A cancelled order counts for nothing; a later version replaces an
        earlier one.

        Raises:
            ValidationError: not an order, or a different order under an id and
                version already seen.
            CurrencyMismatchError: the account's amounts are in another currency.
        """
        require(order, Order, "order")
        entry = order_entry(order)
        self._check_currency(order.client, order.currency, f"order {order.id!r}")
        replace = supersedes(self._orders.get(order.id), entry, "order", order.id)
        self._account(order.client, order.currency)
        if replace:
            self._put_order(order.id, entry)

    def add_contract(self, contract: Contract) -> None:
        """Keep a contract's facts (terms, outcomes); a higher version replaces.

        Raises:
            ValidationError: not a contract, or a different contract under an
                id and version already seen.
        """
        require(contract, Contract, "contract")
        self._put_contract(ContractFacts.of(contract))

    def add_alert(self, alert: RenewalAlert) -> None:
        """Keep a renewal alert; the earliest first action known wins.

        Raises:
            ValidationError: not an alert, or an alert whose id is already
                kept for another contract, kind or raising date.
        """
        require(alert, RenewalAlert, "alert")
        self._put_alert(AlertFacts.of(alert))

    def add_invoice_records(
        self, records: Iterable[InvoiceRecord], *, currency: str
    ) -> None:
        """Sum plain ``(client, issue_date, net_amount)`` records, all in ``currency``.

        The bulk path: a record is net invoiced on a day (a credit note is a
        negative amount). Records have no id and are not de-duplicated. All or
        nothing: a bad record raises and leaves the state unchanged.

        Raises:
            ValidationError: a record that is not ``(non-empty str, date,
                Decimal)``, or an unknown currency.
            CurrencyMismatchError: an account already holds another currency.
        """
        add_invoice_records(self._sums, records, currency)

    # -- merging ------------------------------------------------------------
    def merge(self, other: PortfolioState) -> PortfolioState:
        """A new state holding both states' events (neither is changed).

        Exactly the state one pass over both sets of events gives, whatever
        the split: events present in both are counted once (the later version
        wins), record sums add up.

        Raises:
            ValidationError: the states hold different events under one id and
                version.
            CurrencyMismatchError: an account holds two currencies.
        """
        require(other, PortfolioState, "other")
        merged = self.copy()
        merge_into(merged, other)
        return merged

    @classmethod
    def merge_all(cls, states: Iterable[PortfolioState]) -> PortfolioState:
        """All ``states`` merged into a new one (an empty state for none)."""
        merged = cls()
        for state in states:
            merged = merged.merge(state)
        return merged

    def copy(self) -> PortfolioState:
        """An independent copy."""
        twin = PortfolioState()
        twin._sums = self._sums.copy()
        twin._invoices = dict(self._invoices)
        twin._credits = dict(self._credits)
        twin._orders = dict(self._orders)
        twin._contracts = dict(self._contracts)
        twin._alerts = dict(self._alerts)
        return twin

    # -- internals ------------------------------------------------------------
    def _check_currency(self, client: ClientId, currency: str, what: str) -> None:
        self._sums.check(client, currency, what)

    def _account(self, client: ClientId, currency: str) -> None:
        self._sums.row(client, currency)

    def _new_credit(
        self, key: tuple[InvoiceId, CreditNoteId], entry: CreditEntry
    ) -> bool:
        old = self._credits.get(key)
        if old is None:
            return True
        if old == entry:
            return False
        raise ValidationError.single(
            "PortfolioState",
            "credit_note",
            f"credit note {key[1]!r} of invoice {key[0]!r} was sent twice with "
            "different content; credit notes never change",
            entry[3],
        )

    def _invoiced(self, client: ClientId, month: int, delta: Decimal) -> None:
        self._sums.add_amount(INVOICED, client, month, delta, "invoice")

    def _ordered(
        self, client: ClientId, month: int, total: Decimal, count: int
    ) -> None:
        sums = self._sums
        sums.add_amount(ORDERED, client, month, total, "order")
        sums.add_units(COUNTS, sums.rows[client], month, count)

    def _put_invoice(self, key: InvoiceId, entry: InvoiceEntry) -> None:
        old = self._invoices.get(key)
        if old is not None:
            self._invoiced(old[1], old[3], EXACT.minus(old[4]))
        self._invoiced(entry[1], entry[3], entry[4])
        self._invoices[key] = entry

    def _put_credit(
        self, key: tuple[InvoiceId, CreditNoteId], entry: CreditEntry
    ) -> None:
        self._invoiced(entry[0], entry[2], EXACT.minus(entry[3]))
        self._credits[key] = entry

    def _put_order(self, key: str, entry: OrderEntry) -> None:
        old = self._orders.get(key)
        if old is not None and old[4] is not None:
            self._ordered(old[1], old[3], EXACT.minus(old[4]), -1)
        if entry[4] is not None:
            self._ordered(entry[1], entry[3], entry[4], 1)
        self._orders[key] = entry

    def _put_contract(self, facts: ContractFacts) -> None:
        old = self._contracts.get(facts.id)
        if old is None or facts.version > old.version:
            self._contracts[facts.id] = facts
            self._contract_memo.clear()
        elif facts.version == old.version and facts != old:
            raise ValidationError.single(
                "PortfolioState",
                "contract.version",
                f"contract {facts.id!r} was sent twice as version {facts.version} "
                "with different content; a changed contract needs a higher version",
                facts.version,
            )

    def _put_alert(self, facts: AlertFacts) -> None:
        old = self._alerts.get(facts.id)
        if old is None:
            self._alerts[facts.id] = facts
        elif not old.same_alert(facts):
            raise ValidationError.single(
                "PortfolioState",
                "alert",
                f"alert {facts.id!r} was sent with another contract, kind or "
                "raising date than before",
                facts.raised_on,
            )
        else:
            self._alerts[facts.id] = old.joined(facts)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PortfolioState):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in _FACTS)

    def __repr__(self) -> str:
        return (
            f"PortfolioState({len(self._sums.clients)} accounts, "
            f"{len(self._invoices)} invoices, {len(self._orders)} orders, "
            f"{len(self._contracts)} contracts, {len(self._alerts)} alerts)"
        )

    def __getstate__(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _FACTS}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]  # fresh caches, then the facts
        for name, value in state.items():
            setattr(self, name, value)


_FACTS = tuple(n for n in PortfolioState.__slots__ if n not in _DERIVED)
