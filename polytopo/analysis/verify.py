"""Exact verification answers: output ranges, Lipschitz constants, VNN-LIB properties (docs/verify.md).

A network ``f`` is continuous and affine on every closed activation region of its
canonical complex ``C(f, D)`` (docs/definitions.md), so on the bounded domain ``D``:

* each output attains its minimum and maximum at vertices of ``C`` (a linear function on
  a closed polytope is extreme at a vertex), so the exact range is a maximum over the
  complex's exact vertices;
* the Lipschitz constant for a norm is the largest operator norm of the local Jacobian
  over the full-dimensional regions;
* a VNN-LIB property (an unsafe set of linear constraints, in disjunctive normal form) is
  satisfiable exactly when some region, closed, meets some conjunction composed through
  the region's affine map: one exact LP per region and conjunction, or a look at the
  vertices when a conjunction is a single half-space.

Everything is exact (Fractions; cddlib's GMP rational simplex for the LPs).
"""

__all__ = ["OutputRange", "LipschitzConstant", "PropertyVerdict", "output_range", "lipschitz",
           "check_property", "verify_report", "METHOD"]

from dataclasses import dataclass
from fractions import Fraction

from .. import __version__
from ..complex.build import canonical_complex, regions_from_complex
from ..complex.cells import METHOD as COMPLEX_METHOD
from ..exceptions import InputError
from ..geometry import lp
from ..geometry.exact import format_number
from ..geometry.polytope import Polytope, check_domain
from ..geometry.slice import Slice
from ..network.model import check_network
from ..network.vnnlib import VnnlibProperty
from ..runtime import checks as _validate
from ..runtime.progress import Deadline

#: how the answers are computed, for the report
METHOD = ("exact canonical polyhedral complex; ranges at its exact vertices, Lipschitz "
          "constants from the exact Jacobian of every region, properties by exact LPs "
          f"({lp.BACKEND}) over the closed regions")


def _points(p):
    return [format_number(v) for v in p]


@dataclass(frozen=True)
class OutputRange:
    """The exact range ``[min, max]`` of output ``output`` on the domain, with vertices of
    the complex attaining it (the first in the complex's vertex order).

    Attributes
    ----------
    output : int
    min, max : Fraction
    argmin, argmax : tuple of Fraction
        Exact points of the domain (in slice coordinates on a slice).
    """

    output: int
    min: Fraction
    max: Fraction
    argmin: tuple
    argmax: tuple

    def to_json(self):
        return {"output": self.output, "min": format_number(self.min),
                "max": format_number(self.max), "argmin": _points(self.argmin),
                "argmax": _points(self.argmax)}


@dataclass(frozen=True)
class LipschitzConstant:
    """An exact Lipschitz constant (or exact bounds on it) and the region attaining it.

    Attributes
    ----------
    norm : str
        ``"linf"``, ``"l1"`` or ``"l2_squared"``.
    value : Fraction or None
        The constant; ``None`` when only bounds are known (``l2_squared`` of a vector
        output whose Jacobians have rank ≥ 2).
    lower, upper : Fraction
        Exact bounds (both equal to ``value`` when it is known).
    region : dict
        ``{"index", "pattern", "interior_point"}`` of the region attaining ``value``
        (or ``upper``).
    lower_region : dict
        The region attaining ``lower``.
    how : str
        What was computed.
    """

    norm: str
    value: Fraction | None
    lower: Fraction
    upper: Fraction
    region: dict
    lower_region: dict
    how: str

    @property
    def exact(self):
        return self.value is not None

    def to_json(self):
        out = {"exact": self.exact}
        if self.exact:
            out["value"] = format_number(self.value)
        out.update({"lower": format_number(self.lower), "upper": format_number(self.upper),
                    "region": _region_json(self.region)})
        if not self.exact:
            out["lower_region"] = _region_json(self.lower_region)
        out["how"] = self.how
        return out


def _region_json(r):
    return {"index": r["index"], "pattern": r["pattern"],
            "interior_point": _points(r["interior_point"])}


