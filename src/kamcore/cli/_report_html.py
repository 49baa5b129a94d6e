"""``kamcore report --format html``: the weekly report as one page.

One self-contained HTML5 document for the account manager's Monday: the key
figures, the health check (accounts by net invoiced, order declines), overdue
invoices, renewals, the opportunity pipeline, loyalty standings and the key
metrics of the trailing 12 months. Inline style, inline SVG charts, no script
and nothing loaded from anywhere (a Content-Security-Policy says so to the
browser). Every sentence goes through the reader's translator; every figure is
the report's own, written for the reader's locale by Babel; every name from the
data is escaped (:mod:`kamcore.cli._html`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kamcore.cli._html import Markup, document, el, join
from kamcore.cli._html_svg import Bar, bar_chart
from kamcore.cli._report_html_loyalty import (
    MemberStanding,
    loyalty_section,
    member_standings,
)
from kamcore.cli._report_html_parts import STYLE, Column, Writer, table
from kamcore.cli._report_html_sections import (
    key_metrics,
    pipeline_section,
    renewals_section,
)
from kamcore.kernel import ClientId
from kamcore.metrics import Basis, HealthCheck, RankedAccount
from kamcore.services import OverdueInvoice, WeeklyReport

__all__ = ["MemberStanding", "member_standings", "report_page"]


def _figures(
    w: Writer, report: WeeklyReport, members: Sequence[MemberStanding]
) -> Markup:
    _ = w.translate
    health = report.health
    figures = [
        (_("Overdue invoices"), len(report.overdue)),
        (_("Order declines"), len(health.decline.alarms)),
        (
            _.ngettext(
                "Contracts ending within {n} day",
                "Contracts ending within {n} days",
                health.expiring.within_days,
            ),
            len(health.expiring.lines),
        ),
        (_("Open opportunities"), len(report.opportunities.items)),
        (_("Loyalty members"), len(members)),
    ]
    alarming = {0, 1, 2}
    return el(
        "dl",
        {"class": "figures"},
        *(
            el(
                "div",
                {"class": "alarm" if n in alarming and count else None},
                el("dt", None, label),
                el("dd", None, w.number(count)),
            )
            for n, (label, count) in enumerate(figures)
        ),
    )


def _account(name: str, client: ClientId) -> Markup:
    return join([name, " ", el("span", {"class": "id"}, f"({client})")])


def _ranking(w: Writer, health: HealthCheck) -> Markup:
    _ = w.translate
    ranking = health.ranking
    months = w.months(ranking.months)
    if ranking.top is None:
        heading = _("Accounts by net invoiced, {months}", months=months)
    else:
        heading = _.ngettext(
            "Top {n} account by net invoiced, {months}",
            "Top {n} accounts by net invoiced, {months}",
            ranking.top,
            months=months,
        )
    by_currency: dict[str, list[RankedAccount]] = {}
    for line in ranking.ranked():
        by_currency.setdefault(line.total.currency, []).append(line)
    parts = [el("h3", None, heading)]
    for number, (currency, lines) in enumerate(by_currency.items(), 1):
        caption = _("Net invoiced in {currency}", currency=currency)
        chart = bar_chart(
            [Bar(line.name, line.total.amount, w.money(line.total)) for line in lines],
            title=caption,
            chart_id=f"ranking-{number}",
        )
        parts.append(el("figure", None, el("figcaption", None, caption), chart))
    columns = [
        Column(_("Rank"), figures=True),
        Column(_("Account")),
        Column(_("Net invoiced"), figures=True),
    ]
    rows = [
        [w.number(line.rank), _account(line.name, line.client), w.money(line.total)]
        for line in ranking.ranked()
    ]
    parts.append(table(w, "ranking", columns, rows))
    return join(parts)


def _declines(w: Writer, health: HealthCheck, names: Mapping[ClientId, str]) -> Markup:
    _ = w.translate
    decline = health.decline
    values = {
        "threshold": w.percent(decline.rule.threshold),
        "months": w.months(range(decline.previous_month, decline.last_month + 1)),
    }
    if decline.basis is Basis.ORDERS:
        heading = _("Orders down more than {threshold}, {months}", **values)
    else:
        heading = _("Net invoiced down more than {threshold}, {months}", **values)
    parts = [el("h3", None, heading)]
    if decline.note is not None:
        if decline.basis is Basis.ORDERS:
            note = _("No orders are recorded for these accounts.")
        else:
            note = _("Nothing is invoiced to these accounts.")
        if decline.other_recorded:
            # The option as typed on the command line: never translated.
            option = "--decline-basis " + _other(decline.basis)
            note += " " + _(
                "Measure declines on the other basis: {option}.", option=option
            )
        parts.append(el("p", {"class": "note"}, note))
        return join(parts)
    minimums = [w.money(decline.rule.minimum_money(c)) for c in decline.currencies]
    if minimums:
        parts.append(
            el(
                "p",
                {"class": "note"},
                _("Minimum base: {amounts}.", amounts=", ".join(minimums)),
            )
        )
    columns = [
        Column(_("Account")),
        Column(w.month(decline.previous_month), figures=True),
        Column(w.month(decline.last_month), figures=True),
        Column(_("Change"), figures=True),
    ]
    rows = [
        [
            names.get(line.client, line.client),
            w.money(line.previous),
            w.money(line.last),
            w.percent(line.change),
        ]
        for line in decline.alarms
    ]
    parts.append(table(w, "decline", columns, rows))
    return join(parts)


def _other(basis: Basis) -> str:
    return str(Basis.INVOICED if basis is Basis.ORDERS else Basis.ORDERS)


def _overdue(w: Writer, overdue: Sequence[OverdueInvoice]) -> Markup:
    _ = w.translate
    columns = [
        Column(_("Account")),
        Column(_("Invoice")),
        Column(_("Balance due"), figures=True),
        Column(_("Due date"), figures=True),
        Column(_("Days overdue"), figures=True),
        Column(_("Account manager")),
    ]
    rows = [
        [
            item.client_name,
            item.invoice,
            w.money(item.balance),
            w.day(item.due_date),
            w.number(item.days_overdue),
            item.manager,
        ]
        for item in overdue
    ]
    return join(
        [
            el("h2", {"id": "overdue-invoices"}, _("Overdue key-account invoices")),
            el(
                "p",
                {"class": "note"},
                _("Automated reminders are held back: call the client."),
            ),
            table(w, "overdue", columns, rows),
        ]
    )


def report_page(
    report: WeeklyReport,
    locale: str,
    *,
    members: Sequence[MemberStanding] = (),
    scope: str | None = None,
) -> str:
    """The weekly report as one self-contained HTML5 page in ``locale``.

    Args:
        report: The weekly report (:func:`~kamcore.services.weekly_report`).
        locale: The reader's locale: the page's language and formats.
        members: The loyalty standings to show (:func:`member_standings`).
        scope: Whose accounts these are, in the reader's words; by default
            the selection's description.

    Raises:
        ValidationError: ``locale`` is unknown.
    """
    w = Writer.of(locale)
    _ = w.translate
    names = report.selection.names
    scope = report.selection.description if scope is None else scope
    title = _("Weekly report: {scope}, {day}", scope=scope, day=w.day(report.as_of))
    header = el(
        "header",
        None,
        el("h1", None, _("Weekly report")),
        el(
            "p",
            {"class": "subtitle"},
            _("{scope}, as of {day}", scope=scope, day=w.day(report.as_of)),
        ),
    )
    body = join(
        [
            header,
            _figures(w, report, members),
            el("h2", {"id": "health-check"}, _("Monday health check")),
            _ranking(w, report.health),
            _declines(w, report.health, names),
            _overdue(w, report.overdue),
            renewals_section(w, report, names),
            pipeline_section(w, report.opportunities, names),
            loyalty_section(w, members),
            key_metrics(w, report, names),
        ],
        "\n",
    )
    return document(
        locale=w.locale, title=title, style=STYLE, body=el("main", None, body)
    )
