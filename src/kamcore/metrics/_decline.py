"""Month-on-month declines: the second figure of the Monday health check.

Accounts whose orders fell more than 20 % against the previous month, from a
minimum base, so that a drop from 50 € to 30 € alarms nobody.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import ClassVar, NamedTuple

import attrs
import numpy as np
import numpy.typing as npt

from kamcore.i18n import N_, translator
from kamcore.kernel import ClientId, currency_precision
from kamcore.metrics._args import check_date
from kamcore.metrics._cover import cover, money_column
from kamcore.metrics._decline_rule import (
    Basis,
    DeclineLine,
    DeclineRule,
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
from kamcore.metrics._lazy import DeferredLines, defer_lines
from kamcore.metrics._line_memo import reused_lines
from kamcore.metrics._months import month_label, trailing_months
from kamcore.metrics._selection import Exclusion, ResolvedSelection
from kamcore.metrics._state import PortfolioState
from kamcore.metrics._sums import INVOICED, ORDERED, Matrix

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
        for the covered accounts, and what to do; ``None`` otherwise.

        In English: it is data (the JSON's ``decline.note``). The report
        writes it from the basis, in the reader's language.
        """
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
        """The alarms in words, formatted for ``locale``, in its language;
        accounts by their ``names`` where given (by id otherwise)."""
        checked_locale(locale)
        _ = translator(locale)
        texts = _HEADINGS[self.basis]
        values = {
            "threshold": percent_text(self.rule.threshold, locale),
            "months": months_text(
                range(self.previous_month, self.last_month + 1), locale
            ),
        }
        if self.note is not None:
            nothing = texts.nothing_other if self.other_recorded else texts.nothing
            return _(nothing, **values)
        minimums = ", ".join(
            money_text(self.rule.minimum_money(c), locale) for c in self.currencies
        )
        alarms = self.alarms
        if minimums:
            head = _(texts.minimum, minimums=minimums, count=len(alarms), **values)
        else:
            head = _(texts.plain, count=len(alarms), **values)
        lines = [head]
        lines.extend(
            "  "
            # Translators: an account whose month fell: the month before, the
            # last month and the change, "Acme: €5,000.00 -> €3,000.00 (-40%)".
            + _(
                "{client}: {previous} -> {last} ({change})",
                client=client_text(line.client, names),
                previous=money_text(line.previous, locale),
                last=money_text(line.last, locale),
                change=percent_text(line.change, locale),
            )
            for line in alarms
        )
        return "\n".join(lines)


class _Headings(NamedTuple):
    """The heading of a decline report on one basis, each a whole sentence."""

    minimum: str
    """With the minimum bases (``{minimums}``) and the alarms (``{count}``)."""
    plain: str
    """With the alarms alone (no account covered: no minimum to show)."""
    nothing: str
    """Nothing recorded on the basis."""
    nothing_other: str
    """Nothing recorded on the basis, something on the other."""


