"""The HTML report's sections on renewals, the opportunity pipeline and the
key metrics of the trailing 12 months."""

from __future__ import annotations

from collections.abc import Mapping

from kamcore.cli._html import Markup, el, join
from kamcore.cli._html_svg import Bar, bar_chart
from kamcore.cli._report_html_parts import Column, Writer, table
from kamcore.contracts import AlertKind
from kamcore.i18n import NC_, Label
from kamcore.kernel import ClientId, Money
from kamcore.metrics import AlertLine, GrowthReason
from kamcore.opportunities import Attention, OpportunityReview, Stage
from kamcore.services import WeeklyReport

__all__ = ["key_metrics", "pipeline_section", "renewals_section"]

#: What a stage and an attention flag are called (the text report's labels).
STAGE_NAMES: Mapping[Stage, Label] = {
    Stage.QUALIFICATION: NC_("opportunity stage", "qualification"),
    Stage.NEEDS_ANALYSIS: NC_("opportunity stage", "needs analysis"),
    Stage.PROPOSAL: NC_("opportunity stage", "proposal"),
    Stage.NEGOTIATION: NC_("opportunity stage", "negotiation"),
    Stage.CLOSING: NC_("opportunity stage", "closing"),
}
ATTENTION_NAMES: Mapping[Attention, Label] = {
    Attention.CLOSE_DATE_PASSED: NC_("opportunity attention", "close date passed"),
    Attention.CLOSING_SOON: NC_("opportunity attention", "closing soon"),
    Attention.NO_RECENT_CHANGE: NC_("opportunity attention", "no recent change"),
}
ALERT_NAMES: Mapping[AlertKind, Label] = {
    AlertKind.RENEWAL: NC_("renewal alert", "renewal"),
    AlertKind.NOTICE_DEADLINE: NC_("renewal alert", "notice deadline"),
    AlertKind.LATE: NC_("renewal alert", "late"),
}
GROWTH_REASONS: Mapping[GrowthReason, Label] = {
    GrowthReason.NEW_ACCOUNT: NC_("no growth figure", "new account"),
    GrowthReason.ZERO_BASE: NC_("no growth figure", "no base"),
    GrowthReason.NEGATIVE_BASE: NC_("no growth figure", "negative base"),
    GrowthReason.NO_INVOICING: NC_("no growth figure", "no invoicing"),
}


def _expiring(w: Writer, report: WeeklyReport, names: Mapping[ClientId, str]) -> Markup:
    _ = w.translate
    expiring = report.health.expiring
    columns = [
        Column(_("Contract")),
        Column(_("Title")),
        Column(_("Account")),
        Column(_("Term ends"), figures=True),
        Column(_("When"), figures=True),
        Column(_("Renews itself")),
        Column(_("Value per term"), figures=True),
    ]
    rows = [
        [
            line.contract,
            line.title,
            names.get(line.client, line.client),
            w.day(line.term_end),
            _.ngettext("in {n} day", "in {n} days", line.days_left)
            if line.days_left >= 0
            else _.ngettext(
                "{n} day ago, in grace", "{n} days ago, in grace", -line.days_left
            ),
            _.pgettext("answer", "yes")
            if line.auto_renew
            else _.pgettext("answer", "no"),
            w.money(line.value),
        ]
        for line in expiring.lines
    ]
    heading = _.ngettext(
        "Contracts ending within {n} day",
        "Contracts ending within {n} days",
        expiring.within_days,
    )
    marked = [line.days_left < 0 for line in expiring.lines]
    return join(
        [el("h3", None, heading), table(w, "expiring", columns, rows, marked=marked)]
    )


def _term_ends(w: Writer, alert: AlertLine) -> str:
    if alert.terms == 1:
        return w.day(alert.term_end)
    return w.translate.pgettext(
        "period",
        "{start} to {end}",
        start=w.day(alert.term_end),
        end=w.day(alert.last_term_end),
    )


def renewals_section(
    w: Writer, report: WeeklyReport, names: Mapping[ClientId, str]
) -> Markup:
    """Contracts ending soon, contracts that expired unrenewed, and renewal
    alerts still waiting for a first action."""
    _ = w.translate
    expired = report.expired
    lapsed = table(
        w,
        "expired_unrenewed",
        [
            Column(_("Contract")),
            Column(_("Title")),
            Column(_("Account")),
            Column(_("Lapsed on"), figures=True),
            Column(_("Value per term"), figures=True),
        ],
        [
            [
                c.contract,
                c.title,
                names.get(c.client, c.client),
                w.day(c.lapsed_on),
                w.money(c.value),
            ]
            for c in expired.contracts
        ],
    )
    waiting = report.first_action.open_alerts
    alerts = table(
        w,
        "first_action",
        [
            Column(_("Contract")),
            Column(_("Account")),
            Column(_("Alert")),
            Column(_("Term end"), figures=True),
            Column(_("Raised"), figures=True),
            Column(_("Days without action"), figures=True),
        ],
        [
            [
                a.contract,
                names.get(a.client, a.client),
                _(ALERT_NAMES[a.kind]),
                _term_ends(w, a),
                w.day(a.raised_on),
                w.number(a.age or 0),
            ]
            for a in waiting
        ],
    )
    return join(
        [
            el("h2", {"id": "renewals"}, _("Renewals")),
            _expiring(w, report, names),
            el(
                "h3",
                None,
                _("Expired unrenewed, {period}", period=w.period(expired.period)),
            ),
            el(
                "p",
                {"class": "note"},
                _.ngettext(
                    "{count} of {n} term outcome in the period",
                    "{count} of {n} term outcomes in the period",
                    expired.denominator,
                    count=w.number(expired.value),
                ),
            ),
            lapsed,
            el("h3", None, _("Renewal alerts without a first action")),
            alerts,
        ]
    )


