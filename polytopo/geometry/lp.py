"""Exact linear programming over polytopes ``{x : A x ≤ b}``: feasibility, interior points, optima.

Every answer is exact. The backend is cddlib's GMP rational simplex (through pycddlib);
it is the only module that talks to it, so another exact backend can replace it here.
"""

__all__ = ["LPResult", "BACKEND", "maximize", "minimize", "interior_point", "lp_count"]

from dataclasses import dataclass
from fractions import Fraction

import cdd
import cdd.gmp as _cdd

from ..exceptions import InputError

BACKEND = "cddlib-GMP (exact rational simplex)"

_OPTIMAL = {cdd.LPStatusType.OPTIMAL}
_INFEASIBLE = {cdd.LPStatusType.INCONSISTENT, cdd.LPStatusType.STRUC_INCONSISTENT}
_UNBOUNDED = {cdd.LPStatusType.DUAL_INCONSISTENT, cdd.LPStatusType.STRUC_DUAL_INCONSISTENT,
              cdd.LPStatusType.UNBOUNDED}

_counter = [0]


def lp_count():
    """Number of LPs solved in this process so far (for benchmarks)."""
    return _counter[0]


@dataclass(frozen=True)
class LPResult:
    """Outcome of an exact LP: ``status`` is ``"optimal"``, ``"infeasible"`` or ``"unbounded"``."""

    status: str
    value: Fraction | None = None
    point: tuple | None = None


def _scaled(row):
    """The row, times a power of two bringing its largest entry near 1 when that entry is
    above ``2^16``: the same constraint, exactly. cddlib's GMP solver starts from a floating-point basis (then
    certifies or repairs it exactly); rows of size 10^30 make that start fail noisily."""
    big = 0
    for x in row:   # ints and Fractions both have numerator/denominator: no conversion
        if x:
            if not hasattr(x, "denominator"):   # a float or a numpy number
                x = Fraction(x)
            b = abs(x.numerator).bit_length() - x.denominator.bit_length()
            if b > big:
                big = b
    if big <= 16:
        return row
    f = Fraction(1, 2 ** big) if big > 0 else Fraction(2 ** -big)
    return [Fraction(x) * f for x in row]


def _solve(A, b, objective, constant, sense):
    rows = [_scaled([bi] + [-a for a in row]) for row, bi in zip(A, b)]
    mat = _cdd.matrix_from_array(rows, rep_type=cdd.RepType.INEQUALITY, obj_type=sense,
                                 obj_func=[constant] + list(objective))
    lp = _cdd.linprog_from_matrix(mat)
    _cdd.linprog_solve(lp)
    _counter[0] += 1
    if lp.status in _OPTIMAL:
        return LPResult("optimal", Fraction(lp.obj_value), tuple(Fraction(v) for v in lp.primal_solution))
    if lp.status in _INFEASIBLE:
        return LPResult("infeasible")
    if lp.status in _UNBOUNDED:
        return LPResult("unbounded")
    raise RuntimeError(f"cddlib returned LP status {lp.status!r}")  # pragma: no cover


def maximize(objective, A, b, constant=0):
    """Maximise ``objective·x + constant`` subject to ``A x ≤ b``, exactly.

    Examples
    --------
    >>> maximize([1, 1], [[1, 0], [0, 1], [-1, 0], [0, -1]], [1, 2, 0, 0])
    LPResult(status='optimal', value=Fraction(3, 1), point=(Fraction(1, 1), Fraction(2, 1)))
    >>> maximize([1], [[-1]], [0]).status
    'unbounded'
    """
    return _solve(A, b, objective, constant, cdd.LPObjType.MAX)


def minimize(objective, A, b, constant=0):
    """Minimise ``objective·x + constant`` subject to ``A x ≤ b``, exactly.

    Examples
    --------
    >>> minimize([1], [[1], [-1]], [1, 1]).value
    Fraction(-1, 1)
    """
    return _solve(A, b, objective, constant, cdd.LPObjType.MIN)


def interior_point(A, b):
    """An exact point ``x`` with ``A x < b`` strictly, or ``None`` when there is none.

    Solves ``max t`` subject to ``A x + t ≤ b``, ``t ≤ 1``: the interior is non-empty
    exactly when the optimum is positive, and then the optimal ``x`` is strictly inside
    (every slack is at least ``t*``). Over a bounded polytope the LP is bounded.

    Examples
    --------
    >>> interior_point([[1], [-1]], [1, 1])
    (Fraction(0, 1),)
    >>> interior_point([[1], [-1]], [0, 0]) is None
    True
    """
    d = len(A[0]) if A else 0
    lifted = [list(row) + [1] for row in A] + [[0] * d + [1]]
    res = _solve(lifted, list(b) + [1], [0] * d + [1], 0, cdd.LPObjType.MAX)
    if res.status == "optimal":
        return res.point[:d] if res.value > 0 else None
    if res.status == "infeasible":
        return None
    raise InputError("interior point asked of an unbounded set")
