"""Safe YAML loading that remembers where every value came from.

:func:`load_marked` parses a YAML file with PyYAML's *safe* machinery and
returns plain Python data plus a :class:`Marks` table mapping each field path
(a tuple such as ``("routes", "direct", "origin")``) to the file, line and
column where it was written. Scenario errors use it to say
``scenarios/peru.yaml:14:7: routes.direct.origin: ...``.

Only the standard YAML tags (mappings, sequences, strings, numbers,
booleans, null) are accepted; ``!!python/object`` and every other tag is an
error, never constructed.

>>> data, marks = loads_marked("a:\\n  b: [1, 2]\\n", "x.yaml")
>>> data
{'a': {'b': [1, 2]}}
>>> marks.where(("a", "b", 1))
'x.yaml:2:10'
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Mark", "Marks", "YamlError", "load_marked", "loads_marked", "atomic_write_text", "format_path"]

_SAFE_TAGS = {
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MAX_NODES = 200_000  # guards against alias bombs ("billion laughs")


@dataclass(frozen=True)
class Mark:
    """A place in a file: 1-based line and column."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass
class Marks:
    """Field path -> :class:`Mark` of the value (or the key, for mapping keys)."""

    values: dict[tuple, Mark] = field(default_factory=dict)
    keys: dict[tuple, Mark] = field(default_factory=dict)
    default: Mark | None = None

    def lookup(self, path: tuple, *, key: bool = False) -> Mark | None:
        """The mark of ``path``, or of its longest known prefix."""
        path = tuple(path)
        table = self.keys if key else self.values
        if path in table:
            return table[path]
        for n in range(len(path) - 1, -1, -1):
            prefix = path[:n]
            if prefix in self.values:
                return self.values[prefix]
        return self.default

    def where(self, path: tuple, *, key: bool = False) -> str:
        """``file:line:col`` for ``path`` (falls back to a prefix or the file)."""
        m = self.lookup(path, key=key)
        return str(m) if m else "<scenario>"

    def update(self, other: "Marks", prefix: tuple = ()) -> None:
        """Overlay ``other``'s marks (shifted under ``prefix``) on these."""
        for p, m in other.values.items():
            self.values[prefix + p] = m
        for p, m in other.keys.items():
            self.keys[prefix + p] = m

    def drop(self, prefix: tuple) -> None:
        """Forget every mark at or below ``prefix`` (the value was replaced)."""
        n = len(prefix)
        for table in (self.values, self.keys):
            for p in [p for p in table if p[:n] == prefix]:
                del table[p]


class YamlError(Exception):
    """A YAML file could not be read; ``mark`` says where."""

    def __init__(self, mark: Mark | None, message: str):
        self.mark = mark
        self.message = message
        super().__init__(f"{mark}: {message}" if mark else message)


def format_path(path: tuple) -> str:
    """``("routes", "a", "via", 0)`` -> ``routes.a.via[0]``."""
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + str(p)
    return out


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlError(Mark(name, line, col), f"file is not valid UTF-8 text (byte 0x{raw[exc.start]:02x})") from None


def load_marked(path: str | os.PathLike, display: str | None = None) -> tuple[Any, Marks]:
    """Read and parse a YAML file safely; return ``(data, marks)``.

    ``display`` is the name used in marks (defaults to the path as given).
    """
    name = display if display is not None else str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise YamlError(None, f"{name}: no such file") from None
    except IsADirectoryError:
        raise YamlError(None, f"{name}: is a directory, not a scenario file") from None
    except OSError as exc:
        raise YamlError(None, f"{name}: cannot read ({exc.strerror})") from None
    return loads_marked(_decode(raw, name), name)


def loads_marked(text: str, name: str = "<string>") -> tuple[Any, Marks]:
    """Parse YAML text safely; return ``(data, marks)``."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        m = exc.problem_mark or exc.context_mark
        mark = Mark(name, m.line + 1, m.column + 1) if m else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlError(mark, f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:
        raise YamlError(Mark(name, 1, 1), f"YAML error: {exc}") from None
    finally:
        loader.dispose()
    marks = Marks(default=Mark(name, 1, 1))
    if node is None:
        return None, marks
    counter = [0]
    data = _build(node, (), name, marks, loader, counter)
    return data, marks


def _mark(node: yaml.Node, name: str) -> Mark:
    return Mark(name, node.start_mark.line + 1, node.start_mark.column + 1)


def _build(node, path, name, marks, loader, counter):
    counter[0] += 1
    if counter[0] > _MAX_NODES:
        raise YamlError(_mark(node, name), f"document too large (more than {_MAX_NODES} values; alias bomb?)")
    if node.tag not in _SAFE_TAGS:
        raise YamlError(
            _mark(node, name),
            f"tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed (scenario files are loaded safely)",
        )
    marks.values[path] = _mark(node, name)
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        loader.flatten_mapping(node)
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode) or knode.tag not in _SAFE_TAGS:
                raise YamlError(_mark(knode, name), "mapping keys must be plain text")
            key = loader.construct_object(knode, deep=True)
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise YamlError(_mark(knode, name), f"mapping key {key!r} must be text")
            key = str(key)
            if key in out:
                raise YamlError(_mark(knode, name), f"duplicate key '{key}' in {format_path(path) or 'the top level'}")
            marks.keys[path + (key,)] = _mark(knode, name)
            out[key] = _build(vnode, path + (key,), name, marks, loader, counter)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(v, path + (i,), name, marks, loader, counter) for i, v in enumerate(node.value)]
    try:
        value = loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError) as exc:  # e.g. an impossible date
        raise YamlError(_mark(node, name), f"cannot read value: {exc}") from None
    if node.tag.endswith(":timestamp"):
        return value.isoformat()  # dates stay text; the schema parses them
    return value


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to ``path`` atomically (temporary file + ``os.replace``).

    An interrupted write leaves either the old file or the new one, never a
    partial file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
