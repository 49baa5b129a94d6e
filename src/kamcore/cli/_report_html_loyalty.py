"""The HTML report's loyalty standings: each member of the report's
accounts, its tier, spend and points, and the way to the next tier."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from kamcore.accounts import Client
from kamcore.cli._html import Markup, el, join
from kamcore.cli._html_svg import Progress, progress_chart
from kamcore.cli._report_html_parts import Column, Writer, table
from kamcore.loyalty import MembershipReport
from kamcore.ports import Clock, UnitOfWork
from kamcore.services import WeeklyReport, tier_report

__all__ = ["MemberStanding", "loyalty_section", "member_standings"]


@attrs.frozen(kw_only=True)
class MemberStanding:
    """A loyalty member of the report, as the page shows it.

    Attributes:
        client: The member.
        programme: The programme's name.
        report: Its standing as of the report's date.
    """

    client: Client
    programme: str
    report: MembershipReport


def member_standings(
    uow: UnitOfWork, clock: Clock, report: WeeklyReport
) -> list[MemberStanding]:
    """The loyalty standing, as of the report's date, of every account of
    the report that is a loyalty member (in the selection's order)."""
    with uow:
        programmes = {p.id: p.name for p in uow.programmes.all()}
        memberships = {
            c.id: uow.memberships.get(c.membership)
            for c in report.selection.clients
            if c.membership is not None
        }
    return [
        MemberStanding(
            client=client,
            programme=programmes[memberships[client.id].programme],
            report=tier_report(uow, clock, client=client.id, as_of=report.as_of),
        )
        for client in report.selection.clients
        if client.id in memberships
    ]


def _next_tier(w: Writer, member: MemberStanding) -> str:
    _ = w.translate
    standing = member.report.standing
    if standing.next_tier is None or standing.to_next is None:
        return _("highest tier")
    return _(
        "{amount} more to reach {tier}",
        amount=w.money(standing.to_next),
        tier=standing.next_tier.name,
    )


def loyalty_section(w: Writer, members: Sequence[MemberStanding]) -> Markup:
    """Each member's tier, qualifying spend, points, and the way to the next
    tier."""
    _ = w.translate
    parts = [el("h2", {"id": "loyalty-standings"}, _("Loyalty standings"))]
    if not members:
        return join([*parts, table(w, "loyalty", [], [])])
    progress = []
    for member in members:
        standing = member.report.standing
        done = standing.spend.amount
        to_next = standing.to_next.amount if standing.to_next is not None else 0
        label = _(
            "{client}: {tier}", client=member.client.name, tier=standing.tier.name
        )
        progress.append(Progress(label, done, done + to_next, _next_tier(w, member)))
    caption = _("Qualifying spend towards the next tier")
    chart = progress_chart(progress, title=caption, chart_id="loyalty-1")
    parts.append(el("figure", None, el("figcaption", None, caption), chart))
    columns = [
        Column(_("Account")),
        Column(_("Programme")),
        Column(_("Tier")),
        Column(_("Qualifying spend"), figures=True),
        Column(_("Period ends"), figures=True),
        Column(_("Points usable"), figures=True),
        Column(_("Redeemable now"), figures=True),
        Column(_("Next tier")),
    ]
    rows = []
    for member in members:
        report = member.report
        standing = report.standing
        tier = standing.tier.name
        if standing.overridden:
            tier = _("{tier} (set by hand)", tier=tier)
        end = standing.period.end
        rows.append(
            [
                member.client.name,
                member.programme,
                tier,
                w.money(standing.spend),
                "" if end is None else w.day(end),
                w.number(report.balance),
                w.money(report.redeemable_value),
                _next_tier(w, member),
            ]
        )
    parts.append(table(w, "loyalty", columns, rows))
    return join(parts)
