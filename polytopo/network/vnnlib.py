"""A reader of VNN-LIB properties, the subset of VNN-COMP (docs/verify.md), exactly.

A property file declares the network's inputs ``X_0 … X_{n-1}`` and outputs
``Y_0 … Y_{m-1}`` and asserts, as VNN-COMP does, the **unsafe** condition: bounds on the
inputs (they define the domain), and linear constraints on the outputs (and the inputs),
in conjunctions and disjunctions. The property *holds* (the network is safe) when no
input satisfies the assertions: ``unsat``.

Read, exactly: ``(declare-const X_i Real)``, ``(declare-const Y_j Real)``,
``(assert …)`` of ``(<= s t)``, ``(>= s t)``, ``(and …)``, ``(or …)``, linear terms
``(+ …)``, ``(- …)``, ``(* c t)`` and numeric literals (integers, decimals, scientific
notation: ``0.1`` is exactly ``1/10``), comments from ``;`` to the end of the line.
Anything else (an unknown symbol, a product of variables, a strict ``<``, unbalanced
parentheses, an input without both bounds, a file past :data:`MAX_BYTES`) is an
:class:`~polytopo.exceptions.InputError` naming the file and the line.

Examples
--------
>>> prop = parse_vnnlib('''
... (declare-const X_0 Real)
... (declare-const Y_0 Real)
... (assert (>= X_0 -0.5))
... (assert (<= X_0 1e-1))
... (assert (>= Y_0 (* 2 X_0)))
... ''')
>>> prop.lower, prop.upper
((Fraction(-1, 2),), (Fraction(1, 10),))
>>> prop.disjuncts[0][0]
LinearConstraint(x=(Fraction(2, 1),), y=(Fraction(-1, 1),), bound=Fraction(0, 1), line=6)
"""

__all__ = ["LinearConstraint", "VnnlibProperty", "parse_vnnlib", "load_vnnlib", "MAX_BYTES"]

import re
from dataclasses import dataclass
from fractions import Fraction

from ..exceptions import InputError
from ..geometry.exact import format_number
from ..geometry.polytope import Polytope

#: the largest property file read (VNN-COMP's largest, 784 inputs, are about 100 kB)
MAX_BYTES = 16 * 2 ** 20
#: the most conjunctions the disjunctive normal form of a file may have
MAX_DISJUNCTS = 100_000
#: the deepest nesting of parentheses read
MAX_DEPTH = 200
#: digits of a literal's exponent beyond which it is refused (``1e999999999`` would not end)
MAX_EXPONENT = 4000

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z")
_VARIABLE = re.compile(r"([XY])_(0|[1-9]\d{0,8})\Z")
_TOKEN = re.compile(r"\s*(?:(;[^\n]*)|(\()|(\))|([^\s();]+))")


@dataclass(frozen=True)
class LinearConstraint:
    """The constraint ``x · X + y · Y ≤ bound`` (non-strict), exactly.

    Attributes
    ----------
    x, y : tuple of Fraction
        Coefficients of the inputs ``X_0 …`` and of the outputs ``Y_0 …``.
    bound : Fraction
    line : int
        Line of the property file where the constraint was written.
    """

    x: tuple
    y: tuple
    bound: Fraction
    line: int = 0

    def value(self, X, Y):
        """``x · X + y · Y − bound``: at most 0 exactly when the constraint holds."""
        return (sum((a * v for a, v in zip(self.x, X) if a), Fraction(0))
                + sum((a * v for a, v in zip(self.y, Y) if a), Fraction(0)) - self.bound)

    def holds(self, X, Y):
        """Whether the point ``(X, Y)`` satisfies the constraint, exactly."""
        return self.value(X, Y) <= 0

    @property
    def on_inputs_only(self):
        return not any(self.y)

    def to_json(self):
        return {"x": [format_number(a) for a in self.x], "y": [format_number(a) for a in self.y],
                "bound": format_number(self.bound), "line": self.line}

    def describe(self):
        """``"2 X_0 - Y_0 <= 0"``."""
        terms = [(a, f"X_{i}") for i, a in enumerate(self.x) if a] + \
            [(a, f"Y_{j}") for j, a in enumerate(self.y) if a]
        out = ""
        for a, name in terms:
            sign = "-" if a < 0 else "+"
            mag = abs(a)
            coef = "" if mag == 1 else f"{format_number(mag)} "
            out += (f"{'-' if sign == '-' else ''}{coef}{name}" if not out
                    else f" {sign} {coef}{name}")
        return f"{out or '0'} <= {format_number(self.bound)}"


