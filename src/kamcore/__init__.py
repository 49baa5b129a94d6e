"""kamcore: a typed SDK for key account management.

Subpackages:

* :mod:`kamcore.kernel` -- money, percentages, anchored dates, typed ids;
* :mod:`kamcore.errors` -- the exception hierarchy;
* :mod:`kamcore.accounts` -- clients, groups, products, orders, invoices,
  tickets, activities;
* :mod:`kamcore.ports` -- the protocols the library talks to the world through;
* :mod:`kamcore.adapters` -- in-memory adapters, clocks, id sources, notifiers;
* :mod:`kamcore.serialization` -- the validating cattrs converter;
* :mod:`kamcore.testing` -- the adapter conformance suite and Hypothesis strategies.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