# One whole sentence per basis and case: the basis is a word of each sentence.
_HEADINGS = {
    Basis.ORDERS: _Headings(
        # Translators: {threshold} is a percentage ("20%"), {months} the two
        # months compared ("Sept 2026 to Oct 2026"), {minimums} the smallest
        # previous month that counts, per currency ("€1,000.00, US$1,000.00"),
        # {count} the number of accounts whose orders fell that much.
        minimum=N_(
            "Orders down more than {threshold}, {months} "
            "(minimum base {minimums}): {count}"
        ),
        plain=N_("Orders down more than {threshold}, {months}: {count}"),
        nothing=N_(
            "Orders down more than {threshold}, {months}: no orders recorded: "
            "decline is measured on orders"
        ),
        # Translators: "--decline-basis invoiced" is an option of the command
        # line: keep it as it is.
        nothing_other=N_(
            "Orders down more than {threshold}, {months}: no orders recorded: "
            "decline is measured on orders; use --decline-basis invoiced"
        ),
    ),
    Basis.INVOICED: _Headings(
        # Translators: {threshold} is a percentage ("20%"), {months} the two
        # months compared ("Sept 2026 to Oct 2026"), {minimums} the smallest
        # previous month that counts, per currency ("€1,000.00, US$1,000.00"),
        # {count} the number of accounts whose net invoiced fell that much.
        minimum=N_(
            "Invoiced down more than {threshold}, {months} "
            "(minimum base {minimums}): {count}"
        ),
        plain=N_("Invoiced down more than {threshold}, {months}: {count}"),
        nothing=N_(
            "Invoiced down more than {threshold}, {months}: no invoiced recorded: "
            "decline is measured on invoiced"
        ),
        # Translators: "--decline-basis orders" is an option of the command
        # line: keep it as it is.
        nothing_other=N_(
            "Invoiced down more than {threshold}, {months}: no invoiced recorded: "
            "decline is measured on invoiced; use --decline-basis orders"
        ),
    ),
}


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
    previous_month, last_month = window[0], window[-1]
    found = cover(state, selection, None)
    sums, rows = found.sums, found.rows
    kind = ORDERED if basis is Basis.ORDERS else INVOICED
    previous = sums.cell(kind, rows, previous_month)
    last = sums.cell(kind, rows, last_month)
    alarms = _alarms(previous, last, found.currencies, rule)
    recorded = sums.any_nonzero(kind, rows)
    other_kind = INVOICED if kind == ORDERED else ORDERED
    other = None if recorded else sums.any_nonzero(other_kind, rows)
    decline = OrderDecline(
        as_of=as_of,
        basis=basis,
        rule=rule,
        previous_month=previous_month,
        last_month=last_month,
        lines=(),
        covered=found.covered,
        excluded=found.excluded,
        recorded=recorded,
        other_recorded=other,
    )

    def build(positions: Sequence[int]) -> list[DeclineLine]:
        picked = list(positions)
        clients = [found.clients[n] for n in picked]
        currencies = [client.currency for client in clients]
        befores = money_column(previous[picked], currencies)
        afters = money_column(last[picked], currencies)
        return [
            decline_line(
                client.id, before.amount, after.amount, client.currency, rule, alarm
            )
            for client, before, after, alarm in zip(
                clients, befores, afters, alarms[picked].tolist(), strict=True
            )
        ]

    def lines() -> tuple[DeclineLine, ...]:
        kind = ("decline", basis.value, previous_month, repr(rule))
        inputs = (previous, last, alarms)
        return tuple(reused_lines(state, kind, selection, found.covered, inputs, build))

    return defer_lines(decline, lines)


def _alarms(
    previous: Matrix, last: Matrix, currencies: list[str], rule: DeclineRule
) -> npt.NDArray[np.bool_]:
    """Whether each account alarms (see :func:`alarms_exactly`), decided on
    the integer sums: ``previous >= minimum`` and ``last * d < previous * n``
    for the kept share ``n / d``, exactly."""
    share_n, share_d = kept_share(rule).as_integer_ratio()
    codes = np.array(currencies, dtype=object)
    alarms = np.zeros(len(currencies), np.bool_)
    several = set(currencies)
    for code in several:
        places = currency_precision(code)
        # The smallest whole number of minor units at or above the minimum.
        floor_n, floor_d = rule.minimum_for(code).scaleb(places).as_integer_ratio()
        minimum = -(-floor_n // floor_d)
        mine = codes == code if len(several) > 1 else slice(None)
        before, after = previous[mine], last[mine]
        large = (
            max(share_n, share_d) >= _SMALL_FACTOR or abs(minimum) >= _SMALL_FACTOR**4
        )
        if before.dtype != object and large:
            before, after = before.astype(object), after.astype(object)
        alarms[mine] = (
            (before > 0) & (before >= minimum) & (after * share_d < before * share_n)
        )
    return alarms


_SMALL_FACTOR = 2**15  # cells stay below 2**47: products below 2**62
