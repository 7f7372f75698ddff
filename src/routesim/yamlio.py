"""Safe YAML loading that remembers where every value came from.

:func:`load_marked` parses a YAML file with PyYAML's *safe* machinery and
returns plain Python data plus a :class:`Marks` table mapping each field path
(a tuple such as ``("routes", "direct", "origin")``) to the file, line and
column where it was written. Scenario errors use it to say
``scenarios/peru.yaml:14:7: routes.direct.origin: ...``.

Only the standard YAML tags (mappings, sequences, strings, numbers,
booleans, null) are accepted; ``!!python/object`` and every other tag is an
error, never constructed. Problems raise :class:`~routesim.errors.YamlError`
(re-exported here), whose ``mark`` says where.

>>> data, marks = loads_marked("a:\\n  b: [1, 2]\\n", "x.yaml")
>>> data
{'a': {'b': [1, 2]}}
>>> marks.where(("a", "b", 1))
'x.yaml:2:10'

A value that is a mapping or a list is marked at its key (where the entry
is written), a scalar at the value itself:

>>> marks.where(("a",)), marks.where(("a", "b"))
('x.yaml:1:1', 'x.yaml:2:3')
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import YamlError

__all__ = ["Mark", "Marks", "YamlError", "load_marked", "loads_marked", "loads_data", "format_path", "reads_as_number",
           "recording_reads"]

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
_MAX_NODES = 50_000  # values after expanding aliases: guards against alias bombs ("billion laughs")
_MAX_DEPTH = 64  # mappings/lists inside one another (deeper input is an error, not a RecursionError)


# What usually causes PyYAML's terser complaints
_SYNTAX_HINTS = {
    "found character '\\t' that cannot start any token": "indent with spaces, not tabs",
    "mapping values are not allowed here": "check this line's indentation, or quote a value that contains ': '",
    "expected <block end>": "check the indentation (a list item and a key at the same level?)",
    "found unexpected end of stream": "a quote opened earlier is not closed",
    "could not find expected ':'": "a key needs ': ' after it, or a value that continues needs quotes",
}


@dataclass(frozen=True)
class Mark:
    """A place in a file: 1-based line and column.

    A mark with ``line == 0`` names a source that has no lines, such as a
    ``--set`` option; it prints as the source alone.
    """

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
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
    for reads in _RECORDING:
        reads.append((os.path.abspath(path), raw))
    return loads_marked(_decode(raw, name), name)


_RECORDING: list[list] = []
"""The lists :func:`recording_reads` is filling (the innermost last)."""


@contextlib.contextmanager
def recording_reads():
    """Within the block, every file :func:`load_marked` reads is appended to the list yielded:
    ``(absolute path as given, bytes read)`` (what ``routesim validate``'s answer depends on,
    :mod:`routesim.validate_cache`).

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
    ...     _ = f.write("a: 1\\n")
    >>> with recording_reads() as reads:
    ...     data, _ = load_marked(f.name)
    >>> data, reads == [(f.name, b"a: 1\\n")]
    ({'a': 1}, True)
    >>> os.unlink(f.name)
    """
    reads: list = []
    _RECORDING.append(reads)
    try:
        yield reads
    finally:
        _RECORDING.remove(reads)


_FastLoader = getattr(yaml, "CSafeLoader", None)
"""libyaml's safe loader (about 9x faster) when PyYAML was built with it, else None."""


def loads_marked(text: str, name: str = "<string>") -> tuple[Any, Marks]:
    """Parse YAML text safely; return ``(data, marks)``.

    Text is parsed with libyaml (:data:`_FastLoader`) where available; text that libyaml
    rejects is parsed again with PyYAML's Python loader, whose messages (and this module's
    hints on them) are the ones reported. Both give the same nodes, hence the same data
    and marks.
    """
    if _FastLoader is not None:
        try:
            return _loads_with(_FastLoader, text, name)
        except YamlError as exc:
            if not getattr(exc, "_syntax", False):
                raise
    return _loads_with(yaml.SafeLoader, text, name)


def loads_data(text: str) -> Any:
    """Plain data of YAML text, exactly what ``yaml.load(text, Loader=yaml.CSafeLoader)`` returns
    (no marks), in a fraction of the time: the data files of the catalogue.

    libyaml's parser gives the events and this builds the mappings, lists and scalars from them
    directly, each distinct plain scalar resolved once, without the node graph PyYAML's constructor
    walks. Text with what that does not cover (anchors and aliases, merge keys, explicit tags, a
    mapping as a key, several documents) is loaded by PyYAML itself, as are syntax errors
    (:class:`yaml.YAMLError`, raised with PyYAML's marks). Without libyaml, PyYAML's Python loader.

    >>> loads_data("a: [1, 1.5, yes, ~, '2', 2024-11-15]\\nb: {c: text}\\n")
    {'a': [1, 1.5, True, None, '2', datetime.date(2024, 11, 15)], 'b': {'c': 'text'}}
    >>> loads_data("base: &b {x: 1}\\nother: *b\\n")   # an alias: PyYAML builds it
    {'base': {'x': 1}, 'other': {'x': 1}}
    """
    if _FastLoader is None:
        return yaml.load(text, Loader=yaml.SafeLoader)
    loader = _FastLoader(text)
    try:
        return _data_from_events(loader)
    except _NotPlain:
        pass
    finally:
        loader.dispose()
    return yaml.load(text, Loader=_FastLoader)


