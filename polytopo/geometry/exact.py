"""Exact rational numbers: parsing without loss, exact linear algebra, canonical forms.

Everything polytopo reports is exact. This module is the one place where outside
numbers (JSON, strings, floats, numpy scalars) become :class:`fractions.Fraction`,
and where small exact linear-algebra kernels live.
"""

__all__ = [
    "to_fraction",
    "to_vector",
    "to_matrix",
    "format_number",
    "format_number_short",
    "int_to_str",
    "to_float",
    "sqrt_float",
    "parse_exact",
    "rank",
    "solve",
    "determinant",
    "nullspace",
    "dot",
    "canonical_inequality",
    "row_basis",
]

import decimal
import math
import numbers
import re
from fractions import Fraction

from ..exceptions import InputError

# ASCII only: Python's int() and Fraction() also accept fullwidth, Arabic-Indic, ... digits
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$", re.ASCII)
_RATIONAL = re.compile(r"^[+-]?\d+\s*/\s*[+-]?\d+$", re.ASCII)
_ASCII_SPACE = " \t\n\r\f\v"
#: digits beyond which a decimal or integer string is refused (guards against
#: pathological inputs that would make exact arithmetic hang)
MAX_DIGITS = 4000


def to_fraction(value, *, source=None, field=None, max_denominator=None):
    """Convert a number to an exact :class:`~fractions.Fraction`.

    Accepted: ``int`` (not ``bool``), ``Fraction``, strings ``"p/q"`` and decimal
    strings (``"0.25"``, ``"1e-3"``), read exactly; finite floats and numpy scalars,
    converted exactly from their binary value (or, with ``max_denominator``, to the
    closest fraction whose denominator is at most that).

    Parameters
    ----------
    value : int, Fraction, str, float or numpy scalar
    source, field : str, optional
        Where the value came from, used in the error message.
    max_denominator : int, optional
        Round floats to the nearest fraction with at most this denominator.

    Returns
    -------
    Fraction

    Raises
    ------
    InputError
        For booleans, NaN, infinities, malformed strings and other types.

    Examples
    --------
    >>> to_fraction("-1/2"), to_fraction("0.25"), to_fraction(0.1) == Fraction(1, 10)
    (Fraction(-1, 2), Fraction(1, 4), False)
    >>> to_fraction(0.1, max_denominator=100)
    Fraction(1, 10)
    """
    if isinstance(value, bool) or value is None:
        raise InputError(f"expected a number, got {value!r}", source=source, field=field)
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, str):
        text = value.strip(_ASCII_SPACE)
        if len(text) > MAX_DIGITS:
            raise InputError("number has too many digits", source=source, field=field)
        if not text.isascii():
            raise InputError(f"not a number: {_show(value)} (only ASCII digits are read)",
                             source=source, field=field)
        if _RATIONAL.match(text):
            num, den = (int(t) for t in text.split("/"))
            if den == 0:
                raise InputError(f"zero denominator in {value!r}", source=source, field=field)
            return Fraction(num, den)
        if _DECIMAL.match(text):
            mantissa, _, exponent = text.lower().partition("e")
            if exponent and abs(int(exponent)) > MAX_DIGITS:
                raise InputError(f"exponent too large in {value!r}", source=source, field=field)
            return Fraction(text)
        raise InputError(f"not a number: {value!r}", source=source, field=field)
    if isinstance(value, numbers.Integral):  # numpy integers
        return Fraction(int(value))
    if isinstance(value, numbers.Rational):  # sympy Rational, gmpy2 mpq, ...
        return Fraction(int(value.numerator), int(value.denominator))
    if isinstance(value, numbers.Real):  # float, numpy floats
        f = float(value)
        if not math.isfinite(f):
            raise InputError(f"non-finite number {value!r}", source=source, field=field)
        q = Fraction(f)
        return q.limit_denominator(max_denominator) if max_denominator else q
    raise InputError(f"expected a number, got {type(value).__name__}", source=source, field=field)


def _fast_ratio_available():
    """Whether :class:`Fraction` keeps its value in the slots ``_numerator`` and
    ``_denominator`` (CPython 3.8 and later), so :func:`ratio` may fill them directly."""
    try:
        f = object.__new__(Fraction)
        f._numerator, f._denominator = 3, 4
        return f == Fraction(3, 4) and hash(f) == hash(Fraction(3, 4)) and str(f) == "3/4"
    except (AttributeError, TypeError):
        return False


