"""Scenario error messages: pydantic's ValidationError as ``file:line:col: field.path: problem`` lines.

Each problem is placed at the mark (:class:`~routesim.yamlio.Mark`) of the value
or key it is about, worded for someone who wrote YAML (``must be a number (got
true)``, ``unknown key 'bunker' (did you mean bunker_usd_per_t?)``), and the lines
come in file order without repeats.

>>> from pydantic import ValidationError
>>> from routesim.scenario import Scenario
>>> from routesim.yamlio import loads_marked
>>> data, marks = loads_marked("name: x\\nseed: -1\\nroutes: {}\\n", "x.yaml")
>>> try:
...     Scenario.model_validate(data)
... except ValidationError as exc:
...     print("\\n".join(format_errors(exc, marks, data, "x.yaml", Scenario)))
x.yaml:2:7: seed: must be >= 0 (got -1)
x.yaml:3:1: routes: needs at least 1 entry (got {})
"""

from __future__ import annotations

import math
import re
import typing
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ValidationError

from .._suggest import did_you_mean
from ..yamlio import Mark, Marks, format_path
from .display import show
from .types import PATTERN_WORDS

__all__ = ["format_errors", "sort_issues"]

# Words for the pydantic error types a scenario can hit; anything else keeps pydantic's text.
_TYPE_WORDS = {
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be text",
    "dict_type": "must be a mapping of keys to values",
    "model_type": "must be a mapping of keys to values",
    "model_attributes_type": "must be a mapping of keys to values",
    "list_type": "must be a list",
    "string_too_short": "must not be empty",
    "date_type": "must be a date written YYYY-MM-DD",
    "date_parsing": "must be a date written YYYY-MM-DD",
    "date_from_datetime_parsing": "must be a date written YYYY-MM-DD",
    "date_from_datetime_inexact": "must be a date written YYYY-MM-DD (without a time)",
}
_INTERNAL_LOC = re.compile(r"^(function-(after|before|wrap|plain)\[.*\]|[a-z-]+\[.*\]|int|float|str|bool|"
                           r"list|dict|none|is-instance\[.*\]|union|tagged-union)$")


def format_errors(exc: ValidationError, marks: Marks, data: Mapping, source: str,
                  model: type[BaseModel]) -> list[str]:
    """Every error of ``exc`` as a ``file:line:col: field.path: message`` line, in file order.

    Parameters
    ----------
    exc : pydantic.ValidationError
        From validating ``data`` as ``model``.
    marks : Marks
        Where each value and key of ``data`` was written.
    data : Mapping
        What was validated (to tell the user's keys from pydantic's internal ones).
    source : str
        The file validated (its lines sort before those of the files it extends).
    model : type[pydantic.BaseModel]
        The model validated, whose field names are offered for unknown keys.
    """
    found: list[tuple[Mark | None, str]] = []
    for err in exc.errors(include_url=False):
        path, is_key = _clean_loc(err["loc"], data)
        etype = err["type"]
        if etype == "extra_forbidden":
            key = str(path[-1]) if path else "?"
            fields = _field_names(model, list(path[:-1]))
            hint = did_you_mean(key, fields)
            if not hint and 0 < len(fields) <= 16:
                hint = f" (the keys here are {', '.join(fields)})"
            elif not hint and fields:
                hint = " ('routesim schema' lists the keys)"
            msg = f"unknown key '{key}'{hint}"
            mark = marks.lookup(path, key=True)
        elif etype == "missing":
            if path in marks.keys:  # written with an empty value (null), which means "not set"
                msg = "has no value (this key is required)"
                mark = marks.keys[path]
            else:
                msg = "required key is missing"
                mark = marks.lookup(path[:-1])
        else:
            msg = _message(err, is_key)
            sub = getattr((err.get("ctx") or {}).get("error"), "path", ())
            path = path + tuple(sub)
            mark = marks.lookup(path, key=is_key)
        found.append((mark, f"{format_path(path) or '(top level)'}: {msg}"))
    return sort_issues(found, marks, source)


def sort_issues(found: list[tuple[Mark | None, str]], marks: Marks, source: str) -> list[str]:
    """``file:line:col: path: message`` lines, in file order (overrides last), without repeats."""
    def order(item):
        m = item[0] or marks.default
        if m is None:
            return (2, "", 0, 0)
        return (1 if m.line <= 0 else 0, m.file != source, m.file, m.line, m.col)

    out: list[str] = []
    for mark, text in sorted(found, key=order):
        line = f"{mark or marks.default or '<scenario>'}: {text}"
        line = line.replace("\r", "\\r").replace("\n", "\\n")  # one line per error, whatever the input held
        if line not in out:
            out.append(line)
    return out


