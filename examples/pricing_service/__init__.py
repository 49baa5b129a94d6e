"""A reference pricing service: kamcore's pricing engine behind a small web API.

* :mod:`pricing_service.service` -- the service's state, free of any web
  framework: the pricing index, kept current from the outbox's pricing change
  events, and quoting on it;
* :mod:`pricing_service.app` -- the FastAPI application (``POST /quote``,
  ``POST /quote/explained``, ``GET /health``);
* :mod:`pricing_service.catalogue` -- a sample catalogue to start from, or
  kamcore's demo portfolio;
* :mod:`pricing_service.load` -- requests per second for 50-line quotes.

See ``docs/pricing-service.md`` for the pattern, and this folder's README for
how to run it.
"""
