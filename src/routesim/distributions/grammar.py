"""The distribution grammar: text such as ``"gamma(mean=4.5, cv=0.8)"`` read into a
:class:`~routesim.distributions.base.Distribution`, never evaluated.

:func:`parse` reads the text with :func:`ast.parse` and walks the tree, accepting only
the registered family calls (:data:`~routesim.distributions.base.KINDS`), numeric
literals with an optional leading minus, keyword arguments and, for ``empirical``,
list literals. Errors carry the character offset of the part at fault.

>>> parse("gamma(4.5, 0.8)")
Gamma(mean=4.5, cv=0.8)
>>> parse("gamma(mean=4.5, sd=1)")
Traceback (most recent call last):
...
routesim.errors.DistributionError: gamma(): unknown argument 'sd'; expected mean, cv
"""

from __future__ import annotations

import ast
import numbers
import re
from typing import Any

import numpy as np

from .._suggest import did_you_mean
from ..errors import DistributionError
from .base import KINDS, Constant, Distribution, describe, fmt, short_repr, shorten

__all__ = ["parse", "MAX_TEXT_LENGTH", "MAX_NESTING"]

MAX_TEXT_LENGTH = 100_000  # characters in one expression
MAX_NESTING = 10  # distribution calls inside one another (late(p, late(p, ...)))

# common other spellings, for "did you mean" hints only
_KIND_HINTS = {"norm": "normal", "lognorm": "lognormal", "exp": "exponential", "expon": "exponential",
               "triang": "triangular", "tri": "triangular", "const": "constant", "fixed": "constant",
               "choice": "empirical", "discrete": "empirical", "unif": "uniform"}
_PARAM_HINTS = {"std": "sd", "stdev": "sd", "sigma": "sd", "mu": "mean", "min": "low", "max": "high",
                "lo": "low", "hi": "high", "peak": "mode", "prob": "p", "probability": "p", "weight": "weights"}
# words for the constructs the grammar rejects
_NODE_WORDS = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscript",
    ast.Slice: "slice",
    ast.BoolOp: "boolean operator",
    ast.Compare: "comparison",
    ast.Lambda: "lambda",
    ast.IfExp: "conditional expression",
    ast.Dict: "dict",
    ast.Set: "set",
    ast.Tuple: "tuple",
    ast.ListComp: "comprehension",
    ast.SetComp: "comprehension",
    ast.DictComp: "comprehension",
    ast.GeneratorExp: "generator",
    ast.JoinedStr: "f-string",
    ast.NamedExpr: "assignment expression",
    ast.Starred: "argument unpacking (*)",
    ast.Await: "await",
}
_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
        ast.Pow: "**", ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
        ast.LShift: "<<", ast.RShift: ">>", ast.UAdd: "+", ast.Not: "not", ast.Invert: "~"}
_EXAMPLE = "a number or a call such as gamma(mean=4.5, cv=0.8)"


