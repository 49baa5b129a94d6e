"""Requests per second of the reference pricing service, for 50-line quotes.

Starts the service in this process on a fresh SQLite file holding the sample
catalogue, then posts the same quote (one client, 50 lines of 50 products)
over and over, one request at a time, for a few seconds each: without
explanations (``POST /quote``), then with them (``POST /quote/explained``).
It also times the pricing alone (the service's ``price``, no HTTP), to show
what the web layer costs. From the ``examples`` folder::

    python -m pricing_service.load                  # FastAPI's TestClient
    python -m pricing_service.load --http           # over HTTP with uvicorn

``--http`` needs uvicorn (``pip install uvicorn``); without it the requests go
through FastAPI's TestClient, in process.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib
import json
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kamcore.adapters.sql import SqlUnitOfWork, create_engine_for, upgrade
from kamcore.pricing import QuoteRequest
from kamcore.serialization import from_json
from pricing_service.app import create_app
from pricing_service.catalogue import product_id, seed_sample
from pricing_service.service import PricingService

__all__ = ["main", "quote_body"]

#: Products in the catalogue, and lines in each quote.
LINES = 50

DESCRIPTION = "Requests per second of the reference pricing service."


def quote_body(lines: int = LINES) -> str:
    """A quote for ``kleinbau``: one line per product, 5 to 35 units each."""
    return json.dumps(
        {
            "client": "kleinbau",
            "pricing_date": "2026-03-02",
            "lines": [
                {"product": product_id(n), "quantity": str(5 * (n % 7 + 1))}
                for n in range(1, lines + 1)
            ],
        }
    )


def _rate(post: Callable[[], object], seconds: float) -> tuple[int, float]:
    """Calls of ``post`` made in ``seconds`` (after a warm-up), and the time taken."""
    for _ in range(20):
        post()
    done = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        post()
        done += 1
    return done, time.perf_counter() - start


#: Posts a body to a route, and fails unless the answer is a success.
Post = Callable[[str, str], None]


@contextlib.contextmanager
def _in_process(app: FastAPI) -> Iterator[Post]:
    """The app behind FastAPI's TestClient (its lifespan runs)."""
    with TestClient(app) as client:

        def post(route: str, body: str) -> None:
            client.post(route, content=body).raise_for_status()

        yield post


@contextlib.contextmanager
def _over_http(app: FastAPI) -> Iterator[Post]:
    """The app served by uvicorn on a free local port, and an HTTP client of it."""
    # uvicorn is optional, and imported only here: typed as a module.
    uvicorn: Any = importlib.import_module("uvicorn")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:

            def post(route: str, body: str) -> None:
                client.post(route, content=body).raise_for_status()

            yield post
    finally:
        server.should_exit = True
        thread.join()


def main(argv: list[str] | None = None) -> None:
    """Measure, and print requests per second for each route."""
    parser = argparse.ArgumentParser(description=DESCRIPTION)
    parser.add_argument("--seconds", type=float, default=3.0, help="per route")
    parser.add_argument("--lines", type=int, default=LINES, help="lines per quote")
    parser.add_argument("--http", action="store_true", help="over HTTP (uvicorn)")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="kamcore-load-"))
    engine = create_engine_for(f"sqlite:///{folder / 'pricing.db'}")
    try:
        upgrade(engine)
        seed_sample(SqlUnitOfWork(engine, pricing_events=True), products=args.lines)
        service = PricingService(engine, refresh_every=0)
        app = create_app(service)
        body = quote_body(args.lines)
        how = "over HTTP (uvicorn)" if args.http else "in process (TestClient)"
        print(
            f"{args.lines}-line quotes, one request at a time, {how}, "
            f"{args.seconds:g} s per route:"
        )
        with (_over_http if args.http else _in_process)(app) as post:
            request = from_json(body, QuoteRequest)
            buyer = service.client(request.client)
            for route, explain in (("/quote", False), ("/quote/explained", True)):
                done, took = _rate(functools.partial(post, route, body), args.seconds)
                priced, priced_took = _rate(
                    functools.partial(service.price, request, buyer, explain=explain),
                    args.seconds / 3,
                )
                print(
                    f"  POST {route:<17} {done / took:8.0f} requests/s "
                    f"({1000 * took / done:.2f} ms each; pricing alone "
                    f"{1000 * priced_took / priced:.2f} ms)"
                )
    finally:
        engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