@dataclass(frozen=True)
class PropertyVerdict:
    """The exact answer to a VNN-LIB property.

    Attributes
    ----------
    verdict : str
        ``"sat"`` (the unsafe condition holds at ``witness``) or ``"unsat"`` (it holds
        nowhere in the input set: the property is verified).
    witness, output : tuple of Fraction or None
        For ``sat``: the exact input point ``x`` and ``y = f(x)``, computed exactly; every
        constraint of conjunction ``disjunct`` holds at them exactly (checked).
    witness_slice : tuple of Fraction or None
        On a slice, the witness's slice coordinates ``t`` (``x = p0 + U t``).
    disjunct : int or None
        The conjunction satisfied (index in the property's disjunctive normal form).
    how : str
        How the verdict was decided.
    counts : dict
        ``n_regions``, ``n_vertices``, ``n_disjuncts``, ``vertex_checks`` (conjunctions
        decided on the vertices), ``lps`` (exact LPs solved), ``regions_pruned``
        (region–conjunction pairs excluded because one constraint fails at every vertex
        of the region).
    """

    verdict: str
    witness: tuple | None
    output: tuple | None
    witness_slice: tuple | None
    disjunct: int | None
    how: str
    counts: dict

    def to_json(self):
        out = {"verdict": self.verdict}
        if self.verdict == "sat":
            out["witness"] = _points(self.witness)
            out["output"] = _points(self.output)
            if self.witness_slice is not None:
                out["witness_slice"] = _points(self.witness_slice)
            out["disjunct"] = self.disjunct
        out["how"] = self.how
        out.update(self.counts)
        return out


# ---------------------------------------------------------------------------------------
# the complex and its vertices, shared by the three analyses
# ---------------------------------------------------------------------------------------
class _Complex:
    """A network's canonical complex with the exact outputs at its vertices and the
    regions' output maps (computed when first asked)."""

    def __init__(self, network, domain, *, complex=None, max_regions=None, executor=None,
                 progress=None):
        self.network, self.domain = network, domain
        self.C = complex if complex is not None else canonical_complex(
            network, domain, max_regions=max_regions, executor=executor, progress=progress)
        self.vertices = self.C.vertices()
        self.values = network.forward_batch(list(self.vertices)) if self.vertices else []
        self._cells = self._regions = self._maps = None

    @property
    def cells(self):
        if self._cells is None:
            self._cells = self.C.regions(volumes=False)
        return self._cells

    @property
    def maps(self):
        """The output map ``(M, c)`` of every region, in canonical order."""
        if self._maps is None:
            self._maps = [self.network.affine_maps(r.pattern)[-1] for r in self.cells]
        return self._maps

    @property
    def regions(self):
        """:class:`polytopo.regions.Region` records (H-representations), when LPs need them."""
        if self._regions is None:
            self._regions = regions_from_complex(self.C, self.network, volumes=False)
        return self._regions

    def region_vertices(self):
        ptr, idx = self.C.cell_vertices(self.C.dim)
        ptr, idx = ptr.tolist(), idx.tolist()
        return [idx[a:b] for a, b in zip(ptr[:-1], ptr[1:])]

    def where(self, i):
        r = self.cells[i]
        return {"index": i, "pattern": r.pattern, "interior_point": r.interior_point}


def _check(network, domain):
    check_network(network)
    check_domain(domain, network.input_dim)


def output_range(network, domain, *, complex=None, max_regions=None, executor=None):
    """The exact range of every output of ``network`` on ``domain``, with witnesses.

    ``min_{x ∈ D} f_i(x)`` and ``max_{x ∈ D} f_i(x)``: ``f`` is affine on every closed
    region of its canonical complex, so both are attained at vertices of the complex.

    Parameters
    ----------
    network : Network
    domain : Polytope
        Bounded and full-dimensional.
    complex : CellComplex, optional
        ``canonical_complex(network, domain)`` if already built.
    max_regions : int, optional
        Stop with :class:`~polytopo.exceptions.LimitExceeded` past this many regions.
    executor : concurrent.futures.Executor, optional
        Build the complex on it (the answer is identical).

    Returns
    -------
    list of OutputRange
        One per output; ``argmin``/``argmax`` are the first vertices (in the complex's
        order) attaining the extremes.

    Examples
    --------
    ``f(x) = |x| = relu(x) + relu(-x)`` on ``[-1, 2]``:

    >>> from polytopo.network import Network
    >>> net = Network.from_lists([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])
    >>> (r,) = output_range(net, Polytope.box([-1], [2]))
    >>> r.min, r.argmin, r.max, r.argmax
    (Fraction(0, 1), (Fraction(0, 1),), Fraction(2, 1), (Fraction(2, 1),))

    See Also
    --------
    lipschitz, check_property, verify_report

    Notes
    -----
    One build of the complex, then one exact evaluation per vertex
    (:meth:`~polytopo.network.Network.forward_batch`).
    """
    _check(network, domain)
    K = _Complex(network, domain, complex=complex, max_regions=max_regions, executor=executor)
    return _ranges(K)


