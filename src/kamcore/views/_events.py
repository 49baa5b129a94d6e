"""One event of a client's history, the as-of cut-off, and the order of events.

Sources record time two ways: a business *date* (an invoice's issue date, a
payment's value date, a contract status change) or an aware *instant* (a
meeting, a ticket, a proposal sent). One timeline needs one rule for both:

* every event has a business date, :attr:`HistoryEvent.on`: the date the source
  gives, or the instant's date in the view's business timezone;
* an event belongs to the view *as of* a date when its business date is on or
  before it: "as of 15 March" includes everything that happened on 15 March;
* events sort by business date; within a day, timed events come first, by
  instant, then the day's dated events (a date says "during that day", known for
  certain only at its end, which is also how ``as_of`` reads); remaining ties go
  by :class:`EventKind` order (an invoice is issued before it is paid), then
  source id, then the event's position within its source.

The order is therefore total and does not depend on the order records arrive in.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Mapping
from decimal import Decimal
from typing import TypeAlias

import attrs
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from kamcore.i18n import Label, Translator, translator
from kamcore.kernel import Checks, FrozenMap, Money
from kamcore.views._plain import Plain, plain

__all__ = ["AsOf", "Detail", "EventKind", "HistoryEvent"]

Detail: TypeAlias = str | int | bool | Decimal | Money | dt.date | None
"""A structured detail of an event (dates, amounts, counts, ids, text)."""

_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)


class EventKind(enum.Enum):
    """What happened. The declaration order breaks ties between events of the
    same day and time (see the module rule)."""

    ORDER_PLACED = "order_placed"
    ORDER_CLOSED = "order_closed"
    INVOICE_ISSUED = "invoice_issued"
    CREDIT_NOTE_ISSUED = "credit_note_issued"
    PAYMENT_RECEIVED = "payment_received"
    INVOICE_OVERDUE = "invoice_overdue"
    INVOICE_PAID = "invoice_paid"
    INVOICE_CANCELLED = "invoice_cancelled"
    TICKET_OPENED = "ticket_opened"
    TICKET_RESOLVED = "ticket_resolved"
    ACTIVITY = "activity"
    CONTRACT_VERSION = "contract_version"
    CONTRACT_SIGNED = "contract_signed"
    CONTRACT_DOCUMENT = "contract_document"
    CONTRACT_STATUS = "contract_status"
    TERMINATION_NOTICE = "termination_notice"
    OPPORTUNITY_CREATED = "opportunity_created"
    OPPORTUNITY_CHANGED = "opportunity_changed"
    PROPOSAL_REVISION = "proposal_revision"
    PROPOSAL_STATUS = "proposal_status"
    LOYALTY_ENROLLED = "loyalty_enrolled"
    LOYALTY_ENTRY = "loyalty_entry"
    LOYALTY_NOTICE = "loyalty_notice"

    def __str__(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        """The kind in words (``"invoice issued"``)."""
        return self.value.replace("_", " ")


_RANK = {kind: index for index, kind in enumerate(EventKind)}


@attrs.frozen
class AsOf:
    """The cut-off of a view: a business date, read in a business timezone.

    Attributes:
        day: The last business date the view includes (all of it).
        timezone: The business's timezone: an instant belongs to the date it
            has there (the clock port's ``today()`` uses the same rule).

    Raises:
        ValidationError: ``day`` is not a date or ``timezone`` not a tzinfo.

    Example:
        >>> paris = AsOf(dt.date(2026, 3, 15), dt.timezone(dt.timedelta(hours=1)))
        >>> paris.includes(dt.datetime(2026, 3, 15, 23, 30, tzinfo=dt.UTC))
        False
    """

    day: dt.date
    timezone: dt.tzinfo = dt.UTC

    def __attrs_post_init__(self) -> None:
        checks = Checks("AsOf")
        checks.date("as_of", self.day)
        checks.instance("timezone", self.timezone, dt.tzinfo)
        checks.raise_if_any()

    def day_of(self, instant: dt.datetime) -> dt.date:
        """The business date of ``instant``."""
        return instant.astimezone(self.timezone).date()

    def includes(self, when: dt.date) -> bool:
        """Whether a date, or an instant (by its business date), is in the view."""
        if isinstance(when, dt.datetime):
            return self.day_of(when) <= self.day
        return when <= self.day


def _freeze(details: Mapping[str, Detail]) -> Mapping[str, Detail]:
    return FrozenMap(details)


def _freeze_values(values: Mapping[str, object]) -> Mapping[str, object]:
    return FrozenMap(values)


@attrs.frozen
class Sentence:
    """An event's summary as a message to translate, with its values.

    Made with ``Sentence(N_("..."), {...})``, or :meth:`ngettext` for a message
    with a plural: the catalogues' extraction finds a message by those names
    (``N_``, and ``ngettext`` for both forms).

    Attributes:
        message: The English template (the msgid), or its singular form.
        values: What fills its placeholders; a :class:`~kamcore.i18n.Label`
            (an event's state or kind), a :class:`Coded` value and a
            sentence of its own are translated too, dates and numbers
            written for the locale.
        plural: The English plural form, for a message with one.
        count: The number that chooses the form.
    """

    message: str
    values: Mapping[str, object] = attrs.field(
        factory=dict, converter=_freeze_values, hash=False
    )
    plural: str | None = None
    count: int = 0

    @classmethod
    def ngettext(
        cls, singular: str, plural: str, n: int, /, **values: object
    ) -> Sentence:
        """A message with a plural, its form chosen by ``n`` (``{n}`` unless
        ``values`` gives ``n`` a text of its own)."""
        return cls(singular, values, plural=plural, count=n)

    def text(self, words: Translator, *, localized: bool = True) -> str:
        """The sentence in the language of ``words``.

        Dates and numbers among the values are written for the translator's
        locale (Babel), or, with ``localized=False``, locale-neutral: dates
        ISO 8601, numbers as stored (the English :attr:`HistoryEvent.summary`).
        """
        values = {
            name: _shown(value, words, localized=localized)
            for name, value in self.values.items()
        }
        if self.plural is None:
            return words(self.message, **values)
        return words.ngettext(self.message, self.plural, self.count, **values)


@attrs.frozen
class Coded:
    """A value stored as a code (``"needs_analysis"``) and shown as its label.

    The locale-neutral summary keeps the code; a translated text shows the
    label in the reader's language.
    """

    code: str
    label: Label


def _shown(value: object, words: Translator, *, localized: bool) -> object:
    """``value`` as a sentence shows it (see :meth:`Sentence.text`)."""
    if isinstance(value, Label):
        return words(value)
    if isinstance(value, Sentence):
        return value.text(words, localized=localized)
    if isinstance(value, Coded):
        return words(value.label) if localized else value.code
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return day_text(value, words.locale) if localized else value.isoformat()
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return number_text(value, words.locale) if localized else str(value)
    return value


def day_text(day: dt.date, locale: str) -> str:
    """A medium date for ``locale`` (``'03.03.2026'`` in de_DE)."""
    return babel_dates.format_date(day, "medium", locale=locale)


def number_text(value: Decimal | int, locale: str) -> str:
    """A number for ``locale``, every digit kept (points may have six places)."""
    return babel_numbers.format_decimal(
        value, locale=locale, decimal_quantization=False
    )


@functools.cache
def _english() -> Translator:
    return translator("en")


@attrs.frozen(kw_only=True)
class HistoryEvent:
    """One thing that happened to a client's account.

    Attributes:
        on: Its business date (the source's date, or its instant's date in the
            view's timezone).
        at: The instant, when the source records one; ``None`` for dated events.
        kind: What happened.
        summary: One line in words, locale-neutral (ISO dates, plain amounts),
            in English; :meth:`describe` gives it in another language.
        source: The id of the record it comes from (invoice, contract...).
        sequence: Its position within that record's events (a version, a
            revision, a change number), for a stable order.
        amount: The money it is about, if any (an invoice total, a payment).
        details: Structured facts, by name; every amount in ``amount``'s
            currency.
    """

    on: dt.date
    at: dt.datetime | None
    kind: EventKind
    summary: str
    source: str
    sequence: int = 0
    amount: Money | None = None
    details: Mapping[str, Detail] = attrs.field(
        factory=dict, converter=_freeze, hash=False
    )
    # The summary's message, kept to translate it; the summary is its English.
    _sentence: Sentence | None = attrs.field(
        default=None, alias="sentence", eq=False, repr=False
    )

    @property
    def sort_key(self) -> tuple[dt.date, int, dt.datetime, int, str, int]:
        """The ordering rule of the module, as a key."""
        timed = self.at is not None
        instant = self.at.astimezone(dt.UTC) if self.at is not None else _EARLIEST
        return (
            self.on,
            0 if timed else 1,
            instant,
            _RANK[self.kind],
            self.source,
            self.sequence,
        )

    def describe(self, locale: str) -> str:
        """The summary in the language of ``locale``, its dates and numbers
        written for that locale (:attr:`summary` keeps them locale-neutral).

        Raises:
            ValidationError: an unknown locale.

        Example:
            >>> event = dated(
            ...     EventKind.INVOICE_CANCELLED,
            ...     dt.date(2026, 3, 2),
            ...     Sentence("invoice {invoice} cancelled", {"invoice": "INV-7"}),
            ...     "INV-7",
            ... )
            >>> event.describe("en_GB") == event.summary
            True
        """
        words = translator(locale)
        return self.summary if self._sentence is None else self._sentence.text(words)

    def row(self) -> dict[str, Plain | dict[str, Plain]]:
        """The event as plain values: amounts as strings, dates ISO 8601."""
        return {
            "on": self.on.isoformat(),
            "at": None if self.at is None else self.at.isoformat(),
            "kind": self.kind.value,
            "summary": self.summary,
            "source": self.source,
            "sequence": self.sequence,
            "amount": plain(self.amount),
            "currency": None if self.amount is None else self.amount.currency,
            "details": {name: plain(value) for name, value in self.details.items()},
        }


def dated(
    kind: EventKind,
    on: dt.date,
    summary: Sentence,
    source: str,
    *,
    sequence: int = 0,
    amount: Money | None = None,
    details: Mapping[str, Detail] | None = None,
) -> HistoryEvent:
    """A dated event (no instant)."""
    return HistoryEvent(
        on=on,
        at=None,
        kind=kind,
        summary=summary.text(_english(), localized=False),
        source=source,
        sequence=sequence,
        amount=amount,
        details=details or {},
        sentence=summary,
    )


def timed(
    kind: EventKind,
    at: dt.datetime,
    as_of: AsOf,
    summary: Sentence,
    source: str,
    *,
    sequence: int = 0,
    amount: Money | None = None,
    details: Mapping[str, Detail] | None = None,
) -> HistoryEvent:
    """A timed event, dated by its instant's business date."""
    return HistoryEvent(
        on=as_of.day_of(at),
        at=at,
        kind=kind,
        summary=summary.text(_english(), localized=False),
        source=source,
        sequence=sequence,
        amount=amount,
        details=details or {},
        sentence=summary,
    )
