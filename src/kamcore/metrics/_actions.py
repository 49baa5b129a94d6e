"""Days to first action on renewal alerts (SPEC §6): how quickly managers react."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import ClassVar

import attrs

from kamcore.contracts import AlertKind
from kamcore.i18n import N_, Translator, translator
from kamcore.kernel import EXACT, AlertId, ClientId, ContractId, DateRange
from kamcore.metrics._format import (
    Row,
    checked_locale,
    client_text,
    date_text,
    iso,
    number_text,
    period_text,
    stored_text,
    text,
)
from kamcore.metrics._frames import FrameExport
from kamcore.metrics._months import quotient
from kamcore.metrics._retention import closed_period
from kamcore.metrics._selection import Exclusion, ResolvedSelection
from kamcore.metrics._state import PortfolioState

__all__ = ["AlertLine", "DaysToFirstAction", "days_to_first_action"]


@attrs.frozen(kw_only=True)
class AlertLine:
    """One renewal alert raised in the period.

    Attributes:
        alert: The alert.
        contract: The contract it is about.
        client: Its client.
        kind: Renewal, notice deadline, or late (terms that ended before
            their renewal alerts went out: a renewal alert that came late).
        term_end: The end of the term it is about (a late alert's first).
        last_term_end: A late alert's last term end; ``term_end`` otherwise.
        terms: How many term ends it tells of.
        raised_on: The day it was raised.
        first_action_on: The day of its first action, if one was taken by the
            as-of date.
        days: Days from raising to the first action; ``None`` without one.
        age: For an alert still without action: days since it was raised, on
            the as-of date; ``None`` once acted on.
    """

    alert: AlertId
    contract: ContractId
    client: ClientId
    kind: AlertKind
    term_end: dt.date
    last_term_end: dt.date
    terms: int
    raised_on: dt.date
    first_action_on: dt.date | None
    days: int | None
    age: int | None

    def row(self) -> Row:
        """The alert as a plain row."""
        return {
            "alert": self.alert,
            "contract": self.contract,
            "client": self.client,
            "kind": self.kind.value,
            "term_end": self.term_end.isoformat(),
            "last_term_end": self.last_term_end.isoformat(),
            "terms": self.terms,
            "raised_on": self.raised_on.isoformat(),
            "first_action_on": iso(self.first_action_on),
            "days_to_first_action": self.days,
            "age_without_action": self.age,
        }

    def describe(self, locale: str) -> str:
        """What the alert is about, in words: its kind and its term(s),
        formatted for ``locale``, in its language."""
        _ = translator(locale)
        day = date_text(self.term_end, locale)
        if self.kind is not AlertKind.LATE:
            return _(_ABOUT_TERM[self.kind], day=day)
        if self.terms == 1:
            # Translators: a late renewal alert: the term ended on {day} and
            # nobody was told in time.
            return _("late alert for the term that ended {day} unannounced", day=day)
        # Translators: a late renewal alert for {terms} terms (at least two) that
        # ended, from {first} to {last}, before anybody was told.
        return _.ngettext(
            "late alert for {terms} term that ended unannounced, {first} to {last}",
            "late alert for {terms} terms that ended unannounced, {first} to {last}",
            self.terms,
            terms=number_text(self.terms, locale),
            first=day,
            last=date_text(self.last_term_end, locale),
        )


#: What an alert on time is about, by its kind (``{day}``: the term's end).
_ABOUT_TERM = {
    AlertKind.RENEWAL: N_("renewal alert for the term ending {day}"),
    AlertKind.NOTICE_DEADLINE: N_("notice deadline alert for the term ending {day}"),
}


def median(values: list[int]) -> Decimal:
    """The median of ``values`` (not empty), exact: the middle value, or the
    mean of the two middle values (a whole number or a half)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[middle])
    return EXACT.divide(Decimal(ordered[middle - 1] + ordered[middle]), 2)