def pipeline_section(
    w: Writer, review: OpportunityReview, names: Mapping[ClientId, str]
) -> Markup:
    """The open opportunities: their value by stage, per currency, and each
    one with what needs attention."""
    _ = w.translate
    items = review.items
    parts = [
        el("h2", {"id": "pipeline"}, _("Opportunity pipeline")),
        el(
            "p",
            {"class": "note"},
            _.ngettext("{n} open opportunity", "{n} open opportunities", len(items)),
        ),
    ]
    by_currency: dict[str, dict[Stage, list[Money]]] = {}
    for item in items:
        deal = item.opportunity
        stages = by_currency.setdefault(deal.value.currency, {})
        stages.setdefault(deal.stage, []).append(deal.value)
    for number, (currency, stages) in enumerate(sorted(by_currency.items()), 1):
        bars = []
        for stage in Stage:
            if stage in stages:
                total = Money.sum(stages[stage], currency)
                text = _.ngettext(
                    "{value} in {n} opportunity",
                    "{value} in {n} opportunities",
                    len(stages[stage]),
                    value=w.money(total),
                )
                bars.append(Bar(_(STAGE_NAMES[stage]), total.amount, text))
        caption = _("Open pipeline by stage in {currency}", currency=currency)
        chart = bar_chart(bars, title=caption, chart_id=f"pipeline-{number}")
        parts.append(el("figure", None, el("figcaption", None, caption), chart))
    columns = [
        Column(_("Account")),
        Column(_("Opportunity")),
        Column(_("Stage")),
        Column(_("Value"), figures=True),
        Column(_("Closes"), figures=True),
        Column(_("Needs attention")),
    ]
    rows = [
        [
            names.get(item.opportunity.client, item.opportunity.client),
            item.opportunity.title,
            _(STAGE_NAMES[item.opportunity.stage]),
            w.money(item.opportunity.value),
            w.day(item.opportunity.close_date),
            el(
                "span",
                {"class": "flag"},
                ", ".join(_(ATTENTION_NAMES[flag]) for flag in item.attention),
            ),
        ]
        for item in items
    ]
    marked = [bool(item.attention) for item in items]
    parts.append(table(w, "opportunities", columns, rows, marked=marked))
    return join(parts)


def _growth(w: Writer, report: WeeklyReport, names: Mapping[ClientId, str]) -> Markup:
    _ = w.translate
    growth = report.growth
    heading = _(
        "Revenue growth per account, {current} against {base}",
        current=w.months(growth.current_months),
        base=w.months(growth.base_months),
    )
    bars = [
        Bar(
            names.get(line.client, line.client), line.value.value, w.percent(line.value)
        )
        for line in growth.lines
        if line.value is not None
    ]
    parts = [el("h3", None, heading)]
    if bars:
        caption = _("Growth year on year")
        chart = bar_chart(bars, title=caption, chart_id="growth-1")
        parts.append(el("figure", None, el("figcaption", None, caption), chart))
    rows = [
        [
            names.get(line.client, line.client),
            w.money(line.current),
            w.money(line.base),
            w.percent(line.value)
            if line.reason is None
            else _(GROWTH_REASONS[line.reason]),
        ]
        for line in growth.lines
    ]
    columns = [
        Column(_("Account")),
        Column(w.months(growth.current_months), figures=True),
        Column(w.months(growth.base_months), figures=True),
        Column(_("Growth"), figures=True),
    ]
    parts.append(table(w, "growth", columns, rows))
    return join(parts)


def key_metrics(
    w: Writer, report: WeeklyReport, names: Mapping[ClientId, str]
) -> Markup:
    """Retention, days to first action, average value per account and
    revenue growth, over the trailing 12 months."""
    _ = w.translate
    retention, action = report.retention, report.first_action
    rows = [
        [
            _("Account retention rate"),
            w.period(retention.period),
            w.percent(retention.value),
            _.ngettext(
                "{count} of {n} account renewed",
                "{count} of {n} accounts renewed",
                retention.denominator,
                count=w.number(retention.numerator),
            ),
        ],
        [
            _("Days to first action on renewal alerts"),
            w.period(action.period),
            w.percent(None)
            if action.value is None or action.median is None
            else _(
                "mean {mean}, median {median}",
                mean=w.number(action.value),
                median=w.number(action.median),
            ),
            _.ngettext(
                "over {n} alert acted on",
                "over {n} alerts acted on",
                action.denominator,
            ),
        ],
    ]
    average = report.average
    if average is not None:
        rows.append(
            [
                _("Average value per account"),
                w.months(average.months),
                w.percent(None) if average.value is None else w.money(average.value),
                _.ngettext(
                    "{total} over {n} account",
                    "{total} over {n} accounts",
                    average.denominator,
                    total=w.money(average.numerator),
                ),
            ]
        )
    columns = [
        Column(_("Metric")),
        Column(_("Period")),
        Column(_("Figure"), figures=True),
        Column(_("Basis")),
    ]
    return join(
        [
            el("h2", {"id": "key-metrics"}, _("Key metrics")),
            table(w, "metrics", columns, rows),
            _growth(w, report, names),
        ]
    )
