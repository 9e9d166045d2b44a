"""Bulk writes for import, run and export: many rows in one driver call.

SQLAlchemy's executemany spends most of its time converting each value of each row. Here
each column's converter is looked up once, repeated values (the shared timestamp, a user's
name) are converted once, and the tuples go to the driver's `executemany` inside the unit of
work's own transaction.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Iterator, Sequence

from sqlalchemy import Select, Table, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

BATCH = 20_000
IN_LIST = 5_000  # values in one SQL IN (...) list: well below SQLite's and PostgreSQL's limits


def chunks(values: Sequence[Any], size: int = IN_LIST) -> Iterator[Sequence[Any]]:
    """`values` in consecutive slices of at most `size`."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def runs_of(ids: set[int], least: int) -> tuple[list[tuple[int, int]], list[int]]:
    """`ids` as (first, last) runs of at least `least` consecutive ids, and the rest, sorted."""
    ordered = sorted(ids)
    runs, rest, start = [], [], 0
    for end in range(1, len(ordered) + 1):
        if end == len(ordered) or ordered[end] != ordered[end - 1] + 1:
            if end - start >= least:
                runs.append((ordered[start], ordered[end - 1]))
            else:
                rest.extend(ordered[start:end])
            start = end
    return runs, rest


def bulk_insert(session: Session, table: Table, names: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
    """Insert `rows` (tuples in the order of `names`) into `table`; returns the number inserted."""
    if not rows:
        return 0
    connection = session.connection()
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    statement = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in names)}) "
        f"VALUES ({', '.join([marker] * len(names))})"
    )
    converters = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        if dialect.name == "postgresql":
            # COPY: the rows streamed to the server as one statement (five to ten times a batch of INSERTs).
            columns = ", ".join(quote(name) for name in names)
            with cursor.copy(f"COPY {quote(table.name)} ({columns}) FROM STDIN") as copy:
                for start in range(0, len(rows), BATCH):
                    columns = list(zip(*rows[start : start + BATCH]))
                    texts = [_copy_texts(values, processor) for values, processor in zip(columns, converters)]
                    if None in texts:  # a value of another kind: psycopg writes each row
                        converted = [_converted(values, processor) for values, processor in zip(columns, converters)]
                        for row in zip(*converted):
                            copy.write_row(row)
                    else:  # the batch as COPY's text format, one write
                        copy.write("".join([line + "\n" for line in map("\t".join, zip(*texts))]))
            return len(rows)
        for start in range(0, len(rows), BATCH):
            columns = zip(*rows[start : start + BATCH])
            converted = [_converted(values, processor) for values, processor in zip(columns, converters)]
            cursor.executemany(statement, list(zip(*converted)))
    except dialect.loaded_dbapi.Error as problem:
        # The same exception type as a statement run through SQLAlchemy would raise.
        raise DBAPIError.instance(statement, None, problem, dialect.loaded_dbapi.Error, dialect=dialect) from problem
    finally:
        cursor.close()
    return len(rows)


def bulk_select(session: Session, statement: Select) -> list[tuple]:
    """The rows of a Core SELECT as tuples, each column's distinct values converted once.

    For the large reads of a run or an export: SQLAlchemy would convert every date and month
    value of every row anew. The statement's parameters are rendered inline, so they must be
    plain values (strings, numbers, months, dates).
    """
    raw, readers = driver_rows(session, statement)
    if not raw or not any(reader.converts for reader in readers):
        return raw
    columns = [list(map(reader.__getitem__, values)) if reader.converts else values
               for values, reader in zip(zip(*raw), readers)]
    return list(zip(*columns))


WHOLE_TABLE = 20_000  # asked for more rows by key than this, a read takes the whole table (`bulk_select_of`)


