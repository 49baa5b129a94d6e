"""JSON forms of what pricing answers: compact, with ids instead of objects.

A web service that embeds kamcore's pricing returns these as they are:

* :class:`~kamcore.pricing.ResolvedPrice`: the price and its source, the
  client's *id* (never the client record, never the index that resolved it);
* :class:`~kamcore.pricing.PricedDocument`: its lines with their figures
  (gross total, ad-hoc value, total) and explanation when they have one, the
  document's totals, and the policy's findings;
* :class:`~kamcore.accounts.PriceExplanation` (and its candidates and steps)
  without the keys that hold nothing (no rounding, no detail, no discount);
* the ad-hoc discount report, its accounts' totals and its proposals;
* error bodies for :class:`~kamcore.pricing.PricingConfigurationError`,
  :class:`~kamcore.pricing.PriceNotFoundError` and
  :class:`~kamcore.errors.ValidationError`.

These are *output* forms. A priced document reads back (its figures are
derived: left out, they are computed; given, they must be what the lines make),
and so does an explanation. A resolved price, a report or an error is not
read back: structuring one is refused with a :class:`ValidationError` naming
the type, never a bare cattrs error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn, override

from kamcore.accounts import Candidate, LineItem, PriceExplanation, PricingStep
from kamcore.errors import FieldError, ValidationError
from kamcore.kernel import Money
from kamcore.pricing import (
    AccountAdHoc,
    AdHocLine,
    AdHocReport,
    PricedDocument,
    PriceItem,
    PriceListProposal,
    PriceNotFoundError,
    PricingConfigurationError,
    QuoteRequest,
    ResolvedPrice,
)
from kamcore.serialization._composites import attrs_structure_factory
from kamcore.serialization._errors import collect, describe, refusal
from kamcore.serialization._scalars import structure_currency

__all__ = ["register_pricing_hooks"]

Data = dict[str, Any]
StructureHook = Callable[[Any, Any], Any]
UnstructureHook = Callable[[Any], Any]

# cattrs types a generator's ``**overrides`` together with its boolean options,
# so passing them from a dict cannot be checked; this takes them untyped.
_generate_unstructure: Callable[..., UnstructureHook] = make_dict_unstructure_fn

_LINE_FIGURES = ("gross_total", "ad_hoc_value", "total")
_DOCUMENT_FIGURES = ("total", "gross_total", "ad_hoc_total")

# What to do instead of reading each output form back.
_NOT_READ_BACK: dict[type[Any], str] = {
    ResolvedPrice: "resolve the price again with PricingIndex.resolve",
    AdHocReport: "make the report again with ad_hoc_report",
    AccountAdHoc: "make the report again with ad_hoc_report",
    AdHocLine: "make the report again with ad_hoc_report",
    PriceListProposal: "read its proposed_item as a PriceItem",
    PricingConfigurationError: "it is an error body, written for a client to read",
    PriceNotFoundError: "it is an error body, written for a client to read",
    ValidationError: "it is an error body, written for a client to read",
}


def register_pricing_hooks(converter: cattrs.Converter) -> None:
    """Register the JSON forms of pricing results on ``converter``.

    Class hooks take precedence over the converter's generic attrs hooks, so
    these are registered after them; the generic hooks are what the forms
    are built from (a field added to an entity appears in its form).
    """
    _register_explanations(converter)
    money_fields = converter.get_unstructure_hook(Money)

    def money(amount: Money) -> Data:
        # Billed figures are already whole minor units; a zero figure (no
        # ad-hoc discount) is written with them too: "0.00", not "0".
        written: Data = money_fields(amount.rounded())
        return written

    converter.register_unstructure_hook(
        ResolvedPrice, _resolved_price_form(converter, money_fields)
    )
    converter.register_unstructure_hook(
        PricedDocument, _document_form(converter, money)
    )
    converter.register_structure_hook(PricedDocument, _document_reader(converter))
    converter.register_structure_hook(QuoteRequest, _quote_reader(converter))
    _register_report(converter, money)
    _register_errors(converter)
    for cls, instead in _NOT_READ_BACK.items():
        converter.register_structure_hook(cls, _refusal_of(cls, instead))


def _register_explanations(converter: cattrs.Converter) -> None:
    # Lossless: only fields at their default are left out (an empty rounding
    # or detail, no discount, no candidate price), and reading fills them in.
    # Stored orders and invoices keep their explanations in this form too.
    for cls in (Candidate, PricingStep, PriceExplanation):
        attrs.resolve_types(cls)
        converter.register_unstructure_hook(
            cls, _generate_unstructure(cls, converter, _cattrs_omit_if_default=True)
        )


def _resolved_price_form(
    converter: cattrs.Converter, money: UnstructureHook
) -> Callable[[ResolvedPrice], Data]:
    def unstructure_resolved_price(price: ResolvedPrice) -> Data:
        return {
            "unit_price": money(price.unit_price),
            "list_price": money(price.list_price),
            "discount": converter.unstructure(price.discount),
            "source": price.source,
            "source_kind": price.source_kind.value,
            "client": price.client.id,
            "product": price.product,
            "quantity": converter.unstructure(price.quantity),
            "on": converter.unstructure(price.on),
        }

    return unstructure_resolved_price


def _document_form(
    converter: cattrs.Converter, money: UnstructureHook
) -> Callable[[PricedDocument], Data]:
    line_fields = converter.get_unstructure_hook(LineItem)

    def unstructure_line(
        line: LineItem, gross: Money, value: Money, total: Money
    ) -> Data:
        data: Data = line_fields(line)
        explanation = data.pop("explanation", None)
        ad_hoc = data.pop("ad_hoc", None)
        if ad_hoc is not None:
            # Of a percentage and an amount, only the one given is written.
            data["ad_hoc"] = {k: v for k, v in ad_hoc.items() if v is not None}
        data["gross_total"] = money(gross)
        data["ad_hoc_value"] = money(value)
        data["total"] = money(total)
        if explanation is not None:
            data["explanation"] = explanation
        return data

    attrs.resolve_types(PricedDocument)
    fields = _generate_unstructure(PricedDocument, converter, lines=override(omit=True))

    def unstructure_document(document: PricedDocument) -> Data:
        data: Data = fields(document)
        findings = data.pop("findings")
        # Each line's figures once: the document's totals are their sums
        # (the same sums PricedDocument's properties make).
        lines: list[Data] = []
        grosses: list[Money] = []
        values: list[Money] = []
        totals: list[Money] = []
        for line in document.lines:
            gross = line.gross_total
            value = line.ad_hoc_value
            total = gross - value
            lines.append(unstructure_line(line, gross, value, total))
            grosses.append(gross)
            values.append(value)
            totals.append(total)
        currency = document.currency
        data["lines"] = lines
        data["total"] = money(Money.sum(totals, currency))
        data["gross_total"] = money(Money.sum(grosses, currency))
        data["ad_hoc_total"] = money(Money.sum(values, currency))
        data["findings"] = findings
        return data

    return unstructure_document


# A figure given in a document: its path, the value as given, how to read the
# same figure from the document built without it.
_Figure = tuple[str, object, Callable[[PricedDocument], Money]]


def _line_figure(position: int, name: str) -> Callable[[PricedDocument], Money]:
    def read(document: PricedDocument) -> Money:
        figure: Money = getattr(document.lines[position], name)
        return figure

    return read


def _document_figure(name: str) -> Callable[[PricedDocument], Money]:
    def read(document: PricedDocument) -> Money:
        figure: Money = getattr(document, name)
        return figure

    return read


def _without_figures(value: Mapping[Any, Any]) -> tuple[Data, list[_Figure]]:
    """The document without its derived figures, and the figures it gave."""
    figures: list[_Figure] = [
        (f"$.{name}", value[name], _document_figure(name))
        for name in _DOCUMENT_FIGURES
        if name in value
    ]
    document = {k: v for k, v in value.items() if k not in _DOCUMENT_FIGURES}
    lines = value.get("lines")
    if isinstance(lines, list):
        kept: list[object] = []
        for position, line in enumerate(lines):
            if isinstance(line, Mapping):
                figures.extend(
                    (
                        f"$.lines[{position}].{name}",
                        line[name],
                        _line_figure(position, name),
                    )
                    for name in _LINE_FIGURES
                    if name in line
                )
                line = {k: v for k, v in line.items() if k not in _LINE_FIGURES}  # noqa: PLW2901
            kept.append(line)
        document["lines"] = kept
    return document, figures


def _document_reader(converter: cattrs.Converter) -> StructureHook:
    fields = attrs_structure_factory(PricedDocument, converter)
    read_money = converter.get_structure_hook(Money)

    def structure_document(value: object, _: Any) -> PricedDocument:
        if not isinstance(value, Mapping):
            raise refusal(f"expected an object, got {describe(value)}", value)
        stripped, given = _without_figures(value)
        errors: list[FieldError] = []
        figures: list[tuple[str, object, Money, Callable[[PricedDocument], Money]]]
        figures = []
        for path, raw, read in given:
            try:
                figures.append((path, raw, read_money(raw, Money), read))
            except Exception as exc:  # every failure becomes a FieldError
                errors.extend(collect(exc, path))
        try:
            document: PricedDocument = fields(stripped, PricedDocument)
        except Exception as exc:  # every failure becomes a FieldError
            raise ValidationError("input", [*collect(exc, "$"), *errors]) from None
        for path, raw, figure, read in figures:
            actual = read(document).rounded()  # as written: "0.00", not "0"
            if figure != actual:
                errors.append(
                    FieldError(
                        path,
                        f"is {actual} for these lines, not {figure}: the "
                        "figures are derived from the lines (leave them out)",
                        raw,
                    )
                )
        if errors:
            raise ValidationError("input", errors)
        return document

    return structure_document


def _quote_reader(converter: cattrs.Converter) -> StructureHook:
    fields = attrs_structure_factory(QuoteRequest, converter)

    def structure_quote(value: object, _: Any) -> QuoteRequest:
        # An optional currency is only checked by the constructor, which runs
        # once every other field is valid; checked here, an unknown code is
        # reported with the request's other errors.
        currency: list[FieldError] = []
        if isinstance(value, Mapping) and value.get("currency") is not None:
            try:
                structure_currency(value["currency"], str)
            except ValidationError as error:
                currency = collect(error, "$.currency")
        try:
            request: QuoteRequest = fields(value, QuoteRequest)
        except Exception as exc:  # every failure becomes a FieldError
            errors = collect(exc, "$")
            paths = {error.path for error in errors}
            errors.extend(error for error in currency if error.path not in paths)
            raise ValidationError("input", errors) from None
        return request

    return structure_quote


def _register_report(converter: cattrs.Converter, money: UnstructureHook) -> None:
    line_fields = converter.get_unstructure_hook(AdHocLine)

    def unstructure_line(line: AdHocLine) -> Data:
        return {**line_fields(line), "net": money(line.net)}

    converter.register_unstructure_hook(AdHocLine, unstructure_line)

    account_fields = converter.get_unstructure_hook(AccountAdHoc)

    def unstructure_account(account: AccountAdHoc) -> Data:
        data: Data = account_fields(account)
        lines = data.pop("lines")
        data["total"] = money(account.total)
        data["line_count"] = account.line_count
        data["invoice_count"] = account.invoice_count
        data["lines"] = lines
        return data

    converter.register_unstructure_hook(AccountAdHoc, unstructure_account)

    # The proposed item as a price list would take it, without the defaults.
    attrs.resolve_types(PriceItem)
    item = _generate_unstructure(PriceItem, converter, _cattrs_omit_if_default=True)
    attrs.resolve_types(PriceListProposal)
    converter.register_unstructure_hook(
        PriceListProposal,
        _generate_unstructure(
            PriceListProposal, converter, proposed_item=override(unstruct_hook=item)
        ),
    )


def _register_errors(converter: cattrs.Converter) -> None:
    def unstructure_configuration_error(error: PricingConfigurationError) -> Data:
        return {
            "error": "pricing_configuration",
            "message": error.detail,
            "conflicts": converter.unstructure(error.conflicts),
        }

    def unstructure_price_not_found(error: PriceNotFoundError) -> Data:
        return {
            "error": "price_not_found",
            "message": str(error),
            "client": error.client,
            "product": error.product,
            "quantity": converter.unstructure(error.quantity),
            "on": converter.unstructure(error.on),
            "reasons": list(error.reasons),
        }

    def unstructure_validation_error(error: ValidationError) -> Data:
        # The offending values are left out: they may be anything, and the
        # sender has them.
        return {
            "error": "validation",
            "subject": error.subject,
            "errors": [
                {"path": field.path, "message": field.message} for field in error.errors
            ],
        }

    converter.register_unstructure_hook(
        PricingConfigurationError, unstructure_configuration_error
    )
    converter.register_unstructure_hook(PriceNotFoundError, unstructure_price_not_found)
    converter.register_unstructure_hook(ValidationError, unstructure_validation_error)


def _refusal_of(cls: type[Any], instead: str) -> StructureHook:
    def refuse(value: object, _: Any) -> Any:
        raise refusal(
            f"{cls.__name__} is an output form and is not read back: {instead}",
            None,
        )

    return refuse
