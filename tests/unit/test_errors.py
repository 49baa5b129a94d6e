"""The error hierarchy: one root, builtin bases, values carried as attributes."""

from __future__ import annotations

import pytest

from kamcore.errors import (
    ConcurrencyConflictError,
    ConfigurationConflictError,
    CurrencyMismatchError,
    DuplicateError,
    FieldError,
    InvalidTransitionError,
    KamcoreError,
    NotFoundError,
    PolicyViolationError,
    TransactionError,
    ValidationError,
)


def test_every_error_derives_from_the_root() -> None:
    errors: list[KamcoreError] = [
        ValidationError.single("Client", "name", "must not be empty", ""),
        NotFoundError("Client", ["c1"]),
        DuplicateError("Client", "c1"),
        ConcurrencyConflictError("Client", "c1", 1, 2),
        CurrencyMismatchError("EUR", "USD", "add"),
        ConfigurationConflictError("equal priority", ["g1", "g2"]),
        PolicyViolationError("ad-hoc discount policy", "above 10 %", "15"),
        InvalidTransitionError("Contract", "k1", "draft", "renewed"),
        TransactionError("no active unit of work"),
    ]
    assert all(isinstance(error, KamcoreError) for error in errors)


def test_errors_also_derive_from_the_matching_builtin() -> None:
    assert issubclass(ValidationError, ValueError)
    assert issubclass(CurrencyMismatchError, ValueError)
    assert issubclass(NotFoundError, LookupError)
    assert issubclass(TransactionError, RuntimeError)


def test_validation_error_lists_every_field() -> None:
    error = ValidationError(
        "Invoice",
        [
            FieldError("$.lines[2].unit_price", "expected a decimal string", 1.5),
            FieldError("$.due_date", "required field missing"),
        ],
    )
    assert error.messages == [
        "expected a decimal string @ $.lines[2].unit_price",
        "required field missing @ $.due_date",
    ]
    assert str(error) == (
        "invalid Invoice:\n"
        "  - expected a decimal string @ $.lines[2].unit_price\n"
        "  - required field missing @ $.due_date"
    )


def test_validation_error_needs_a_field_error() -> None:
    with pytest.raises(ValueError, match="at least one FieldError"):
        ValidationError("Invoice", [])


@pytest.mark.parametrize(
    ("path", "prefix", "expected"),
    [
        ("due_date", "$[0]", "$[0].due_date"),
        ("lines[1].quantity", "$.orders[3]", "$.orders[3].lines[1].quantity"),
        ("$.amount", "$.lines[0].unit_price", "$.lines[0].unit_price.amount"),
        ("$", "$.price", "$.price"),
        ("[2]", "$.ratios", "$.ratios[2]"),
    ],
)
def test_field_error_can_be_placed_under_a_prefix(
    path: str, prefix: str, expected: str
) -> None:
    assert FieldError(path, "bad").under(prefix).path == expected


def test_not_found_lists_every_missing_id() -> None:
    error = NotFoundError("Client", ["c1", "c9"])
    assert error.ids == ("c1", "c9")
    assert str(error) == "Client not found: 'c1', 'c9'"


def test_concurrency_conflict_carries_both_versions() -> None:
    error = ConcurrencyConflictError("Client", "c1", expected=1, actual=2)
    assert (error.entity, error.id, error.expected, error.actual) == (
        "Client",
        "c1",
        1,
        2,
    )
    assert str(error) == (
        "Client 'c1' was changed by someone else: you loaded version 1, "
        "the stored version is 2"
    )


def test_configuration_conflict_names_both_sources() -> None:
    error = ConfigurationConflictError("equal-priority groups disagree", ["g1", "g2"])
    assert error.sources == ("g1", "g2")
    assert str(error) == (
        "configuration conflict: equal-priority groups disagree (sources: 'g1', 'g2')"
    )


def test_other_messages() -> None:
    assert str(DuplicateError("Client", "c1")) == "Client 'c1' already exists"
    assert str(CurrencyMismatchError("EUR", "USD", "add")) == (
        "cannot add USD with EUR: currencies differ and kamcore does no implicit "
        "conversion"
    )
    assert str(PolicyViolationError("floor policy", "below floor", "3.00")) == (
        "refused by floor policy: below floor"
    )
    assert str(InvalidTransitionError("Contract", "k1", "draft", "renewed")) == (
        "Contract 'k1' cannot go from draft to renewed"
    )
