"""The notification an account manager receives for a renewal alert.

The wording is translated through kamcore's catalogues into the manager's
language, and the values a person reads (dates, money, day counts) are
formatted with Babel in the manager's locale. The payload carries every value
unformatted too, so a host can render its own template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from kamcore.accounts import Client
from kamcore.contracts import (
    AlertKind,
    Contract,
    ContractVersion,
    RenewalAlert,
    TermEnd,
    TermEndOutcome,
)
from kamcore.errors import ValidationError
from kamcore.i18n import Translator, translator
from kamcore.kernel import Checks, ContractId, validate_locale
from kamcore.ports import Notification, Recipient, RecipientKind

__all__ = ["NOTIFICATION_KIND", "AlertMessages", "check_locales"]

NOTIFICATION_KIND = "renewal_alert"
"""The :attr:`~kamcore.ports.Notification.kind` of every renewal alert sent."""


def check_locales(locales: Mapping[str, str], default_locale: str) -> None:
    """Raise unless ``default_locale`` and every manager's locale are known to Babel.

    Raises:
        ValidationError: naming every unknown locale by its path.
    """
    subject = "run_renewal_scheduler"
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


def _in_days(days: int, locale: Locale, _: Translator) -> str:
    if days == 0:
        return _.pgettext("relative day", "today")
    if days == 1:
        return _.pgettext("relative day", "tomorrow")
    if days == -1:
        return _.pgettext("relative day", "yesterday")
    if days < 0:
        # The count is formatted for the locale: it fills {n} in its place.
        return _.ngettext(
            "{n} day ago",
            "{n} days ago",
            -days,
            n=format_decimal(-days, locale=locale),
        )
    return _.ngettext(
        "in {n} day", "in {n} days", days, n=format_decimal(days, locale=locale)
    )


class AlertMessages:
    """The notifications of one scheduler run, each in its manager's locale.

    Make one per run: it reads each contract's binding terms, parses each
    locale and formats each value once, so a catch-up that raises thousands
    of alerts for one contract costs what the alerts do, not thousands of
    readings of the contract's history.
    """

    def __init__(self) -> None:
        self._terms: dict[ContractId, ContractVersion] = {}
        self._locales: dict[str, Locale] = {}
        self._values: dict[tuple[ContractId, str], str] = {}
        self._dates: dict[tuple[dt.date, str], str] = {}

    def notification(
        self,
        alert: RenewalAlert,
        contract: Contract,
        client: Client,
        *,
        locale: str,
        ended: TermEnd | None = None,
    ) -> Notification:
        """The message telling ``alert.recipient`` about ``alert``, in ``locale``.

        Its key, ``"renewal_alert:<alert id>"``, is the same on every run, so
        a notifier that de-duplicates by key delivers it once. A late alert
        tells how many terms ended unannounced, the first and the last, and
        what became of the contract: ``ended`` is its last processed term end.

        Raises:
            ValidationError: a late alert comes without its last term end.
        """
        current = self._terms.get(contract.id)
        if current is None:
            current = self._terms[contract.id] = contract.binding
        reader = self._locales.get(locale)
        if reader is None:
            reader = self._locales[locale] = Locale.parse(locale)
        words = translator(locale)
        value = self._values.get((contract.id, locale))
        if value is None:
            value = self._values[contract.id, locale] = current.value.format(locale)
        dates = self._dates

        def long_date(day: dt.date) -> str:
            text = dates.get((day, locale))
            if text is None:
                text = dates[day, locale] = format_date(day, "long", locale=reader)
            return text

        subject, body, told = _text(
            alert,
            contract,
            client,
            current=current,
            locale=reader,
            words=words,
            long_date=long_date,
            value=value,
            ended=ended,
        )
        return Notification(
            recipient=Recipient(kind=RecipientKind.MANAGER, id=alert.recipient),
            kind=NOTIFICATION_KIND,
            key=f"{NOTIFICATION_KIND}:{alert.id}",
            locale=locale,
            subject=subject,
            body=body,
            payload={
                "alert": alert.id,
                "alert_kind": alert.kind.value,
                "client": client.id,
                "contract": contract.id,
                "deadline": alert.deadline.isoformat(),
                "due_on": alert.due_on.isoformat(),
                "raised_on": alert.raised_on.isoformat(),
                "term_end": alert.term_end.isoformat(),
                "value": str(current.value),
                **told,
            },
        )


def _text(
    alert: RenewalAlert,
    contract: Contract,
    client: Client,
    *,
    current: ContractVersion,
    locale: Locale,
    words: Translator,
    long_date: Callable[[dt.date], str],
    value: str,
    ended: TermEnd | None,
) -> tuple[str, str, dict[str, str]]:
    """The subject, the body and the payload's extra values of an alert."""
    _ = words
    day = alert.raised_on
    told: dict[str, str] = {}
    if alert.kind is AlertKind.LATE:
        last = alert.term_end if alert.last_term_end is None else alert.last_term_end
        if ended is None or ended.term_end != last:
            raise ValidationError.single(
                "AlertMessages.notification",
                "ended",
                f"late alert {alert.id} needs the last term end it tells of ({last})",
                ended,
            )
        told = {
            "last_term_end": last.isoformat(),
            "on": ended.on.isoformat(),
            "outcome": ended.outcome.value,
            "terms": str(alert.terms),
        }
        if alert.terms > 1:
            return (
                *_stretch_text(
                    alert,
                    contract,
                    client,
                    count=format_decimal(alert.terms, locale=locale),
                    words=words,
                    long_date=long_date,
                    value=value,
                    ended=ended,
                ),
                told,
            )
        missed = _(
            "Its renewal alert, due on {due}, never went out: no scheduler run "
            "in time. Value per term: {value}.",
            due=long_date(alert.due_on),
            value=value,
        )
        if ended.outcome is TermEndOutcome.LAPSED:
            subject = _(
                "Contract {contract} lapsed on {on}",
                contract=contract.id,
                on=long_date(ended.on),
            )
            # Translators: {title} is the contract's title, {client} the
            # client's name; {term_end} the last day of its term, {on} the day
            # it lapsed.
            told_of = _(
                "{title} with {client} ended on {term_end} and lapsed on {on}: "
                "expired unrenewed.",
                title=contract.title,
                client=client.name,
                term_end=long_date(alert.term_end),
                on=long_date(ended.on),
            )
        else:
            subject = _(
                "Contract {contract} renewed automatically on {on}",
                contract=contract.id,
                on=long_date(ended.on),
            )
            # Translators: {title} is the contract's title, {client} the
            # client's name; {term_end} the last day of its term, {on} the day
            # it renewed.
            told_of = _(
                "{title} with {client} reached the end of its term on {term_end} "
                "and renewed automatically on {on}.",
                title=contract.title,
                client=client.name,
                term_end=long_date(alert.term_end),
                on=long_date(ended.on),
            )
        body = f"{told_of} {missed}"
    elif alert.kind is AlertKind.NOTICE_DEADLINE:
        subject = _(
            "Contract {contract}: notice deadline on {deadline}",
            contract=contract.id,
            deadline=long_date(alert.deadline),
        )
        # Translators: {title} is the contract's title, {client} the client's
        # name, {renewal} the first day of the next term, {when} how far the
        # deadline is ("in 53 days", "tomorrow").
        body = _(
            "{title} with {client} renews automatically on {renewal} unless "
            "notice is given by {deadline} ({when}). Value per term: {value}.",
            title=contract.title,
            client=client.name,
            renewal=long_date(alert.term_end + dt.timedelta(days=1)),
            deadline=long_date(alert.deadline),
            when=_in_days((alert.deadline - day).days, locale, words),
            value=value,
        )
    else:
        when = _in_days((alert.deadline - day).days, locale, words)
        term_end = long_date(alert.term_end)
        # Raised in the grace period, the term already ended.
        if alert.term_end < day:
            subject = _(
                "Contract {contract} ended on {term_end}",
                contract=contract.id,
                term_end=term_end,
            )
            # Translators: {title} is the contract's title, {client} the
            # client's name, {when} how far the renewal deadline is ("in 53
            # days", "today").
            ends = _(
                "{title} with {client} ended on {term_end} ({when}). "
                "Value per term: {value}.",
                title=contract.title,
                client=client.name,
                term_end=term_end,
                when=when,
                value=value,
            )
        else:
            subject = _(
                "Contract {contract} ends on {term_end}",
                contract=contract.id,
                term_end=term_end,
            )
            # Translators: {title} is the contract's title, {client} the
            # client's name, {when} how far the renewal deadline is ("in 53
            # days", "today").
            ends = _(
                "{title} with {client} ends on {term_end} ({when}). "
                "Value per term: {value}.",
                title=contract.title,
                client=client.name,
                term_end=term_end,
                when=when,
                value=value,
            )
        outlook = (
            _("It renews automatically unless terminated.")
            if current.auto_renew
            else _("It lapses unless renewed.")
        )
        body = f"{ends} {outlook}"
    return subject, body, told


