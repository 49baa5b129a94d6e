"""A contract's version history: what must hold of it, and which versions bind.

Only a signed term extends a contract (SPEC §4: "an amended but unsigned
renewal lapses after the grace period like no renewal at all"). A renewal case
records the renewed term as a new version before the client signs it; until
then that version is *pending*, and the contract's dates (its term end, notice
deadline and grace period) are those of the last version that binds.
"""

from __future__ import annotations

from collections.abc import Container, Sequence

from kamcore.contracts._version import ArchivedDocument, ContractVersion, Signature
from kamcore.kernel import Checks

__all__ = ["binding_versions", "check_history"]

_CLAUSE_TERMS = (
    "term",
    "value",
    "price_list",
    "auto_renew",
    "notice_period",
    "renewal_lead_days",
    "grace_days",
)
"""What an automatic renewal carries over unchanged from the version it renews."""


def binding_versions(
    versions: Sequence[ContractVersion], signed: Container[int]
) -> tuple[ContractVersion, ...]:
    """The versions that bind, oldest first; the last one holds the terms in force.

    The first version binds (a contract comes into force only once its
    version is signed). After it, a version binds when it is signed, when it
    amends the term of the last binding version (it starts on the same day:
    an amendment within the term), or when it is the renewal that version's
    auto-renewal clause makes (the same terms, for the next term). Any other
    version — a renewed term recorded but not signed — is pending and left
    out; it binds once its signature is recorded.

    Args:
        versions: A contract's versions, oldest first (not empty).
        signed: The numbers of the signed versions.
    """
    base = versions[0]
    bound = [base]
    # The base's dates are computed once per base, not once per version: a
    # long-running contract has a version per term.
    base_start, base_end = base.term_start, base.term_end
    for version in versions[1:]:
        start = version.term_start
        if start == base_start:  # an amendment within the binding term
            bound.append(version)
            base = version
            base_end = version.term_end
        elif version.number in signed or (
            # The renewal the auto-renewal clause makes: the same terms, for
            # the term that follows.
            base.auto_renew
            and (start - base_end).days == 1
            and all(getattr(version, n) == getattr(base, n) for n in _CLAUSE_TERMS)
        ):
            bound.append(version)
            base, base_start, base_end = version, start, version.term_end
    return tuple(bound)


def check_history(
    checks: Checks,
    versions: Sequence[ContractVersion],
    signatures: Sequence[Signature],
    documents: Sequence[ArchivedDocument],
) -> None:
    """Record in ``checks`` what is wrong with a contract's history.

    Versions are numbered 1, 2, ... in one currency, with effective dates that
    never go back; signatures and documents name existing versions, and a
    version is signed once.
    """
    checks.require(bool(versions), "versions", "must not be empty", ())
    currencies = {v.value.currency for v in versions}
    checks.require(
        len(currencies) <= 1,
        "versions",
        "every version must be valued in one currency",
        sorted(currencies),
    )
    for index, item in enumerate(versions):
        path = f"versions[{index}]"
        checks.require(
            item.number == index + 1,
            f"{path}.number",
            f"expected {index + 1}: versions are numbered 1, 2, ...",
            item.number,
        )
        if index:
            before = versions[index - 1].effective_from
            checks.require(
                item.effective_from >= before,
                f"{path}.effective_from",
                f"goes back before the previous version's ({before})",
                item.effective_from,
            )
    numbers = len(versions)
    bound = [
        (f"signatures[{index}].version", item.version)
        for index, item in enumerate(signatures)
    ] + [
        (f"documents[{index}].version", item.version)
        for index, item in enumerate(documents)
    ]
    for path, number in bound:
        checks.require(
            number <= numbers,
            path,
            f"no such contract version (there are {numbers})",
            number,
        )
    signed = [s.version for s in signatures]
    checks.require(
        len(signed) == len(set(signed)),
        "signatures",
        "a version is signed once",
        signed,
    )
