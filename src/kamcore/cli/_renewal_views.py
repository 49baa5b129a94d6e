"""Text of the renewal scheduler's runs and of the alerts waiting, for people.

Every sentence is translated for the locale given (kamcore's catalogues,
:mod:`kamcore.i18n`), its dates formatted with Babel for that locale;
contracts, clients and recipients are values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from kamcore.accounts import Client
from kamcore.cli._views import day
from kamcore.contracts import AlertKind, RenewalAlert, TermEnd, TermEndOutcome
from kamcore.i18n import NC_, Translator, translator
from kamcore.kernel import ClientId
from kamcore.services import RenewalRun, SkipReason

__all__ = ["OUTCOME_NAMES", "SKIP_REASONS", "alerts_text", "renewal_run_text"]


def _alert_line(
    _: Translator,
    alert: RenewalAlert,
    names: Mapping[ClientId, str],
    as_of: dt.date,
) -> str:
    """One alert on one line (without its indent): what it tells of, how far
    its deadline is, and whom it went to.

    One whole sentence for each kind of alert, deadline ahead or passed: a
    late alert tells of the term that ended or, for several, of the stretch
    (only a late alert covers several terms).
    """
    locale = _.locale
    days = (alert.deadline - as_of).days
    ahead, passed = days >= 0, -days
    values: dict[str, object] = {
        "contract": alert.contract,
        "client": names.get(alert.client, alert.client),
        "recipient": alert.recipient,
        "deadline": day(alert.deadline, locale),
        "term_end": day(alert.term_end, locale),
    }
    if alert.kind is AlertKind.NOTICE_DEADLINE:
        line = (
            _.ngettext(
                "{contract} {client}: notice deadline alert, notice deadline "
                "{deadline} (in {n} day), to {recipient}",
                "{contract} {client}: notice deadline alert, notice deadline "
                "{deadline} (in {n} days), to {recipient}",
                days,
                **values,
            )
            if ahead
            # Translators: the English singular says "days" too: write your
            # language's singular (the deadline passed {n} day ago).
            else _.ngettext(
                "{contract} {client}: notice deadline alert, notice deadline "
                "{deadline} ({n} days ago), to {recipient}",
                "{contract} {client}: notice deadline alert, notice deadline "
                "{deadline} ({n} days ago), to {recipient}",
                passed,
                **values,
            )
        )
    elif alert.last_term_end is not None and alert.terms > 1:
        values |= {"terms": alert.terms, "last": day(alert.last_term_end, locale)}
        line = (
            # Translators: {terms} terms (two or more) ended from {term_end}
            # to {last} before anybody was told; the deadline is in {n} days.
            _.ngettext(
                "{contract} {client}: late alert, {terms} terms ended unannounced, "
                "{term_end} to {last} (in {n} day), to {recipient}",
                "{contract} {client}: late alert, {terms} terms ended unannounced, "
                "{term_end} to {last} (in {n} days), to {recipient}",
                days,
                **values,
            )
            if ahead
            # Translators: {terms} terms (two or more) ended from {term_end}
            # to {last} before anybody was told; the deadline passed {n} days
            # ago. The English singular says "days" too: write your
            # language's singular.
            else _.ngettext(
                "{contract} {client}: late alert, {terms} terms ended unannounced, "
                "{term_end} to {last} ({n} days ago), to {recipient}",
                "{contract} {client}: late alert, {terms} terms ended unannounced, "
                "{term_end} to {last} ({n} days ago), to {recipient}",
                passed,
                **values,
            )
        )
    elif alert.kind is AlertKind.LATE:
        line = (
            _.ngettext(
                "{contract} {client}: late alert, term ended {term_end} "
                "(in {n} day), to {recipient}",
                "{contract} {client}: late alert, term ended {term_end} "
                "(in {n} days), to {recipient}",
                days,
                **values,
            )
            if ahead
            # Translators: the English singular says "days" too: write your
            # language's singular (the deadline passed {n} day ago).
            else _.ngettext(
                "{contract} {client}: late alert, term ended {term_end} "
                "({n} days ago), to {recipient}",
                "{contract} {client}: late alert, term ended {term_end} "
                "({n} days ago), to {recipient}",
                passed,
                **values,
            )
        )
    else:
        line = (
            _.ngettext(
                "{contract} {client}: renewal alert, term ends {term_end} "
                "(in {n} day), to {recipient}",
                "{contract} {client}: renewal alert, term ends {term_end} "
                "(in {n} days), to {recipient}",
                days,
                **values,
            )
            if ahead
            # Translators: the English singular says "days" too: write your
            # language's singular (the deadline passed {n} day ago).
            else _.ngettext(
                "{contract} {client}: renewal alert, term ends {term_end} "
                "({n} days ago), to {recipient}",
                "{contract} {client}: renewal alert, term ends {term_end} "
                "({n} days ago), to {recipient}",
                passed,
                **values,
            )
        )
    return line


def _outcome_runs(
    term_ends: Sequence[TermEnd],
) -> list[tuple[TermEnd, TermEnd, int]]:
    """Consecutive term ends of one contract with one outcome, as (first, last,
    count): a contract caught up over many terms reads as one line, not one a
    term."""
    runs: list[tuple[TermEnd, TermEnd, int]] = []
    for term in term_ends:
        if runs:
            first, _, count = runs[-1]
            if (first.contract, first.outcome) == (term.contract, term.outcome):
                runs[-1] = (first, term, count + 1)
                continue
        runs.append((term, term, 1))
    return runs


#: What became of a contract at a term end, as a renewal run tells it.
OUTCOME_NAMES = {
    TermEndOutcome.RENEWED: NC_("contract at a term end", "renewed"),
    TermEndOutcome.LAPSED: NC_("contract at a term end", "lapsed"),
    TermEndOutcome.TERMINATED: NC_("contract at a term end", "terminated"),
}
#: Why a renewal run held a contract's alerts back.
SKIP_REASONS = {
    SkipReason.NO_ACCOUNT_MANAGER: NC_("alerts held back", "no account manager"),
    SkipReason.CLIENT_NOT_FOUND: NC_("alerts held back", "client not found"),
}


def renewal_run_text(
    run: RenewalRun, clients: Sequence[Client], locale: str
) -> list[str]:
    """What one run of the renewal scheduler did, in lines."""
    _ = translator(locale)
    names = {client.id: client.name for client in clients}
    lines = [
        _.ngettext(
            "Renewal scheduler, {day}: {n} alert raised",
            "Renewal scheduler, {day}: {n} alerts raised",
            len(run.raised),
            day=day(run.as_of, locale),
        )
    ]
    lines += ["  " + _alert_line(_, alert, names, run.as_of) for alert in run.raised]
    for first, last, count in _outcome_runs(run.term_ends):
        contract = {
            "contract": first.contract,
            "client": names.get(first.client, first.client),
            "outcome": _(OUTCOME_NAMES[first.outcome]),
        }
        if count == 1:
            # Translators: {outcome} is what became of the contract
            # ("renewed", "lapsed", "terminated").
            line = _(
                "{contract} {client}: {outcome} (term ended {term_end})",
                term_end=day(first.term_end, locale),
                **contract,
            )
        else:
            # Translators: {outcome} is what became of the contract
            # ("renewed"...), {n} times (two or more), once a term.
            line = _.ngettext(
                "{contract} {client}: {outcome} {n} time "
                "(terms ended {first} to {last})",
                "{contract} {client}: {outcome} {n} times "
                "(terms ended {first} to {last})",
                count,
                first=day(first.term_end, locale),
                last=day(last.term_end, locale),
                **contract,
            )
        lines.append("  " + line)
    lines += [
        "  "
        + _.ngettext(
            "{contract}: {n} alert held back ({reason})",
            "{contract}: {n} alerts held back ({reason})",
            len(skipped.alerts),
            contract=skipped.contract,
            reason=_(SKIP_REASONS[skipped.reason]),
        )
        for skipped in run.skipped
    ]
    return lines


def alerts_text(
    alerts: Sequence[RenewalAlert],
    clients: Sequence[Client],
    as_of: dt.date,
    locale: str,
) -> list[str]:
    """The alerts still waiting for a first action, oldest first."""
    _ = translator(locale)
    names = {client.id: client.name for client in clients}
    waiting = [alert for alert in alerts if alert.first_action is None]
    lines = [_("Alerts without a first action: {count}", count=len(waiting))]
    for alert in waiting:
        age = (as_of - alert.raised_on).days
        told = _alert_line(_, alert, names, as_of)
        # Translators: {alert} is a whole alert line ("K-1 ACME: renewal
        # alert, term ends ..."), raised on {day}, {n} days before today.
        line = _.ngettext(
            "{alert}; raised {day}, {n} day ago",
            "{alert}; raised {day}, {n} days ago",
            age,
            alert=told,
            day=day(alert.raised_on, locale),
        )
        lines.append("  " + line)
    return lines
