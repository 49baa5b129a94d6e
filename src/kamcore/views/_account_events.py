"""History events of the account records: orders, invoices, tickets, activities.

Each function returns the events of one record that fall in the view; nothing
dated after the cut-off is read into an event. Two invoice events are derived
rather than recorded: *overdue* (the day after the due date, when something was
still owed then) and *paid* (the first day nothing was owed any more).
Cancelling an invoice and closing an order (fulfilled or cancelled) are events
on their own dates; before those dates a view shows the invoice issued and the
order open, as they then were.
"""

from __future__ import annotations

import datetime as dt

from kamcore.accounts import (
    Activity,
    Invoice,
    InvoiceState,
    Order,
    OrderStatus,
    Ticket,
)
from kamcore.i18n import N_
from kamcore.views._events import (
    AsOf,
    EventKind,
    HistoryEvent,
    Sentence,
    dated,
    timed,
)
from kamcore.views._words import (
    ACTIVITY_KIND,
    INVOICE_STATE,
    ORDER_STATUS,
    TICKET_PRIORITY,
)

__all__ = ["activity_events", "invoice_events", "order_events", "ticket_events"]

_DAY = dt.timedelta(days=1)

#: An order closed, by the status it closed with.
_CLOSED = {
    OrderStatus.OPEN: N_("order {order} open"),
    OrderStatus.FULFILLED: N_("order {order} fulfilled"),
    OrderStatus.CANCELLED: N_("order {order} cancelled"),
}


def order_events(order: Order, as_of: AsOf) -> list[HistoryEvent]:
    """The order placed, on its order date (with its status as of the view
    date), and the order fulfilled or cancelled, on its ``closed_on``."""
    if not as_of.includes(order.order_date):
        return []
    status = order.status_on(as_of.day)
    events = [
        dated(
            EventKind.ORDER_PLACED,
            order.order_date,
            # Translators: {status} is the order's status ("open", "fulfilled").
            Sentence.ngettext(
                "order {order} placed: {n} line, {status}",
                "order {order} placed: {n} lines, {status}",
                len(order.lines),
                order=order.id,
                status=ORDER_STATUS[status],
            ),
            order.id,
            amount=order.total,
            details={"lines": len(order.lines), "status": status.value},
        )
    ]
    if order.closed_on is not None and as_of.includes(order.closed_on):
        events.append(
            dated(
                EventKind.ORDER_CLOSED,
                order.closed_on,
                Sentence(_CLOSED[order.status], {"order": order.id}),
                order.id,
                amount=order.total,
                details={"status": order.status.value},
            )
        )
    return events


def invoice_events(invoice: Invoice, as_of: AsOf) -> list[HistoryEvent]:
    """Issue (with the state as of the view date), credit notes, payments,
    and the derived overdue and paid events."""
    if not as_of.includes(invoice.issue_date):
        return []
    day = as_of.day
    state = invoice.state(day)
    events = [
        dated(
            EventKind.INVOICE_ISSUED,
            invoice.issue_date,
            # Translators: {state} is the invoice's state on the view's date,
            # {day} ("open", "overdue", "paid").
            Sentence(
                N_("invoice {invoice} issued, due {due}: {state} as of {day}"),
                {
                    "invoice": invoice.id,
                    "due": invoice.due_date,
                    "state": INVOICE_STATE[state],
                    "day": day,
                },
            ),
            invoice.id,
            amount=invoice.total,
            details={
                "due_date": invoice.due_date,
                "lines": len(invoice.lines),
                "lines_total": invoice.lines_total,
                "redeemed": invoice.redeemed,
                "state": state.value,
                "days_overdue": invoice.days_overdue(day),
                "credited": invoice.credited(day),
                "paid": invoice.paid(day),
                "balance": invoice.balance(day),
            },
        )
    ]
    notes = sorted(invoice.credit_notes, key=lambda note: (note.issued_on, note.id))
    for position, note in enumerate(notes, start=1):
        if as_of.includes(note.issued_on):
            events.append(
                dated(
                    EventKind.CREDIT_NOTE_ISSUED,
                    note.issued_on,
                    # Translators: {reason} is the credit note's reason, as given.
                    Sentence(
                        N_("credit note {note} on invoice {invoice}: {reason}"),
                        {"note": note.id, "invoice": invoice.id, "reason": note.reason},
                    ),
                    invoice.id,
                    sequence=position,
                    amount=note.amount,
                    details={"credit_note": note.id, "reason": note.reason},
                )
            )
    payments = sorted(invoice.payments, key=lambda pay: (pay.received_on, pay.id))
    for position, payment in enumerate(payments, start=1):
        if as_of.includes(payment.received_on):
            events.append(
                dated(
                    EventKind.PAYMENT_RECEIVED,
                    payment.received_on,
                    Sentence(
                        N_("payment {payment} received on invoice {invoice}"),
                        {"payment": payment.id, "invoice": invoice.id},
                    ),
                    invoice.id,
                    sequence=position,
                    amount=payment.amount,
                    details={"payment": payment.id, "reference": payment.reference},
                )
            )
    events.extend(_derived(invoice, as_of))
    cancelled = invoice.cancelled_on
    if cancelled is not None and as_of.includes(cancelled):
        events.append(
            dated(
                EventKind.INVOICE_CANCELLED,
                cancelled,
                Sentence(N_("invoice {invoice} cancelled"), {"invoice": invoice.id}),
                invoice.id,
                amount=invoice.total,
                details={"issue_date": invoice.issue_date},
            )
        )
    return events


