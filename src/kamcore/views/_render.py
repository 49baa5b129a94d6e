"""The account 360 and the client portal as text, for a reader in a locale.

The wording is translated through kamcore's catalogues into the reader's
language, and every date, amount, count and percentage is formatted with Babel
for the locale given. Event summaries keep their values locale-neutral (ISO
dates, plain amounts: they are data too), so each line shows the event's date
and amount in the reader's format beside its summary. The portal's text reads
only fields of the portal records, which carry nothing outside the allow-list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from babel.dates import format_date

from kamcore.i18n import N_, NC_, Translator, translator
from kamcore.kernel import Money, validate_locale
from kamcore.views._events import EventKind, day_text, number_text
from kamcore.views._words import (
    CONTRACT_STATUS,
    INVOICE_STATE,
    PROPOSAL_PURPOSE,
    PROPOSAL_STATUS,
    points_count,
)

if TYPE_CHECKING:
    from kamcore.views._account360 import Account360
    from kamcore.views._portal_records import (
        ClientPortal,
        PortalContract,
        PortalInvoice,
        PortalLoyalty,
        PortalProposal,
    )

__all__ = ["EVENT_NAMES", "render_account_360", "render_client_portal"]

#: What each kind of event is called in the account 360's history.
EVENT_NAMES = {
    EventKind.ORDER_PLACED: NC_("history event", "order placed"),
    EventKind.ORDER_CLOSED: NC_("history event", "order closed"),
    EventKind.INVOICE_ISSUED: NC_("history event", "invoice issued"),
    EventKind.CREDIT_NOTE_ISSUED: NC_("history event", "credit note issued"),
    EventKind.PAYMENT_RECEIVED: NC_("history event", "payment received"),
    EventKind.INVOICE_OVERDUE: NC_("history event", "invoice overdue"),
    EventKind.INVOICE_PAID: NC_("history event", "invoice paid"),
    EventKind.INVOICE_CANCELLED: NC_("history event", "invoice cancelled"),
    EventKind.TICKET_OPENED: NC_("history event", "ticket opened"),
    EventKind.TICKET_RESOLVED: NC_("history event", "ticket resolved"),
    EventKind.ACTIVITY: NC_("history event", "activity"),
    EventKind.CONTRACT_VERSION: NC_("history event", "contract version"),
    EventKind.CONTRACT_SIGNED: NC_("history event", "contract signed"),
    EventKind.CONTRACT_DOCUMENT: NC_("history event", "contract document"),
    EventKind.CONTRACT_STATUS: NC_("history event", "contract status"),
    EventKind.TERMINATION_NOTICE: NC_("history event", "termination notice"),
    EventKind.OPPORTUNITY_CREATED: NC_("history event", "opportunity created"),
    EventKind.OPPORTUNITY_CHANGED: NC_("history event", "opportunity changed"),
    EventKind.PROPOSAL_REVISION: NC_("history event", "proposal revision"),
    EventKind.PROPOSAL_STATUS: NC_("history event", "proposal status"),
    EventKind.LOYALTY_ENROLLED: NC_("history event", "loyalty enrolled"),
    EventKind.LOYALTY_ENTRY: NC_("history event", "loyalty entry"),
    EventKind.LOYALTY_NOTICE: NC_("history event", "loyalty notice"),
}


def _money(amounts: tuple[Money, ...], locale: str) -> str:
    return " + ".join(amount.format(locale) for amount in amounts)


def render_account_360(view: Account360, locale: str) -> str:
    """``view`` as lines of text for ``locale``.

    Raises:
        ValidationError: an unknown locale.
    """
    validate_locale(locale, subject="Account360.render")
    _ = translator(locale)
    summary = view.summary
    lines = [
        _(
            "Account 360: {name} ({client}), as of {date}",
            name=summary.name,
            client=summary.client,
            date=format_date(summary.as_of, "long", locale=locale),
        ),
        # Translators: {open} and {overdue} count invoices; {owed} and
        # {overdue_total} are amounts ("€824.00", or several joined by " + ").
        _(
            "Invoices: {open} open, {overdue} overdue; owed {owed} "
            "(overdue {overdue_total})",
            open=number_text(summary.open_invoices, locale),
            overdue=number_text(summary.overdue_invoices, locale),
            owed=_money(summary.open_balance, locale),
            overdue_total=_money(summary.overdue_total, locale),
        ),
        _(
            "Open tickets: {tickets}; contracts in force: {contracts}; open "
            "opportunities: {opportunities}",
            tickets=number_text(summary.open_tickets, locale),
            contracts=number_text(len(summary.contracts_in_force), locale),
            opportunities=number_text(len(summary.open_opportunities), locale),
        ),
    ]
    for standing in summary.loyalty:
        values = {
            "tier": standing.tier_name,
            "programme": standing.programme_name,
            "n": number_text(standing.points, locale),
            "pending": number_text(standing.pending, locale),
        }
        lines.append(
            # Translators: {tier} and {programme} are names; {n} is the points
            # usable, {pending} the points waiting for invoices to be paid. The
            # English singular says "points" too: write your language's singular.
            _.ngettext(
                "Loyalty: {tier} in {programme}, set by the account manager; "
                "{n} points ({pending} pending)",
                "Loyalty: {tier} in {programme}, set by the account manager; "
                "{n} points ({pending} pending)",
                points_count(standing.points),
                **values,
            )
            if standing.overridden
            # Translators: {tier} and {programme} are names; {n} is the points
            # usable, {pending} the points waiting for invoices to be paid. The
            # English singular says "points" too: write your language's singular.
            else _.ngettext(
                "Loyalty: {tier} in {programme}; {n} points ({pending} pending)",
                "Loyalty: {tier} in {programme}; {n} points ({pending} pending)",
                points_count(standing.points),
                **values,
            )
        )
    lines.append("")
    lines.append(
        # Translators: the English singular says "events" too: write your
        # language's singular.
        _.ngettext(
            "History ({n} events):",
            "History ({n} events):",
            len(view.events),
            n=number_text(len(view.events), locale),
        )
    )
    names = {kind: _(name) for kind, name in EVENT_NAMES.items()}
    # The summaries start in one column, after the longest name of the language.
    width = max(len(name) for name in names.values()) + 2
    for event in view.events:
        day = day_text(event.on, locale)
        amount = "" if event.amount is None else f"  [{event.amount.format(locale)}]"
        lines.append(
            f"  {day}  {names[event.kind]:<{width}}{event.describe(locale)}{amount}"
        )
    return "\n".join(lines)


# -- the client portal ----------------------------------------------------------------


#: A contract's line, by whether it renews automatically and has a notice
#: deadline (neither is shown once the client gave notice).
_CONTRACT_LINES = {
    # Translators: a contract's title, status ("active"), first and last day,
    # and value per term.
    (False, False): N_("{title}: {status}, {start} to {end}; {value} per term"),
    # Translators: a contract's title, status ("active"), first and last day,
    # and value per term.
    (True, False): N_(
        "{title}: {status}, {start} to {end}; {value} per term; renews automatically"
    ),
    # Translators: a contract's title, status ("active"), first and last day,
    # value per term, and the last day to give notice.
    (False, True): N_(
        "{title}: {status}, {start} to {end}; {value} per term; notice by {deadline}"
    ),
    # Translators: a contract's title, status ("active"), first and last day,
    # value per term, and the last day to give notice.
    (True, True): N_(
        "{title}: {status}, {start} to {end}; {value} per term; renews "
        "automatically; notice by {deadline}"
    ),
}


def _contract_lines(contract: PortalContract, _: Translator) -> list[str]:
    locale = _.locale
    terms = contract.current
    # Once the client gave notice, the renewal terms no longer apply: the
    # notice line below says when the contract ends instead.
    noticed = contract.termination_received_on is not None
    deadline = None if noticed else terms.notice_deadline
    message = _CONTRACT_LINES[terms.auto_renew and not noticed, deadline is not None]
    line = _(
        message,
        title=contract.title,
        status=_(CONTRACT_STATUS[contract.status]),
        start=day_text(contract.start, locale),
        end=day_text(contract.end, locale),
        value=terms.value.format(locale),
        deadline=None if deadline is None else day_text(deadline, locale),
    )
    lines = [f"  {contract.id}  {line}"]
    if contract.termination_received_on is not None:
        received = day_text(contract.termination_received_on, locale)
        ends = contract.termination_effective_end
        lines.append(
            "    "
            + (
                _("notice of termination received {received}", received=received)
                if ends is None
                else _(
                    "notice of termination received {received}, ends {end}",
                    received=received,
                    end=day_text(ends, locale),
                )
            )
        )
    lines.extend(
        "    "
        # Translators: {signer} is the name of who signed the version, {start}
        # the day it takes effect, {value} its value per term.
        + _(
            "version {number} signed {signed} by {signer}, from {start}: {value}",
            number=number_text(version.number, locale),
            signed=day_text(version.signed_on, locale),
            signer=version.signed_by,
            start=day_text(version.effective_from, locale),
            value=version.value.format(locale),
        )
        for version in contract.signed_versions
    )
    return lines


def _proposal_lines(proposal: PortalProposal, _: Translator) -> list[str]:
    locale = _.locale
    values = {
        "purpose": _(PROPOSAL_PURPOSE[proposal.purpose]),
        "status": _(PROPOSAL_STATUS[proposal.status]),
        "sent": day_text(proposal.sent_on, locale),
        "total": proposal.total.format(locale),
    }
    # Translators: the proposal's purpose ("upsell") and status ("sent").
    line = (
        _("{purpose}: {status}, sent {sent}; total {total}", **values)
        if proposal.valid_until is None
        else _(
            "{purpose}: {status}, sent {sent}, valid until {valid}; total {total}",
            valid=day_text(proposal.valid_until, locale),
            **values,
        )
    )
    lines = [f"  {proposal.id}  {line}"]
    lines.extend(
        "    "
        # Translators: {date} is the day of the prices the revision uses.
        + _(
            "revision {number}, prices of {date}: {total}",
            number=number_text(revision.number, locale),
            date=day_text(revision.pricing_date, locale),
            total=revision.total.format(locale),
        )
        for revision in proposal.revisions
    )
    return lines


def _invoice_lines(invoice: PortalInvoice, _: Translator) -> list[str]:
    locale = _.locale
    state = _(INVOICE_STATE[invoice.state])
    if invoice.days_overdue:
        # Translators: {state} is the invoice's state ("overdue"), {n} how many
        # days past its due date. The English singular says "days" too: write
        # your language's singular.
        state = _.ngettext(
            "{state} ({n} days)",
            "{state} ({n} days)",
            invoice.days_overdue,
            state=state,
            n=number_text(invoice.days_overdue, locale),
        )
    # Translators: {state} is the invoice's state ("open", "overdue (12 days)").
    line = _(
        "issued {issued}, due {due}: {state}; total {total}, credited {credited}, "
        "paid {paid}, balance {balance}",
        issued=day_text(invoice.issue_date, locale),
        due=day_text(invoice.due_date, locale),
        state=state,
        total=invoice.total.format(locale),
        credited=invoice.credited.format(locale),
        paid=invoice.paid.format(locale),
        balance=invoice.balance.format(locale),
    )
    lines = [f"  {invoice.id}  {line}"]
    if invoice.redemptions:
        lines.append(
            "    " + _("lines total {total}", total=invoice.lines_total.format(locale))
        )
    lines.extend(
        "    "
        # Translators: {line} is the invoice line's text ("Loyalty points
        # redeemed"), {n} the points, {rate} the value of one point, {amount}
        # the amount deducted. The English singular says "points" too: write
        # your language's singular.
        + _.ngettext(
            "{line}: {n} points at {rate}: {amount}",
            "{line}: {n} points at {rate}: {amount}",
            points_count(r.points),
            line=r.description,
            n=number_text(r.points, locale),
            rate=r.rate.format(locale),
            amount=(-r.amount).format(locale),
        )
        for r in invoice.redemptions
    )
    lines.extend(
        "    "
        + (
            # Translators: {reference} is the payment's reference, as given.
            _(
                "payment {payment} received {date}: {amount} ({reference})",
                payment=p.id,
                date=day_text(p.received_on, locale),
                amount=p.amount.format(locale),
                reference=p.reference,
            )
            if p.reference
            else _(
                "payment {payment} received {date}: {amount}",
                payment=p.id,
                date=day_text(p.received_on, locale),
                amount=p.amount.format(locale),
            )
        )
        for p in invoice.payments
    )
    lines.extend(
        "    "
        + _(
            "credit note {note} issued {date}: {amount}",
            note=c.id,
            date=day_text(c.issued_on, locale),
            amount=c.amount.format(locale),
        )
        for c in invoice.credit_notes
    )
    return lines


def _loyalty_line(standing: PortalLoyalty, _: Translator) -> str:
    locale = _.locale
    values = {
        "programme": standing.programme,
        "tier": standing.tier_name,
        "benefits": standing.benefits,
        "n": number_text(standing.points, locale),
        "pending": number_text(standing.pending_points, locale),
        "worth": standing.points_value.format(locale),
    }
    count = points_count(standing.points)
    if standing.extra_discount.value == 0:
        # Translators: {programme} and {tier} are names, {benefits} the tier's
        # benefits as the programme describes them; {n} the points usable,
        # {pending} the points waiting for invoices to be paid, {worth} their
        # value. The English singular says "points" too: write your language's
        # singular.
        line = _.ngettext(
            "{programme}: {tier} ({benefits}); {n} points ({pending} pending), "
            "worth {worth}",
            "{programme}: {tier} ({benefits}); {n} points ({pending} pending), "
            "worth {worth}",
            count,
            **values,
        )
    else:
        # Translators: as the line without an extra discount; {discount} is a
        # percentage. The English singular says "points" too: write your
        # language's singular.
        line = _.ngettext(
            "{programme}: {tier} ({benefits}, extra discount {discount}); {n} "
            "points ({pending} pending), worth {worth}",
            "{programme}: {tier} ({benefits}, extra discount {discount}); {n} "
            "points ({pending} pending), worth {worth}",
            count,
            discount=standing.extra_discount.format(locale),
            **values,
        )
    return f"  {line}"


def render_client_portal(portal: ClientPortal, locale: str) -> str:
    """``portal`` as lines of text for ``locale``.

    Raises:
        ValidationError: an unknown locale.
    """
    validate_locale(locale, subject="ClientPortal.report")
    _ = translator(locale)
    lines = [
        _(
            "Client portal: {name} ({client}), as of {date}",
            name=portal.name,
            client=portal.client,
            date=format_date(portal.as_of, "long", locale=locale),
        ),
        "",
        # Translators: a heading, with how many contracts follow.
        _("Contracts ({count}):", count=number_text(len(portal.contracts), locale)),
    ]
    for contract in portal.contracts:
        lines += _contract_lines(contract, _)
    # Translators: a heading, with how many proposals follow.
    lines.append(
        _("Proposals ({count}):", count=number_text(len(portal.proposals), locale))
    )
    for proposal in portal.proposals:
        lines += _proposal_lines(proposal, _)
    # Translators: a heading, with how many invoices follow.
    lines.append(
        _("Invoices ({count}):", count=number_text(len(portal.invoices), locale))
    )
    for invoice in portal.invoices:
        lines += _invoice_lines(invoice, _)
    # Translators: a heading, with how many loyalty programmes follow.
    lines.append(
        _("Loyalty ({count}):", count=number_text(len(portal.loyalty), locale))
    )
    lines.extend(_loyalty_line(standing, _) for standing in portal.loyalty)
    return "\n".join(lines)