def _ranges(K):
    out = []
    for i in range(K.network.output_dim):
        vals = [y[i] for y in K.values]
        lo = min(range(len(vals)), key=vals.__getitem__)
        hi = max(range(len(vals)), key=vals.__getitem__)
        out.append(OutputRange(i, vals[lo], vals[hi], K.vertices[lo], K.vertices[hi]))
    return out


def lipschitz(network, domain, *, complex=None, max_regions=None, executor=None):
    """Exact Lipschitz constants of ``network`` on ``domain`` for the ∞-, 1- and 2-norms.

    For a continuous piecewise-linear ``f`` on a convex domain, the Lipschitz constant for
    a norm (the same norm on inputs and outputs) equals the largest operator norm of its
    local Jacobian ``J`` over the full-dimensional regions: a segment between two points
    of ``D`` crosses finitely many regions, on each of which ``f`` moves by at most
    ``‖J‖`` times the length, and in a region the bound is attained.

    * ``linf``: ``max_i Σ_j |J_ij|`` (induced ∞-norm, largest row 1-norm; for a scalar
      output ``‖∇f‖₁``);
    * ``l1``: ``max_j Σ_i |J_ij|`` (induced 1-norm, largest column 1-norm; for a scalar
      output ``‖∇f‖∞``);
    * ``l2_squared``: the square of the spectral norm, exact where every region's Jacobian
      has rank at most 1 (a scalar output: ``‖∇f‖₂²``; or one input), since then it is
      ``‖J‖_F²``. Otherwise exact rational bounds: below, the largest squared row or
      column 2-norm; above, ``min(‖J‖_F², ‖J‖₁ ‖J‖∞)``, each maximised over the regions.

    Parameters
    ----------
    network, domain, complex, max_regions, executor
        As for :func:`output_range`.

    Returns
    -------
    dict
        ``{"linf": LipschitzConstant, "l1": …, "l2_squared": …}``; each says the region
        attaining it (the first in canonical order). On a slice (a network composed with
        :meth:`polytopo.geometry.slice.Slice.compose`) the constants are with respect to
        the slice coordinates ``t``.

    Examples
    --------
    ``f(x, y) = relu(x) - 2 relu(-y)`` on the square: gradients ``(1, 0)``, ``(0, 2)``,
    ``(1, 2)``, ``(0, 0)``.

    >>> from polytopo.network import Network
    >>> net = Network.from_lists([([[1, 0], [0, -1]], [0, 0]), ([[1, -2]], [0])])
    >>> L = lipschitz(net, Polytope.cube(2))
    >>> L["linf"].value, L["l1"].value, L["l2_squared"].value, L["linf"].region["pattern"]
    (Fraction(3, 1), Fraction(2, 1), Fraction(5, 1), '++')

    Notes
    -----
    One exact Jacobian per region (:meth:`~polytopo.network.Network.affine_maps`).
    """
    _check(network, domain)
    K = _Complex(network, domain, complex=complex, max_regions=max_regions, executor=executor)
    return _lipschitz(K)