def _clean_loc(loc: tuple, data: Any) -> tuple[tuple, bool]:
    """pydantic's ``loc`` as a path in the data, and whether the error is about a mapping key.

    Walks the data alongside ``loc`` so that internal parts pydantic may add
    (``function-after[...]``, union member names) are dropped while every key
    the user wrote is kept, even one that looks like an internal part.
    """
    path: list = []
    node: Any = data
    is_key = False
    for i, part in enumerate(loc):
        if part == "[key]":
            is_key = True
            break
        if isinstance(part, int):
            path.append(part)
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
        elif isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(part, str) and _INTERNAL_LOC.match(part):
            continue
        else:
            path.append(part)  # a key that is absent (missing) or below a value of the wrong type
            node = None
    return tuple(path), is_key


def _message(err: Mapping, is_key: bool) -> str:
    """One pydantic error in words for a YAML writer, with the value given: ``must be > 0 (got -2)``."""
    etype = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if value is None and not is_key and etype != "missing":
        return "has no value (write one, or remove the key)"
    if isinstance(value, float) and not math.isfinite(value) and etype in ("finite_number", "value_error"):
        return f"must be a finite number (got {show(value)})"
    if etype in ("value_error", "assertion_error"):
        error = ctx.get("error")
        text = str(error) if error is not None else re.sub(r"^(Value|Assertion) error, ", "", err["msg"])
        if isinstance(value, bool):  # Python's True in a message about a YAML file
            text = re.sub(r"\b(True|False)$", show(value), text)
        return text
    words = _TYPE_WORDS.get(etype)
    if words is None:
        if etype == "greater_than":
            words = f"must be > {_number(ctx.get('gt'))}"
        elif etype == "greater_than_equal":
            words = f"must be >= {_number(ctx.get('ge'))}"
        elif etype == "less_than":
            words = f"must be < {_number(ctx.get('lt'))}"
        elif etype == "less_than_equal":
            words = f"must be <= {_number(ctx.get('le'))}"
        elif etype == "literal_error":
            words = f"must be {ctx.get('expected')}"
        elif etype == "too_short":
            n = ctx.get("min_length", 1)
            if isinstance(value, str):
                words = "must not be empty"
            elif isinstance(value, dict):
                words = f"needs at least {n} entr{'y' if n == 1 else 'ies'}"
            else:
                words = f"needs at least {n} item{'' if n == 1 else 's'}"
        elif etype == "too_long":
            n = ctx.get("max_length")
            words = f"must be at most {n} characters" if isinstance(value, str) else f"has more than {n} items"
        elif etype == "string_pattern_mismatch":
            words = PATTERN_WORDS.get(str(ctx.get("pattern")), f"must match {ctx.get('pattern')}")
        else:
            words = err["msg"]
    return f"{words} (got {show(value)})"


def _number(x: Any) -> str:
    """A bound as written in a message: ``0`` rather than ``0.0``, ``1,000`` for big ones."""
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return f"{x:,}" if isinstance(x, int) and abs(x) >= 10_000 else str(x)


def _field_names(model: type[BaseModel], path: list) -> list[str]:
    """Field names of the model found at ``path`` under ``model`` (for suggestions)."""
    current: Any = model
    for part in path:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            if not isinstance(part, str) or part not in current.model_fields:
                return []
            current = current.model_fields[part].annotation
            continue
        origin = typing.get_origin(current)
        args = typing.get_args(current)
        if origin in (dict,) and args:
            current = args[1]
        elif origin in (list,) and args:
            current = args[0]
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(tp: Any) -> Any:
    """The model (or list/dict type) inside ``Annotated[...]`` and ``X | None`` wrappers."""
    while True:
        origin = typing.get_origin(tp)
        if origin is Annotated:
            tp = typing.get_args(tp)[0]
            continue
        if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            models = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = models[0] if len(models) == 1 else next(
                (a for a in models if typing.get_origin(a) in (list, dict) or
                 (isinstance(a, type) and issubclass(a, BaseModel))), models[0])
            continue
        return tp

