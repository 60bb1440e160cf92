"""A `values_list` query (a `UNION ALL` of several, say) compiled once per process and run
again with other values, its rows converted as the ORM converts them.

`courses.precompiled` does this for querysets of model objects; this is its sibling for
plain rows. Values are integers, or `Ids` (a list of ids passed as one parameter): the
SQL must not depend on them (equalities and `Ids`, no `IN` of a plain list, no `None`).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet

from .status import Ids

# Stand-in values: integers no real id can be, one per parameter.
_STAND_INS = tuple(-876_543_210 - i for i in range(16))


def _stand_in(value, i: int):
    return Ids([_STAND_INS[i]]) if isinstance(value, Ids) else _STAND_INS[i]


def _which(param, stand_ins) -> tuple[int, bool] | None:
    """(index of the stand-in, is a list of ids) when `param` is one, else None."""
    for i, stand_in in enumerate(stand_ins):
        if isinstance(stand_in, Ids):
            if param == stand_in.ids or param == json.dumps(stand_in.ids, separators=(",", ":")):
                return i, True
        elif param == stand_in and not isinstance(param, bool):
            return i, False
    return None


class PrecompiledRows:
    def __init__(self, build: Callable[..., QuerySet]):
        """`build(*values)` returns the `values_list` queryset for these values."""
        self.build = build
        self._compiled: dict[tuple, tuple] = {}

    def _compile(self, key, values):
        stand_ins = [_stand_in(value, i) for i, value in enumerate(values)]
        queryset = self.build(*stand_ins)
        compiler = queryset.query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        positions = []
        for i, param in enumerate(params):
            found = _which(param, stand_ins)
            if found is not None:
                positions.append((i, *found))
        if sorted({which for _, which, _ in positions}) != list(range(len(values))):
            raise ValueError("every value must be a parameter of the query")
        converters = compiler.get_converters([column[0] for column in compiler.select])
        compiled = (sql, list(params), positions, converters, compiler)
        self._compiled[key] = compiled
        return compiled

    def rows(self, *values) -> list[tuple]:
        """The rows `build(*values)` would give (the default database's)."""
        connection = connections["default"]
        key = (id(connection), tuple(isinstance(value, Ids) for value in values))
        compiled = self._compiled.get(key) or self._compile(key, values)
        sql, params, positions, converters, compiler = compiled
        params = list(params)
        for i, which, is_ids in positions:
            value = values[which]
            params[i] = value.param(connection) if is_ids else value
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return rows
