"""The notifications of the loyalty programme, to the client and its manager.

Three kinds, each sent once (the membership records it, see
:class:`~kamcore.loyalty.TierNotice`) to the client (in the client's locale) and
to its account manager (in the manager's locale):

* ``loyalty_upgrade``: a tier reached, "benefits unlocked";
* ``loyalty_downgrade_warning``: the tier will not be kept unless more is spent
  by the period's end;
* ``loyalty_points_expiring``: points of a lot about to expire.

Dates, money and points are formatted with Babel for the recipient's locale;
the wording is English. The payload carries every value unformatted, so a host
can render its own template in any language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

from kamcore.accounts import Client
from kamcore.errors import ValidationError
from kamcore.kernel import Checks, validate_locale
from kamcore.loyalty import (
    ExpiryEvent,
    Membership,
    NoticeKind,
    Programme,
    TierEvent,
)
from kamcore.ports import Notification, Recipient, RecipientKind

__all__ = [
    "DOWNGRADE_WARNING",
    "POINTS_EXPIRING",
    "UPGRADE",
    "check_locales",
    "expiry_notifications",
    "tier_notifications",
]

UPGRADE = "loyalty_upgrade"
"""The :attr:`~kamcore.ports.Notification.kind` of "benefits unlocked"."""
DOWNGRADE_WARNING = "loyalty_downgrade_warning"
"""The kind of the advance warning of a downgrade."""
POINTS_EXPIRING = "loyalty_points_expiring"
"""The kind of the warning that points are about to expire."""

_DAY = dt.timedelta(days=1)


def check_locales(
    subject: str, locales: Mapping[str, str], default_locale: str
) -> None:
    """Raise unless ``default_locale`` and every manager's locale are known.

    Raises:
        ValidationError: naming every unknown locale by its path.
    """
    checks = Checks(subject)
    paths = [("default_locale", default_locale)] + [
        (f"locales[{manager!r}]", locale) for manager, locale in locales.items()
    ]
    for path, locale in paths:
        try:
            validate_locale(locale, subject=subject, path=path)
        except ValidationError as error:
            for field in error.errors:
                checks.fail(field.path, field.message, field.value)
    checks.raise_if_any()


def _long(day: dt.date, locale: str) -> str:
    return format_date(day, format="long", locale=locale)


def _points(points: Decimal, locale: str) -> str:
    return format_decimal(points, locale=locale, decimal_quantization=False)


def _recipients(
    client: Client, locales: Mapping[str, str], default_locale: str
) -> list[tuple[Recipient, str]]:
    """The client, then its account manager if it has one, with their locales."""
    found = [(Recipient(kind=RecipientKind.CLIENT, id=client.id), client.locale)]
    manager = client.account_manager
    if manager is not None:
        found.append(
            (
                Recipient(kind=RecipientKind.MANAGER, id=manager),
                locales.get(manager, default_locale),
            )
        )
    return found


def _upgrade(
    event: TierEvent, client: Client, recipient: Recipient, locale: str
) -> tuple[str, str]:
    tier, spend = event.tier, event.spend.format(locale)
    on = _long(event.on, locale)
    benefits = tier.benefits.description
    if recipient.kind is RecipientKind.CLIENT:
        return (
            f"Welcome to {tier.name}: your benefits are unlocked",
            f"With {spend} of qualifying spend, {client.name} reached the "
            f"{tier.name} tier on {on}. Your benefits: {benefits}.",
        )
    return (
        f"{client.name} reached {tier.name}",
        f"{client.name} reached the {tier.name} tier on {on} with {spend} of "
        f"qualifying spend (threshold {tier.threshold.format(locale)}). "
        f"Benefits unlocked: {benefits}.",
    )


def _warning(
    event: TierEvent,
    client: Client,
    programme: Programme,
    recipient: Recipient,
    locale: str,
) -> tuple[str, str]:
    tier, spend = event.tier, event.spend.format(locale)
    needed = "" if event.needed is None else event.needed.format(locale)
    end = event.period.end
    by = "" if end is None else _long(end, locale)
    if recipient.kind is RecipientKind.CLIENT:
        return (
            f"Keep your {tier.name} tier: {needed} to go by {by}",
            f"{client.name} has {spend} of qualifying spend so far. To keep the "
            f"{tier.name} tier for the next period, a further {needed} is "
            f"needed by {by}.",
        )
    grace = dt.timedelta(days=programme.downgrade_grace_days)
    moves = "" if end is None else _long(end + _DAY + grace, locale)
    return (
        f"{client.name} may lose {tier.name}",
        f"{client.name} needs a further {needed} of qualifying spend by {by} "
        f"to keep the {tier.name} tier; otherwise it moves down on {moves}. "
        f"Qualifying spend so far: {spend}.",
    )


def tier_notifications(
    events: tuple[TierEvent, ...],
    membership: Membership,
    programme: Programme,
    client: Client,
    *,
    locales: Mapping[str, str],
    default_locale: str,
) -> list[Notification]:
    """One notification per tier event for the client and one for its manager.

    Keys: ``"<kind>:<membership>:<tier>:<period start>:<client|manager>"``,
    the same on every run.
    """
    messages: list[Notification] = []
    for event in events:
        upgrade = event.kind is NoticeKind.UPGRADE
        kind = UPGRADE if upgrade else DOWNGRADE_WARNING
        start = event.period.start or membership.enrolled_on
        payload = {
            "client": client.id,
            "membership": membership.id,
            "on": event.on.isoformat(),
            "period_end": ""
            if event.period.end is None
            else event.period.end.isoformat(),
            "period_start": start.isoformat(),
            "spend": str(event.spend),
            "tier": event.tier.code,
        }
        if event.needed is not None:
            payload["needed"] = str(event.needed)
        for recipient, locale in _recipients(client, locales, default_locale):
            subject, body = (
                _upgrade(event, client, recipient, locale)
                if upgrade
                else _warning(event, client, programme, recipient, locale)
            )
            messages.append(
                Notification(
                    recipient=recipient,
                    kind=kind,
                    key=(
                        f"{kind}:{membership.id}:{event.tier.code}:"
                        f"{start.isoformat()}:{recipient.kind.value}"
                    ),
                    locale=locale,
                    subject=subject,
                    body=body,
                    payload=payload,
                )
            )
    return messages


def expiry_notifications(
    events: tuple[ExpiryEvent, ...],
    membership: Membership,
    programme: Programme,
    client: Client,
    *,
    locales: Mapping[str, str],
    default_locale: str,
) -> list[Notification]:
    """One notification per lot about to expire, for the client and its manager.

    Keys: ``"loyalty_points_expiring:<membership>:lot-<n>:<client|manager>"``.
    """
    messages: list[Notification] = []
    for event in events:
        lot = event.lot
        expires = lot.expires_on
        if expires is None:
            continue
        value = (programme.redemption_rate * event.points).rounded()
        payload = {
            "client": client.id,
            "earned_on": lot.earned_on.isoformat(),
            "expires_on": expires.isoformat(),
            "lot": str(lot.number),
            "membership": membership.id,
            "points": str(event.points),
            "value": str(value),
        }
        for recipient, locale in _recipients(client, locales, default_locale):
            points, on = _points(event.points, locale), _long(expires, locale)
            about = "" if recipient.kind is RecipientKind.CLIENT else f"{client.name}: "
            messages.append(
                Notification(
                    recipient=recipient,
                    kind=POINTS_EXPIRING,
                    key=(
                        f"{POINTS_EXPIRING}:{membership.id}:lot-{lot.number}:"
                        f"{recipient.kind.value}"
                    ),
                    locale=locale,
                    subject=f"{about}{points} loyalty points expire on {on}",
                    body=(
                        f"{points} points of {client.name}, earned on "
                        f"{_long(lot.earned_on, locale)}, expire on {on}. "
                        f"Redeemed on an invoice before then, they are worth "
                        f"{value.format(locale)}."
                    ),
                    payload=payload,
                )
            )
    return messages