@dataclass(frozen=True)
class VnnlibProperty:
    """A VNN-LIB property: the unsafe set ``{x ∈ B ∩ P : ∃ k, (x, f(x)) ⊨ disjuncts[k]}``.

    Attributes
    ----------
    n_inputs, n_outputs : int
        The declared ``X_i`` and ``Y_j``.
    lower, upper : tuple of Fraction
        The input box ``B`` (every input has both bounds, from top-level assertions).
    input_constraints : tuple of LinearConstraint
        The other top-level constraints on inputs only (``P``: the domain is ``B ∩ P``).
    disjuncts : tuple of tuple of LinearConstraint
        The rest, in disjunctive normal form: the unsafe condition holds at ``(x, y)``
        when every constraint of some conjunction holds. ``((),)`` when nothing more is
        asserted.
    source : str or None
        The file read.
    """

    n_inputs: int
    n_outputs: int
    lower: tuple
    upper: tuple
    input_constraints: tuple
    disjuncts: tuple
    source: str = None

    def domain(self):
        """The input set ``B ∩ P`` as a :class:`Polytope` (not validated: it may be empty
        or lower-dimensional)."""
        n = self.n_inputs
        A, b = [], []
        for i in range(n):
            e = [Fraction(0)] * n
            e[i] = Fraction(1)
            A.append(tuple(e))
            b.append(self.upper[i])
            A.append(tuple(-v for v in e))
            b.append(-self.lower[i])
        for c in self.input_constraints:
            A.append(tuple(c.x))
            b.append(c.bound)
        return Polytope(tuple(A), tuple(b))

    def in_inputs(self, X):
        """Whether ``X`` lies in ``B ∩ P``, exactly."""
        zero = (Fraction(0),) * self.n_outputs
        return (all(lo <= v <= hi for lo, v, hi in zip(self.lower, X, self.upper))
                and all(c.holds(X, zero) for c in self.input_constraints))

    def unsafe_at(self, X, Y):
        """The index of the first conjunction that ``(X, Y)`` satisfies (``X`` in the
        input set), or ``None``: the unsafe condition, decided exactly."""
        if not self.in_inputs(X):
            return None
        return next((k for k, conj in enumerate(self.disjuncts)
                     if all(c.holds(X, Y) for c in conj)), None)

    def check_network(self, network):
        """Raise :class:`InputError` unless the network has ``n_inputs`` inputs and
        ``n_outputs`` outputs."""
        for what, declared, has in (("inputs", self.n_inputs, network.input_dim),
                                    ("outputs", self.n_outputs, network.output_dim)):
            if declared != has:
                raise InputError(f"declares {declared} {what} ({'X' if what == 'inputs' else 'Y'}"
                                 f"_0 …), the network has {has}", source=self.source)

    def to_json(self):
        return {"source": self.source, "n_inputs": self.n_inputs, "n_outputs": self.n_outputs,
                "lower": [format_number(v) for v in self.lower],
                "upper": [format_number(v) for v in self.upper],
                "input_constraints": [c.to_json() for c in self.input_constraints],
                "disjuncts": [[c.to_json() for c in conj] for conj in self.disjuncts]}


