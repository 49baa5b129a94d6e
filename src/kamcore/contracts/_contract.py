"""The contract aggregate: effective-dated versions, signatures, a status history.

Every change returns a new :class:`Contract` (they are frozen values) and keeps
what came before: versions, signatures, status changes and archived documents
are only ever appended.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from kamcore.contracts._history import binding_versions, check_history
from kamcore.contracts._status import (
    CLOSED,
    IN_FORCE,
    ContractStatus,
    StatusChange,
    check_transition,
)
from kamcore.contracts._termination import TerminationNotice
from kamcore.contracts._version import ArchivedDocument, ContractVersion, Signature
from kamcore.errors import (
    InvalidTransitionError,
    PolicyViolationError,
    ValidationError,
)
from kamcore.kernel import Checks, ClientId, ContractId, ManagerId

# StatusChange and TerminationNotice live in their own modules; they are
# re-exported here because they were first defined here.
__all__ = ["AMENDABLE", "Contract", "StatusChange", "TerminationNotice"]

AMENDABLE = (
    "term",
    "end",
    "value",
    "price_list",
    "auto_renew",
    "notice_period",
    "renewal_lead_days",
    "grace_days",
)
"""The fields an amendment may change (:meth:`Contract.amend`); the anchor and
the term count change by renewing."""


@attrs.frozen(kw_only=True)
class Contract:
    """A contract with one client, as a history of effective-dated versions.

    Attributes:
        id: The contract's id.
        client: The client it binds.
        title: A name people recognise ("Framework agreement 2026").
        versions: Every version, oldest first; the last one is current.
        status: Where the contract is in its lifecycle.
        history: Every status change, oldest first.
        signatures: Signatures, each bound to one version.
        documents: Archived documents, each of one version.
        termination: The client's notice of termination, if one arrived.
        version: Optimistic-locking version of the stored record.

    Raises:
        ValidationError: naming every offending field; versions must be
            numbered 1, 2, ... with effective dates that never go back.

    Example:
        >>> import datetime as dt
        >>> from dateutil.relativedelta import relativedelta
        >>> from kamcore.kernel import Money
        >>> contract = Contract.draft(
        ...     id=ContractId("k-1"),
        ...     client=ClientId("acme"),
        ...     title="Framework agreement",
        ...     start=dt.date(2024, 1, 31),
        ...     term=relativedelta(months=1),
        ...     value=Money("1200.00", "EUR"),
        ...     recorded_at=dt.datetime(2024, 1, 10, tzinfo=dt.UTC),
        ...     recorded_by=ManagerId("m-1"),
        ... )
        >>> contract.end
        datetime.date(2024, 2, 28)
        >>> contract.renew(
        ...     recorded_at=dt.datetime(2024, 2, 1, tzinfo=dt.UTC),
        ...     recorded_by=ManagerId("m-1"),
        ... ).end
        datetime.date(2024, 3, 30)
    """

    id: ContractId
    client: ClientId
    title: str
    versions: tuple[ContractVersion, ...]
    status: ContractStatus = ContractStatus.DRAFT
    history: tuple[StatusChange, ...] = ()
    signatures: tuple[Signature, ...] = ()
    documents: tuple[ArchivedDocument, ...] = ()
    termination: TerminationNotice | None = None
    version: int = 0

    def __attrs_post_init__(self) -> None:
        checks = Checks("Contract")
        checks.text("id", self.id)
        checks.text("client", self.client)
        checks.text("title", self.title)
        checks.each("versions", self.versions, ContractVersion)
        checks.instance("status", self.status, ContractStatus)
        checks.each("history", self.history, StatusChange)
        checks.each("signatures", self.signatures, Signature)
        checks.each("documents", self.documents, ArchivedDocument)
        if self.termination is not None:
            checks.instance("termination", self.termination, TerminationNotice)
        checks.version(self.version)
        checks.raise_if_any()
        check_history(checks, self.versions, self.signatures, self.documents)
        checks.raise_if_any()

    # -- construction --------------------------------------------------------
    @classmethod
    def draft(
        cls,
        *,
        id: ContractId,  # noqa: A002 - the entity's own field name
        client: ClientId,
        title: str,
        start: dt.date,
        term: relativedelta,
        value: Any,
        recorded_at: dt.datetime,
        recorded_by: ManagerId,
        note: str = "original agreement",
        **terms: Any,
    ) -> Contract:
        """A new draft contract whose first term starts on ``start``.

        ``terms`` are the other :class:`ContractVersion` fields (``end``,
        ``price_list``, ``auto_renew``, ``notice_period``,
        ``renewal_lead_days``, ``grace_days``).
        """
        first = ContractVersion(
            number=1,
            effective_from=start,
            anchor=start,
            term=term,
            value=value,
            note=note,
            recorded_at=recorded_at,
            recorded_by=recorded_by,
            **terms,
        )
        return cls(id=id, client=client, title=title, versions=(first,))

    # -- reading --------------------------------------------------------------
    @property
    def current(self) -> ContractVersion:
        """The latest version."""
        return self.versions[-1]

    @functools.cached_property
    def binding_versions(self) -> tuple[ContractVersion, ...]:
        """Every version that binds, oldest first: all but the pending ones.

        A version that renews the contract for another term binds once it is
        signed, or when the auto-renewal clause made it (see
        :attr:`binding`); until then it is pending. Read once per contract
        value (it walks the whole history).
        """
        signed = {signature.version for signature in self.signatures}
        return binding_versions(self.versions, signed)

    @property
    def binding(self) -> ContractVersion:
        """The last version that binds: the terms the contract runs on.

        Only a signed term extends a contract (SPEC §4). :attr:`current` is
        the latest version recorded; a renewal case records the renewed term
        before the client signs it, and until the signature is recorded that
        version is pending: the contract's term end, grace period, notice
        deadline and auto-renewal clause are still those of the last binding
        version. A version binds when it is signed, when it amends the term
        of the last binding version (it starts on the same day), or when it
        is the renewal that version's auto-renewal clause makes (the same
        terms, for the next term). The renewal scheduler, termination notices
        and the metrics read this.
        """
        return self.binding_versions[-1]

    @property
    def start(self) -> dt.date:
        """The first day of the first term."""
        return self.versions[0].term_start

    @property
    def end(self) -> dt.date:
        """The last day (inclusive) of the current version's term."""
        return self.current.term_end

    @property
    def in_force(self) -> bool:
        """Whether the status binds both parties (active, renewing, renewed)."""
        return self.status in IN_FORCE

    def version_on(self, day: dt.date) -> ContractVersion | None:
        """The version in effect on ``day``; ``None`` before the first one."""
        found = None
        for item in self.versions:
            if item.effective_from <= day:
                found = item
        return found

    def signature_of(self, number: int) -> Signature | None:
        """The signature bound to version ``number``, if it was signed."""
        for signature in self.signatures:
            if signature.version == number:
                return signature
        return None

    # -- changes --------------------------------------------------------------
    def amend(
        self,
        *,
        effective_from: dt.date,
        recorded_at: dt.datetime,
        recorded_by: ManagerId,
        note: str,
        **changes: Any,
    ) -> Contract:
        """A new version from ``effective_from`` with ``changes`` applied.

        The current term keeps its start. A new ``term`` length therefore
        counts from the current term's start (the anchor moves there, as term
        1), rather than re-counting every past term at the new length.

        Raises:
            ValidationError: an unknown field, or a version that would not be
                valid; the contract is unchanged.
            InvalidTransitionError: the contract is closed (lapsed, terminated
                or archived).
        """
        _check_amendable(changes)
        current = self.current
        if "term" in changes and changes["term"] != current.term:
            changes = {
                "anchor": current.term_start,
                "term_number": 1,
                **changes,
            }
        return self._append(
            effective_from=effective_from,
            recorded_at=recorded_at,
            recorded_by=recorded_by,
            note=note,
            **changes,
        )

    def renew(
        self,
        *,
        recorded_at: dt.datetime,
        recorded_by: ManagerId,
        note: str = "renewed for one more term",
        base_date: dt.date | None = None,
        **changes: Any,
    ) -> Contract:
        """A new version covering the next term, effective from its first day.

        The next term is anchored on the original start (term *n+1* from the
        same anchor), so renewals never drift; with ``base_date`` (an early or
        late renewal) the count restarts from that date. An explicit ``end`` of
        the current version is not carried over: when it moved the term's end,
        the next term starts the day after it (see
        :meth:`ContractVersion.next_term`). A new ``term`` length counts from
        the next term's start. The status is left to the caller (the renewal
        case or the scheduler moves it).

        Raises:
            ValidationError: as for :meth:`amend`.
            InvalidTransitionError: the contract is closed.
        """
        _check_amendable(changes)
        self._refuse_if_closed("amend")
        following = self.current.renewal(
            number=self.current.number + 1,
            recorded_at=recorded_at,
            recorded_by=recorded_by,
            note=note,
            base_date=base_date,
            **changes,
        )
        return attrs.evolve(self, versions=(*self.versions, following))

    def _append(self, **fields: Any) -> Contract:
        self._refuse_if_closed("amend")
        new = attrs.evolve(self.current, number=self.current.number + 1, **fields)
        return attrs.evolve(self, versions=(*self.versions, new))

    def sign(self, signature: Signature) -> Contract:
        """Bind ``signature`` to its version.

        Raises:
            ValidationError: no such version, or it is already signed.
        """
        checks = Checks("Contract.sign")
        checks.instance("signature", signature, Signature)
        checks.raise_if_any()
        if self.signature_of(signature.version) is not None:
            raise ValidationError.single(
                "Contract.sign",
                "signature.version",
                "this version is already signed",
                signature.version,
            )
        return attrs.evolve(self, signatures=(*self.signatures, signature))

    def file_document(self, document: ArchivedDocument) -> Contract:
        """Record where the archive keeps a version's document."""
        return attrs.evolve(self, documents=(*self.documents, document))

    def move_to(
        self,
        status: ContractStatus,
        *,
        on: dt.date,
        at: dt.datetime,
        reason: str,
    ) -> Contract:
        """The contract in ``status``, the change kept in :attr:`history`.

        Activation needs the current version signed.

        Raises:
            InvalidTransitionError: the lifecycle does not allow it.
            PolicyViolationError: activating an unsigned version.
        """
        check_transition(self.id, self.status, status)
        if (
            status is ContractStatus.ACTIVE
            and self.signature_of(self.current.number) is None
        ):
            raise PolicyViolationError(
                "contract signature",
                f"contract {self.id!r} version {self.current.number} is not signed",
                self.current.number,
            )
        change = StatusChange(status=status, on=on, at=at, reason=reason)
        return attrs.evolve(self, status=status, history=(*self.history, change))

    def receive_termination_notice(
        self, *, received_on: dt.date, reason: str
    ) -> Contract:
        """Record the client's notice of termination, checked against the deadline.

        The deadline is that of the :attr:`binding` version (a renewal not
        signed yet does not move it). In time (on or before
        :attr:`ContractVersion.notice_deadline`, or any time when there is no
        notice period): the contract ends at that term's end. Late: it ends at
        the end of the next term (see :meth:`TerminationNotice.against`).

        Raises:
            InvalidTransitionError: the contract is not in force (a draft, or
                closed); ``requested`` names the action.
            ValidationError: a notice was already received, or the notice is
                not valid.
        """
        if not self.in_force:
            raise InvalidTransitionError(
                "Contract", self.id, self.status, "receive a termination notice"
            )
        if self.termination is not None:
            raise ValidationError.single(
                "Contract",
                "termination",
                "a termination notice was already received",
                self.termination.received_on,
            )
        notice = TerminationNotice.against(
            self.binding, received_on=received_on, reason=reason
        )
        return attrs.evolve(self, termination=notice)

    def _refuse_if_closed(self, action: str) -> None:
        if self.status in CLOSED:
            raise InvalidTransitionError("Contract", self.id, self.status, action)


def _check_amendable(changes: dict[str, Any]) -> None:
    unknown = sorted(set(changes) - set(AMENDABLE))
    if unknown:
        raise ValidationError.single(
            "Contract",
            unknown[0],
            f"cannot be amended; amendable: {', '.join(AMENDABLE)}",
            changes[unknown[0]],
        )