def _norms(J):
    """(linf, l1, l2 lower, l2 upper, exact) of one Jacobian (rows: outputs)."""
    rows = [sum((abs(a) for a in r), Fraction(0)) for r in J]
    cols = [sum((abs(r[j]) for r in J), Fraction(0)) for j in range(len(J[0]))] if J else []
    linf, l1 = max(rows, default=Fraction(0)), max(cols, default=Fraction(0))
    row2 = [sum((a * a for a in r), Fraction(0)) for r in J]
    col2 = [sum((r[j] * r[j] for r in J), Fraction(0)) for j in range(len(J[0]))] if J else []
    frob = sum(row2, Fraction(0))
    if _rank_at_most_one([r for r in J if any(r)]):
        return linf, l1, frob, frob, True
    return linf, l1, max(row2 + col2), min(frob, linf * l1), False


def _rank_at_most_one(rows):
    if len(rows) <= 1:
        return True
    first = rows[0]
    k = next(i for i, a in enumerate(first) if a)
    return all(all(r[j] * first[k] == first[j] * r[k] for j in range(len(first)))
               for r in rows[1:])


def _lipschitz(K):
    best = {}
    for i, (M, _) in enumerate(K.maps):
        linf, l1, lo2, hi2, exact = _norms(M)
        for name, lo, hi in (("linf", linf, linf), ("l1", l1, l1), ("l2_squared", lo2, hi2)):
            b = best.setdefault(name, {"lower": (lo, i), "upper": (hi, i), "exact": True})
            if lo > b["lower"][0]:
                b["lower"] = (lo, i)
            if hi > b["upper"][0]:
                b["upper"] = (hi, i)
            if name == "l2_squared" and not exact:
                b["inexact"] = b.get("inexact", []) + [hi]
    how = {"linf": "max over regions of the largest row 1-norm of the exact Jacobian "
                   "(induced infinity-norm)",
           "l1": "max over regions of the largest column 1-norm of the exact Jacobian "
                 "(induced 1-norm)"}
    out = {}
    for name in ("linf", "l1", "l2_squared"):
        b = best[name]
        (lo, ilo), (hi, ihi) = b["lower"], b["upper"]
        if name == "l2_squared":
            exact = lo == hi
            if not b.get("inexact"):
                text = ("max over regions of the squared Frobenius norm of the exact "
                        "Jacobian (rank at most 1 on every region: the squared spectral "
                        "norm, exact)")
            elif exact:
                text = ("max over regions of the squared spectral norm: the lower bound "
                        "(largest squared row or column norm) meets the upper bound")
            else:
                text = ("exact rational bounds on the max over regions of the squared "
                        "spectral norm (it may be irrational): lower = largest squared row "
                        "or column 2-norm, upper = min(squared Frobenius norm, "
                        "||J||_1 ||J||_inf)")
        else:
            exact, text = True, how[name]
        out[name] = LipschitzConstant(name, hi if exact else None, lo, hi,
                                      K.where(ilo if exact else ihi),
                                      K.where(ilo), text)
    return out


# ---------------------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------------------
def _rows_in(rows, slice_):
    """Input rows ``a · x ≤ b`` in the analysed coordinates: ``(a U) t ≤ b − a · p0`` on a
    slice, as they are otherwise."""
    if slice_ is None:
        return [(tuple(a), b) for a, b in rows]
    U = slice_.directions
    out = []
    for a, b in rows:
        at = tuple(sum((ai * u[i] for i, ai in enumerate(a) if ai), Fraction(0)) for u in U)
        out.append((at, b - sum((ai * p for ai, p in zip(a, slice_.origin) if ai),
                                Fraction(0))))
    return out


def _fixed_inputs_slice(prop, domain):
    """A slice fixing the inputs whose bounds are equal (``lo_i = hi_i``: VNN-COMP files
    do this), over the box of the others; ``None`` when no input is fixed."""
    fixed = [lo == hi for lo, hi in zip(prop.lower, prop.upper)]
    if not any(fixed) or all(fixed):
        return None
    n = prop.n_inputs
    free = [i for i in range(n) if not fixed[i]]
    origin = tuple(prop.lower[i] if fixed[i] else Fraction(0) for i in range(n))
    dirs = tuple(tuple(Fraction(int(i == j)) for i in range(n)) for j in free)
    box = Polytope.box([prop.lower[j] for j in free], [prop.upper[j] for j in free])
    return Slice(origin, dirs, box)


