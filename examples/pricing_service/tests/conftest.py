"""Fixtures: a service on a fresh SQLite file holding the sample catalogue."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from kamcore.adapters.sql import SqlUnitOfWork, create_engine_for, upgrade
from pricing_service.app import create_app
from pricing_service.catalogue import seed_sample
from pricing_service.service import PricingService

RAM_DISK = Path("/dev/shm")  # noqa: S108 - a private directory is made inside


@pytest.fixture
def folder() -> Iterator[Path]:
    """A private temporary directory, on the RAM disk if there is one."""
    path = Path(
        tempfile.mkdtemp(
            prefix="kamcore-pricing-", dir=RAM_DISK if RAM_DISK.is_dir() else None
        )
    )
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def engine(folder: Path) -> Iterator[sa.Engine]:
    engine = create_engine_for(f"sqlite:///{folder / 'pricing.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def back_office(engine: sa.Engine) -> SqlUnitOfWork:
    """How the rest of the business writes the catalogue: with change events."""
    uow = SqlUnitOfWork(engine, pricing_events=True)
    seed_sample(uow)
    return uow


@pytest.fixture
def service(engine: sa.Engine, back_office: SqlUnitOfWork) -> PricingService:
    """The service, refreshed only when a test says so."""
    return PricingService(engine, refresh_every=0)


@pytest.fixture
def api(service: PricingService) -> Iterator[TestClient]:
    with TestClient(create_app(service)) as client:
        yield client
