"""Values shown as the user wrote them in YAML, for messages: ``true``, ``.nan``, ``'text'``.

>>> show(True), show(float("nan")), show("it's"), kind_of([1])
('true', '.nan', "'it''s'", 'a list')
"""

from __future__ import annotations

import json
from typing import Any

import yaml

__all__ = ["show", "kind_of"]


def show(value: Any) -> str:
    """A value as the user would have written it in YAML: ``true``, ``.nan``, ``'text'``, ``[1, 2]``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return ".nan"
        if value in (float("inf"), float("-inf")):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        if value.isprintable():
            text = "'" + value.replace("'", "''") + "'"
        else:  # newlines, tabs...: escaped, so that every error stays on one line
            text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, (list, dict)):
        try:
            text = yaml.safe_dump(value, default_flow_style=True, width=10**6, allow_unicode=True).strip()
        except yaml.YAMLError:
            text = repr(value)
    else:
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def kind_of(value: Any) -> str:
    """``'a list'``, ``'a mapping'``, ``'text'``... for messages."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"text ({show(value)})"
    if isinstance(value, bool):
        return f"a boolean ({show(value)})"
    if isinstance(value, (int, float)):
        return f"a number ({show(value)})"
    return f"a {type(value).__name__}"
