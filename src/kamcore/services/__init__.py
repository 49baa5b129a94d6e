"""Services: the key account workflows, run through the ports.

Each function takes the ports it needs (a unit of work, an id source...) as
arguments, does one unit of work and stores everything or nothing. The domain
packages (pricing, contracts, ...) stay free of storage; this layer joins them to
it. See ``docs/pricing.md`` for workflow 3.
"""

from kamcore.services._pricing import (
    add_negotiated_prices,
    assign_price_list,
    create_client_price_list,
    invoice_client,
    load_pricing_index,
)

__all__ = [
    "add_negotiated_prices",
    "assign_price_list",
    "create_client_price_list",
    "invoice_client",
    "load_pricing_index",
]