class _Parser:
    """One walk over the AST of ``text``; errors carry the character offset."""

    def __init__(self, text: str):
        self.text = text
        self.lead = len(text) - len(text.lstrip())
        self.body = text[self.lead:]
        self.lines = self.body.split("\n")
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def col(self, node: ast.AST | None) -> int | None:
        """0-based character offset of ``node`` in the text (None for nodes without a place)."""
        if node is None or not hasattr(node, "lineno"):
            return None
        line = self.lines[node.lineno - 1]
        chars = len(line.encode("utf-8")[: node.col_offset].decode("utf-8", "replace"))
        return self.lead + self.starts[node.lineno - 1] + chars

    def error(self, message: str, node: ast.AST | None, param: str | None = None) -> DistributionError:
        return DistributionError(message, col=self.col(node), text=self.text, param=param)

    def segment(self, node: ast.AST) -> str:
        return shorten(ast.get_source_segment(self.body, node) or ast.unparse(node), 40)

    def run(self) -> Distribution:
        """The distribution the whole text describes."""
        if not self.body.strip():
            raise DistributionError("empty distribution expression", col=0, text=self.text)
        if len(self.text) > MAX_TEXT_LENGTH:
            raise DistributionError(f"distribution expression is too long ({len(self.text)} characters; "
                                    f"the limit is {MAX_TEXT_LENGTH})", col=0, text=self.text)
        try:
            tree = ast.parse(self.body, mode="eval")
        except SyntaxError as e:
            col = None
            if e.lineno and e.offset and e.lineno <= len(self.lines):
                col = self.lead + self.starts[e.lineno - 1] + max(e.offset - 1, 0)
            raise DistributionError(f"invalid distribution expression {shorten(repr(self.body.strip()), 50)}: "
                                    f"{e.msg}", col=col, text=self.text) from None
        except (ValueError, MemoryError, RecursionError):
            raise DistributionError("distribution expression is too complex to read", col=0,
                                    text=self.text) from None
        return self.dist(tree.body, depth=0)

    def dist(self, node: ast.expr, depth: int) -> Distribution:
        """A number or a distribution call."""
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        if isinstance(node, ast.List):
            raise self.error("a list is not a distribution; write empirical([...])", node)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            raise self.error(f"a quoted string is not a distribution: {self.segment(node)}", node)
        try:
            return _plain_number(self.number(node))
        except DistributionError as e:
            raise self.error(str(e), node) from None

    def number(self, node: ast.expr) -> Any:
        """A numeric literal (with optional minus). Other literals are returned for the
        constructors to reject; any other construct is rejected here."""
        if isinstance(node, ast.Constant) and not isinstance(node.value, (str, bytes)):
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            inner = node.operand
            if (isinstance(inner, ast.Constant) and isinstance(inner.value, (int, float))
                    and not isinstance(inner.value, bool)):
                return -inner.value
            raise self.error(f"a minus sign is allowed only directly before a number: {self.segment(node)}",
                             node)
        if isinstance(node, ast.Constant):  # str, bytes
            return node.value
        raise self.reject(node)

    def reject(self, node: ast.AST) -> DistributionError:
        """The error for a construct the grammar does not allow."""
        if isinstance(node, ast.Name):
            if node.id in KINDS:
                params = ", ".join(p for p, _, _ in KINDS[node.id]._params)
                return self.error(f"{node.id} must be called with its parameters: {node.id}({params})", node)
            if node.id.casefold() in ("nan", "inf", "infinity"):
                return self.error(f"{node.id!r} is not allowed; numbers must be finite", node)
            return self.error(f"name {node.id!r} is not allowed; write {_EXAMPLE}", node)
        if isinstance(node, (ast.BinOp, ast.UnaryOp)):
            return self.error(f"operator {_OPS.get(type(node.op), '?')!r} is not allowed in a distribution "
                              f"expression; write the result as a number: {self.segment(node)}", node)
        if isinstance(node, ast.Call):
            return self.error(f"a distribution call is not allowed here: {self.segment(node)}", node)
        if isinstance(node, ast.List):
            return self.error(f"a list is not allowed here: {self.segment(node)}", node)
        word = _NODE_WORDS.get(type(node), type(node).__name__)
        return self.error(f"{word} is not allowed in a distribution expression: {self.segment(node)}", node)

    def call(self, node: ast.Call, depth: int) -> Distribution:
        """A family call: its name, its arguments bound to parameters, then the constructor."""
        if depth >= MAX_NESTING:
            raise self.error(f"distribution calls are nested too deeply (more than {MAX_NESTING})", node)
        func = node.func
        if not isinstance(func, ast.Name):
            if isinstance(func, ast.Attribute):
                raise self.error(f"attribute access is not allowed in a distribution expression: "
                                 f"{self.segment(func)}", func)
            raise self.reject(func)
        cls = KINDS.get(func.id)
        if cls is None:
            hint = did_you_mean(func.id, {**{k: k for k in KINDS}, **_KIND_HINTS})
            if not hint:
                hint = "; expected one of " + ", ".join(KINDS)
            raise self.error(f"unknown distribution {func.id!r}{hint}", func)
        bound = self.bind(cls, node)
        args = {p: self.argument(cls, p, value, depth) for p, value in bound.items()}
        try:
            return cls(**args)
        except DistributionError as e:
            raise self.error(str(e), self.locate(e.param, bound, node), e.param) from None

    def bind(self, cls: type[Distribution], node: ast.Call) -> dict[str, ast.expr]:
        """The call's arguments by parameter name, as in Python (positional, then keywords)."""
        where = f"{cls.name}()"
        names = [p for p, _, _ in cls._params]
        bound: dict[str, ast.expr] = {}
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.reject(arg)
        if len(node.args) > len(names):
            raise self.error(f"{where}: takes at most {len(names)} positional argument"
                             f"{'s' if len(names) > 1 else ''} ({', '.join(names)}), got {len(node.args)}",
                             node.args[len(names)])
        bound.update(zip(names, node.args))
        for kw in node.keywords:
            if kw.arg is None:
                raise self.error(f"{where}: argument unpacking (**) is not allowed", kw)
            if kw.arg not in names:
                hints = {n: n for n in names} | {k: v for k, v in _PARAM_HINTS.items() if v in names}
                hint = did_you_mean(kw.arg, hints) or f"; expected {', '.join(names)}"
                raise self.error(f"{where}: unknown argument {kw.arg!r}{hint}", kw)
            if kw.arg in bound:
                raise self.error(f"{where}: got two values for {kw.arg}", kw)
            bound[kw.arg] = kw.value
        missing = [p for p, _, required in cls._params if required and p not in bound]
        if missing:
            raise self.error(f"{where}: missing {', '.join(missing)} (expects {cls.name}({', '.join(names)}))",
                             node)
        return bound

    def argument(self, cls: type[Distribution], param: str, value: ast.expr, depth: int) -> Any:
        """One argument read as its parameter's kind: a distribution, a list of numbers or a number."""
        where = f"{cls.name}()"
        kind = {p: k for p, k, _ in cls._params}[param]
        if kind == "dist":
            return self.dist(value, depth + 1)
        if kind == "numbers":
            if not isinstance(value, ast.List):
                raise self.error(f"{where}: {param} must be a list of numbers such as [1, 2, 3], got "
                                 f"{self.segment(value)}", value)
            return [self.number(e) for e in value.elts]
        if isinstance(value, ast.Call):
            raise self.error(f"{where}: {param} must be a number, got {self.segment(value)} "
                             "(only late() takes a distribution argument)", value)
        if isinstance(value, ast.List):
            raise self.error(f"{where}: {param} must be a number, got a list", value)
        return self.number(value)

    @staticmethod
    def locate(param: str | None, bound: dict[str, ast.expr], call: ast.Call) -> ast.AST:
        """The AST node of ``param`` ("sd", "values[2]") within ``call``."""
        m = re.fullmatch(r"(\w+)(?:\[(\d+)\])?", param or "")
        if not m or m.group(1) not in bound:
            return call
        node = bound[m.group(1)]
        if m.group(2) is not None and isinstance(node, ast.List) and int(m.group(2)) < len(node.elts):
            return node.elts[int(m.group(2))]
        return node