_FAST_RATIO = _fast_ratio_available()


def ratio(n, d):
    """``Fraction(n, d)`` for Python ints ``n`` and ``d > 0``, in lowest terms, about twice
    as fast (the gcd is taken once and the value stored without re-validation).

    Examples
    --------
    >>> ratio(6, 4), ratio(-3, 9), ratio(0, 5)
    (Fraction(3, 2), Fraction(-1, 3), Fraction(0, 1))
    """
    if not _FAST_RATIO:
        return Fraction(n, d)
    g = math.gcd(n, d)
    f = object.__new__(Fraction)
    if g != 1:
        n, d = n // g, d // g
    f._numerator, f._denominator = n, d
    return f


def reduced_ratios(nums, dens):
    """``[Fraction(n, d) for n, d in zip(nums, dens)]`` for Python ints already in lowest
    terms (``gcd(n, d) = 1``, ``d > 0``; the caller has divided by the gcds), without
    re-validation.

    Examples
    --------
    >>> reduced_ratios([3, -1, 0], [2, 3, 1])
    [Fraction(3, 2), Fraction(-1, 3), Fraction(0, 1)]
    """
    if not _FAST_RATIO:
        return [Fraction(n, d) for n, d in zip(nums, dens)]
    new = object.__new__
    out = []
    for n, d in zip(nums, dens):
        f = new(Fraction)
        f._numerator, f._denominator = n, d
        out.append(f)
    return out


def to_vector(values, *, source=None, field=None, max_denominator=None):
    """Convert a sequence of numbers to a tuple of Fractions (see :func:`to_fraction`).

    Examples
    --------
    >>> to_vector([1, "1/3"])
    (Fraction(1, 1), Fraction(1, 3))
    """
    if isinstance(values, (str, bytes, dict)) or not hasattr(values, "__iter__"):
        raise InputError("expected a list of numbers", source=source, field=field)
    return tuple(
        to_fraction(v, source=source, field=f"{field}[{i}]" if field else f"[{i}]",
                    max_denominator=max_denominator)
        for i, v in enumerate(values)
    )


def to_matrix(rows, *, source=None, field=None, max_denominator=None, n_cols=None):
    """Convert a list of rows to a tuple of tuples of Fractions, checking it is rectangular.

    Examples
    --------
    >>> to_matrix([[1, 2], ["1/2", 0]])
    ((Fraction(1, 1), Fraction(2, 1)), (Fraction(1, 2), Fraction(0, 1)))
    """
    if isinstance(rows, (str, bytes, dict)) or not hasattr(rows, "__iter__"):
        raise InputError("expected a list of rows", source=source, field=field)
    out = tuple(
        to_vector(r, source=source, field=f"{field}[{i}]" if field else f"[{i}]",
                  max_denominator=max_denominator)
        for i, r in enumerate(rows)
    )
    widths = {len(r) for r in out}
    if n_cols is not None:
        widths.add(n_cols)
    if len(widths) > 1:
        raise InputError(f"rows have different lengths {sorted(widths)}", source=source, field=field)
    return out


