"""The account manager's weekly routine in one report (seed, "Weekly routine").

Monday portfolio health check (accounts by total invoiced, order declines,
contracts expiring within 60 days), the overdue key-account invoices of the
daily check, the open opportunity review, and the five seed metrics over the
trailing 12 months, all as of the clock's date for one selection of accounts.
It reads through the ports and writes nothing: holding reminders and raising
renewal alerts are the daily jobs (:func:`daily_overdue_check`,
:func:`run_renewal_scheduler`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import attrs
from babel.dates import format_date
from dateutil.relativedelta import relativedelta

from kamcore.i18n import NC_, translator
from kamcore.kernel import ClientId, DateRange, validate_locale
from kamcore.metrics import (
    AccountSelection,
    AverageValue,
    Basis,
    DaysToFirstAction,
    DeclineRule,
    ExpiredUnrenewed,
    HealthCheck,
    MonthWindow,
    PortfolioState,
    ResolvedSelection,
    RetentionRate,
    RevenueGrowth,
    average_value,
    days_to_first_action,
    expired_unrenewed,
    monday_health_check,
    retention_rate,
    revenue_growth,
)
from kamcore.opportunities import (
    Attention,
    OpportunityReview,
    ReviewItem,
    Stage,
    review_opportunities,
)
from kamcore.ports import Clock, UnitOfWork
from kamcore.services._overdue import OverdueInvoice, find_overdue

__all__ = ["WeeklyReport", "load_portfolio_state", "weekly_report"]


def load_portfolio_state(uow: UnitOfWork) -> PortfolioState:
    """Build the metric state from every invoice, order, contract and alert.

    One read per repository, in one unit of work. For very large portfolios,
    keep a :class:`~kamcore.metrics.PortfolioState` up to date event by event
    instead (see ``docs/metrics.md``).
    """
    state = PortfolioState()
    with uow:
        for invoice in uow.invoices.all():
            state.add_invoice(invoice)
        for order in uow.orders.all():
            state.add_order(order)
        for contract in uow.contracts.all():
            state.add_contract(contract)
        for alert in uow.renewal_alerts.all():
            state.add_alert(alert)
    return state


@attrs.frozen(kw_only=True)
class WeeklyReport:
    """Everything the weekly routine looks at, as of one date.

    Attributes:
        as_of: The report date.
        selection: The accounts covered (and those left out, with the reason).
        health: The Monday health check.
        overdue: Overdue key-account invoices of the selection, most overdue
            first.
        opportunities: The open opportunities of the selection's accounts.
        retention: Account retention over the trailing 12 months.
        growth: Revenue growth per account, year on year.
        expired: Contracts expired unrenewed over the trailing 12 months.
        first_action: Days to first action on renewal alerts, trailing 12
            months.
        average: Average value per account, trailing 12 months; ``None`` when
            the accounts do not share one currency.
    """

    as_of: dt.date
    selection: ResolvedSelection
    health: HealthCheck
    overdue: tuple[OverdueInvoice, ...]
    opportunities: OpportunityReview
    retention: RetentionRate
    growth: RevenueGrowth
    expired: ExpiredUnrenewed
    first_action: DaysToFirstAction
    average: AverageValue | None

    def tables(self) -> dict[str, list[dict[str, Any]]]:
        """Every figure as plain rows, one table per figure (JSON-friendly)."""
        tables: dict[str, list[dict[str, Any]]] = {
            **self.health.tables(),
            "overdue": [item.row() for item in self.overdue],
            "opportunities": self.opportunities.rows(),
            "retention": self.retention.rows(),
            "growth": self.growth.rows(),
            "expired_unrenewed": self.expired.rows(),
            "first_action": self.first_action.rows(),
        }
        if self.average is not None:
            tables["average_value"] = self.average.rows()
        return tables

    def to_json(self) -> str:
        """The tables as one JSON document, with the date, the selection and
        the decline's basis and rule (``decline``: basis, threshold, minimum
        base per currency, the two months, and a ``note`` when nothing is
        recorded on the basis)."""
        document = {
            "as_of": self.as_of.isoformat(),
            "selection": self.selection.description,
            "decline": self.health.decline.rule_row(),
            "tables": self.tables(),
        }
        return json.dumps(document, indent=2, ensure_ascii=False)

    def report(self, locale: str) -> str:
        """The whole routine in words, formatted with Babel for ``locale``.

        Raises:
            ValidationError: ``locale`` is unknown.
        """
        locale = validate_locale(locale)
        _ = translator(locale)
        names = self.selection.names
        overdue = [_("Overdue key-account invoices (hold the reminder, call):")]
        overdue += [
            "  "
            + _.ngettext(
                "{client}: {invoice} {balance}, {n} day overdue ({manager})",
                "{client}: {invoice} {balance}, {n} days overdue ({manager})",
                item.days_overdue,
                client=item.client_name,
                invoice=item.invoice,
                balance=item.balance.format(locale),
                manager=item.manager,
            )
            for item in self.overdue
        ] or ["  " + _.pgettext("empty list", "none")]
        review = [_("Open opportunities: {count}", count=len(self.opportunities.items))]
        review += [
            _opportunity_line(item, names, locale) for item in self.opportunities.items
        ]
        parts = [
            self.health.report(locale, names),
            "\n".join(overdue),
            "\n".join(review),
            self.retention.report(locale),
            self.growth.report(locale, names),
            self.expired.report(locale, names),
            self.first_action.report(locale, names),
        ]
        if self.average is not None:
            parts.append(self.average.report(locale))
        return "\n\n".join(parts)


#: What an opportunity's stage and attention flags are called in a report.
STAGE_NAMES = {
    Stage.QUALIFICATION: NC_("opportunity stage", "qualification"),
    Stage.NEEDS_ANALYSIS: NC_("opportunity stage", "needs analysis"),
    Stage.PROPOSAL: NC_("opportunity stage", "proposal"),
    Stage.NEGOTIATION: NC_("opportunity stage", "negotiation"),
    Stage.CLOSING: NC_("opportunity stage", "closing"),
}
ATTENTION_NAMES = {
    Attention.CLOSE_DATE_PASSED: NC_("opportunity attention", "close date passed"),
    Attention.CLOSING_SOON: NC_("opportunity attention", "closing soon"),
    Attention.NO_RECENT_CHANGE: NC_("opportunity attention", "no recent change"),
}


def _opportunity_line(
    item: ReviewItem, names: Mapping[ClientId, str], locale: str
) -> str:
    _ = translator(locale)
    deal = item.opportunity
    values = {
        "client": names.get(deal.client, deal.client),
        "title": deal.title,
        "stage": _(STAGE_NAMES[deal.stage]),
        "value": deal.value.format(locale),
        "day": format_date(deal.close_date, "medium", locale=locale),
    }
    if not item.attention:
        return "  " + _("{client}: {title}, {stage}, {value}, closes {day}", **values)
    flags = ", ".join(_(ATTENTION_NAMES[flag]) for flag in item.attention)
    # Translators: an open opportunity (client, title, stage, value, close
    # date) and what needs attention ("close date passed, no recent change").
    return "  " + _(
        "{client}: {title}, {stage}, {value}, closes {day} ({flags})",
        flags=flags,
        **values,
    )


def weekly_report(
    uow: UnitOfWork,
    clock: Clock,
    *,
    selection: AccountSelection,
    state: PortfolioState | None = None,
    decline_basis: Basis = Basis.ORDERS,
    decline_rule: DeclineRule | None = None,
    top: int | None = None,
    growth_current: MonthWindow | None = None,
    growth_previous: MonthWindow | None = None,
) -> WeeklyReport:
    """The weekly routine for ``selection`` as of the clock's date.

    Args:
        uow: The unit of work (read only).
        clock: Gives the report date.
        selection: A group, a manager's portfolio, all key accounts...
        state: An up-to-date metric state to use instead of reading every
            invoice, order, contract and alert again.
        decline_basis: What the month-on-month decline is measured on: orders
            (the default, as in the Monday routine) or net invoiced.
        decline_rule: When a decline alarms; by default a fall of more than
            20 % from a previous month of at least the currency's default
            minimum base (:data:`~kamcore.metrics.DEFAULT_MINIMUM_BASE`:
            1,000 € for EUR).
        top: Show only the first ``top`` accounts of each currency in the
            ranking (all of them by default).
        growth_current: With ``growth_previous``, the two windows revenue
            growth compares (see :func:`~kamcore.metrics.revenue_growth`);
            by default the last 12 complete months against the 12 before.
        growth_previous: See ``growth_current``.
    """
    today, now = clock.today(), clock.now()
    if state is None:
        state = load_portfolio_state(uow)
    with uow:
        resolved = selection.resolve(uow.clients.all())
        opportunities = [
            opportunity
            for client in resolved.ids
            for opportunity in uow.opportunities.find(client=client)
        ]
    overdue = tuple(i for i in find_overdue(uow, today) if i.client in resolved.ids)
    year = DateRange(today - relativedelta(years=1) + dt.timedelta(days=1), today)
    currencies = {client.currency for client in resolved.clients}
    return WeeklyReport(
        as_of=today,
        selection=resolved,
        health=monday_health_check(
            state,
            resolved,
            as_of=today,
            rule=decline_rule,
            basis=decline_basis,
            top=top,
        ),
        overdue=overdue,
        opportunities=review_opportunities(opportunities, today=today, now=now),
        retention=retention_rate(state, resolved, period=year, as_of=today),
        growth=revenue_growth(
            state,
            resolved,
            as_of=today,
            current=growth_current,
            previous=growth_previous,
        ),
        expired=expired_unrenewed(state, resolved, period=year, as_of=today),
        first_action=days_to_first_action(state, resolved, period=year, as_of=today),
        average=(
            average_value(state, resolved, as_of=today)
            if len(currencies) == 1
            else None
        ),
    )
