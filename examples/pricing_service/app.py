"""The web API of the reference pricing service (FastAPI).

* ``POST /quote`` -- a :class:`~kamcore.pricing.QuoteRequest` as JSON; answers
  the priced document as JSON, without explanations unless the request says
  ``"explain": true`` or the URL ``?explain=true``;
* ``POST /quote/explained`` -- the same, every line explained;
* ``GET /health`` -- the index's age and size, how refreshing goes.

Errors are JSON bodies with an ``"error"`` name, never a 500 for bad input:
a malformed request is 422 with every offending ``$`` path; an unknown client,
a product the catalogue lacks or one without a price is 404 naming it; a
conflicting catalogue is 409 with its conflicts.

The quote routes are ``async`` and show the pattern of ``docs/pricing-service.md``:
parsing and pricing are CPU work of microseconds per line, done inline; the
one storage read (the client record) goes to a thread. Run it with::

    KAMCORE_PRICING_DB=pricing.db KAMCORE_PRICING_SEED=sample \\
        uvicorn pricing_service.app:from_environment --factory --app-dir examples
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from kamcore.adapters.sql import SqlUnitOfWork, create_engine_for, upgrade
from kamcore.errors import (
    CurrencyMismatchError,
    NotFoundError,
    PolicyViolationError,
    ValidationError,
)
from kamcore.pricing import PriceNotFoundError, PricingConfigurationError, QuoteRequest
from kamcore.serialization import from_json, to_json, unstructure
from pricing_service.catalogue import seed_demo, seed_sample
from pricing_service.service import PricingService, UnknownProductError

__all__ = ["create_app", "from_environment"]

JSON = "application/json"


def create_app(service: PricingService) -> FastAPI:
    """The FastAPI application serving ``service``.

    Starting the application (its lifespan) loads the catalogue and starts the
    background refresh; stopping it stops the refresh.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(service.start)  # reads the whole catalogue
        try:
            yield
        finally:
            await asyncio.to_thread(service.stop)

    app = FastAPI(title="kamcore pricing service", lifespan=lifespan)
    app.state.service = service

    @app.post("/quote")
    async def quote(request: Request, explain: bool = False) -> Response:
        """Price a quote request; explained if ``?explain=true`` or the request says."""
        return await _quote(service, request, explain=explain)

    @app.post("/quote/explained")
    async def quote_explained(request: Request) -> Response:
        """Price a quote request with every line's explanation."""
        return await _quote(service, request, explain=True)

    @app.get("/health")
    def health() -> dict[str, object]:
        """The index's age and size, and how refreshing goes."""
        return service.health()

    _add_error_handlers(app)
    return app


async def _quote(
    service: PricingService, request: Request, *, explain: bool
) -> Response:
    body = await request.body()
    quote = from_json(body, QuoteRequest)  # CPU: inline
    client = await asyncio.to_thread(service.client, quote.client)  # storage: a thread
    document = service.price(quote, client, explain=explain)  # CPU: inline
    return Response(to_json(document), media_type=JSON)


def _error(status: int, body: dict[str, Any]) -> JSONResponse:
    return JSONResponse(body, status_code=status)


def _add_error_handlers(app: FastAPI) -> None:
    """kamcore's errors as JSON bodies: what was wrong, and where."""

    @app.exception_handler(ValidationError)
    async def invalid(request: Request, error: ValidationError) -> JSONResponse:
        return _error(422, unstructure(error))

    @app.exception_handler(RequestValidationError)
    async def invalid_query(
        request: Request, error: RequestValidationError
    ) -> JSONResponse:
        # FastAPI's own checks (a query parameter such as ?explain=maybe), in
        # the same form as kamcore's.
        return _error(
            422,
            {
                "error": "validation",
                "subject": "request",
                "errors": [
                    {
                        "path": ".".join(str(part) for part in found["loc"]),
                        "message": found["msg"],
                    }
                    for found in error.errors()
                ],
            },
        )

    @app.exception_handler(PriceNotFoundError)
    async def no_price(request: Request, error: PriceNotFoundError) -> JSONResponse:
        return _error(404, unstructure(error))

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, error: NotFoundError) -> JSONResponse:
        body: dict[str, Any] = {
            "error": "not_found",
            "message": str(error),
            "entity": error.entity,
            "ids": [str(i) for i in error.ids],
        }
        if isinstance(error, UnknownProductError):
            body["paths"] = list(error.paths)
        return _error(404, body)

    @app.exception_handler(PricingConfigurationError)
    async def conflict(
        request: Request, error: PricingConfigurationError
    ) -> JSONResponse:
        return _error(409, unstructure(error))

    @app.exception_handler(CurrencyMismatchError)
    async def currency(request: Request, error: CurrencyMismatchError) -> JSONResponse:
        return _error(
            422,
            {
                "error": "currency_mismatch",
                "message": str(error),
                "expected": error.expected,
                "actual": error.actual,
            },
        )

    @app.exception_handler(PolicyViolationError)
    async def refused(request: Request, error: PolicyViolationError) -> JSONResponse:
        return _error(
            422,
            {
                "error": "policy_violation",
                "message": str(error),
                "policy": error.policy,
                "detail": error.detail,
            },
        )


def from_environment() -> FastAPI:
    """The application as configured by the environment (for ``uvicorn --factory``).

    * ``KAMCORE_PRICING_DB`` -- the database: a SQLite file's path or a
      database URL (required);
    * ``KAMCORE_PRICING_REFRESH_SECONDS`` -- seconds between refreshes (5);
    * ``KAMCORE_PRICING_SEED`` -- ``sample`` or ``demo``: an empty database
      gets that catalogue first (the demo dated today); left out, or on a
      database that holds a catalogue, the database is used as it is.

    Raises:
        ValidationError: naming the variable that is missing or malformed.
    """
    database = os.environ.get("KAMCORE_PRICING_DB", "")
    seed = os.environ.get("KAMCORE_PRICING_SEED", "")
    every = os.environ.get("KAMCORE_PRICING_REFRESH_SECONDS", "5")
    if not database:
        raise ValidationError.single(
            "environment", "KAMCORE_PRICING_DB", "give a SQLite file or a URL", database
        )
    if seed not in ("", "sample", "demo"):
        raise ValidationError.single(
            "environment", "KAMCORE_PRICING_SEED", "expected 'sample' or 'demo'", seed
        )
    try:
        refresh_every = float(every)
    except ValueError:
        refresh_every = -1.0
    if not 0 <= refresh_every < float("inf"):
        raise ValidationError.single(
            "environment",
            "KAMCORE_PRICING_REFRESH_SECONDS",
            "expected a number of seconds, 0 or more",
            every,
        )
    url = database if "://" in database else f"sqlite:///{database}"
    engine = create_engine_for(url)
    upgrade(engine)
    if seed and _is_empty(engine):
        if seed == "demo":
            seed_demo(url, as_of=dt.datetime.now(dt.UTC).date())
        else:
            seed_sample(SqlUnitOfWork(engine, pricing_events=True))
    return create_app(PricingService(engine, refresh_every=refresh_every))


def _is_empty(engine: sa.Engine) -> bool:
    uow = SqlUnitOfWork(engine)
    with uow:
        return not uow.clients.all() and not uow.price_lists.all()