def _stretch_text(
    alert: RenewalAlert,
    contract: Contract,
    client: Client,
    *,
    count: str,
    words: Translator,
    long_date: Callable[[dt.date], str],
    value: str,
    ended: TermEnd,
) -> tuple[str, str]:
    """The subject and body of a late alert telling of several term ends.

    Every term end of a stretch but the last renewed the contract (a lapse or
    a termination closes it), so only the last one's outcome is told. The
    count of term ends, ``count``, is ``alert.terms`` formatted for the locale.
    """
    _ = words
    on = long_date(ended.on)
    if ended.outcome is TermEndOutcome.LAPSED:
        subject = _("Contract {contract} lapsed on {on}", contract=contract.id, on=on)
        outcome = _(
            "It renewed automatically until the last, then lapsed on {on}: "
            "expired unrenewed.",
            on=on,
        )
    else:
        # Translators: {n} is how many times the contract renewed (always
        # more than one), {on} the day of the last renewal.
        subject = _.ngettext(
            "Contract {contract} renewed automatically {n} time, the last on {on}",
            "Contract {contract} renewed automatically {n} times, the last on {on}",
            alert.terms,
            n=count,
            contract=contract.id,
            on=on,
        )
        outcome = _("It renewed automatically each time, the last time on {on}.", on=on)
    # Translators: {title} is the contract's title, {client} the client's name,
    # {n} how many terms ended (always more than one), {first} and {last} the
    # last days of the first and the last of those terms.
    stretch = _.ngettext(
        "{title} with {client} reached the end of {n} term with no alert, the "
        "first on {first} and the last on {last}.",
        "{title} with {client} reached the end of {n} terms with no alert, the "
        "first on {first} and the last on {last}.",
        alert.terms,
        n=count,
        title=contract.title,
        client=client.name,
        first=long_date(alert.term_end),
        last=long_date(ended.term_end),
    )
    # Translators: {due} is the day the first of the missed alerts was due.
    missed = _(
        "Their renewal alerts, the first due on {due}, never went out: no "
        "scheduler run in time. Value per term: {value}.",
        due=long_date(alert.due_on),
        value=value,
    )
    return subject, f"{stretch} {outcome} {missed}"
