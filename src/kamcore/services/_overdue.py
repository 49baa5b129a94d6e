"""The daily overdue check (seed, daily account monitoring).

Key accounts with overdue invoices: the host's automated reminder is held back
through the :class:`~kamcore.ports.ReminderControl` port, and each account
manager gets one notification listing their late accounts, so they intervene
personally. Smaller clients are left to the automated reminders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import cast

import attrs
from babel.dates import format_date

from kamcore.accounts import InvoiceState
from kamcore.errors import ValidationError
from kamcore.i18n import translator
from kamcore.kernel import (
    Checks,
    ClientId,
    InvoiceId,
    ManagerId,
    Money,
    validate_locale,
)
from kamcore.ports import (
    Clock,
    Notification,
    Notifier,
    Recipient,
    RecipientKind,
    ReminderControl,
    UnitOfWork,
)

__all__ = ["OverdueCheck", "OverdueInvoice", "daily_overdue_check", "find_overdue"]

NOTIFICATION_KIND = "overdue_key_accounts"
_REASON = "key account: the account manager intervenes instead of the reminder"


@attrs.frozen(kw_only=True)
class OverdueInvoice:
    """One overdue invoice of a key account.

    Attributes:
        invoice: The invoice.
        client: Its client's id.
        client_name: Its client's name.
        manager: The account manager, who intervenes.
        balance: What is still owed on the check date.
        due_date: When it was due.
        days_overdue: Days past the due date on the check date.
    """

    invoice: InvoiceId
    client: ClientId
    client_name: str
    manager: ManagerId
    balance: Money
    due_date: dt.date
    days_overdue: int

    def row(self) -> dict[str, str | int]:
        """A plain, JSON-friendly row."""
        return {
            "invoice": self.invoice,
            "client": self.client,
            "client_name": self.client_name,
            "manager": self.manager,
            "balance": str(self.balance.amount),
            "currency": self.balance.currency,
            "due_date": self.due_date.isoformat(),
            "days_overdue": self.days_overdue,
        }


@attrs.frozen(kw_only=True)
class OverdueCheck:
    """What the daily check found and did.

    Attributes:
        as_of: The check date.
        overdue: Overdue key-account invoices, most overdue first (then by
            invoice id).
        held: Invoices whose automated reminder was held back (all of them:
            every key account has an account manager to intervene).
        notified: The managers notified.
    """

    as_of: dt.date
    overdue: tuple[OverdueInvoice, ...]
    held: tuple[InvoiceId, ...]
    notified: tuple[ManagerId, ...]

    def rows(self) -> list[dict[str, str | int]]:
        """The overdue invoices as plain rows, for a DataFrame or JSON."""
        return [item.row() for item in self.overdue]

    def report(self, locale: str) -> str:
        """A readable report in the language of ``locale``, dates and money
        formatted with Babel for it.

        Raises:
            ValidationError: ``locale`` is unknown.
        """
        locale = validate_locale(locale)
        _ = translator(locale)
        lines = [
            _(
                "Daily overdue check, {date}",
                date=format_date(self.as_of, "full", locale=locale),
            )
        ]
        if not self.overdue:
            lines.append(_("No key account has an overdue invoice."))
            return "\n".join(lines)
        for manager in sorted({item.manager for item in self.overdue}):
            # Translators: the heading of one account manager's overdue invoices.
            lines.append(_("{manager}:", manager=manager))
            lines.extend(
                "  "
                # Translators: {client} is the client's name, {invoice} the
                # invoice's number, {balance} the amount still owed.
                + _.ngettext(
                    "{client}: {invoice} {balance} due, {n} day overdue "
                    "(automated reminder held back: call the client)",
                    "{client}: {invoice} {balance} due, {n} days overdue "
                    "(automated reminder held back: call the client)",
                    item.days_overdue,
                    client=item.client_name,
                    invoice=item.invoice,
                    balance=item.balance.format(locale),
                )
                for item in self.overdue
                if item.manager == manager
            )
        return "\n".join(lines)


def daily_overdue_check(
    uow: UnitOfWork,
    reminders: ReminderControl,
    notifier: Notifier,
    clock: Clock,
    *,
    locales: Mapping[str, str] | None = None,
    default_locale: str = "en_US",
) -> OverdueCheck:
    """Find key accounts' overdue invoices as of today and act on them.

    For each overdue invoice of a key account, the automated reminder is held
    (the port tolerates repeated holds), and each manager gets one
    notification for the day listing their late accounts
    (key ``"overdue_key_accounts:<manager>:<date>"``: a rerun the same day
    sends the same message, which a de-duplicating notifier delivers once).
    Nothing is written to the repositories.

    Args:
        uow: The unit of work (read only).
        reminders: The host's dunning system.
        notifier: Where the managers' notifications go.
        clock: Gives the check date.
        locales: Each manager's locale, by manager id.
        default_locale: The locale of managers not in ``locales``.

    Raises:
        ValidationError: an unknown locale (before anything is done).
    """
    chosen = dict(locales or {})
    checks = Checks("daily_overdue_check")
    for path, locale in [("default_locale", default_locale)] + [
        (f"locales[{manager!r}]", code) for manager, code in chosen.items()
    ]:
        try:
            validate_locale(locale, subject="daily_overdue_check", path=path)
        except ValidationError as error:
            for field in error.errors:
                checks.fail(field.path, field.message, field.value)
    checks.raise_if_any()
    today = clock.today()
    overdue = find_overdue(uow, today)
    for item in overdue:
        reminders.hold(
            item.invoice,
            client=item.client,
            manager=item.manager,
            since=today,
            reason=_REASON,
        )
    check = OverdueCheck(
        as_of=today,
        overdue=tuple(overdue),
        held=tuple(item.invoice for item in overdue),
        notified=tuple(sorted({item.manager for item in overdue})),
    )
    for manager in check.notified:
        locale = chosen.get(manager, default_locale)
        _ = translator(locale)
        mine = [i for i in overdue if i.manager == manager]
        notifier.send(
            Notification(
                recipient=Recipient(kind=RecipientKind.MANAGER, id=manager),
                kind=NOTIFICATION_KIND,
                key=f"{NOTIFICATION_KIND}:{manager}:{today.isoformat()}",
                locale=locale,
                subject=_.ngettext(
                    "{n} overdue key-account invoice: call before the reminder would",
                    "{n} overdue key-account invoices: call before the reminder would",
                    len(mine),
                ),
                body="\n".join(
                    # Translators: {client} is the client's name, {invoice} the
                    # invoice's number, {balance} the amount still owed.
                    _.ngettext(
                        "{client}: {invoice}, {balance}, {n} day overdue",
                        "{client}: {invoice}, {balance}, {n} days overdue",
                        i.days_overdue,
                        client=i.client_name,
                        invoice=i.invoice,
                        balance=i.balance.format(locale),
                    )
                    for i in mine
                ),
                payload={
                    "as_of": today.isoformat(),
                    "invoices": ",".join(i.invoice for i in mine),
                },
            )
        )
    return check


def find_overdue(uow: UnitOfWork, as_of: dt.date) -> list[OverdueInvoice]:
    """Key accounts' invoices overdue on ``as_of``, most overdue first (read only)."""
    with uow:
        key_accounts = {c.id: c for c in uow.clients.find(key_account=True)}
        invoices = [
            invoice
            for invoice in uow.invoices.outstanding(as_of=as_of)
            if invoice.client in key_accounts
            and invoice.state(as_of) is InvoiceState.OVERDUE
        ]
    return sorted(
        (
            OverdueInvoice(
                invoice=invoice.id,
                client=invoice.client,
                client_name=key_accounts[invoice.client].name,
                # Client validation guarantees every key account a manager.
                manager=cast(ManagerId, key_accounts[invoice.client].account_manager),
                balance=invoice.balance(as_of),
                due_date=invoice.due_date,
                days_overdue=invoice.days_overdue(as_of),
            )
            for invoice in invoices
        ),
        key=lambda item: (-item.days_overdue, item.invoice),
    )
