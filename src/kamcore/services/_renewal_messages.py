"""The notification an account manager receives for a renewal alert.

Values a person reads (dates, money, day counts) are formatted with Babel in
the manager's locale; the wording is English. The payload carries every value
unformatted too, so a host can render its own template in any language.
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


def _in_days(days: int, locale: Locale) -> str:
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    if days < 0:
        return f"{format_decimal(-days, locale=locale)} days ago"
    return f"in {format_decimal(days, locale=locale)} days"


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
    long_date: Callable[[dt.date], str],
    value: str,
    ended: TermEnd | None,
) -> tuple[str, str, dict[str, str]]:
    """The subject, the body and the payload's extra values of an alert."""
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
                    long_date=long_date,
                    value=value,
                    ended=ended,
                ),
                told,
            )
        missed = (
            f"Its renewal alert, due on {long_date(alert.due_on)}, never went "
            f"out: no scheduler run in time. Value per term: {value}."
        )
        if ended.outcome is TermEndOutcome.LAPSED:
            subject = f"Contract {contract.id} lapsed on {long_date(ended.on)}"
            body = (
                f"{contract.title} with {client.name} ended on "
                f"{long_date(alert.term_end)} and lapsed on {long_date(ended.on)}: "
                f"expired unrenewed. {missed}"
            )
        else:
            subject = (
                f"Contract {contract.id} renewed automatically on {long_date(ended.on)}"
            )
            body = (
                f"{contract.title} with {client.name} reached the end of its "
                f"term on {long_date(alert.term_end)} and renewed automatically "
                f"on {long_date(ended.on)}. {missed}"
            )
    elif alert.kind is AlertKind.NOTICE_DEADLINE:
        when = _in_days((alert.deadline - day).days, locale)
        subject = (
            f"Contract {contract.id}: notice deadline on {long_date(alert.deadline)}"
        )
        body = (
            f"{contract.title} with {client.name} renews automatically on "
            f"{long_date(alert.term_end + dt.timedelta(days=1))} unless notice is "
            f"given by {long_date(alert.deadline)} ({when}). "
            f"Value per term: {value}."
        )
    else:
        when = _in_days((alert.deadline - day).days, locale)
        # Raised in the grace period, the term already ended.
        ends = "ended" if alert.term_end < day else "ends"
        subject = f"Contract {contract.id} {ends} on {long_date(alert.term_end)}"
        outlook = (
            "It renews automatically unless terminated."
            if current.auto_renew
            else "It lapses unless renewed."
        )
        body = (
            f"{contract.title} with {client.name} {ends} on "
            f"{long_date(alert.term_end)} ({when}). Value per term: {value}. "
            f"{outlook}"
        )
    return subject, body, told


def _stretch_text(
    alert: RenewalAlert,
    contract: Contract,
    client: Client,
    *,
    count: str,
    long_date: Callable[[dt.date], str],
    value: str,
    ended: TermEnd,
) -> tuple[str, str]:
    """The subject and body of a late alert telling of several term ends.

    Every term end of a stretch but the last renewed the contract (a lapse or
    a termination closes it), so only the last one's outcome is told.
    """
    on = long_date(ended.on)
    if ended.outcome is TermEndOutcome.LAPSED:
        subject = f"Contract {contract.id} lapsed on {on}"
        outcome = (
            f"It renewed automatically until the last, then lapsed on {on}: "
            "expired unrenewed."
        )
    else:
        subject = (
            f"Contract {contract.id} renewed automatically {count} times, "
            f"the last on {on}"
        )
        outcome = f"It renewed automatically each time, the last time on {on}."
    body = (
        f"{contract.title} with {client.name} reached the end of {count} terms "
        f"with no alert, the first on {long_date(alert.term_end)} and the last "
        f"on {long_date(ended.term_end)}. {outcome} Their renewal alerts, the "
        f"first due on {long_date(alert.due_on)}, never went out: no scheduler "
        f"run in time. Value per term: {value}."
    )
    return subject, body