class _NotPlain(Exception):
    """The text holds something :func:`loads_data` leaves to PyYAML."""


_STR = "tag:yaml.org,2002:str"
_PLAIN_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
               "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp"}
_NO_KEY = object()


def _data_from_events(loader) -> Any:
    """The document of ``loader``'s events, built with a stack of the open mappings and lists."""
    get = loader.get_event
    if not isinstance(get(), yaml.StreamStartEvent):
        raise _NotPlain
    if isinstance(get(), yaml.StreamEndEvent):  # else the document starts
        return None
    plain: dict[str, Any] = {}  # plain scalar -> its value (resolved and constructed once)
    stack: list[list] = []  # [container, key awaiting its value]
    root: Any = _NO_KEY
    while root is _NO_KEY:
        event = get()
        kind = type(event)
        if kind is yaml.ScalarEvent:
            value = _scalar(event, plain, loader)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.anchor is not None or event.tag is not None:
                raise _NotPlain
            value = {} if kind is yaml.MappingStartEvent else []
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            done = stack.pop()[0]
            if not stack:
                root = done
            continue
        else:  # an alias, or a document that is not one node
            raise _NotPlain
        opens = isinstance(value, (dict, list))
        if stack:
            top = stack[-1]
            if type(top[0]) is list:
                top[0].append(value)
            elif top[1] is _NO_KEY:
                if opens:  # a mapping or list as a key
                    raise _NotPlain
                top[1] = value
                continue
            else:
                top[0][top[1]] = value
                top[1] = _NO_KEY
        elif not opens:
            root = value
        if opens:
            stack.append([value, _NO_KEY])
    if not isinstance(get(), yaml.DocumentEndEvent) or not isinstance(get(), yaml.StreamEndEvent):
        raise _NotPlain  # several documents: PyYAML's error
    return root


def _scalar(event, plain: dict, loader) -> Any:
    """The value of a scalar event: text unless plain, a plain one resolved as PyYAML resolves it."""
    if event.anchor is not None or event.tag is not None:
        raise _NotPlain
    text = event.value
    if not event.implicit[0]:  # quoted, or a block scalar
        return text
    try:
        return plain[text]
    except KeyError:
        pass
    tag = loader.resolve(yaml.ScalarNode, text, (True, False))
    value = text
    if tag != _STR:
        if tag not in _PLAIN_TAGS:  # merge key (<<), value key (=)
            raise _NotPlain
        value = loader.yaml_constructors[tag](loader, yaml.ScalarNode(tag, text))
    plain[text] = value
    return value