@attrs.frozen(kw_only=True)
class DaysToFirstAction(FrameExport):
    """Days to first action on renewal alerts raised in a period.

    Attributes:
        as_of: The date it was computed as of.
        period: The period alerts were raised in (inclusive).
        value: The mean days to first action over the alerts acted on,
            ``numerator / denominator`` rounded once to 0.01 day
            ``ROUND_HALF_UP``; ``None`` when no alert was acted on yet.
        reason: Why there is no value.
        median: The median days to first action, exact; ``None`` likewise.
        numerator: The total days to first action of the alerts acted on.
        denominator: The number of alerts acted on.
        alerts: The alerts acted on, by raising date then id.
        open_alerts: The alerts still without action on the as-of date, with
            their age, oldest first.
        covered: The accounts looked at.
        excluded: The selection's other accounts, each with its reason.
    """

    DEFINITION: ClassVar[str] = (
        "Days from raising a renewal alert to the first action taken on it, "
        "per alert, and their mean and median over the alerts raised in the period."
    )

    as_of: dt.date
    period: DateRange
    value: Decimal | None
    reason: str | None
    median: Decimal | None
    numerator: int
    denominator: int
    alerts: tuple[AlertLine, ...]
    open_alerts: tuple[AlertLine, ...]
    covered: tuple[ClientId, ...]
    excluded: tuple[Exclusion, ...]

    @property
    def definition(self) -> str:
        """What the metric measures, in one line."""
        return self.DEFINITION

    def rows(self) -> list[Row]:
        """One row per alert raised in the period, acted on or not."""
        return [a.row() for a in (*self.alerts, *self.open_alerts)]

    def summary_row(self) -> Row:
        """The figures, their parts and the population, as one row."""
        return {
            "metric": "days_to_first_action",
            "as_of": self.as_of.isoformat(),
            "period_start": iso(self.period.start),
            "period_end": iso(self.period.end),
            "value": text(self.value),
            "median": text(self.median),
            "reason": self.reason,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "open_alerts": len(self.open_alerts),
            "covered": len(self.covered),
            "excluded": len(self.excluded),
        }

    def report(self, locale: str, names: Mapping[ClientId, str] | None = None) -> str:
        """The result in words, formatted for ``locale``, in its language;
        accounts by their ``names`` where given (by id otherwise)."""
        checked_locale(locale)
        _ = translator(locale)
        values = {
            "period": period_text(self.period, locale),
            "day": date_text(self.as_of, locale),
        }
        if self.value is None or self.median is None:
            # Translators: {period} is "1 Jan 2026 to 31 Mar 2026", {day} the
            # date it is computed as of, {reason} why there is no figure.
            head = _(
                "Days to first action on renewal alerts, {period} (as of {day}): "
                "n/a ({reason})",
                reason=stored_text(self.reason, _),
                **values,
            )
        else:
            # Translators: {period} is "1 Jan 2026 to 31 Mar 2026", {day} the
            # date it is computed as of; {mean} and {median} are numbers of days
            # over the {n} alerts acted on.
            head = _.ngettext(
                "Days to first action on renewal alerts, {period} (as of {day}): "
                "mean {mean}, median {median} over {n} alert",
                "Days to first action on renewal alerts, {period} (as of {day}): "
                "mean {mean}, median {median} over {n} alerts",
                self.denominator,
                mean=number_text(self.value, locale),
                median=number_text(self.median, locale),
                **values,
            )
        lines = [head]
        if self.open_alerts:
            lines.append(
                _("Still without action: {count}", count=len(self.open_alerts))
            )
        lines.extend("  " + _waiting_line(a, names, _) for a in self.open_alerts)
        return "\n".join(lines)


def _waiting_line(
    alert: AlertLine, names: Mapping[ClientId, str] | None, _: Translator
) -> str:
    """An alert still without action, for the reader of ``_``."""
    age = alert.age or 0
    # Read before the call: Babel's extractor loses a message whose arguments
    # name the translator.
    locale = _.locale
    # Translators: an alert still without action: its contract and client,
    # {alert} what it is about ("renewal alert for the term ending 31 Oct
    # 2026"), the day it was raised, and for how many days it has waited.
    return _.ngettext(
        "{contract} ({client}): {alert}, raised {day}, {days} day without action",
        "{contract} ({client}): {alert}, raised {day}, {days} days without action",
        age,
        contract=alert.contract,
        client=client_text(alert.client, names),
        alert=alert.describe(locale),
        day=date_text(alert.raised_on, locale),
        days=number_text(age, locale),
    )


_NO_ACTION = N_("no alert raised in the period was acted on yet")
"""The reason days to first action have no value."""


def days_to_first_action(
    state: PortfolioState,
    selection: ResolvedSelection,
    *,
    period: DateRange,
    as_of: dt.date,
) -> DaysToFirstAction:
    """Days to first action on the alerts of ``selection`` raised in ``period``.

    An alert counts when it was raised in the period, on or before ``as_of``.
    A first action taken after ``as_of`` was not taken yet on that date: the
    alert is reported as still without action, with its age on ``as_of``.

    Raises:
        ValidationError: ``period`` is open-ended, or ``as_of`` is not a date.
    """
    first, last = closed_period(period, as_of, "days_to_first_action")
    ids = selection.names
    acted: list[AlertLine] = []
    waiting: list[AlertLine] = []
    for facts in state.alerts.values():
        raised = facts.raised_on
        if facts.client not in ids or not first <= raised <= last or raised > as_of:
            continue
        action = facts.first_action_on
        done = action is not None and action <= as_of
        line = AlertLine(
            alert=facts.id,
            contract=facts.contract,
            client=facts.client,
            kind=facts.kind,
            term_end=facts.term_end,
            last_term_end=facts.last_term_end,
            terms=facts.terms,
            raised_on=raised,
            first_action_on=action if done else None,
            days=(action - raised).days if done and action is not None else None,
            age=None if done else (as_of - raised).days,
        )
        (acted if done else waiting).append(line)
    acted.sort(key=lambda a: (a.raised_on, a.alert))
    waiting.sort(key=lambda a: (a.raised_on, a.alert))
    days = [a.days for a in acted if a.days is not None]
    total = sum(days)
    return DaysToFirstAction(
        as_of=as_of,
        period=period,
        value=quotient(total, len(days), 2) if days else None,
        reason=None if days else _NO_ACTION,
        median=median(days) if days else None,
        numerator=total,
        denominator=len(days),
        alerts=tuple(acted),
        open_alerts=tuple(waiting),
        covered=selection.ids,
        excluded=selection.excluded,
    )