class _Setup:
    """What a property is checked on: the analysed network ``g`` (the network, or it
    composed with a slice) on the polytope ``D`` (the domain intersected with the
    property's input set, in ``g``'s coordinates), and every conjunction composed into
    ``g``'s coordinates as rows ``(a, c, β)`` meaning ``a · t + c · g(t) ≤ β``."""

    def __init__(self, network, prop, domain, slice_):
        if not isinstance(prop, VnnlibProperty):
            raise TypeError(f"prop must be a VnnlibProperty, got {type(prop).__name__}")
        check_network(network)
        prop.check_network(network)
        self.note = None
        if slice_ is not None:
            if not isinstance(slice_, Slice):
                raise TypeError(f"slice_ must be a Slice, got {type(slice_).__name__}")
            if domain is not None:
                raise InputError("give a domain or a slice, not both", field="domain")
            base = list(zip(slice_.polytope.A, slice_.polytope.b))
        else:
            if domain is not None:
                check_domain(domain, network.input_dim)
            slice_ = _fixed_inputs_slice(prop, domain)
            if slice_ is not None:
                self.note = ("inputs with equal lower and upper bounds are fixed: analysed "
                             "on the slice of the others")
                base = list(zip(slice_.polytope.A, slice_.polytope.b))
            else:
                base = []
        self.network, self.prop, self.slice = network, prop, slice_
        P = prop.domain()
        rows = list(zip(P.A, P.b))
        if domain is not None:
            rows += list(zip(domain.A, domain.b))
        self.all_fixed = all(lo == hi for lo, hi in zip(prop.lower, prop.upper))
        self.g = network if slice_ is None else slice_.compose(network)
        if self.all_fixed:
            self.D = None
            return
        D = base + _rows_in(rows, slice_)
        # rows with no coefficient left (a fixed input's bounds on its slice): 0 <= b
        self.contradiction = any(not any(a) and b < 0 for a, b in D)
        D = [(a, b) for a, b in D if any(a)]
        self.D = Polytope(tuple(tuple(Fraction(v) for v in a) for a, _ in D),
                          tuple(Fraction(b) for _, b in D))
        self.conjunctions = [[(_rows_in([(c.x, c.bound)], slice_)[0], c.y) for c in conj]
                             for conj in prop.disjuncts]

    def status(self):
        """``"full"``, ``"empty"`` or ``"thin"`` (non-empty, lower-dimensional)."""
        A, b = self.D.A, self.D.b
        if self.contradiction:
            return "empty"
        if lp.interior_point(A, b) is not None:
            return "full"
        k = self.D.dim
        return "empty" if lp.minimize([0] * k, A, b).status == "infeasible" else "thin"

    def witness(self, t, k):
        """The exact witness at analysed point ``t`` for conjunction ``k``, checked."""
        x = tuple(t) if self.slice is None else self.slice.embed(t)
        y = self.network.forward(x)
        conj = self.prop.disjuncts[k]
        if not (self.prop.in_inputs(x) and all(c.holds(x, y) for c in conj)):
            raise AssertionError(f"internal error: the witness {x} does not satisfy "
                                 f"conjunction {k} exactly")
        return PropertyVerdict("sat", x, y, None if self.slice is None else tuple(t), k,
                               "", {})


