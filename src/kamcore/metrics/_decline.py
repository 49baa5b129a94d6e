"""Month-on-month declines: the second figure of the Monday health check.

Accounts whose orders fell more than 20 % against the previous month, from a
minimum base, so that a drop from 50 € to 30 € alarms nobody.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import ClassVar

import attrs

from kamcore.accounts import Client
from kamcore.kernel import EXACT, ClientId
from kamcore.metrics._account import ZERO, AccountState
from kamcore.metrics._args import check_date
from kamcore.metrics._changes import Added
from kamcore.metrics._cover import covered_ids, other_currency
from kamcore.metrics._decline_rule import (
    Basis,
    DeclineLine,
    DeclineRule,
    alarms_exactly,
    decline_line,
    kept_share,
)
from kamcore.metrics._format import (
    Row,
    checked_locale,
    client_text,
    money_text,
    months_text,
    percent_text,
    text,
)
from kamcore.metrics._frames import FrameExport
from kamcore.metrics._kept import kept_report
from kamcore.metrics._lazy import DeferredLines, defer_lines
from kamcore.metrics._months import month_label, trailing_months
from kamcore.metrics._selection import Exclusion, ResolvedSelection
from kamcore.metrics._state import PortfolioState

__all__ = ["OrderDecline", "order_decline"]


@attrs.frozen(kw_only=True)
class OrderDecline(DeferredLines, FrameExport):
    """Month-on-month declines of a selection's accounts.

    Attributes:
        as_of: The date it was computed as of.
        basis: Order totals or net invoiced.
        rule: The threshold and minimum bases applied.
        previous_month: The month before the last complete month (month key).
        last_month: The last complete month before the as-of date.
        lines: One line per covered account, by id.
        covered: The accounts compared.
        excluded: The selection's other accounts, each with its reason.
        recorded: Whether any covered account has a non-zero month on the
            basis (orders, or net invoiced), in any month.
        other_recorded: Whether any has, on the other basis; only looked for
            when nothing is recorded on the basis (``None`` otherwise).
    """

    DEFINITION: ClassVar[str] = (
        "Accounts whose orders in the last complete month fell more than the "
        "threshold against the month before, from a minimum base."
    )

    as_of: dt.date
    basis: Basis
    rule: DeclineRule
    previous_month: int
    last_month: int
    lines: tuple[DeclineLine, ...]
    covered: tuple[ClientId, ...]
    excluded: tuple[Exclusion, ...]
    recorded: bool = True
    other_recorded: bool | None = None
    _pending: Callable[[], tuple[DeclineLine, ...]] | None = attrs.field(
        default=None, init=False, eq=False, repr=False
    )

    @property
    def definition(self) -> str:
        """What the figure shows, in one line."""
        return self.DEFINITION

    @property
    def alarms(self) -> tuple[DeclineLine, ...]:
        """The lines that raise an alarm: accounts to call this week."""
        return tuple(line for line in self.lines if line.alarm)

    def rows(self) -> list[Row]:
        """One row per covered account."""
        return [line.row() for line in self.lines]

    @property
    def currencies(self) -> tuple[str, ...]:
        """The currencies of the lines, sorted."""
        return tuple(sorted({line.last.currency for line in self.lines}))

    @property
    def note(self) -> str | None:
        """Why the figure is empty when nothing is recorded on its basis
        for the covered accounts, and what to do; ``None`` otherwise."""
        if self.recorded or not self.covered:
            return None
        other = Basis.INVOICED if self.basis is Basis.ORDERS else Basis.ORDERS
        note = f"no {self.basis} recorded: decline is measured on {self.basis}"
        if self.other_recorded:
            note += f"; use --decline-basis {other}"
        return note

    def rule_row(self) -> dict[str, object]:
        """The basis, the rule and the note, as one JSON-friendly mapping."""
        return {
            "basis": str(self.basis),
            "threshold": text(self.rule.threshold),
            "minimum_base": {
                c: str(self.rule.minimum_money(c).amount) for c in self.currencies
            },
            "previous_month": month_label(self.previous_month),
            "last_month": month_label(self.last_month),
            "note": self.note,
        }

    def report(self, locale: str, names: Mapping[ClientId, str] | None = None) -> str:
        """The alarms in words, formatted for ``locale``; accounts by their
        ``names`` where given (by id otherwise)."""
        checked_locale(locale)
        months = range(self.previous_month, self.last_month + 1)
        head = (
            f"{str(self.basis).capitalize()} down more than "
            f"{percent_text(self.rule.threshold, locale)}, "
            f"{months_text(months, locale)}"
        )
        note = self.note
        if note is not None:
            return f"{head}: {note}"
        minimums = ", ".join(
            money_text(self.rule.minimum_money(c), locale) for c in self.currencies
        )
        lines = [
            head
            + (f" (minimum base {minimums})" if minimums else "")
            + f": {len(self.alarms)}"
        ]
        lines.extend(
            f"  {client_text(line.client, names)}: "
            f"{money_text(line.previous, locale)} -> "
            f"{money_text(line.last, locale)} ({percent_text(line.change, locale)})"
            for line in self.alarms
        )
        return "\n".join(lines)


def order_decline(
    state: PortfolioState,
    selection: ResolvedSelection,
    *,
    as_of: dt.date,
    rule: DeclineRule | None = None,
    basis: Basis = Basis.ORDERS,
) -> OrderDecline:
    """The last complete month against the month before, per account.

    As of Monday 2026-11-16, October 2026 is compared with September 2026 (a
    running month is never compared with a complete one). An account alarms
    when its fall exceeds ``rule.threshold`` (default 20 %) from a previous
    month of at least ``rule.minimum_base`` in its currency.

    Raises:
        ValidationError: ``as_of`` is not a date.
    """
    check_date(as_of, subject="order_decline")
    rule = DeclineRule() if rule is None else rule
    window = trailing_months(as_of, 2)
    # The rule's repr names it in the key: equal rules share the report.
    key = ("decline", basis.value, window.start, repr(rule), id(selection))
    kept = kept_report(
        state,
        key,
        selection,
        months=window,
        orders=basis is Basis.ORDERS,
        build=lambda: _KeptDecline(state, selection, rule, basis, window),
    )
    return kept.result(as_of)


class _Comparison:
    """One account's two months, whether they alarm, and its line once
    built. Never changed once made: a result reads the figures it was
    computed from."""

    __slots__ = ("_line", "alarm", "client", "currency", "last", "previous")

    def __init__(
        self,
        client: ClientId,
        previous: Decimal,
        last: Decimal,
        currency: str,
        alarm: bool,
    ) -> None:
        self.client = client
        self.previous = previous
        self.last = last
        self.currency = currency
        self.alarm = alarm
        self._line: DeclineLine | None = None

    def line(self, rule: DeclineRule) -> DeclineLine:
        line = self._line
        if line is None:
            line = self._line = decline_line(
                self.client,
                self.previous,
                self.last,
                self.currency,
                rule,
                self.alarm,
            )
        return line


_Entry = _Comparison | Exclusion
_add, _multiply = EXACT.add, EXACT.multiply


class _Lines:
    """A decline's lines as they were at one moment, built on first read."""

    __slots__ = ("_entries", "_lines", "_rule")

    def __init__(self, entries: list[_Entry], rule: DeclineRule) -> None:
        self._entries: list[_Entry] | None = entries
        self._rule = rule
        self._lines: tuple[DeclineLine, ...] | None = None

    def get(self) -> tuple[DeclineLine, ...]:
        lines = self._lines
        if lines is None:
            rule, entries = self._rule, self._entries or []
            lines = self._lines = tuple(
                e.line(rule) for e in entries if isinstance(e, _Comparison)
            )
            self._entries = None
        return lines


