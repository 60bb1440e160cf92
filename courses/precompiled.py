"""A queryset's SQL compiled once per process and run again with other values.

Building the SQL of a query through the ORM (resolving fields, joins, annotations) costs
more than running it for the one-row reads every page makes (the session's user, a
routed page's own row). `Precompiled` compiles the queryset once, with stand-in values
in place of the ones that change, and later runs the same SQL with the real values,
building the model objects as the ORM does (its converters, deferred fields,
annotations as attributes). Only for querysets whose SQL does not depend on the values
(equalities on plain values, no `IN` lists, no `None`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet

# Stand-in values: integers no real id can be, one per parameter.
_STAND_INS = tuple(-987_654_321 - i for i in range(8))


class Precompiled:
    def __init__(self, build: Callable[..., QuerySet]):
        """`build(*values)` returns the queryset for these values."""
        self.build = build
        self._compiled: dict[tuple, tuple] = {}

    def _compile(self, key, arity: int):
        queryset = self.build(*_STAND_INS[:arity])
        compiler = queryset.query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        positions = []
        for i, param in enumerate(params):
            if param in _STAND_INS[:arity]:
                positions.append((i, _STAND_INS.index(param)))
        found = sorted({which for _, which in positions})
        if found != list(range(arity)):
            raise ValueError("every value must be a parameter of the query")
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        names = [column[0].target.attname for column in select[start:end]]
        converters = compiler.get_converters([column[0] for column in select])
        compiled = (
            queryset.db,
            sql,
            list(params),
            positions,
            klass_info["model"],
            names,
            start,
            end,
            dict(compiler.annotation_col_map),
            converters,
            compiler,
        )
        self._compiled[key] = compiled
        return compiled

    def rows(self, *values) -> list:
        """The objects `build(*values)` would give (the default database's)."""
        connection = connections["default"]
        key = (id(connection), len(values))
        compiled = self._compiled.get(key) or self._compile(key, len(values))
        db, sql, params, positions, model, names, start, end, annotations, converters, compiler = (
            compiled
        )
        params = list(params)
        for i, which in positions:
            params[i] = values[which]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = list(compiler.apply_converters(rows, converters))
        objects = []
        for row in rows:
            obj = model.from_db(db, names, row[start:end])
            for attr, index in annotations.items():
                setattr(obj, attr, row[index])
            objects.append(obj)
        return objects