def bulk_select_of(session: Session, statement: Select, column, values: Sequence[Any]) -> list[tuple]:
    """`bulk_select` of the rows of `statement` whose `column` is one of `values`, and perhaps
    others: a query per slice of the values, or, for more than WHOLE_TABLE of them, one pass over
    the whole table, cheaper than that many IN lists. The caller keeps the rows it wants."""
    if len(values) > WHOLE_TABLE:
        return bulk_select(session, statement)
    return [row for chunk in chunks(values) for row in bulk_select(session, statement.where(column.in_(chunk)))]


class Reader(dict):
    """One column's driver values -> Python values, each distinct value converted once, on first
    use: `reader[value]` is a dictionary lookup for every value met before. Without a converter
    (`converts` false) a value is itself."""

    __slots__ = ("_processor",)

    def __init__(self, processor) -> None:
        super().__init__()
        self._processor = processor

    @property
    def converts(self) -> bool:
        return self._processor is not None

    def __missing__(self, value: Any) -> Any:
        converted = self[value] = value if value is None or self._processor is None else self._processor(value)
        return converted


def driver_rows(session: Session, statement: Select) -> tuple[list[tuple], list[Reader]]:
    """The rows of a Core SELECT as the driver returns them, and for each column the `Reader` that
    gives its Python values.

    For the largest reads, where the caller builds its own objects from each row anyway and can
    convert as it goes, sparing `bulk_select`'s second pass over the rows. Parameters are
    rendered inline, as for `bulk_select`.
    """
    connection = session.connection()
    dialect = connection.dialect
    sql = str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql)
        raw = cursor.fetchall()
    finally:
        cursor.close()
    processors = [column.type.dialect_impl(dialect).result_processor(dialect, None) for column in statement.selected_columns]
    return raw, [Reader(processor) for processor in processors]


def _converted(values: Sequence[Any], processor) -> Sequence[Any]:
    """One column's values in the driver's terms; each distinct value is converted once."""
    if processor is None:
        return values
    try:
        memo = {value: None if value is None else processor(value) for value in set(values)}
    except TypeError:  # values that cannot be keys (a JSON column's dicts): each converted
        return [None if value is None else processor(value) for value in values]
    return list(map(memo.__getitem__, values))


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str | None:
    """A driver value as COPY's text format writes it; None for a kind not written here."""
    kind = value.__class__
    if kind is str:
        return value.translate(_COPY_ESCAPES)
    if value is None:
        return "\\N"
    if kind is int or kind is Decimal:
        return str(value)
    if kind is bool:
        return "t" if value else "f"
    if kind is date or (kind is datetime and value.tzinfo is None):  # a zone is left to the driver
        return value.isoformat()
    return None


def _copy_texts(values: Sequence[Any], processor) -> list[str] | None:
    """One column's values, in the driver's terms (`processor`, as `_converted`), as COPY's text
    format writes them, each distinct value once; None when a value is of a kind `_copy_text` does
    not write."""
    try:
        memo = {value: _copy_text(value if value is None or processor is None else processor(value))
                for value in set(values)}
    except TypeError:  # values that cannot be keys
        return None
    if None in memo.values():
        return None
    return list(map(memo.__getitem__, values))


def insert_missing(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert dictionary rows, skipping any that another installation inserted meanwhile."""
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(insert(table).on_conflict_do_nothing(), list(rows))


def allocate_ids(session: Session, table: Table, count: int) -> list[int]:
    """Reserve `count` primary keys for rows about to be bulk-inserted with explicit ids.

    PostgreSQL hands them out from the table's sequence, safe under concurrent writers. SQLite
    has one writer at a time (write transactions begin IMMEDIATE), so the next free ids are ours.
    """
    if count == 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        sequence = session.scalar(text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name})
        return list(session.scalars(text("SELECT nextval(:sequence) FROM generate_series(1, :count)"),
                                    {"sequence": sequence, "count": count}))
    first = (session.scalar(select(func.max(table.c.id))) or 0) + 1
    return list(range(first, first + count))
