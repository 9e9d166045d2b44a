"""Bulk writes (`store.bulk.bulk_insert`) keep every value as given, on both databases: on
PostgreSQL the rows go through COPY's text format, so a text's backslashes, tabs and line
breaks, and the spellings COPY gives a meaning (\\N, \\.), must come back unchanged."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Column, Date, DateTime, Float, Integer, MetaData, Numeric, String, Table, select

from tests.conftest import ADMIN
from workbench.store.bulk import bulk_insert

TEXTS = ["王德福", "back\\slash", "tab\there", "line\nbreak", "carriage\rreturn", "\\.", "\\N", "", None, " 两端空格 ",
         "\\t literally", "end\\", "引号'和\"", "😀"]


def scratch(db, *columns) -> Table:
    table = Table("bulk_scratch", MetaData(), Column("id", Integer, primary_key=True), *columns)
    table.create(db.engine)
    return table


def written(db, table, names, rows) -> list[tuple]:
    with db.unit_of_work(ADMIN, write=True) as uow:
        assert bulk_insert(uow.session, table, names, rows) == len(rows)
        uow.commit()
    with db.unit_of_work(ADMIN) as uow:
        return [tuple(row) for row in uow.session.execute(select(table).order_by(table.c.id))]


def test_texts_dates_amounts_and_flags_come_back_as_written(db):
    table = scratch(db, Column("text", String(40)), Column("day", Date), Column("moment", DateTime),
                    Column("amount", Numeric(12, 2)), Column("flag", Boolean))
    moment = datetime(2026, 12, 7, 9, 30, 15, 123456)
    rows = [(number, text, date(1940, 2, 29) if number % 2 else None, moment if number % 3 else None,
             Decimal("-12.34") if number % 2 else Decimal("0.00"), number % 2 == 0)
            for number, text in enumerate(TEXTS, start=1)]
    assert written(db, table, ["id", "text", "day", "moment", "amount", "flag"], rows) == rows


def test_a_value_of_another_kind_is_written_too(db):
    """A float (not written as text here) sends its batch through the driver's own rows."""
    table = scratch(db, Column("text", String(40)), Column("ratio", Float))
    rows = [(number, text, number / 8) for number, text in enumerate(TEXTS, start=1)]
    assert written(db, table, ["id", "text", "ratio"], rows) == rows