def _loads_with(loader_class, text: str, name: str) -> tuple[Any, Marks]:
    try:
        loader = loader_class(text)  # PyYAML's reader checks every character here
    except yaml.reader.ReaderError as exc:
        raise _syntax(_reader_error(exc, text, name)) from None
    marks = Marks(default=Mark(name, 1, 1))
    try:
        node = loader.get_single_node()
        if node is None:
            return None, marks
        data = _build(node, (), name, marks, loader, [0])
    except yaml.MarkedYAMLError as exc:
        m = exc.problem_mark or exc.context_mark
        mark = Mark(name, m.line + 1, m.column + 1) if m else Mark(name, 1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        cm = exc.context_mark
        if exc.problem and exc.context and cm is not None and (cm.line, cm.column) != (m.line, m.column):
            problem += f" ({exc.context} at line {cm.line + 1}, column {cm.column + 1})"
        for known, hint in _SYNTAX_HINTS.items():
            if problem.startswith(known):
                problem += f"; {hint}"
                break
        raise _syntax(YamlError(mark, f"YAML syntax error: {problem}")) from None
    except yaml.reader.ReaderError as exc:
        raise _syntax(_reader_error(exc, text, name)) from None
    except yaml.YAMLError as exc:
        raise _syntax(YamlError(Mark(name, 1, 1), f"YAML error: {exc}")) from None
    except RecursionError:  # the composer recurses once per nesting level
        raise YamlError(Mark(name, 1, 1), f"mappings and lists are nested too deeply (more than {_MAX_DEPTH} levels)") from None
    finally:
        loader.dispose()
    return data, marks


def _reader_error(exc, text: str, name: str) -> YamlError:
    """A character YAML does not allow (a control character, even in a comment), at its line and column."""
    pos = max(0, min(int(getattr(exc, "position", 0) or 0), len(text)))
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    char = getattr(exc, "character", None)
    what = f"#x{char:04x}" if isinstance(char, int) else "a special character"
    return YamlError(Mark(name, line, col), f"YAML syntax error: unacceptable character {what}: control "
                                            "characters are not allowed anywhere in YAML, comments included")


def _syntax(exc: YamlError) -> YamlError:
    """``exc``, flagged as a parser's complaint (the Python parser words it for the user)."""
    exc._syntax = True
    return exc


def _mark(node: yaml.Node, name: str) -> Mark:
    return Mark(name, node.start_mark.line + 1, node.start_mark.column + 1)


def _tag(node: yaml.Node) -> str:
    return node.tag.replace("tag:yaml.org,2002:", "!!")


def _build(node, path, name, marks, loader, counter, at: Mark | None = None):
    """Plain data from ``node``; ``at`` is the mark of the key holding it (if any)."""
    counter[0] += 1
    if counter[0] > _MAX_NODES:
        raise YamlError(_mark(node, name), f"too many values (more than {_MAX_NODES:,} once aliases such as "
                                           "*name are expanded); is this an alias bomb?")
    if len(path) > _MAX_DEPTH:
        raise YamlError(_mark(node, name), f"mappings and lists are nested too deeply (more than {_MAX_DEPTH} levels)")
    where = f"{format_path(path)}: " if path else ""
    if node.tag not in _SAFE_TAGS:
        raise YamlError(_mark(node, name), f"{where}tag {_tag(node)} is not allowed (scenario files are loaded safely)")
    container = isinstance(node, (yaml.MappingNode, yaml.SequenceNode))
    marks.values[path] = at if (container and at is not None) else _mark(node, name)
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        first: dict[str, Mark] = {}  # explicit keys only: merged ones (<<: *anchor) may be overridden
        n_explicit = sum(1 for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge")
        loader.flatten_mapping(node)
        n_merged = len(node.value) - n_explicit
        for i, (knode, vnode) in enumerate(node.value):
            if not isinstance(knode, yaml.ScalarNode) or knode.tag not in _SAFE_TAGS:
                what = "a mapping" if isinstance(knode, yaml.MappingNode) else (
                    "a list" if isinstance(knode, yaml.SequenceNode) else f"tagged {_tag(knode)}")
                raise YamlError(_mark(knode, name), f"{where}a mapping key must be plain text, not {what}")
            key = loader.construct_object(knode, deep=True)
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                shown = {True: "true", False: "false", None: "null"}.get(key, key) if isinstance(key, (bool, type(None))) else key
                raise YamlError(_mark(knode, name), f"{where}a mapping key must be text, not {shown!s} (quote it)")
            key = str(key)
            kmark = _mark(knode, name)
            if i >= n_merged:
                if key in first:
                    raise YamlError(kmark, f"{format_path(path + (key,))}: duplicate key (first written at "
                                           f"line {first[key].line})")
                first[key] = kmark
            if key in out:  # a merged value replaced by a later merge or an explicit key
                marks.drop(path + (key,))
                del out[key]
            marks.keys[path + (key,)] = kmark
            out[key] = _build(vnode, path + (key,), name, marks, loader, counter, kmark)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(v, path + (i,), name, marks, loader, counter) for i, v in enumerate(node.value)]
    try:
        value = loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError) as exc:  # e.g. an impossible date
        raise YamlError(_mark(node, name), f"{where}cannot read {node.value!r}: {getattr(exc, 'problem', None) or exc}") from None
    if node.tag.endswith(":timestamp"):
        return value.isoformat()  # dates stay text; the schema parses them
    plain = not node.style  # None (PyYAML) or "" (libyaml)
    if plain and isinstance(value, (int, float)) and not isinstance(value, bool) and ":" in node.value:
        raise YamlError(_mark(node, name), f"{where}{node.value} reads as a base-60 number in YAML 1.1 "
                                           f"({value:g}); write the number itself, or quote it for text")
    if plain and isinstance(value, str) and _EXPONENT.fullmatch(value):
        return float(value)  # 1.0e9: a number in YAML 1.2, text in YAML 1.1
    return value


_EXPONENT = re.compile(r"[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+")
"""A plain number with an exponent that YAML 1.1 reads as text (it wants a sign: ``1.0e+9``)."""


def reads_as_number(text: str) -> bool:
    """Whether plain (unquoted) ``text`` reads back as a number here though YAML 1.1 writes it as
    text (``0E0``, ``1.0e9``): a writer must quote it.

    >>> reads_as_number("0E0"), reads_as_number("blueberries")
    (True, False)
    """
    return _EXPONENT.fullmatch(text) is not None

