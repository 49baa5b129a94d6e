"""Which accounts a metric covers, and why the others are left out.

An :class:`AccountSelection` names a set of accounts the way an account manager
thinks of them: a client group, a manager's portfolio, every key account, or
an explicit list. It is resolved over :class:`~kamcore.accounts.Client`
records: the metrics cover key accounts only, and every account of the
selection that is left out is reported with an :class:`Exclusion` saying why.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping

import attrs

from kamcore.accounts import Client, ClientStatus
from kamcore.errors import ValidationError
from kamcore.i18n import N_, translator
from kamcore.kernel import ClientGroupId, ClientId, FrozenMap, ManagerId
from kamcore.metrics._format import stored_text

__all__ = [
    "AccountSelection",
    "Exclusion",
    "ExclusionReason",
    "ResolvedSelection",
    "SelectionKind",
    "selection_text",
]

# What a selection is called: in English as data (a resolved selection's
# description, the weekly report's JSON), in the reader's language in a report.
# Translators: the key accounts of a client group, by its id ("dach").
_GROUP = N_("group {group}")
# Translators: the key accounts of an account manager, by their id ("m.rossi").
_MANAGER = N_("manager {manager}")
_KEY_ACCOUNTS = N_("all key accounts")
_CHOSEN = N_("chosen accounts")


class SelectionKind(enum.Enum):
    """How a selection picks its accounts."""

    GROUP = "group"
    MANAGER = "manager"
    KEY_ACCOUNTS = "key_accounts"
    CLIENTS = "clients"

    def __str__(self) -> str:
        return self.value


class ExclusionReason(enum.Enum):
    """Why an account of the selection is not counted in a result."""

    NOT_KEY_ACCOUNT = "not_key_account"
    ACCOUNT_CLOSED = "account_closed"
    UNKNOWN_ACCOUNT = "unknown_account"
    OTHER_CURRENCY = "other_currency"
    NO_RENEWAL_DUE = "no_renewal_due"
    RENEWAL_PENDING = "renewal_pending"

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class Exclusion:
    """An account left out of a result, with the reason.

    Attributes:
        client: The account.
        reason: Why, as a code.
        detail: Why, in words (with the values involved).
    """

    client: ClientId
    reason: ExclusionReason
    detail: str

    def row(self) -> dict[str, str]:
        """The exclusion as a plain row."""
        return {
            "client": self.client,
            "reason": self.reason.value,
            "detail": self.detail,
        }


@attrs.frozen
class ResolvedSelection:
    """A selection resolved over client records.

    Attributes:
        clients: The key accounts covered, by id.
        excluded: The accounts of the selection left out, by id.
        description: The selection in words, in English (``"group dach"``).
        source: The selection it was resolved from, to name it in a reader's
            language (:meth:`describe`); ``None`` for one built directly.
    """

    clients: tuple[Client, ...]
    excluded: tuple[Exclusion, ...]
    description: str = _CHOSEN
    source: AccountSelection | None = attrs.field(
        default=None, kw_only=True, eq=False, repr=False
    )
    ids: tuple[ClientId, ...] = attrs.field(init=False, eq=False, repr=False)
    """The ids of :attr:`clients`, in order."""
    names: Mapping[ClientId, str] = attrs.field(init=False, eq=False, repr=False)
    """The names of :attr:`clients`, by id."""
    by_id: Mapping[ClientId, Client] = attrs.field(init=False, eq=False, repr=False)
    """:attr:`clients` by id."""
    currencies: tuple[str, ...] = attrs.field(init=False, eq=False, repr=False)
    """The currencies of :attr:`clients`, in order."""

    def __attrs_post_init__(self) -> None:
        # Every report reads these; they are worked out once per selection.
        object.__setattr__(self, "ids", tuple(c.id for c in self.clients))
        names = FrozenMap({c.id: c.name for c in self.clients})
        object.__setattr__(self, "names", names)
        by_id = FrozenMap({c.id: c for c in self.clients})
        object.__setattr__(self, "by_id", by_id)
        currencies = tuple(c.currency for c in self.clients)
        object.__setattr__(self, "currencies", currencies)

    def describe(self, locale: str) -> str:
        """The selection in words, in the language of ``locale``.

        .. versionadded:: Unreleased
        """
        return selection_text(self.description, self.source, locale)


def selection_text(
    description: str, source: AccountSelection | None, locale: str
) -> str:
    """A selection in words, in the language of ``locale``: ``source``
    described (:meth:`AccountSelection.describe`), or without one the English
    ``description``, which reads translated when it is one of kamcore's own
    (``"chosen accounts"``).

    Raises:
        ValidationError: ``locale`` is unknown.
    """
    if source is not None:
        return source.describe(locale)
    return stored_text(description, translator(locale))


@attrs.frozen
class AccountSelection:
    """A set of accounts to compute metrics over.

    Build one with :meth:`group`, :meth:`manager`, :meth:`key_accounts` or
    :meth:`clients`. Whatever the selection, only key accounts that are not
    closed are covered; the other accounts *of the selection* are excluded
    with a reason (accounts outside it are simply not part of it).

    Example:
        >>> from kamcore.accounts import Client
        >>> rossi = ManagerId("m.rossi")
        >>> clients = [
        ...     Client(id=ClientId("acme"), name="Acme", currency="EUR",
        ...            locale="de_DE", key_account=True, account_manager=rossi),
        ...     Client(id=ClientId("bolt"), name="Bolt", currency="EUR",
        ...            locale="de_DE", account_manager=rossi),
        ... ]
        >>> resolved = AccountSelection.manager(rossi).resolve(clients)
        >>> resolved.ids, [str(e.reason) for e in resolved.excluded]
        (('acme',), ['not_key_account'])
    """

    kind: SelectionKind
    group_id: ClientGroupId | None = None
    manager_id: ManagerId | None = None
    client_ids: frozenset[ClientId] = frozenset()

    def __attrs_post_init__(self) -> None:
        needed = {
            SelectionKind.GROUP: ("group_id", self.group_id),
            SelectionKind.MANAGER: ("manager_id", self.manager_id),
        }.get(self.kind)
        if needed is not None and not needed[1]:
            raise ValidationError.single(
                "AccountSelection",
                needed[0],
                f"a {self.kind} selection needs a {needed[0]}",
                needed[1],
            )

    @classmethod
    def group(cls, group: ClientGroupId) -> AccountSelection:
        """The key accounts of client group ``group``."""
        return cls(SelectionKind.GROUP, group_id=group)

    @classmethod
    def manager(cls, manager: ManagerId) -> AccountSelection:
        """The key accounts managed by ``manager`` (their portfolio)."""
        return cls(SelectionKind.MANAGER, manager_id=manager)

    @classmethod
    def key_accounts(cls) -> AccountSelection:
        """Every key account."""
        return cls(SelectionKind.KEY_ACCOUNTS)

    @classmethod
    def clients(cls, ids: Iterable[ClientId]) -> AccountSelection:
        """The key accounts among ``ids``; an id with no client record is
        excluded as unknown."""
        return cls(SelectionKind.CLIENTS, client_ids=frozenset(ids))

    def describe(self, locale: str | None = None) -> str:
        """The selection in words: ``"group dach"``, ``"manager m.rossi"``.

        Without ``locale``, in English: the selection's data (a resolved
        selection's :attr:`~ResolvedSelection.description`). With it, in the
        language of ``locale``, for a report.

        Raises:
            ValidationError: ``locale`` is unknown.

        .. versionchanged:: Unreleased
           ``locale``: the words in its language.
        """
        if self.kind is SelectionKind.CLIENTS:
            count = len(self.client_ids)
            if locale is None:  # the data as it always was, "1 chosen accounts"
                return f"{count} chosen accounts"
            return translator(locale).ngettext(
                "{n} chosen account", "{n} chosen accounts", count
            )
        named: dict[SelectionKind, tuple[str, dict[str, object]]] = {
            SelectionKind.GROUP: (_GROUP, {"group": self.group_id}),
            SelectionKind.MANAGER: (_MANAGER, {"manager": self.manager_id}),
            SelectionKind.KEY_ACCOUNTS: (_KEY_ACCOUNTS, {}),
        }
        template, values = named[self.kind]
        if locale is None:
            return template.format_map(values)
        return translator(locale)(template, **values)

    def _picks(self, client: Client) -> bool:
        kind = self.kind
        if kind is SelectionKind.GROUP:
            return self.group_id in client.groups
        if kind is SelectionKind.MANAGER:
            return client.account_manager == self.manager_id
        if kind is SelectionKind.CLIENTS:
            return client.id in self.client_ids
        return client.key_account

    def resolve(self, clients: Iterable[Client]) -> ResolvedSelection:
        """The key accounts of the selection among ``clients``, by id, and the
        excluded ones (not key accounts, closed, unknown ids), by id."""
        covered: list[Client] = []
        excluded: list[Exclusion] = []
        seen: set[ClientId] = set()
        closed = ClientStatus.CLOSED
        for client in clients:
            if not self._picks(client):
                continue
            seen.add(client.id)
            if not client.key_account:
                excluded.append(
                    Exclusion(
                        client.id,
                        ExclusionReason.NOT_KEY_ACCOUNT,
                        "not a key account",
                    )
                )
            elif client.status is closed:
                excluded.append(
                    Exclusion(client.id, ExclusionReason.ACCOUNT_CLOSED, "closed")
                )
            else:
                covered.append(client)
        for missing in self.client_ids - seen:
            excluded.append(
                Exclusion(
                    missing,
                    ExclusionReason.UNKNOWN_ACCOUNT,
                    f"no client record for {missing!r}",
                )
            )
        covered.sort(key=lambda c: c.id)
        excluded.sort(key=lambda e: e.client)
        return ResolvedSelection(
            tuple(covered), tuple(excluded), self.describe(), source=self
        )