def check_property(network, prop, *, domain=None, slice_=None, complex=None, max_regions=None,
                   executor=None, time_limit=None):
    """Decide a VNN-LIB property exactly: ``sat`` with a witness, or ``unsat``.

    The property (:func:`polytopo.network.vnnlib.load_vnnlib`) states the unsafe condition
    as VNN-COMP does: inputs in the box ``B`` and the input constraints ``P``, outputs in
    one of the conjunctions ``K_1 ∨ … ∨ K_r`` of linear constraints (non-strict, as
    VNN-LIB's ``<=``/``>=``). It is ``sat`` when some ``x ∈ B ∩ P ∩ D`` has
    ``(x, f(x)) ∈ K_k`` for some ``k``, ``unsat`` otherwise.

    Parameters
    ----------
    network : Network
        The network the property names (``n_inputs`` inputs, ``n_outputs`` outputs).
    prop : VnnlibProperty
    domain : Polytope, optional
        Intersected with the property's input set (default: the property's alone).
    slice_ : Slice, optional
        Check on the slice ``x = p0 + U t``, ``t ∈ P`` only (the property's input set
        is intersected with it, in slice coordinates); excludes ``domain``.
    complex : CellComplex, optional
        The canonical complex of the analysed network on the analysed polytope, if built.
    max_regions, executor
        As for :func:`output_range`.
    time_limit : float, optional
        Seconds; stop with :class:`~polytopo.exceptions.LimitExceeded` past it.

    Returns
    -------
    PropertyVerdict
        ``sat`` with the exact witness ``x``, ``y = f(x)`` (computed by exact evaluation
        and checked against every constraint of its conjunction), or ``unsat`` with how
        it was decided.

    Raises
    ------
    InputError
        When the network does not have the property's inputs and outputs, or the input
        set meets the domain in a non-empty set of lower dimension.

    Examples
    --------
    Is there ``x ∈ [-1, 1]`` with ``|x| ≥ 1``? Yes, on the boundary, with equality (the
    first vertex found is ``x = 1``); ``|x| ≥ 1 + 10^-9`` is unreachable.

    >>> from polytopo.network import Network
    >>> from polytopo.network.vnnlib import parse_vnnlib
    >>> net = Network.from_lists([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])
    >>> prop = parse_vnnlib("(declare-const X_0 Real)(declare-const Y_0 Real)"
    ...                     "(assert (>= X_0 -1))(assert (<= X_0 1))(assert (>= Y_0 1))")
    >>> v = check_property(net, prop)
    >>> v.verdict, v.witness, v.output
    ('sat', (Fraction(1, 1),), (Fraction(1, 1),))
    >>> check_property(net, parse_vnnlib("(declare-const X_0 Real)(declare-const Y_0 Real)"
    ...     "(assert (>= X_0 -1))(assert (<= X_0 1))(assert (>= Y_0 (+ 1 1e-9)))")).verdict
    'unsat'

    Notes
    -----
    ``f`` is continuous and the sets are closed: a point of a lower-dimensional cell lies
    in the closed full-dimensional regions around it, and the LPs are over the closed
    regions, so lower-dimensional cells need no separate check. First every conjunction is evaluated at every vertex of the complex
    (a vertex satisfying one is a witness). A conjunction of a single half-space needs
    nothing more (fast path): ``a · x + c · f(x)`` is affine on every closed region, so its
    minimum over the region is at a vertex. Otherwise, for every region and conjunction,
    one exact LP ``A x ≤ b``, ``(a + cᵀM) x ≤ β − c · c₀`` (the region's H-representation
    and the constraints through its output map ``M x + c₀``), skipped when one constraint
    fails at every vertex of the region.
    """
    S = _Setup(network, prop, domain, slice_)
    return _check_setup(S, complex=complex, max_regions=max_regions, executor=executor,
                        deadline=Deadline(_validate.check_time_limit(time_limit)))[0]