class _KeptDecline:
    """What a decline keeps between two computations (see
    :mod:`kamcore.metrics._kept`): each account's two months and alarm, in the
    order of the selection."""

    def __init__(
        self,
        state: PortfolioState,
        selection: ResolvedSelection,
        rule: DeclineRule,
        basis: Basis,
        months: range,
    ) -> None:
        self._selection = selection
        self._rule = rule
        self._basis = basis
        self._orders = basis is Basis.ORDERS
        self._previous_month, self._last_month = months[0], months[-1]
        self._minimums: dict[str, Decimal] = {}
        self._share = kept_share(rule)
        self._build(state)

    def _entry(self, account: AccountState | None, client: Client) -> _Entry:
        currency = client.currency
        if account is None:
            return self._compare(client.id, ZERO, ZERO, currency)
        if account.currency != currency:
            return other_currency(client, account.currency)
        # The package's own state: two lookups, no view objects.
        cells = account._ordered if self._orders else account._invoiced
        previous = cells.get(self._previous_month, ZERO)
        last = cells.get(self._last_month, ZERO)
        return self._compare(client.id, previous, last, currency)

    def _compare(
        self, client: ClientId, previous: Decimal, last: Decimal, currency: str
    ) -> _Comparison:
        minimum = self._minimums.get(currency)
        if minimum is None:
            minimum = self._minimums[currency] = self._rule.minimum_for(currency)
        alarm = alarms_exactly(previous, last, minimum, self._share)
        return _Comparison(client, previous, last, currency, alarm)

    def _build(self, state: PortfolioState) -> None:
        selection = self._selection
        get = state._accounts.get  # the package's own state
        # By id, in the order of the selection.
        entries = {c.id: self._entry(get(c.id), c) for c in selection.clients}
        left_out = [e for e in entries.values() if isinstance(e, Exclusion)]
        self._entries = entries
        excluded = sorted([*selection.excluded, *left_out], key=lambda e: e.client)
        self._excluded = tuple(excluded)
        self._covered = covered_ids(selection, left_out)
        self._lines: _Lines | None = None
        self._state = state

    def _recorded(self) -> tuple[bool, bool | None]:
        """Whether any covered account has something on the basis, and, only
        when none has, on the other basis (``None`` otherwise). Read at each
        result, not kept: an event outside the two months (which refreshes
        nothing here) may change it. It stops at the first account with
        something, so it costs little unless nothing is recorded."""
        if self._any_on(orders=self._orders):
            return True, None
        return False, self._any_on(orders=not self._orders)

    def _any_on(self, *, orders: bool) -> bool:
        get = self._state._accounts.get  # the package's own state
        for client in self._covered:
            account = get(client)
            if account is None:
                continue
            cells = account._ordered if orders else account._invoiced
            # A month whose sum came back to zero (a cancelled invoice) holds
            # nothing: the same answer from events as from one pass.
            if any(cells.values()):
                return True
        return False

    def refresh(
        self, state: PortfolioState, changed: Mapping[ClientId, Added | None]
    ) -> None:
        entries, share = self._entries, self._share
        previous_month, last_month = self._previous_month, self._last_month
        moved = False
        for client, added in changed.items():
            old = entries.get(client)
            if old is None:
                continue  # not in the selection
            if added is None or not isinstance(old, _Comparison):
                # A new account, or an excluded one: rare, done afresh.
                account = state._accounts.get(client)  # the package's own state
                new = self._entry(account, self._selection.by_id[client])
                if type(new) is not type(old):  # in or out of the figure
                    self._build(state)
                    return
                entries[client] = new
                moved = True
                continue
            # One exact addition per changed month of the two, as the
            # state's sums moved.
            previous, last = old.previous, old.last
            for month, amount in added.items():
                if month == last_month:
                    last = _add(last, amount)
                elif month == previous_month:
                    previous = _add(previous, amount)
            if previous is not old.previous or last is not old.last:
                currency = old.currency
                minimum = self._minimums[currency]  # known: the line was made
                # alarms_exactly(), inlined: this loop runs once per account.
                alarm = ZERO < previous >= minimum and last < _multiply(previous, share)
                entries[client] = _Comparison(client, previous, last, currency, alarm)
                moved = True
        if moved:
            self._lines = None

    def result(self, as_of: dt.date) -> OrderDecline:
        lines = self._lines
        if lines is None:  # changed since the last result
            lines = self._lines = _Lines(list(self._entries.values()), self._rule)
        recorded, other_recorded = self._recorded()
        decline = OrderDecline(
            as_of=as_of,
            basis=self._basis,
            rule=self._rule,
            previous_month=self._previous_month,
            last_month=self._last_month,
            lines=(),
            covered=self._covered,
            excluded=self._excluded,
            recorded=recorded,
            other_recorded=other_recorded,
        )
        return defer_lines(decline, lines.get)
