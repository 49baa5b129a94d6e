"""The notifications of the loyalty programme, to the client and its manager.

Three kinds, each sent once (the membership records it, see
:class:`~kamcore.loyalty.TierNotice`) to the client (in the client's locale) and
to its account manager (in the manager's locale):

* ``loyalty_upgrade``: a tier reached, "benefits unlocked";
* ``loyalty_downgrade_warning``: the tier will not be kept unless more is spent
  by the period's end;
* ``loyalty_points_expiring``: points of a lot about to expire.

The wording is translated through kamcore's catalogues into the recipient's
language, and dates, money and points are formatted with Babel for the
recipient's locale. The payload carries every value unformatted, so a host can
render its own template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

from kamcore.accounts import Client
from kamcore.errors import ValidationError
from kamcore.i18n import translator
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


def _plural(points: Decimal) -> int:
    """The count that chooses the plural form of ``points``.

    gettext chooses forms by whole numbers; a fraction of a point reads as
    several ("1.5 points"), so it counts as more than one.
    """
    whole = abs(int(points))
    return whole if whole == abs(points) else whole + 2


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
    _ = translator(locale)
    tier, spend = event.tier, event.spend.format(locale)
    on = _long(event.on, locale)
    benefits = tier.benefits.description
    if recipient.kind is RecipientKind.CLIENT:
        return (
            # Translators: {tier} is the tier's name ("Gold").
            _("Welcome to {tier}: your benefits are unlocked", tier=tier.name),
            # Translators: {spend} is an amount of money, {client} the client's
            # name, {tier} the tier's name, {benefits} the tier's benefits as
            # the programme describes them.
            _(
                "With {spend} of qualifying spend, {client} reached the {tier} "
                "tier on {on}. Your benefits: {benefits}.",
                spend=spend,
                client=client.name,
                tier=tier.name,
                on=on,
                benefits=benefits,
            ),
        )
    return (
        _("{client} reached {tier}", client=client.name, tier=tier.name),
        # Translators: {spend} and {threshold} are amounts of money, {benefits}
        # the tier's benefits as the programme describes them.
        _(
            "{client} reached the {tier} tier on {on} with {spend} of qualifying "
            "spend (threshold {threshold}). Benefits unlocked: {benefits}.",
            client=client.name,
            tier=tier.name,
            on=on,
            spend=spend,
            threshold=tier.threshold.format(locale),
            benefits=benefits,
        ),
    )


def _warning(
    event: TierEvent,
    client: Client,
    programme: Programme,
    recipient: Recipient,
    locale: str,
) -> tuple[str, str]:
    _ = translator(locale)
    tier, spend = event.tier, event.spend.format(locale)
    needed = "" if event.needed is None else event.needed.format(locale)
    end = event.period.end
    by = "" if end is None else _long(end, locale)
    if recipient.kind is RecipientKind.CLIENT:
        return (
            # Translators: {needed} is the amount of money still to spend, {by}
            # the last day of the period.
            _(
                "Keep your {tier} tier: {needed} to go by {by}",
                tier=tier.name,
                needed=needed,
                by=by,
            ),
            # Translators: {spend} and {needed} are amounts of money, {by} the
            # last day of the period.
            _(
                "{client} has {spend} of qualifying spend so far. To keep the "
                "{tier} tier for the next period, a further {needed} is needed "
                "by {by}.",
                client=client.name,
                spend=spend,
                tier=tier.name,
                needed=needed,
                by=by,
            ),
        )
    grace = dt.timedelta(days=programme.downgrade_grace_days)
    moves = "" if end is None else _long(end + _DAY + grace, locale)
    return (
        _("{client} may lose {tier}", client=client.name, tier=tier.name),
        # Translators: {needed} and {spend} are amounts of money, {by} the last
        # day of the period, {moves} the day the client moves down a tier.
        _(
            "{client} needs a further {needed} of qualifying spend by {by} to "
            "keep the {tier} tier; otherwise it moves down on {moves}. "
            "Qualifying spend so far: {spend}.",
            client=client.name,
            needed=needed,
            by=by,
            tier=tier.name,
            moves=moves,
            spend=spend,
        ),
    )


def _expiry(
    points: Decimal,
    client: Client,
    recipient: Recipient,
    locale: str,
    *,
    earned_on: dt.date,
    expires_on: dt.date,
    value: str,
) -> tuple[str, str]:
    _ = translator(locale)
    # {n} shows the points formatted; the form is chosen by their count.
    shown, count = _points(points, locale), _plural(points)
    on = _long(expires_on, locale)
    if recipient.kind is RecipientKind.CLIENT:
        # Translators: {n} is the number of points, formatted. The English
        # singular says "points expire" too: write your language's singular.
        subject = _.ngettext(
            "{n} loyalty points expire on {on}",
            "{n} loyalty points expire on {on}",
            count,
            n=shown,
            on=on,
        )
    else:
        # Translators: {client} is the client's name, {n} the number of points,
        # formatted. The English singular says "points expire" too: write your
        # language's singular.
        subject = _.ngettext(
            "{client}: {n} loyalty points expire on {on}",
            "{client}: {n} loyalty points expire on {on}",
            count,
            n=shown,
            client=client.name,
            on=on,
        )
    # Translators: {n} is the number of points, formatted, {client} the
    # client's name, {value} an amount of money. The English singular says
    # "points ... expire ... they are" too: write your language's singular.
    body = _.ngettext(
        "{n} points of {client}, earned on {earned}, expire on {on}. Redeemed on "
        "an invoice before then, they are worth {value}.",
        "{n} points of {client}, earned on {earned}, expire on {on}. Redeemed on "
        "an invoice before then, they are worth {value}.",
        count,
        n=shown,
        client=client.name,
        earned=_long(earned_on, locale),
        on=on,
        value=value,
    )
    return subject, body


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
            subject, body = _expiry(
                event.points,
                client,
                recipient,
                locale,
                earned_on=lot.earned_on,
                expires_on=expires,
                value=value.format(locale),
            )
            messages.append(
                Notification(
                    recipient=recipient,
                    kind=POINTS_EXPIRING,
                    key=(
                        f"{POINTS_EXPIRING}:{membership.id}:lot-{lot.number}:"
                        f"{recipient.kind.value}"
                    ),
                    locale=locale,
                    subject=subject,
                    body=body,
                    payload=payload,
                )
            )
    return messages