def _check_setup(S, *, complex=None, max_regions=None, executor=None, deadline=None,
                 progress=None, K=None):
    """``(verdict, complex or None)`` for a :class:`_Setup`."""
    deadline = deadline or Deadline(None)
    r = len(S.prop.disjuncts)
    base = {"n_disjuncts": r}
    if S.all_fixed:
        x = tuple(S.prop.lower)
        y = S.network.forward(x)
        k = S.prop.unsafe_at(x, y)
        how = "every input is fixed by its bounds: the one point evaluated exactly"
        if k is None:
            return PropertyVerdict("unsat", None, None, None, None, how, base), None
        v = S.witness(x, k)
        return PropertyVerdict("sat", v.witness, v.output, None, k, how, base), None
    status = S.status()
    if status == "empty":
        return PropertyVerdict("unsat", None, None, None, None,
                               "the property's input set does not meet the domain",
                               base), None
    if status == "thin":
        raise InputError("the property's input set meets the domain in a lower-dimensional "
                         "set: give a domain it meets in a full-dimensional set")
    if K is None:
        K = _Complex(S.g, S.D, complex=complex, max_regions=max_regions, executor=executor,
                     progress=progress)
    counts = {"n_regions": K.C.n_regions, "n_vertices": len(K.vertices), "n_disjuncts": r,
              "vertex_checks": 0, "lps": 0, "regions_pruned": 0}

    def slack(row, v, y):
        (a, beta), c = row
        return (sum((ai * vi for ai, vi in zip(a, v) if ai), Fraction(0))
                + sum((ci * yi for ci, yi in zip(c, y) if ci), Fraction(0)) - beta)

    values = {}  # (conjunction, constraint) -> slacks at every vertex
    for k, conj in enumerate(S.conjunctions):
        deadline.check("the property: vertices")
        cols = []
        for j, row in enumerate(conj):
            cols.append([slack(row, v, y) for v, y in zip(K.vertices, K.values)])
            values[k, j] = cols[-1]
        for vi in range(len(K.vertices)):
            if all(col[vi] <= 0 for col in cols):
                v = S.witness(K.vertices[vi], k)
                how = (f"vertex {vi} of the complex satisfies conjunction {k} exactly "
                       f"(found before any LP)")
                return _with(v, how, counts), K
        if len(conj) <= 1:
            counts["vertex_checks"] += 1
    lp_conjs = [k for k, conj in enumerate(S.conjunctions) if len(conj) > 1]
    if lp_conjs:
        lp0 = lp.lp_count()
        verts = K.region_vertices()
        regions = K.regions
        for i, reg in enumerate(regions):
            deadline.check("the property: LPs over the regions")
            M, c0 = K.maps[i]
            for k in lp_conjs:
                conj = S.conjunctions[k]
                if any(all(values[k, j][v] > 0 for v in verts[i]) for j in range(len(conj))):
                    counts["regions_pruned"] += 1
                    continue
                A = [list(row) for row in reg.polytope.A]
                b = list(reg.polytope.b)
                for (a, beta), c in conj:
                    A.append([ai + sum((cj * M[j][t] for j, cj in enumerate(c) if cj),
                                       Fraction(0)) for t, ai in enumerate(a)])
                    b.append(beta - sum((cj * c0[j] for j, cj in enumerate(c) if cj),
                                        Fraction(0)))
                res = lp.minimize([0] * len(A[0]), A, b)
                counts["lps"] = lp.lp_count() - lp0
                if res.status == "optimal":
                    v = S.witness(res.point, k)
                    how = (f"exact LP over closed region {i} (pattern {reg.pattern!r}) "
                           f"meets conjunction {k}")
                    return _with(v, how, counts), K
        counts["lps"] = lp.lp_count() - lp0
    parts = []
    if counts["vertex_checks"]:
        parts.append(f"{counts['vertex_checks']} single-half-space conjunction(s) by the "
                     f"values at all {len(K.vertices)} vertices (the minimum of an affine "
                     f"function over a closed region is at a vertex)")
    if lp_conjs:
        parts.append(f"{len(lp_conjs)} conjunction(s) by {counts['lps']} exact LPs over the "
                     f"{K.C.n_regions} closed regions ({counts['regions_pruned']} "
                     f"region-conjunction pairs excluded at their vertices)")
    return PropertyVerdict("unsat", None, None, None, None,
                           "no point satisfies the unsafe condition: " + "; ".join(parts),
                           counts), K


def _with(v, how, counts):
    return PropertyVerdict(v.verdict, v.witness, v.output, v.witness_slice, v.disjunct, how,
                           counts)


