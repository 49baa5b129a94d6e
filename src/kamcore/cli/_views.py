"""Text the commands print for people: memberships, ad-hoc discounts, dates.

Every sentence is translated for the locale given (kamcore's catalogues,
:mod:`kamcore.i18n`), and its money, dates and numbers are formatted with
Babel for that locale; names and ids are values.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from babel.dates import format_date

from kamcore.accounts import Client
from kamcore.cli._common import number
from kamcore.i18n import translator
from kamcore.loyalty import MembershipReport
from kamcore.pricing import AdHocReport

__all__ = [
    "ad_hoc_text",
    "day",
    "membership_text",
    "spreadsheet_safe",
]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet takes for the start of a formula (OWASP, CSV injection)."""
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?")


def spreadsheet_safe(value: object) -> object:
    """A CSV cell a spreadsheet will not run as a formula: text starting with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    single quote (``'=HYPERLINK(...)``), as OWASP advises. Numbers, such as
    ``-12.50``, and every other value are left as they are.

    Example:
        >>> spreadsheet_safe("=1+2"), spreadsheet_safe("-12.50"), spreadsheet_safe("-x")
        ("'=1+2", '-12.50', "'-x")
    """
    if (
        isinstance(value, str)
        and value.startswith(_FORMULA_START)
        and not _NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def day(value: dt.date, locale: str) -> str:
    """A date as people of ``locale`` write it (``23 Nov 2026``)."""
    return format_date(value, "medium", locale=locale)


def membership_text(
    client: Client, programme_name: str, report: MembershipReport, locale: str
) -> list[str]:
    """One member's tier, points and what to spend, in lines."""
    _ = translator(locale)
    standing = report.standing
    member = {
        "client": client.name,
        "client_id": client.id,
        "programme": programme_name,
        "tier": standing.tier.name,
    }
    spend = {"spend": standing.spend.format(locale), "day": day(report.as_of, locale)}
    lines = [
        # Translators: the member's name and id, the programme's name, and
        # the name of the tier in effect.
        _("{client} ({client_id}), {programme}: {tier} (set by hand)", **member)
        if standing.overridden
        else _("{client} ({client_id}), {programme}: {tier}", **member),
        "  "
        + (
            _("qualifying spend {spend} on {day}", **spend)
            if standing.period.end is None
            else _(
                "qualifying spend {spend} on {day}; the period ends {end}",
                end=day(standing.period.end, locale),
                **spend,
            )
        ),
        "  "
        + _(
            "points: {usable} usable, {pending} pending, {reserved} reserved; "
            "redeemable now {redeemable} ({value})",
            usable=number(report.balance, locale),
            pending=number(report.pending, locale),
            reserved=number(report.held, locale),
            redeemable=number(report.redeemable, locale),
            value=report.redeemable_value.format(locale),
        ),
    ]
    if standing.next_tier is not None and standing.to_next is not None:
        lines.append(
            "  "
            + _(
                "{amount} more to reach {tier} now",
                amount=standing.to_next.format(locale),
                tier=standing.next_tier.name,
            )
        )
    for target in report.targets:
        tier = target.tier.name
        if target.needed.is_zero():
            line = _("to hold {tier} next period: secured", tier=tier)
        elif target.by is None:
            line = _(
                "to hold {tier} next period: spend {amount}",
                tier=tier,
                amount=target.needed.format(locale),
            )
        else:
            line = _(
                "to hold {tier} next period: spend {amount} by {day}",
                tier=tier,
                amount=target.needed.format(locale),
                day=day(target.by, locale),
            )
        lines.append("  " + line)
    for lot in report.expiring:
        if lot.expires_on is None:
            continue
        # Translators: {points} points (the number, formatted) expire. The
        # English singular says "points" too: write your language's singular.
        line = _.ngettext(
            "{points} points expire on {day}",
            "{points} points expire on {day}",
            int(lot.remaining),
            points=number(lot.remaining, locale),
            day=day(lot.expires_on, locale),
        )
        lines.append("  " + line)
    return lines


def ad_hoc_text(
    report: AdHocReport, clients: Sequence[Client], locale: str
) -> list[str]:
    """Ad-hoc discounts per account, and the price-list items to replace them."""
    _ = translator(locale)
    names = {client.id: client.name for client in clients}
    period = report.period
    assert period.start is not None  # noqa: S101 - an ad-hoc report's period is closed
    assert period.end is not None  # noqa: S101
    lines = [
        _.ngettext(
            "Ad-hoc discounts, {start} to {end}: {n} account",
            "Ad-hoc discounts, {start} to {end}: {n} accounts",
            len(report.accounts),
            start=day(period.start, locale),
            end=day(period.end, locale),
        )
    ]
    lines += [
        "  "
        + _.ngettext(
            # Translators: {total} was given off by hand on {n} invoices.
            "{client}: {total} on {n} invoice",
            "{client}: {total} on {n} invoices",
            account.invoice_count,
            client=names.get(account.client, account.client),
            total=account.total.format(locale),
        )
        for account in report.accounts
    ]
    for proposal in report.proposals:
        item = proposal.proposed_item
        price = item.unit_price.format(locale) if item.unit_price else "?"
        # Translators: {product} is a product's id, {price} the unit price
        # proposed for it in the price list of client {client}.
        line = _.ngettext(
            "proposal: put {product} at {price} in the price list of {client} "
            "(discounted by hand on {n} invoice)",
            "proposal: put {product} at {price} in the price list of {client} "
            "(discounted by hand on {n} invoices)",
            proposal.occurrences,
            product=proposal.product,
            price=price,
            client=names.get(proposal.client, proposal.client),
        )
        lines.append("  " + line)
    return lines
