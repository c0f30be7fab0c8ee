"""An UPDATE that says which rows it changed.

`QuerySet.update` answers a count. Where a caller must know which rows moved (to make the
missing ones, or to report the ones that could not move) without a second read, the ORM
builds the UPDATE exactly as `update()` would, and RETURNING (PostgreSQL; SQLite 3.35+)
names the rows, read back through the field's own converters.
"""

from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.sql.subqueries import UpdateQuery


def update_returning(rows: QuerySet, values: dict, *, returning: str) -> set:
    """Apply `values` (field name to expression) to `rows` in one UPDATE; answer the
    `returning` field's value of each row it changed."""
    model = rows.model
    using = router.db_for_write(model)
    connection = connections[using]
    update = rows.query.chain(UpdateQuery)
    update.add_update_values(values)
    # As `update()` does: the annotations the values name are inlined by now.
    update.clear_select_clause()
    sql, params = update.get_compiler(using).as_sql()
    column = model._meta.get_field(returning).get_col(model._meta.db_table)
    converters = [
        *connection.ops.get_db_converters(column),
        *column.field.get_db_converters(connection),
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} RETURNING {connection.ops.quote_name(column.target.column)}", params)
        changed = cursor.fetchall()
    found = set()
    for (value,) in changed:
        for converter in converters:
            value = converter(value, column, connection)
        found.add(value)
    return found
