"""Hand-written queries that run on every request, planned once per database connection.

A few small queries run on every page and API call: the caller's token, their workspaces,
the unread count of the bell. For those, building the query with the ORM took longer than
the database took to answer, and PostgreSQL took longer to plan each than to run it. Their
SQL is written out once from the models' metadata (`Columns`), and on PostgreSQL each is
prepared once per connection and then executed by name (`statement`). SQLite keeps compiled
statements by itself, so there a query runs as written.
"""

import weakref

from django.db import connection
from django.utils.functional import cached_property

# The raw PostgreSQL connections holding each prepared statement: a statement lives as long
# as its connection (a rolled-back transaction does not undo PREPARE).
PREPARED_ON: dict[str, weakref.WeakSet] = {}


def statement(name: str, sql: str) -> str:
    """What to execute for `sql` (with %s placeholders) on the current connection."""
    if connection.vendor != "postgresql":
        return sql
    name = f"milestones_{name}"  # never an SQL keyword
    connection.ensure_connection()
    holders = PREPARED_ON.setdefault(name, weakref.WeakSet())
    head, *rest = sql.split("%s")
    if connection.connection not in holders:
        numbered = head + "".join(f"${n}{part}" for n, part in enumerate(rest, 1))
        # On the driver's own cursor, as Django sets up a new connection: preparing is part
        # of the connection's setup, not of the request that happened to open it.
        with connection.connection.cursor() as cursor:
            cursor.execute(f"PREPARE {name} AS {numbered}")
        holders.add(connection.connection)
    return f"EXECUTE {name}({', '.join(['%s'] * len(rest))})"


class Columns:
    """Some of a model's columns in a hand-written SELECT, and the instance that a row's slice
    of them makes, its values converted as the ORM converts the rows of its own queries."""

    def __init__(self, model, alias: str, names: tuple[str, ...] | None = None):
        self.model = model
        self.names = names
        self.fields = [model._meta.get_field(name) for name in names or ()] or [
            *model._meta.concrete_fields
        ]
        self.alias = alias

    def __len__(self) -> int:
        return len(self.fields)

    def sql(self) -> list[str]:
        quote = connection.ops.quote_name
        return [f"{self.alias}.{quote(field.column)}" for field in self.fields]

    @cached_property
    def converters(self) -> list[tuple]:
        """(column, its converters) per field, as SQLCompiler.get_converters finds them."""
        found = []
        for field in self.fields:
            column = field.get_col(self.alias)
            found.append(
                (
                    column,
                    connection.ops.get_db_converters(column) + column.get_db_converters(connection),
                )
            )
        return found

    def instance(self, values):
        converted = []
        for (column, converters), value in zip(self.converters, values, strict=True):
            for convert in converters:
                value = convert(value, column, connection)
            converted.append(value)
        return self.model.from_db(connection.alias, self.names, converted)
