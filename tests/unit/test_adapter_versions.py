"""Stored aggregates get their next version without being rebuilt."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given

from kamcore.accounts import Invoice
from kamcore.adapters._versions import at_version
from kamcore.errors import ValidationError
from kamcore.testing import strategies
from kamcore.testing._samples import invoice as sample_invoice


@given(strategies.invoices())
def test_only_the_version_changes(invoice: Invoice) -> None:
    stored = at_version(invoice, invoice.version + 4)
    assert stored.version == invoice.version + 4
    assert stored == attrs.evolve(invoice, version=invoice.version + 4)
    assert invoice.version == stored.version - 4  # the original is untouched
    assert stored is not invoice


@pytest.mark.parametrize("version", [-1, True, "2", 1.0])
def test_a_version_that_is_not_a_non_negative_integer_is_refused(
    version: object,
) -> None:
    invoice = sample_invoice("inv-1")
    with pytest.raises(ValidationError) as raised:
        at_version(invoice, version)  # type: ignore[arg-type]  # on purpose
    assert raised.value.errors[0].path == "version"
    assert raised.value.errors[0].value == version