def load_vnnlib(path):
    """Read a VNN-LIB file (at most :data:`MAX_BYTES`, UTF-8) into a :class:`VnnlibProperty`.

    Raises
    ------
    InputError
        One line naming the file, the line and the problem.
    """
    from .io import read_input_bytes

    source = str(path)
    data = read_input_bytes(path, source=source, limit=MAX_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise InputError("not UTF-8 text", source=source, field=f"line {line}") from None
    return parse_vnnlib(text, source=source)


def parse_vnnlib(text, *, source=None):
    """Parse the text of a VNN-LIB property (see :func:`load_vnnlib` and the module).

    Raises
    ------
    InputError
        One line naming ``source``, the line and the problem.

    Examples
    --------
    >>> parse_vnnlib("(declare-const X_0 Real)\\n(declare-const Y_0 Real)\\n"
    ...              "(assert (<= Y_0 (* X_0 X_0)))", source="p.vnnlib")
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: p.vnnlib: line 3: a product needs a constant factor (the property must be linear)
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if len(text) > MAX_BYTES:
        raise InputError(f"property is too large ({len(text)} characters, at most {MAX_BYTES})",
                         source=source)
    return _Reader(source).read(text)


# ---------------------------------------------------------------------------------------
# the reader: tokens -> s-expressions -> linear constraints -> disjunctive normal form
# ---------------------------------------------------------------------------------------
class _Node(list):
    """A parenthesised expression: a list of nodes and atoms, with its line."""

    def __init__(self, line):
        super().__init__()
        self.line = line


@dataclass(frozen=True)
class _Atom:
    text: str
    line: int


class _Reader:
    def __init__(self, source):
        self.source = source
        self.declared = {"X": {}, "Y": {}}     # index -> line

    def error(self, message, line):
        return InputError(message, source=self.source, field=f"line {line}" if line else None)

    # ---- s-expressions ------------------------------------------------------------
    def expressions(self, text):
        if "\x00" in text:
            line = text[:text.index("\x00")].count("\n") + 1
            raise self.error("NUL character in the file", line)
        stack, top, line, pos = [], [], 1, 0
        for m in _TOKEN.finditer(text):
            if m.start() != pos:   # pragma: no cover - the pattern matches everything
                break
            line += text.count("\n", pos, m.start(m.lastindex))
            pos = m.end()
            comment, opening, closing, word = m.groups()
            if comment is not None:
                continue
            if opening:
                if len(stack) >= MAX_DEPTH:
                    raise self.error(f"nested more than {MAX_DEPTH} parentheses deep", line)
                stack.append(_Node(line))
            elif closing:
                if not stack:
                    raise self.error("unbalanced ')': no '(' to close", line)
                node = stack.pop()
                (stack[-1] if stack else top).append(node)
            else:
                if not stack:
                    raise self.error(f"{_show(word)} outside parentheses", line)
                stack[-1].append(_Atom(word, line))
        rest = text[pos:]
        if rest.strip():   # pragma: no cover - the pattern consumes everything
            raise self.error("unreadable text", line)
        if stack:
            raise self.error("unbalanced '(': not closed before the end of the file",
                             stack[-1].line)
        return top

    # ---- commands -----------------------------------------------------------------
    def read(self, text):
        asserts = []
        for node in self.expressions(text):
            head = self.head(node)
            if head == "declare-const":
                self.declare(node)
            elif head == "assert":
                if len(node) != 2:
                    raise self.error("assert takes one expression", node.line)
                asserts.append(node[1])
            else:
                raise self.error(f"unknown command {_show(head)} (expected declare-const or "
                                 f"assert)", node.line)
        n, m = (self.count(k) for k in ("X", "Y"))
        if n == 0:
            raise self.error("no input declared (declare-const X_0 Real)", 1)
        if m == 0:
            raise self.error("no output declared (declare-const Y_0 Real)", 1)
        self.n, self.m = n, m
        top, factors = [], []
        for expr in asserts:
            dnf = self.boolean(expr)
            if len(dnf) == 1:
                top.extend(dnf[0])
            else:
                factors.append(dnf)
        lower, upper = [None] * n, [None] * n
        inputs, outputs = [], []
        for c in top:
            nz = [i for i, a in enumerate(c.x) if a]
            if any(c.y) or not nz:
                outputs.append(c)
            elif len(nz) == 1:
                i = nz[0]
                t = c.bound / c.x[i]
                if c.x[i] > 0:
                    upper[i] = t if upper[i] is None else min(upper[i], t)
                else:
                    lower[i] = t if lower[i] is None else max(lower[i], t)
            else:
                inputs.append(c)
        for i in range(n):
            for what, v in (("lower", lower[i]), ("upper", upper[i])):
                if v is None:
                    raise self.error(f"input X_{i} has no {what} bound (every input needs "
                                     f"(assert (>= X_{i} lo)) and (assert (<= X_{i} hi)))",
                                     self.declared["X"][i])
        disjuncts = [tuple(outputs)]
        for dnf in factors:
            disjuncts = [conj + tuple(d) for conj in disjuncts for d in dnf]
            if len(disjuncts) > MAX_DISJUNCTS:
                raise self.error(f"more than {MAX_DISJUNCTS} conjunctions in disjunctive "
                                 f"normal form", dnf[0][0].line if dnf[0] else 1)
        return VnnlibProperty(n, m, tuple(lower), tuple(upper), tuple(inputs),
                              tuple(disjuncts), self.source)

    def head(self, node):
        if not isinstance(node, _Node):
            raise self.error(f"expected an expression in parentheses, got {_show(node.text)}",
                             node.line)
        if not node or not isinstance(node[0], _Atom):
            raise self.error("expected an operator after '('", node.line)
        return node[0].text

    def declare(self, node):
        if len(node) != 3 or not all(isinstance(a, _Atom) for a in node[1:]):
            raise self.error("expected (declare-const NAME Real)", node.line)
        name, sort = node[1].text, node[2].text
        if sort != "Real":
            raise self.error(f"{_show(name)} must be declared Real, not {_show(sort)}",
                             node.line)
        m = _VARIABLE.match(name)
        if not m:
            raise self.error(f"unknown name {_show(name)}: declare inputs X_0, X_1, … and "
                             f"outputs Y_0, Y_1, …", node.line)
        kind, i = m.group(1), int(m.group(2))
        if i in self.declared[kind]:
            raise self.error(f"{name} is declared twice (first on line "
                             f"{self.declared[kind][i]})", node.line)
        if i != len(self.declared[kind]):
            raise self.error(f"{name} declared before {kind}_{len(self.declared[kind])} "
                             f"(declare {kind}_0, {kind}_1, … in order)", node.line)
        self.declared[kind][i] = node.line

    def count(self, kind):
        return len(self.declared[kind])

    # ---- boolean expressions: a list of conjunctions (tuples of constraints) -----------
    def boolean(self, expr):
        op = self.head(expr)
        args = expr[1:]
        if op in ("<=", ">="):
            if len(args) < 2:
                raise self.error(f"{op} needs at least two terms", expr.line)
            terms = [self.term(a) for a in args]
            pairs = zip(terms, terms[1:])    # (<= a b c) is a <= b and b <= c
            conj = tuple(self.constraint(s, t, expr.line) if op == "<=" else
                         self.constraint(t, s, expr.line) for s, t in pairs)
            return [conj]
        if op == "and":
            if not args:
                return [()]
            out = [()]
            for a in args:
                part = self.boolean(a)
                out = [c + d for c in out for d in part]
                if len(out) > MAX_DISJUNCTS:
                    raise self.error(f"more than {MAX_DISJUNCTS} conjunctions in "
                                     f"disjunctive normal form", expr.line)
            return out
        if op == "or":
            if not args:
                raise self.error("(or) with no alternative is false: nothing to verify",
                                 expr.line)
            out = []
            for a in args:
                out.extend(self.boolean(a))
                if len(out) > MAX_DISJUNCTS:
                    raise self.error(f"more than {MAX_DISJUNCTS} conjunctions in "
                                     f"disjunctive normal form", expr.line)
            return out
        if op in ("<", ">"):
            raise self.error(f"strict {op} is not read: VNN-LIB properties use <= and >= "
                             f"(closed sets), and an exact verdict depends on the difference",
                             expr.line)
        raise self.error(f"unknown operator {_show(op)} in a condition (expected <=, >=, "
                         f"and, or)", expr.line)

    def constraint(self, s, t, line):
        """``s <= t`` as a :class:`LinearConstraint`."""
        (xs, ys, cs), (xt, yt, ct) = s, t
        x = [Fraction(0)] * self.n
        y = [Fraction(0)] * self.m
        for coefs, sign, into in ((xs, 1, x), (xt, -1, x), (ys, 1, y), (yt, -1, y)):
            for i, a in coefs.items():
                into[i] += sign * a
        return LinearConstraint(tuple(x), tuple(y), ct - cs, line)

    # ---- linear terms: (X coefficients, Y coefficients, constant) ---------------------
    def term(self, expr):
        if isinstance(expr, _Atom):
            text = expr.text
            if _NUMBER.match(text):
                return {}, {}, self.number(text, expr.line)
            m = _VARIABLE.match(text)
            if m and int(m.group(2)) in self.declared[m.group(1)]:
                i = int(m.group(2))
                return ({i: Fraction(1)}, {}, Fraction(0)) if m.group(1) == "X" else \
                    ({}, {i: Fraction(1)}, Fraction(0))
            if m:
                raise self.error(f"{text} is not declared", expr.line)
            raise self.error(f"unknown symbol {_show(text)}", expr.line)
        op = self.head(expr)
        args = [self.term(a) for a in expr[1:]]
        if op == "+":
            if not args:
                raise self.error("(+) needs a term", expr.line)
            return _sum(args)
        if op == "-":
            if not args:
                raise self.error("(-) needs a term", expr.line)
            if len(args) == 1:
                return _scale(args[0], Fraction(-1))
            return _sum([args[0]] + [_scale(a, Fraction(-1)) for a in args[1:]])
        if op == "*":
            if not args:
                raise self.error("(*) needs a term", expr.line)
            out = ({}, {}, Fraction(1))
            for a in args:
                if not a[0] and not a[1]:
                    out = _scale(out, a[2])
                elif not out[0] and not out[1]:
                    out = _scale(a, out[2])
                else:
                    raise self.error("a product needs a constant factor (the property must "
                                     "be linear)", expr.line)
            return out
        if op in ("<=", ">=", "and", "or", "<", ">"):
            raise self.error(f"{op} where a term is expected", expr.line)
        raise self.error(f"unknown operator {_show(op)} in a term (expected +, -, *)",
                         expr.line)

    def number(self, text, line):
        mantissa, _, exponent = text.lower().partition("e")
        if exponent and len(exponent.lstrip("+-")) > 6 or \
                exponent and abs(int(exponent)) > MAX_EXPONENT:
            raise self.error(f"exponent too large in {_show(text)}", line)
        if len(mantissa) > MAX_EXPONENT:
            raise self.error("number has too many digits", line)
        return Fraction(text)


def _sum(terms):
    x, y, c = {}, {}, Fraction(0)
    for tx, ty, tc in terms:
        for into, coefs in ((x, tx), (y, ty)):
            for i, a in coefs.items():
                into[i] = into.get(i, Fraction(0)) + a
        c += tc
    return x, y, c


def _scale(term, f):
    x, y, c = term
    return {i: f * a for i, a in x.items()}, {i: f * a for i, a in y.items()}, f * c


def _show(text, limit=40):
    text = repr(text)
    return text if len(text) <= limit else text[:limit - 4] + "…'"
