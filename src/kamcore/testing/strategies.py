"""Hypothesis strategies for every kamcore entity and value.

Every strategy but two (see the end of this text) builds valid values by
construction (the entity constructors would raise otherwise), so a host
application can use them to test its own adapters and code. Keyword arguments
pin the fields a test cares about::

    from hypothesis import given
    from kamcore.testing import strategies as ks

    @given(ks.invoices(currency="EUR"))
    def test_credit_notes_never_exceed_the_total(invoice):
        assert invoice.credited() <= invoice.total

Dates lean on the edges on purpose: month ends and 29 February make up two
thirds of them, because that is where calendar arithmetic goes wrong. Instants
carry fixed UTC offsets, not zone rules: a zone's ambiguous local times never
compare equal across zones (PEP 495), so they could not survive a round trip
through the serialised form, which keeps the offset only. Entities are
generated at version 0.

Two strategies build input to *refuse* instead: :func:`hostile_values`
(anything a careless caller passes: NaN, huge exponents, floats, text, lists)
and :func:`amount_texts` (text that looks like an amount, or nearly), to check
that a call answers or raises a kamcore error, promptly, whatever it is given.
"""

from kamcore.testing._contract_strategies import contracts, renewal_alerts
from kamcore.testing._document_strategies import (
    credit_notes,
    invoices,
    line_items,
    orders,
    payments,
    points_redemptions,
)
from kamcore.testing._entity_strategies import (
    activities,
    aggregates,
    client_groups,
    clients,
    notifications,
    products,
    recipients,
    tickets,
)
from kamcore.testing._hostile_strategies import amount_texts, hostile_values
from kamcore.testing._loyalty_strategies import memberships, programmes
from kamcore.testing._pipeline_strategies import (
    opportunities,
    opportunity_changes,
    probability_overrides,
    proposal_events,
    proposal_revisions,
    proposals,
    stage_probabilities,
)
from kamcore.testing._portfolio_strategies import portfolios
from kamcore.testing._pricing_strategies import (
    ad_hoc_discounts,
    derivations,
    discount_groups,
    discount_rules,
    price_explanations,
    price_items,
    price_lists,
    unit_prices,
)
from kamcore.testing._value_strategies import (
    currencies,
    date_ranges,
    dates,
    ids,
    instants,
    locales,
    money,
    percentages,
    rates,
    relativedelta_terms,
)

__all__ = [
    "activities",
    "ad_hoc_discounts",
    "aggregates",
    "amount_texts",
    "client_groups",
    "clients",
    "contracts",
    "credit_notes",
    "currencies",
    "date_ranges",
    "dates",
    "derivations",
    "discount_groups",
    "discount_rules",
    "hostile_values",
    "ids",
    "instants",
    "invoices",
    "line_items",
    "locales",
    "memberships",
    "money",
    "notifications",
    "opportunities",
    "opportunity_changes",
    "orders",
    "payments",
    "percentages",
    "points_redemptions",
    "portfolios",
    "price_explanations",
    "price_items",
    "price_lists",
    "probability_overrides",
    "products",
    "programmes",
    "proposal_events",
    "proposal_revisions",
    "proposals",
    "rates",
    "recipients",
    "relativedelta_terms",
    "renewal_alerts",
    "stage_probabilities",
    "tickets",
    "unit_prices",
]