def _show(value, limit=40):
    """A short one-line ``repr`` of an input value for an error message."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def int_to_str(n):
    """The decimal digits of an integer of any size.

    ``str(n)`` refuses integers of more than ``sys.get_int_max_str_digits()`` (4300)
    digits; this converts through :class:`decimal.Decimal` (exact, not subject to that
    limit, and touching no global state).

    Examples
    --------
    >>> s = int_to_str(-10**5000)
    >>> len(s), s[:3]
    (5002, '-10')
    """
    n = int(n)
    try:
        return str(n)
    except ValueError:  # beyond the int-to-str digit limit
        return str(decimal.Decimal(n))


def format_number(q):
    """Write an exact number for JSON: an ``int`` when integral, else the string ``"p/q"``.

    Numbers of any size are written exactly (see :func:`int_to_str`); a JSON writer
    must allow integers beyond Python's 4300-digit ``str`` limit (``polytopo.runtime.outputs``
    does).

    Examples
    --------
    >>> format_number(Fraction(3)), format_number(Fraction(-1, 3))
    (3, '-1/3')
    >>> len(format_number(Fraction(1, 3**10000)))
    4774
    """
    q = Fraction(q)
    if q.denominator == 1:
        return q.numerator
    return f"{int_to_str(q.numerator)}/{int_to_str(q.denominator)}"


#: bits of numerator plus denominator beyond which :func:`format_number_short` abbreviates
_SHORT_BITS = 100  # about 30 decimal digits


def format_number_short(q, *, digits=5):
    """An exact number for a terminal: exact (``"p/q"`` or an integer) when it is short,
    else a decimal approximation ``"≈ 1.2345e-300"`` with ``digits`` significant digits.

    The approximation is computed in :mod:`decimal` from the exact numerator and
    denominator, so it never overflows a float (any exponent works). JSON output stays
    exact: use :func:`format_number` there.

    Examples
    --------
    >>> format_number_short(Fraction(-1, 3)), format_number_short(7)
    ('-1/3', '7')
    >>> format_number_short(Fraction(2, 3) * Fraction(10) ** -300)
    '≈ 6.6667e-301'
    >>> format_number_short(-10**5000 - 1)
    '≈ -1.0000e+5000'
    """
    q = Fraction(q)
    p, r = q.numerator, q.denominator
    if p.bit_length() + r.bit_length() <= _SHORT_BITS:
        return str(p) if r == 1 else f"{p}/{r}"
    ctx = decimal.Context(prec=max(int(digits), 1) + 2, Emax=decimal.MAX_EMAX,
                          Emin=decimal.MIN_EMIN, rounding=decimal.ROUND_HALF_EVEN)
    with decimal.localcontext(ctx):
        x = decimal.Decimal(p) / decimal.Decimal(r)
    return "≈ " + format(x, f".{max(int(digits), 1) - 1}e")


def to_float(q):
    """The nearest float to an exact number, ``±inf`` when it is beyond the float range
    (where ``float()`` raises :class:`OverflowError`).

    Examples
    --------
    >>> to_float(Fraction(1, 4)), to_float(Fraction(10) ** 400), to_float(-10**400)
    (0.25, inf, -inf)
    """
    try:
        return float(q)
    except OverflowError:
        return math.inf if q > 0 else -math.inf


def sqrt_float(q):
    """The square root of a non-negative exact number as a float, without overflow on the
    way: ``sqrt(10**600)`` is ``1e300`` (``math.sqrt`` would first convert ``10**600`` to a
    float and raise). ``inf`` only when the root itself is beyond the float range.

    Examples
    --------
    >>> sqrt_float(Fraction(9, 4)), sqrt_float(Fraction(4) * Fraction(10) ** 600)
    (1.5, 2e+300)
    """
    q = Fraction(q)
    if q < 0:
        raise InputError(f"square root of a negative number ({q})")
    if q == 0:
        return 0.0
    # integer square root of q * 4**e, about 64 bits, with a sticky low bit: one rounding
    p, r = q.numerator, q.denominator
    e = (128 - (p.bit_length() - r.bit_length())) // 2
    n, rem = divmod(p << (2 * e), r) if e >= 0 else divmod(p, r << (-2 * e))
    root = math.isqrt(n)
    if rem or root * root != n:
        root |= 1
    try:
        return math.ldexp(float(root), -e)
    except OverflowError:
        return math.inf


def parse_exact(value):
    """Inverse of :func:`format_number` (also accepts anything :func:`to_fraction` does)."""
    return to_fraction(value)


def dot(a, b):
    """Exact dot product of two sequences."""
    return sum((x * y for x, y in zip(a, b)), Fraction(0))


def _echelon(rows):
    """Row-reduce a copy of ``rows`` (Fractions); return (reduced rows, pivot columns)."""
    m = [list(r) for r in rows]
    pivots = []
    r = 0
    n_cols = len(m[0]) if m else 0
    for c in range(n_cols):
        p = next((i for i in range(r, len(m)) if m[i][c] != 0), None)
        if p is None:
            continue
        m[r], m[p] = m[p], m[r]
        piv = m[r][c]
        m[r] = [x / piv for x in m[r]]
        for i in range(len(m)):
            if i != r and m[i][c] != 0:
                f = m[i][c]
                m[i] = [x - f * y for x, y in zip(m[i], m[r])]
        pivots.append(c)
        r += 1
        if r == len(m):
            break
    return m[:r], pivots


def rank(rows):
    """Exact rank of a matrix given as rows of rationals.

    Examples
    --------
    >>> rank([[1, 2], [2, 4]]), rank([[1, 0], [0, 1]]), rank([])
    (1, 2, 0)
    """
    rows = [tuple(Fraction(x) for x in r) for r in rows]
    if not rows or not rows[0]:
        return 0
    return len(_echelon(rows)[1])


def row_basis(rows):
    """Indices of a maximal linearly independent subset of ``rows`` (greedy, in order).

    Examples
    --------
    >>> row_basis([[1, 1], [2, 2], [0, 1]])
    [0, 2]
    """
    basis, chosen = [], []
    for i, r in enumerate(rows):
        cand = basis + [tuple(Fraction(x) for x in r)]
        if rank(cand) == len(cand):
            basis, chosen = cand, chosen + [i]
    return chosen


def nullspace(rows, n_cols=None):
    """A basis of the right null space ``{x : M x = 0}`` (exact, reduced-echelon basis).

    Examples
    --------
    >>> nullspace([[1, 1]])
    [(Fraction(-1, 1), Fraction(1, 1))]
    """
    rows = [tuple(Fraction(x) for x in r) for r in rows]
    n = n_cols if n_cols is not None else (len(rows[0]) if rows else 0)
    if not rows:
        return [tuple(Fraction(int(i == j)) for j in range(n)) for i in range(n)]
    red, piv = _echelon(rows)
    free = [c for c in range(n) if c not in piv]
    basis = []
    for f in free:
        v = [Fraction(0)] * n
        v[f] = Fraction(1)
        for r, p in zip(red, piv):
            v[p] = -r[f]
        basis.append(tuple(v))
    return basis


def solve(rows, rhs):
    """The unique solution of the square system ``M x = rhs``.

    Raises
    ------
    InputError
        If the matrix is singular (an :class:`InputError` is a ``ValueError``).

    Examples
    --------
    >>> solve([[2, 0], [0, 4]], [1, 1])
    (Fraction(1, 2), Fraction(1, 4))
    """
    n = len(rows)
    aug = [tuple(Fraction(x) for x in r) + (Fraction(y),) for r, y in zip(rows, rhs)]
    red, piv = _echelon(aug)
    if piv != list(range(n)):
        raise InputError("singular system: no unique solution")
    return tuple(r[n] for r in red)


def determinant(rows):
    """Exact determinant by fraction-free (Bareiss) elimination.

    Examples
    --------
    >>> determinant([[1, 2], [3, 4]])
    Fraction(-2, 1)
    """
    m = [[Fraction(x) for x in r] for r in rows]
    n = len(m)
    if n == 0:
        return Fraction(1)
    sign = 1
    for c in range(n):
        p = next((i for i in range(c, n) if m[i][c] != 0), None)
        if p is None:
            return Fraction(0)
        if p != c:
            m[c], m[p] = m[p], m[c]
            sign = -sign
        for i in range(c + 1, n):
            if m[i][c] != 0:
                f = m[i][c] / m[c][c]
                m[i] = [x - f * y for x, y in zip(m[i], m[c])]
    out = Fraction(sign)
    for i in range(n):
        out *= m[i][i]
    return out


def canonical_inequality(a, b):
    """Scale the inequality ``a·x ≤ b`` to coprime integers (positive scale: same half-space).

    Two inequalities define the same half-space exactly when their canonical forms agree.

    Examples
    --------
    >>> canonical_inequality([Fraction(1, 2), 1], Fraction(3, 2))
    ((1, 2), 3)
    """
    vals = [Fraction(x) for x in a] + [Fraction(b)]
    lcm = 1
    for v in vals:
        lcm = lcm * v.denominator // math.gcd(lcm, v.denominator)
    ints = [int(v * lcm) for v in vals]
    g = 0
    for v in ints:
        g = math.gcd(g, v)
    g = g or 1
    ints = [v // g for v in ints]
    return tuple(ints[:-1]), ints[-1]
