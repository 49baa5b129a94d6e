"""Pricing change events: stored with the change, turned into a refreshed index.

Every test runs on SQLite and on PostgreSQL. The PostgreSQL cases use
``KAMCORE_TEST_POSTGRES_URL`` (else the conformance suite's default URL), in a
schema of their own dropped at the end; they are skipped, saying why, when no
server answers (``KAMCORE_REQUIRE_POSTGRES=1`` makes that a failure).
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from decimal import Decimal

import attrs
import pytest
import sqlalchemy as sa
from sql_support import private_folder, sqlite_engine

from kamcore.accounts import Client
from kamcore.adapters.notifiers import RecordingNotifier
from kamcore.adapters.sql import (
    PRICING_CHANGE,
    SCHEMA_VERSION,
    DispatchReport,
    OutboxDispatcher,
    OutboxNotifier,
    PricingChange,
    PricingChangeKind,
    PricingEntity,
    PricingRefresher,
    SqlUnitOfWork,
    create_engine_for,
    upgrade,
)
from kamcore.adapters.sql._tables import build_schema
from kamcore.errors import ConcurrencyConflictError, TransactionError, ValidationError
from kamcore.kernel import (
    DiscountGroupId,
    Money,
    Percentage,
    PriceListId,
    ProductId,
)
from kamcore.ports import Notification, Recipient, RecipientKind
from kamcore.pricing import (
    DiscountGroup,
    DiscountRule,
    DiscountScope,
    PriceItem,
    PriceList,
    PriceListKind,
    PricingConfigurationError,
)
from kamcore.testing._samples import client, client_group, product

DAY = dt.date(2026, 3, 2)
POSTGRES_URL = os.environ.get(
    "KAMCORE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
POSTGRES_REQUIRED = os.environ.get("KAMCORE_REQUIRE_POSTGRES") == "1"


# -- the two databases ---------------------------------------------------------


@pytest.fixture(scope="module")
def postgres_schema() -> Iterator[str]:
    """A schema of this module's own on the PostgreSQL server, dropped at the end."""
    try:
        admin = create_engine_for(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with admin.connect() as connection:
            name = f"kamcore_events_{uuid.uuid4().hex[:12]}"
            connection.exec_driver_sql(f'CREATE SCHEMA "{name}"')
            connection.commit()
    except (ImportError, sa.exc.DBAPIError) as error:
        if POSTGRES_REQUIRED:
            pytest.fail(f"KAMCORE_REQUIRE_POSTGRES=1, but {error}", pytrace=False)
        pytest.skip(f"no PostgreSQL server at {POSTGRES_URL}: {error}")
    yield name
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
        connection.commit()
    admin.dispose()


@pytest.fixture(scope="module")
def postgres_engine(postgres_schema: str) -> Iterator[sa.Engine]:
    engine = create_engine_for(
        POSTGRES_URL, connect_args={"options": f"-csearch_path={postgres_schema}"}
    )
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> Iterator[sa.Engine]:
    """A database at the current schema, empty: a new SQLite file or PostgreSQL."""
    if request.param == "sqlite":
        with private_folder() as folder, sqlite_engine(folder) as engine:
            upgrade(engine)
            yield engine
        return
    engine = request.getfixturevalue("postgres_engine")
    schema = build_schema(SCHEMA_VERSION)
    with engine.connect() as connection:
        for table in schema.metadata.sorted_tables:
            if table is not schema.applied:
                connection.execute(sa.delete(table))
        connection.commit()
    yield engine


@pytest.fixture
def uow(engine: sa.Engine) -> SqlUnitOfWork:
    return SqlUnitOfWork(engine, pricing_events=True)


# -- the catalogue ---------------------------------------------------------------


def base_list(price: str = "10.00", *, list_id: str = "base") -> PriceList:
    return PriceList(
        id=PriceListId(list_id),
        name="Base",
        currency="EUR",
        kind=PriceListKind.BASE,
        items=(PriceItem(product=ProductId("p-1"), unit_price=Money(price, "EUR")),),
    )


def stocked(uow: SqlUnitOfWork) -> PriceList:
    """Product p-1 priced 10.00 in the base list; the list as stored."""
    with uow:
        uow.products.add(product("p-1"))
        stored = uow.price_lists.add(base_list())
        uow.commit()
    return stored


def events(engine: sa.Engine) -> list[PricingChange]:
    """The pricing change events pending in the outbox, oldest first."""
    pending = OutboxDispatcher(
        engine, RecordingNotifier(), recipients=[RecipientKind.SERVICE]
    ).pending()
    return [PricingChange.from_notification(n) for n in pending]


def saved(entity: PricingEntity, id: str, version: int) -> PricingChange:  # noqa: A002
    return PricingChange(entity=entity, id=id, version=version)


ACME = client("acme")


def unit_price(refresher: PricingRefresher, buyer: Client = ACME) -> Money:
    return refresher.index.resolve(buyer, ProductId("p-1"), Decimal(1), DAY).unit_price


# -- events stored with the change ----------------------------------------------


def test_a_committed_save_stores_exactly_one_event(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    with uow:
        uow.price_lists.add(base_list())
        uow.commit()
    assert events(engine) == [saved(PricingEntity.PRICE_LIST, "base", 1)]


def test_a_rolled_back_save_stores_no_event(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    with uow:
        uow.price_lists.add(base_list())
        uow.rollback()
    with uow:
        uow.products.add(product("p-1"))
    assert events(engine) == []


def test_a_save_that_conflicts_stores_no_event(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    stored = stocked(uow)
    with uow:
        uow.price_lists.save(stored)
        uow.commit()
    with uow, pytest.raises(ConcurrencyConflictError):
        uow.price_lists.save(stored)
    assert [e.version for e in events(engine)] == [1, 1, 2]


def test_two_saves_of_one_list_store_two_events(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    with uow:
        first = uow.price_lists.add(base_list())
        uow.commit()
    with uow:
        uow.price_lists.save(attrs.evolve(first, name="Base 2026"))
        uow.commit()
    pending = OutboxDispatcher(
        engine, RecordingNotifier(), recipients=[RecipientKind.SERVICE]
    ).pending()
    assert [PricingChange.from_notification(n) for n in pending] == [
        saved(PricingEntity.PRICE_LIST, "base", 1),
        saved(PricingEntity.PRICE_LIST, "base", 2),
    ]
    assert [n.key.rsplit(":", 1)[0] for n in pending] == [
        "pricing_change:price_list:base:1",
        "pricing_change:price_list:base:2",
    ]


def test_every_kind_an_index_is_built_from_stores_events_and_others_do_not(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    discounts = DiscountGroup(
        id=DiscountGroupId("volume"),
        name="Volume",
        rules=(DiscountRule(scope=DiscountScope.ALL, percentage=Percentage("5")),),
    )
    with uow:
        uow.client_groups.add(client_group("dach"))
        uow.discount_groups.add(discounts)
        uow.products.add(product("p-1"))
        uow.clients.add(ACME)
        uow.commit()
    assert events(engine) == [
        saved(PricingEntity.CLIENT_GROUP, "dach", 1),
        saved(PricingEntity.DISCOUNT_GROUP, "volume", 1),
        saved(PricingEntity.PRODUCT, "p-1", 1),
    ]


def test_without_the_flag_no_event_is_stored(engine: sa.Engine) -> None:
    uow = SqlUnitOfWork(engine)
    assert uow.pricing_events is False
    stocked(uow)
    assert events(engine) == []


def test_an_event_reads_as_a_notification_for_the_pricing_service(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    stocked(uow)
    notification = OutboxDispatcher(
        engine, RecordingNotifier(), recipients=[RecipientKind.SERVICE]
    ).pending()[1]
    assert notification.recipient == Recipient(kind=RecipientKind.SERVICE, id="pricing")
    assert notification.kind == "pricing_change"
    assert notification.subject == "price_list base saved (version 1)"
    assert notification.data() == {
        "change": "saved",
        "entity": "price_list",
        "id": "base",
        "version": "1",
    }


# -- dispatchers of people and of services --------------------------------------


def test_a_dispatcher_of_people_leaves_pricing_events_alone(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    person = Notification(
        recipient=Recipient(kind=RecipientKind.MANAGER, id="m.rossi"),
        kind="renewal_alert",
        key="renewal_alert:k-1",
        locale="en",
        subject="Contract k-1 ends soon",
    )
    with uow:
        uow.price_lists.add(base_list())
        OutboxNotifier(uow).send(person)
        uow.commit()
    mail = RecordingNotifier()
    mailer = OutboxDispatcher(engine, mail)
    assert mailer.pending() == [person]
    assert mailer.dispatch() == DispatchReport(delivered=("renewal_alert:k-1",))
    assert mail.sent == [person]
    assert events(engine) == [saved(PricingEntity.PRICE_LIST, "base", 1)]


def test_a_dispatcher_may_handle_some_notification_kinds_only(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    stocked(uow)
    received = RecordingNotifier()
    dispatcher = OutboxDispatcher(
        engine, received, recipients=[RecipientKind.SERVICE], kinds=["other"]
    )
    assert dispatcher.dispatch() == DispatchReport()
    assert len(events(engine)) == 2


@pytest.mark.parametrize(
    ("options", "path", "value"),
    [
        ({"recipients": []}, "recipients", ()),
        ({"recipients": ["service"]}, "recipients[0]", "service"),
        ({"kinds": "pricing_change"}, "kinds", "pricing_change"),
        ({"kinds": [""]}, "kinds[0]", ""),
    ],
)
def test_a_dispatcher_refuses_filters_that_are_not_kinds(
    engine: sa.Engine, options: dict[str, object], path: str, value: object
) -> None:
    with pytest.raises(ValidationError) as raised:
        OutboxDispatcher(engine, RecordingNotifier(), **options)  # type: ignore[arg-type]  # malformed on purpose
    assert [(e.path, e.value) for e in raised.value.errors] == [(path, value)]


def test_a_notification_that_is_not_a_pricing_change_is_refused() -> None:
    other = Notification(
        recipient=Recipient(kind=RecipientKind.MANAGER, id="m.rossi"),
        kind="renewal_alert",
        key="renewal_alert:k-1",
        locale="en",
        subject="Contract k-1 ends soon",
        payload={"entity": "contract", "version": "two"},
    )
    with pytest.raises(ValidationError) as raised:
        PricingChange.from_notification(other)
    assert [(e.path, e.value) for e in raised.value.errors] == [
        ("kind", "renewal_alert"),
        ("recipient.kind", "manager"),
        ("payload.change", None),
        ("payload.id", None),
    ]


def test_a_pricing_change_with_an_unknown_entity_names_the_payload_field() -> None:
    event = saved(PricingEntity.PRODUCT, "p-1", 3).to_notification()
    forged = attrs.evolve(
        event, payload={**event.data(), "entity": "contract", "version": "3.5"}
    )
    with pytest.raises(ValidationError) as raised:
        PricingChange.from_notification(forged)
    assert [(e.path, e.value) for e in raised.value.errors] == [
        ("payload.entity", "contract"),
        ("payload.version", "3.5"),
    ]


# -- the refresher -----------------------------------------------------------------


def test_dispatching_to_the_refresher_answers_the_new_price(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    stored = stocked(uow)
    refresher = PricingRefresher(SqlUnitOfWork(engine))
    before = refresher.load()
    with uow:
        uow.price_lists.save(attrs.evolve(stored, items=base_list("12.50").items))
        uow.commit()
    report = refresher.dispatcher(engine).dispatch()
    assert len(report.delivered) == 3  # the first two are in the index already
    assert unit_price(refresher) == Money("10.00", "EUR")
    after = refresher.refresh()
    assert unit_price(refresher) == Money("12.50", "EUR")
    assert after is refresher.index
    assert before.resolve(ACME, ProductId("p-1"), Decimal(1), DAY).unit_price == Money(
        "10.00", "EUR"
    )
    assert refresher.applied == 2
    assert refresher.last_applied == saved(PricingEntity.PRICE_LIST, "base", 2)
    assert refresher.pending == ()
    assert events(engine) == []


def test_events_delivered_before_the_load_are_in_it_and_dropped(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    stocked(uow)
    refresher = PricingRefresher(uow)
    dispatcher = refresher.dispatcher(engine)
    assert len(dispatcher.dispatch().delivered) == 2
    assert [c.id for c in refresher.pending] == ["p-1", "base"]
    index = refresher.load()
    assert refresher.pending == ()
    assert refresher.refresh() is index
    assert refresher.applied == 0
    assert unit_price(refresher) == Money("10.00", "EUR")


def test_a_refresh_without_events_keeps_the_index(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    stocked(uow)
    refresher = PricingRefresher(uow)
    index = refresher.load()
    refresher.dispatcher(engine).dispatch()
    assert refresher.refresh() is not index  # the two stored before the load
    assert refresher.refresh() is refresher.index


def test_the_refresher_counts_what_it_indexes(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    stocked(uow)
    refresher = PricingRefresher(uow)
    refresher.load()
    with uow:
        uow.products.add(product("p-2"))
        uow.client_groups.add(client_group("dach"))
        uow.commit()
    refresher.dispatcher(engine).dispatch()
    refresher.refresh()
    assert refresher.counts() == {
        PricingEntity.PRICE_LIST: 1,
        PricingEntity.CLIENT_GROUP: 1,
        PricingEntity.DISCOUNT_GROUP: 0,
        PricingEntity.PRODUCT: 2,
    }


def test_a_group_list_saved_later_prices_the_group_s_clients(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    stocked(uow)
    refresher = PricingRefresher(uow)
    refresher.load()
    group_list = attrs.evolve(
        base_list("9.40", list_id="dach-list"), name="DACH", kind=PriceListKind.GROUP
    )
    with uow:
        uow.price_lists.add(group_list)
        uow.client_groups.add(
            attrs.evolve(client_group("dach"), price_list=PriceListId("dach-list"))
        )
        uow.commit()
    refresher.dispatcher(engine).dispatch()
    refresher.refresh()
    member = client("kleinbau", groups=["dach"])
    assert unit_price(refresher, member) == Money("9.40", "EUR")
    assert unit_price(refresher) == Money("10.00", "EUR")


def test_an_entity_removed_outside_kamcore_leaves_the_index(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    stocked(uow)
    with uow:
        uow.products.add(product("p-9"))
        uow.commit()
    refresher = PricingRefresher(uow)
    refresher.load()
    assert refresher.index.product(ProductId("p-9")) == attrs.evolve(
        product("p-9"), version=1
    )
    removal = PricingChange(
        entity=PricingEntity.PRODUCT,
        id="p-9",
        kind=PricingChangeKind.REMOVED,
        version=1,
    )
    products = build_schema(SCHEMA_VERSION).kinds["products"]
    with engine.begin() as connection:
        # What a host does by hand: kamcore's repositories never delete.
        connection.execute(sa.delete(products).where(products.c.id == "p-9"))
    with uow:
        OutboxNotifier(uow).send(removal.to_notification())
        uow.commit()
    refresher.dispatcher(engine).dispatch()
    refresher.refresh()
    assert refresher.index.product(ProductId("p-9")) is None
    assert refresher.counts()[PricingEntity.PRODUCT] == 1


def test_a_saved_entity_no_longer_stored_is_removed_from_the_index(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    stocked(uow)
    refresher = PricingRefresher(uow)
    refresher.load()
    groups = build_schema(SCHEMA_VERSION).kinds["client_groups"]
    with uow:
        uow.client_groups.add(client_group("gone"))
        uow.commit()
    refresher.dispatcher(engine).dispatch()
    with engine.begin() as connection:
        connection.execute(sa.delete(groups))
    refresher.refresh()
    assert refresher.counts()[PricingEntity.CLIENT_GROUP] == 0
    assert refresher.applied == 3


def test_a_conflicting_change_keeps_the_old_index_and_its_events(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    stocked(uow)
    refresher = PricingRefresher(uow)
    refresher.load()
    refresher.dispatcher(engine).dispatch()
    index = refresher.refresh()
    with uow:
        second = uow.price_lists.add(base_list("11.00", list_id="base-2"))
        uow.commit()
    refresher.dispatcher(engine).dispatch()
    with pytest.raises(PricingConfigurationError):
        refresher.refresh()
    assert refresher.index is index
    assert list(refresher.pending) == [saved(PricingEntity.PRICE_LIST, "base-2", 1)]
    with uow:
        # The fix: the second list becomes a group list.
        uow.price_lists.save(attrs.evolve(second, kind=PriceListKind.GROUP))
        uow.commit()
    refresher.dispatcher(engine).dispatch()
    refresher.refresh()
    assert refresher.pending == ()
    assert refresher.index.price_list(PriceListId("base-2")) == attrs.evolve(
        second, kind=PriceListKind.GROUP, version=2
    )
    assert unit_price(refresher) == Money("10.00", "EUR")


def test_the_refresher_refuses_a_notification_that_is_not_a_pricing_change(
    engine: sa.Engine,
) -> None:
    refresher = PricingRefresher(SqlUnitOfWork(engine))
    note = Notification(
        recipient=Recipient(kind=RecipientKind.SERVICE, id="pricing"),
        kind="stock_level",
        key="stock_level:p-1",
        locale="en",
        subject="Stock of p-1",
    )
    with pytest.raises(ValidationError, match="kind"):
        refresher.send(note)
    assert refresher.pending == ()


def test_the_index_before_load_is_an_error(engine: sa.Engine) -> None:
    refresher = PricingRefresher(SqlUnitOfWork(engine))
    assert refresher.loaded is False
    with pytest.raises(TransactionError, match="before load"):
        refresher.refresh()


def test_the_change_kind_names_are_the_payload_s() -> None:
    assert PRICING_CHANGE == "pricing_change"
    assert [k.value for k in PricingChangeKind] == ["saved", "removed"]
    assert [e.value for e in PricingEntity] == [
        "price_list",
        "client_group",
        "discount_group",
        "product",
    ]