# ---------------------------------------------------------------------------------------
# the report of ``polytopo verify``
# ---------------------------------------------------------------------------------------
def verify_report(network, domain=None, *, prop=None, slice_=None, max_regions=None,
                  executor=None, time_limit=None, progress=None):
    """The report of ``polytopo verify`` (docs/verify.md): output ranges, Lipschitz
    constants and, with a property, its verdict, from one exact complex.

    Parameters
    ----------
    network : Network
        The network as given (on a slice, not yet composed with it).
    domain : Polytope, optional
        Without a property: the domain (default ``[-1, 1]^d``). With one: intersected
        with the property's input set (default: the property's input set alone).
    prop : VnnlibProperty, optional
    slice_ : Slice, optional
        Analyse on the slice (``domain`` must then be ``None``): the network composed
        with it on its polytope, in slice coordinates ``t`` (ranges' witnesses and the
        Lipschitz constants too: with respect to ``t``).
    max_regions, executor, time_limit, progress
        As for :func:`polytopo.analysis.summary.analyze`.

    Returns
    -------
    dict
        JSON-ready, every number exact (an ``int`` or ``"p/q"``): ``output_range``,
        ``lipschitz`` and ``property`` (``verdict`` …) as in docs/verify.md.

    Examples
    --------
    >>> from polytopo.network import Network
    >>> net = Network.from_lists([([[1], [-1]], [0, 0]), ([[1, -1]], [0])])  # x
    >>> rep = verify_report(net, Polytope.box([0], ["1/2"]))
    >>> rep["output_range"][0]["max"], rep["lipschitz"]["linf"]["value"]
    ('1/2', 1)
    """
    check_network(network)
    deadline = Deadline(_validate.check_time_limit(time_limit))
    _validate.check_callable("progress", progress)
    note = None
    if prop is not None:
        S = _Setup(network, prop, domain, slice_)
        if not S.all_fixed and S.status() != "full":
            verdict, _ = _check_setup(S, deadline=deadline)
            return _report(network, S.g, S.D, S.slice, None, prop, verdict, S.note)
        if S.all_fixed:
            verdict, _ = _check_setup(S, deadline=deadline)
            return _report(network, S.g, None, None, None, prop, verdict, S.note)
        g, D, sl, note = S.g, S.D, S.slice, S.note
    else:
        if slice_ is not None:
            if domain is not None:
                raise InputError("give a domain or a slice, not both", field="domain")
            g, D, sl = slice_.compose(network), slice_.polytope, slice_
        else:
            g, sl = network, None
            D = Polytope.cube(network.input_dim) if domain is None else domain
        check_domain(D, g.input_dim)
    K = _Complex(g, D, max_regions=max_regions, executor=executor, progress=progress)
    deadline.check("the complex")
    verdict = None
    if prop is not None:
        verdict, _ = _check_setup(S, deadline=deadline, K=K)
    return _report(network, g, D, sl, K, prop, verdict, note, deadline)


def _report(network, g, D, sl, K, prop, verdict, note, deadline=None):
    rep = {"polytopo_version": __version__, "arithmetic": "exact rational",
           "method": METHOD, "complex_method": COMPLEX_METHOD, "lp_backend": lp.BACKEND,
           "input_dim": network.input_dim, "architecture": list(network.architecture),
           "coordinates": "input" if sl is None else "slice"}
    if D is not None:
        rep["domain"] = D.to_json()
    if sl is not None:
        rep["slice"] = sl.to_json()
    if note:
        rep["note"] = note
    if K is not None:
        rep["n_regions"] = K.C.n_regions
        rep["n_vertices"] = len(K.vertices)
        ranges = [r.to_json() for r in _ranges(K)]
        if sl is not None:
            for r, o in zip(ranges, _ranges(K)):
                r["argmin_input"] = _points(sl.embed(o.argmin))
                r["argmax_input"] = _points(sl.embed(o.argmax))
        rep["output_range"] = ranges
        if deadline is not None:
            deadline.check("the Lipschitz constants")
        L = {k: v.to_json() for k, v in _lipschitz(K).items()}
        L["coordinates"] = ("input" if sl is None else
                            "slice coordinates t (x = p0 + U t): the constants of t -> f(p0 + U t)")
        rep["lipschitz"] = L
    if prop is not None:
        rep["property"] = {"source": prop.source, "n_disjuncts": len(prop.disjuncts),
                           **verdict.to_json(),
                           "semantics": "VNN-LIB: the file states the unsafe condition; sat "
                                        "= some input in its input set satisfies it (witness "
                                        "given), unsat = none does (the property holds)"}
    rep["computed"] = [k for k in ("output_range", "lipschitz", "property") if k in rep]
    return rep