def _derived(invoice: Invoice, as_of: AsOf) -> list[HistoryEvent]:
    # A cancelled invoice was issued until its cancellation: it may have gone
    # overdue before it (``state`` answers as of ``first_late``), never after.
    events = []
    first_late = invoice.due_date + _DAY
    if as_of.includes(first_late) and invoice.state(first_late) is InvoiceState.OVERDUE:
        events.append(
            dated(
                EventKind.INVOICE_OVERDUE,
                first_late,
                Sentence(
                    N_("invoice {invoice} overdue (due {due})"),
                    {"invoice": invoice.id, "due": invoice.due_date},
                ),
                invoice.id,
                amount=invoice.balance(first_late),
                details={"due_date": invoice.due_date},
            )
        )
    settled = invoice.settled_on()
    if settled is not None and as_of.includes(settled):
        on_time = settled <= invoice.due_date
        events.append(
            dated(
                EventKind.INVOICE_PAID,
                settled,
                (
                    Sentence(N_("invoice {invoice} settled"), {"invoice": invoice.id})
                    if on_time
                    # Translators: the English singular says "days" too: write
                    # your language's singular.
                    else Sentence.ngettext(
                        "invoice {invoice} settled ({n} days late)",
                        "invoice {invoice} settled ({n} days late)",
                        (settled - invoice.due_date).days,
                        invoice=invoice.id,
                    )
                ),
                invoice.id,
                details={"on_time": on_time},
            )
        )
    return events


def ticket_events(ticket: Ticket, as_of: AsOf) -> list[HistoryEvent]:
    """The ticket opened, and resolved when that is in the view."""
    if not as_of.includes(ticket.opened_at):
        return []
    events = [
        timed(
            EventKind.TICKET_OPENED,
            ticket.opened_at,
            as_of,
            # Translators: {priority} is the ticket's priority ("high"),
            # {subject} its subject, as written.
            Sentence(
                N_("ticket {ticket} opened ({priority}): {subject}"),
                {
                    "ticket": ticket.id,
                    "priority": TICKET_PRIORITY[ticket.priority],
                    "subject": ticket.subject,
                },
            ),
            ticket.id,
            details={"subject": ticket.subject, "priority": ticket.priority.value},
        )
    ]
    if ticket.resolved_at is not None and as_of.includes(ticket.resolved_at):
        events.append(
            timed(
                EventKind.TICKET_RESOLVED,
                ticket.resolved_at,
                as_of,
                Sentence(
                    N_("ticket {ticket} resolved: {subject}"),
                    {"ticket": ticket.id, "subject": ticket.subject},
                ),
                ticket.id,
                sequence=1,
                details={"subject": ticket.subject, "priority": ticket.priority.value},
            )
        )
    return events


def activity_events(activity: Activity, as_of: AsOf) -> list[HistoryEvent]:
    """The call, meeting, email or note (internal ones included: the account
    360 is the account manager's view)."""
    if not as_of.includes(activity.occurred_at):
        return []
    # Translators: {activity} is what it was ("call", "meeting"), {author} who
    # recorded it, {summary} its summary, as written.
    message = (
        N_("{activity} by {author} (internal): {summary}")
        if activity.internal
        else N_("{activity} by {author}: {summary}")
    )
    return [
        timed(
            EventKind.ACTIVITY,
            activity.occurred_at,
            as_of,
            Sentence(
                message,
                {
                    "activity": ACTIVITY_KIND[activity.kind],
                    "author": activity.author,
                    "summary": activity.summary,
                },
            ),
            activity.id,
            details={
                "activity": activity.kind.value,
                "author": activity.author,
                "internal": activity.internal,
                "opportunity": activity.opportunity,
                "contract": activity.contract,
            },
        )
    ]