def _plain_number(x: Any) -> Constant:
    """A number written without a call, as a Constant."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise DistributionError(f"expected {_EXAMPLE}, got {describe(x)}")
    try:
        return Constant(x)
    except DistributionError:
        raise DistributionError(f"numbers must be finite, got {short_repr(x)}") from None


def parse(value: Any, *, nonnegative: bool = False) -> Distribution:
    """A Distribution from a number, an expression or a Distribution.

    Parameters
    ----------
    value : float, str or Distribution
        A number, an expression such as ``"gamma(mean=4.5, cv=0.8)"``, or a
        Distribution (returned as is), in the units of the field it is for.
    nonnegative : bool
        When True, a distribution that can draw a value below 0 is an error
        (for durations, prices, counts).

    Returns
    -------
    Distribution

    Raises
    ------
    DistributionError
        (a ValueError) naming what is wrong and, for text, where.

    >>> parse(7), parse("exponential(2)", nonnegative=True)
    (Constant(value=7.0), Exponential(mean=2.0))
    """
    text = None
    if isinstance(value, Distribution):
        dist = value
    elif isinstance(value, str):
        text = value
        dist = _Parser(value).run()
    else:
        dist = _plain_number(value)
    if nonnegative and dist.support[0] < 0:
        col = None if text is None else len(text) - len(text.lstrip())
        if dist.is_constant:
            message = f"{dist} is negative; must be >= 0"
        else:
            message = (f"{shorten(str(dist))} can be negative (down to {fmt(dist.support[0])}); "
                       "use lognormal/gamma/triangular/uniform with low >= 0")
        raise DistributionError(message, col=col, text=text)
    return dist
