"""Integral homology of chain complexes: sparse Smith normal form over Z, exact.

A chain complex is given by its boundary matrices in a sparse column form: the
boundary map ``∂_k : C_k → C_{k-1}`` is a list over the k-cells of dicts
``{index of a (k-1)-cell: nonzero int coefficient}`` (internally, compressed sparse
column arrays, turned into dicts only when asked for). From these, the integral
homology ``H_k = ker ∂_k / im ∂_{k+1} ≅ Z^rank ⊕ Z/t_1 ⊕ … ⊕ Z/t_m`` is computed
exactly: ``rank = n_k − rank ∂_k − rank ∂_{k+1}`` and the ``t_i`` are the invariant
factors ``> 1`` of ``∂_{k+1}``.

The performance core is the private module ``polytopo.topology.snf``: boundary matrices of
polyhedral complexes are very sparse with entries ``±1``, and almost all of their Smith
form is found by eliminating unit pivots: first, in vectorized rounds, those that need
no arithmetic (collapses and coreductions), then the rest with a Markowitz choice,
before an exact Euclidean Smith form runs on the small remainder.
"""

__all__ = [
    "HomologyGroup",
    "ChainComplex",
    "simplicial_complex",
    "smith_normal_form",
    "rank_and_torsion",
    "backend",
]

import itertools
import numbers
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from . import snf as _snf
from .snf import boundary_ranks, columns_from_csc, csc_from_columns, factor_counts
from ..exceptions import InputError, PointlessQuestion


def backend():
    """Name the algorithm and arithmetic that compute Smith forms and homology here.

    Returns
    -------
    str
        ``"sparse unit-pivot elimination (vectorized collapses, then Markowitz) + sparse
        Euclidean SNF (Python ints)"``,
        or with ``"dense SNF (python-flint fmpz_mat)"`` for the remainder when
        python-flint is importable. Every backend is exact; results never depend on it.

    Examples
    --------
    >>> backend().startswith("sparse unit-pivot elimination")
    True
    """
    rest = "dense SNF (python-flint fmpz_mat)" if _snf.FLINT_MAT is not None else \
        "sparse Euclidean SNF (Python ints)"
    return f"sparse unit-pivot elimination (vectorized collapses, then Markowitz) + {rest}"


# ---------------------------------------------------------------------------------------
# values
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class HomologyGroup:
    """A finitely generated abelian group ``Z^rank ⊕ Z/t_1 ⊕ … ⊕ Z/t_m``.

    The torsion coefficients satisfy ``t_i > 1`` and ``t_1 | t_2 | … | t_m``
    (invariant-factor form, unique by the structure theorem for finitely generated
    abelian groups; see Munkres, *Elements of Algebraic Topology*, §4 and §11).

    Parameters
    ----------
    rank : int
        The Betti number, ``≥ 0``.
    torsion : tuple of int
        The invariant factors ``> 1``, in divisibility order.

    Raises
    ------
    InputError
        For a negative rank or torsion not in invariant-factor form.

    Examples
    --------
    >>> g = HomologyGroup(2, (2,))
    >>> str(g), str(HomologyGroup(0)), str(HomologyGroup(1)), g.is_trivial
    ('Z^2 ⊕ Z/2', '0', 'Z', False)
    >>> g.to_json()
    {'rank': 2, 'torsion': [2]}
    >>> HomologyGroup.from_json({"rank": 0, "torsion": [2, 6]})
    HomologyGroup(rank=0, torsion=(2, 6))
    """

    rank: int
    torsion: tuple = ()

    def __post_init__(self):
        if isinstance(self.rank, bool) or not isinstance(self.rank, numbers.Integral) \
                or self.rank < 0:
            raise InputError(f"rank must be a non-negative integer, got {self.rank!r}")
        object.__setattr__(self, "rank", int(self.rank))
        try:
            tors = tuple(_as_int(t, "torsion") for t in self.torsion)
        except TypeError:
            raise InputError("torsion must be a sequence of integers") from None
        if any(t <= 1 for t in tors):
            raise InputError(f"torsion coefficients must be > 1, got {tors}")
        if any(b % a for a, b in zip(tors, tors[1:])):
            raise InputError(f"torsion coefficients must divide each other in order, got {tors}")
        object.__setattr__(self, "torsion", tors)

    @property
    def is_trivial(self):
        """True for the zero group."""
        return self.rank == 0 and not self.torsion

    def to_json(self):
        """The report form ``{"rank": r, "torsion": [t_1, …]}`` with plain ints (docs/formats.md, "Report")."""
        return {"rank": self.rank, "torsion": list(self.torsion)}

    @classmethod
    def from_json(cls, data):
        """Inverse of :meth:`to_json`."""
        if not isinstance(data, Mapping) or "rank" not in data:
            raise InputError("a homology group is an object with 'rank' and 'torsion'")
        return cls(data["rank"], tuple(data.get("torsion", ())))

    def __str__(self):
        parts = []
        if self.rank:
            parts.append("Z" if self.rank == 1 else f"Z^{self.rank}")
        parts.extend(f"Z/{t}" for t in self.torsion)
        return " ⊕ ".join(parts) if parts else "0"


# ---------------------------------------------------------------------------------------
# Smith normal form of one sparse matrix
# ---------------------------------------------------------------------------------------
def smith_normal_form(columns, n_rows=None):
    """Nonzero invariant factors of an integer matrix (the diagonal of its Smith form).

    For an integer matrix ``M`` there are unimodular ``U, V`` with
    ``U M V = diag(d_1, …, d_r, 0, …)``, ``d_i > 0`` and ``d_1 | d_2 | … | d_r``; the
    ``d_i`` are unique (``d_1⋯d_i`` is the gcd of the ``i × i`` minors) and ``r`` is the
    rank of ``M`` (Smith 1861; Cohen, *A Course in Computational Algebraic Number
    Theory*, §2.4.4).

    Parameters
    ----------
    columns : sequence of dict, or dense integer matrix
        Either the sparse columns ``[{row: coefficient}, …]`` (the convention of this
        module), or a dense matrix: a list of rows, a numpy integer array or a sympy
        ``Matrix``.
    n_rows : int, optional
        The number of rows; when given, sparse row indices are checked against it.

    Returns
    -------
    tuple of int
        ``(d_1, …, d_r)``, positive, in divisibility order.

    Raises
    ------
    InputError
        For non-integer entries or out-of-range row indices.

    Examples
    --------
    >>> smith_normal_form([{0: 2, 1: 4}, {0: 6, 1: 8}])  # the matrix [[2, 6], [4, 8]]
    (2, 4)
    >>> smith_normal_form([[1, 1, 0], [0, 1, 1], [1, 0, 1]])
    (1, 1, 2)
    >>> smith_normal_form([{}, {}], n_rows=3)
    ()

    See Also
    --------
    rank_and_torsion : the same as a rank and the factors ``> 1``.

    Notes
    -----
    First, unit pivots are eliminated sparsely: repeatedly a column with an entry
    ``±1`` of least Markowitz cost ``(|row| − 1)(|column| − 1)`` is chosen (a priority
    queue with lazy updates), its row is cleared by exact column operations and the
    pivot's row and column are dropped; each such pivot is an invariant factor 1.
    With ``f`` the fill-in this costs ``O((nnz + f) log nnz)`` dictionary operations;
    on boundary matrices of cell complexes ``f`` stays small and almost the whole
    rank is found here. What remains is reduced by Euclidean pivoting on the entry of
    least absolute value (sparse, exact Python ints, or python-flint's dense
    ``fmpz_mat.snf`` when installed), and the diagonal so found is put into
    divisibility order by replacing pairs with their gcd and lcm. That phase costs
    ``O(nnz)`` per pivot (plus coefficient growth), so it is meant for the small
    remainders that boundary matrices leave; a large matrix with no unit entries at
    all (say ``2·∂``) is slow without python-flint.
    """
    units, rest = factor_counts(_to_sparse(columns, n_rows))
    return (1,) * units + rest


def rank_and_torsion(columns, n_rows=None):
    """Rank and torsion coefficients of an integer matrix.

    ``rank`` is the number of nonzero invariant factors, the torsion is the tuple of
    those ``> 1``: the cokernel of ``M`` (e.g. ``C_{k-1} / im ∂_k``) is
    ``Z^{n_rows − rank} ⊕ ⨁ Z/t``.

    Parameters
    ----------
    columns : sequence of dict, or dense integer matrix
        As in :func:`smith_normal_form`.
    n_rows : int, optional
        The number of rows, for checking sparse indices.

    Returns
    -------
    (int, tuple of int)

    Examples
    --------
    >>> rank_and_torsion([[2, 0], [0, 3]])
    (2, (6,))
    >>> rank_and_torsion([{0: 1, 1: -1}, {1: 1, 2: -1}, {0: -1, 2: 1}])
    (2, ())

    See Also
    --------
    smith_normal_form
    """
    units, rest = factor_counts(_to_sparse(columns, n_rows))
    return units + len(rest), rest


# ---------------------------------------------------------------------------------------
# chain complexes
# ---------------------------------------------------------------------------------------
class ChainComplex:
    """A finite chain complex of free abelian groups with integer boundary matrices.

    ``0 → C_d → … → C_1 → C_0 → 0`` with ``C_k = Z^{n_k}`` (one generator per k-cell)
    and ``∂_{k-1} ∂_k = 0``. Integral homology ``H_k = ker ∂_k / im ∂_{k+1}``
    (Munkres, *Elements of Algebraic Topology*, §§5, 11, 39).

    Parameters
    ----------
    columns : sequence of sequences of dict
        ``columns[k]`` lists, for each k-cell, its boundary ``{(k-1)-cell index:
        nonzero int coefficient}``; ``columns[0]`` is a list of ``n_0`` empty dicts.
        Zero coefficients are dropped. ``len(columns) − 1`` is the dimension ``d``
        (levels may be empty, so a subcomplex keeps its ambient dimension).
    cells : sequence of sequences, optional
        A label for each cell (``cells[k][i]`` names k-cell ``i``); default the indices.

    Raises
    ------
    InputError
        For malformed columns, indices out of range or non-integer coefficients.
        The identity ``∂∂ = 0`` is checked by :meth:`check_boundary` (and before
        the first homology computation).

    Examples
    --------
    A circle as two vertices and two edges:

    >>> S1 = ChainComplex([[{}, {}], [{0: -1, 1: 1}, {0: 1, 1: -1}]])
    >>> S1.n_cells, S1.dimension, S1.euler_characteristic()
    ([2, 2], 1, 0)
    >>> [str(h) for h in S1.homology()]
    ['Z', 'Z']
    >>> ChainComplex.from_matrices([[[2]]]).homology()  # Z --2--> Z
    [HomologyGroup(rank=0, torsion=(2,)), HomologyGroup(rank=0, torsion=())]

    See Also
    --------
    simplicial_complex : the chain complex of a simplicial complex.
    """

    def __init__(self, columns, *, cells=None):
        if isinstance(columns, (str, bytes, Mapping)) or not hasattr(columns, "__len__"):
            raise InputError("columns must be a list (one entry per dimension) of lists of "
                             "dicts", field="columns")
        levels = []
        n_prev = None
        for k, level in enumerate(columns):
            if isinstance(level, (str, bytes, Mapping)) or not hasattr(level, "__iter__"):
                raise InputError("expected a list of column dicts", field=f"columns[{k}]")
            cols = []
            for j, col in enumerate(level):
                where = f"columns[{k}][{j}]"
                if not isinstance(col, Mapping):
                    raise InputError("a column must be a dict {row: coefficient}", field=where)
                if k == 0 and col:
                    raise InputError("0-cells have empty boundary", field=where)
                clean = {}
                for r, v in col.items():
                    r = _as_int(r, where, what="row index")
                    if not 0 <= r < n_prev:
                        raise InputError(f"row index {r} out of range 0..{n_prev - 1}",
                                         field=where)
                    v = _as_int(v, where)
                    if v:
                        clean[r] = v
                cols.append(clean)
            levels.append(cols)
            n_prev = len(cols)
        self._cols = levels
        self._csc = None
        self._n = [len(c) for c in levels]
        if cells is None:
            self.cells = [tuple(range(n)) for n in self._n]
        else:
            cells = [tuple(c) for c in cells]
            if [len(c) for c in cells] != self._n:
                raise InputError("cells must have one label per cell in each dimension",
                                 field="cells")
            self.cells = cells
        self._checked = False
        self._zero_square = False
        self._groups = None
        self._ranks = None

    @property
    def _columns(self):
        """The boundary maps as lists of column dicts (built once from the arrays)."""
        if self._cols is None:
            self._cols = [[{} for _ in range(self._n[0])]] + [
                columns_from_csc(*self._level(k)) for k in range(1, len(self._n))] \
                if self._n else []
        return self._cols

    def _level(self, k):
        """CSC arrays ``(indptr, indices, data)`` of ``∂_k`` (built once from the dicts)."""
        if self._csc is None:
            self._csc = [None] * len(self._n)
        if self._csc[k] is None:
            self._csc[k] = csc_from_columns(self._cols[k])
        return self._csc[k]

    # ---- construction -------------------------------------------------------------
    @classmethod
    def from_matrices(cls, mats):
        """Build from dense boundary matrices ``∂_1, …, ∂_d``.

        Parameters
        ----------
        mats : sequence of integer matrices
            ``mats[k-1]`` is ``∂_k`` with shape ``(n_{k-1}, n_k)``: lists of rows, numpy
            integer arrays or sympy matrices. (Use numpy arrays for shapes with a zero.)

        Returns
        -------
        ChainComplex

        Raises
        ------
        InputError
            For an empty list, non-integer entries or shapes that do not chain.

        Examples
        --------
        >>> C = ChainComplex.from_matrices([[[-1, 0, 1], [1, -1, 0], [0, 1, -1]]])
        >>> C.n_cells, C.betti_numbers()
        ([3, 3], [1, 1])
        """
        if isinstance(mats, (str, bytes)) or not hasattr(mats, "__len__") or len(mats) == 0:
            raise InputError("need at least one boundary matrix", field="mats")
        shapes = [_dense_shape(m, f"mats[{i}]") for i, m in enumerate(mats)]
        # a list-of-lists with no rows cannot tell its column count: take it from above
        for i, (nr, nc) in enumerate(shapes):
            if nc is None:
                nc = shapes[i + 1][0] if i + 1 < len(shapes) else 0
                shapes[i] = (nr, nc)
        for i in range(1, len(shapes)):
            if shapes[i][0] != shapes[i - 1][1]:
                raise InputError(f"∂_{i + 1} has {shapes[i][0]} rows but ∂_{i} has "
                                 f"{shapes[i - 1][1]} columns", field=f"mats[{i}]")
        columns = [[{} for _ in range(shapes[0][0])]]
        for i, m in enumerate(mats):
            columns.append(_dense_to_columns(m, shapes[i], f"mats[{i}]"))
        return cls(columns)

    @classmethod
    def from_trusted(cls, levels, cells, *, zero_square=False):
        """A chain complex from boundary data its caller guarantees well formed: no validation.

        The constructor checks every index and coefficient, in Python, cell by cell. A
        caller that builds the boundary maps itself, correct by construction, can skip
        that pass (as sympy's ``DomainMatrix.from_rep`` skips the conversion of its
        entries): nothing is checked and the arrays are used as given, not copied.

        Parameters
        ----------
        levels : sequence
            ``levels[k]``, ``k ≥ 1``, is ``∂_k``: either a list of column dicts
            ``{(k−1)-cell index: nonzero int}``, one per k-cell, or CSC arrays
            ``(indptr, indices, data)`` (``data`` int64, or an object array of Python ints;
            no zero values, row indices in range). ``levels[0]`` is not read.
        cells : sequence of sequences
            The labels of the cells per dimension; their lengths are the numbers of cells.
        zero_square : bool
            The caller also guarantees ``∂∂ = 0`` (a theorem for its construction, as for
            simplicial and cubical boundaries): :meth:`homology` then does not check it.
            By default it is checked once, before the first homology computation, as for
            a complex from the constructor. :meth:`check_boundary` always checks.

        Returns
        -------
        ChainComplex

        Examples
        --------
        >>> import numpy as np
        >>> d1 = (np.array([0, 2, 4]), np.array([0, 1, 0, 1]), np.array([-1, 1, 1, -1]))
        >>> S1 = ChainComplex.from_trusted([None, d1], [(0, 1), ("a", "b")])
        >>> S1.n_cells, S1.cells[1], [str(h) for h in S1.homology()]
        ([2, 2], ('a', 'b'), ['Z', 'Z'])
        >>> ChainComplex.from_trusted([None, [{0: 1}]], [(0,), (0,)]).boundary_matrix(1)
        [{0: 1}]
        """
        cc = cls.__new__(cls)
        cells = [c if isinstance(c, tuple) else tuple(c) for c in cells]
        cc._n = [len(c) for c in cells]
        cc.cells = cells
        rest = list(levels[1:len(cells)]) if cells else []
        csc = [_is_csc(level) for level in rest]
        if cells and not any(csc):
            cc._cols = [[{} for _ in range(cc._n[0])]] + [list(level) for level in rest]
            cc._csc = None
        else:
            empty = np.zeros(0, dtype=np.int64)
            cc._cols = None
            cc._csc = ([(np.zeros(cc._n[0] + 1, dtype=np.int64), empty, empty)] +
                       [level if c else csc_from_columns(level) for level, c in zip(rest, csc)]
                       if cells else [])
        cc._checked = False
        cc._zero_square = bool(zero_square)
        cc._groups = None
        cc._ranks = None
        return cc

    @classmethod
    def from_simplices(cls, facets, *, dimension=None):
        """The simplicial chain complex of the complex generated by ``facets``.

        See :func:`simplicial_complex`, which this calls.

        Examples
        --------
        >>> ChainComplex.from_simplices([(0, 1), (1, 2), (0, 2)]).betti_numbers()
        [1, 1]
        """
        return simplicial_complex(facets, dimension=dimension)

    # ---- shape --------------------------------------------------------------------
    @property
    def n_cells(self):
        """``[n_0, …, n_d]``, the number of cells of each dimension."""
        return list(self._n)

    @property
    def dimension(self):
        """``d = len(columns) − 1`` (−1 for the empty complex with no levels)."""
        return len(self._n) - 1

    def __repr__(self):
        return f"ChainComplex(n_cells={self._n})"

    def boundary_matrix(self, k, format="columns"):
        """The boundary map ``∂_k : C_k → C_{k-1}``, a ``n_{k-1} × n_k`` integer matrix.

        Parameters
        ----------
        k : int
            ``0 ≤ k ≤ d`` (``∂_0`` is the zero map to ``C_{-1} = 0``, with no rows).
        format : {"columns", "dense", "scipy", "sympy"}
            Sparse columns (a fresh copy, the module convention), a list of rows,
            a ``scipy.sparse.csc_array`` of int64, or a ``sympy.Matrix``.

        Examples
        --------
        >>> C = ChainComplex.from_simplices([(0, 1, 2)])
        >>> C.boundary_matrix(2)
        [{0: 1, 1: -1, 2: 1}]
        >>> C.boundary_matrix(2, "dense")
        [[1], [-1], [1]]
        >>> C.boundary_matrix(1, "scipy").toarray().tolist()
        [[-1, -1, 0], [1, 0, -1], [0, 1, 1]]
        """
        if isinstance(k, bool) or not isinstance(k, numbers.Integral) \
                or not 0 <= k <= self.dimension:
            raise InputError(f"no boundary matrix ∂_{' '.join(repr(k).split())[:40]} in a "
                             f"complex of dimension "
                             f"{self.dimension}", field="k")
        n_rows = self._n[k - 1] if k > 0 else 0
        if format == "scipy":
            from scipy import sparse

            if k == 0:
                return sparse.csc_array((0, self._n[0]), dtype=np.int64)
            indptr, indices, data = self._level(k)
            if data.dtype == object:
                raise InputError("coefficients do not fit in int64", field="format")
            m = sparse.csc_array((data, indices, indptr), shape=(n_rows, self._n[k]))
            m.sort_indices()
            return m
        cols = self._columns[k]
        if format == "columns":
            return [{r: c[r] for r in sorted(c)} for c in cols]
        if format == "dense":
            dense = [[0] * len(cols) for _ in range(n_rows)]
            for j, col in enumerate(cols):
                for r, v in col.items():
                    dense[r][j] = v
            return dense
        if format == "sympy":
            import sympy

            return sympy.Matrix(n_rows, len(cols),
                                lambda i, j: cols[j].get(i, 0))
        raise InputError(f"unknown format {format!r}; use columns, dense, scipy or sympy",
                         field="format")

    # ---- checks -------------------------------------------------------------------
    def check_boundary(self):
        """Verify ``∂_{k-1} ∘ ∂_k = 0`` exactly for every ``k``.

        Returns
        -------
        True

        Raises
        ------
        InputError
            Naming the first k-cell whose boundary has a nonzero boundary.

        Examples
        --------
        >>> ChainComplex([[{}, {}], [{0: 1, 1: -1}]]).check_boundary()
        True
        >>> ChainComplex([[{}, {}], [{0: 1, 1: -1}], [{0: 1}]]).check_boundary()
        Traceback (most recent call last):
        ...
        polytopo.exceptions.InputError: columns[2][0]: ∂_1 ∂_2 ≠ 0 at this cell (row 0 gets 1)
        """
        if self._checked:
            return True
        for k in range(2, len(self._n)):
            if self._composite_vanishes(k):
                continue
            below = self._columns[k - 1]
            for j, col in enumerate(self._columns[k]):
                acc = {}
                for r, v in col.items():
                    for r2, w in below[r].items():
                        acc[r2] = acc.get(r2, 0) + v * w
                bad = [(r2, x) for r2, x in acc.items() if x]
                if bad:
                    r2, x = min(bad)
                    raise InputError(f"∂_{k - 1} ∂_{k} ≠ 0 at this cell (row {r2} gets {x})",
                                     field=f"columns[{k}][{j}]")
        self._checked = True
        return True

    def _composite_vanishes(self, k):
        """``∂_{k-1} ∂_k = 0`` by one sparse int64 product when no entry can overflow
        (coefficients below ``2**20``, products summed over fewer than ``2**20`` terms);
        False when that is not known (the caller then checks cell by cell)."""
        from scipy import sparse

        mats = []
        for j in (k - 1, k):
            indptr, indices, data = self._level(j)
            if len(indptr) > 1 and np.diff(indptr).max() >= 1 << 20:
                return False
            if data.size and (data.dtype == object or np.abs(data).max() >= 1 << 20):
                return False
            mats.append(sparse.csc_array((data.astype(np.int64), indices, indptr),
                                         shape=(self._n[j - 1], self._n[j])))
        product = mats[0] @ mats[1]
        return not np.any(product.data)

    # ---- homology -----------------------------------------------------------------
    def homology(self):
        """Integral homology groups ``H_0, …, H_d``.

        ``H_k = ker ∂_k / im ∂_{k+1} ≅ Z^{n_k − rank ∂_k − rank ∂_{k+1}} ⊕ ⨁ Z/t``,
        the ``t`` running over the invariant factors ``> 1`` of ``∂_{k+1}``
        (Munkres, *Elements of Algebraic Topology*, §11).

        Returns
        -------
        list of HomologyGroup
            One per dimension ``0 … d`` (index = dimension).

        Raises
        ------
        InputError
            If ``∂∂ ≠ 0`` (checked once, before the first computation).

        Examples
        --------
        The minimal triangulation of the real projective plane:

        >>> RP2 = simplicial_complex([(1, 2, 4), (1, 2, 6), (1, 3, 5), (1, 3, 6), (1, 4, 5),
        ...                           (2, 3, 4), (2, 3, 5), (2, 5, 6), (3, 4, 6), (4, 5, 6)])
        >>> [str(h) for h in RP2.homology()]
        ['Z', 'Z/2', '0']

        Notes
        -----
        The complex is first reduced (Kaczynski, Mrozek and Ślusarek, *Homology
        computation by reduction of chain complexes*, Comput. Math. Appl. 35, 1998):
        from the top dimension down, unit pivots of ``∂_k`` are eliminated as in
        :func:`smith_normal_form`; a pivot ``(a, b)``, ``a`` a (k−1)-cell and ``b`` a
        k-cell, removes the pair from the complex, so column ``a`` of ``∂_{k-1}`` is
        never looked at (the "clearing" of persistent homology) and row ``b`` is
        dropped from what remains of ``∂_{k+1}``. The small remainders then go through
        the exact Smith form. The cost is dominated by the elimination, near-linear in
        the number of nonzeros on cell complexes (see :func:`smith_normal_form`).
        """
        if self._groups is None:
            if not self._zero_square:
                self.check_boundary()
            ranks, torsion = boundary_ranks(
                [None] + [self._level(k) for k in range(1, len(self._n))], self._n)
            self._ranks = tuple(ranks)
            self._groups = tuple(
                HomologyGroup(self._n[k] - ranks[k] - ranks[k + 1], torsion[k + 1])
                for k in range(len(self._n)))
        return list(self._groups)

    def boundary_rank(self, k):
        """``rank ∂_k`` over Z (0 for ``k = 0`` and ``k = d + 1``), from :meth:`homology`.

        Examples
        --------
        >>> simplicial_complex([(0, 1, 2)]).boundary_rank(1)
        2
        """
        if isinstance(k, bool) or not isinstance(k, numbers.Integral) \
                or not 0 <= k <= len(self._n):
            raise InputError(f"no boundary map ∂_{k!r} in a complex of dimension "
                             f"{self.dimension}", field="k")
        self.homology()
        return self._ranks[k]

    def boundary_arrays(self, k):
        """The CSC arrays ``(indptr, indices, data)`` of ``∂_k``, ``1 ≤ k ≤ d`` (shared with the
        complex: do not modify them).

        Examples
        --------
        >>> [a.tolist() for a in simplicial_complex([(0, 1)]).boundary_arrays(1)]
        [[0, 2], [0, 1], [-1, 1]]
        """
        if isinstance(k, bool) or not isinstance(k, numbers.Integral) \
                or not 1 <= k <= self.dimension:
            raise InputError(f"no boundary matrix ∂_{k!r} with arrays in a complex of "
                             f"dimension {self.dimension}", field="k")
        return self._level(k)

    def boundary_of(self, k, chain):
        """``∂_k`` of a k-chain ``{k-cell index: integer coefficient}``, as a (k−1)-chain.

        Examples
        --------
        >>> C = simplicial_complex([(0, 1, 2)])
        >>> C.boundary_of(1, {0: 1, 2: 1, 1: -1})     # (0,1) + (1,2) - (0,2)
        {}
        >>> C.boundary_of(1, {0: 2})
        {0: -2, 1: 2}
        """
        if k == 0:
            return {}
        indptr, indices, data = self._level(k)
        acc = {}
        for c, x in chain.items():
            a, b = int(indptr[c]), int(indptr[c + 1])
            for r, v in zip(indices[a:b].tolist(), data[a:b].tolist()):
                acc[r] = acc.get(r, 0) + x * v
        return {r: acc[r] for r in sorted(acc) if acc[r]}

    def homology_generators(self, *, check=True):
        """An explicit basis of every ``H_k`` over Z: free generators and torsion generators.

        See :func:`polytopo.topology.generators.homology_generators`, which this calls.

        Examples
        --------
        >>> S1 = ChainComplex([[{}, {}], [{0: -1, 1: 1}, {0: 1, 1: -1}]])
        >>> [[g.chain for g in level] for level in S1.homology_generators()]
        [[((1, 1),)], [((0, 1), (1, 1))]]
        """
        from .generators import homology_generators

        return homology_generators(self, check=check)

    def betti_numbers(self):
        """``[b_0, …, b_d]`` with ``b_k = rank H_k``.

        Examples
        --------
        >>> simplicial_complex([(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 2)]).betti_numbers()
        [1, 2]
        """
        return [h.rank for h in self.homology()]

    def euler_characteristic(self):
        """``χ = Σ_k (−1)^k n_k`` (which equals ``Σ_k (−1)^k b_k``).

        Examples
        --------
        >>> simplicial_complex([(0, 1, 2, 3)]).euler_characteristic()
        1
        """
        return sum((-1) ** k * n for k, n in enumerate(self._n))

    def reduced_homology(self):
        """Reduced homology: the homology of the augmented complex ``… → C_0 → Z → 0``.

        The augmentation sends every 0-cell to 1, so ``H̃_0 = Z^{b_0 − 1} ⊕ (torsion
        of H_0)`` and ``H̃_k = H_k`` for ``k > 0``.

        Raises
        ------
        PointlessQuestion
            For a complex without 0-cells (then ``H̃_{-1} = Z``, outside the list), or
            when the augmentation is not a chain map (``ε ∂_1 ≠ 0``, e.g. a relative
            complex, where reduced homology is not defined this way).

        Examples
        --------
        >>> [str(h) for h in simplicial_complex([(0,)]).reduced_homology()]
        ['0']
        """
        if not self._n or self._n[0] == 0:
            raise PointlessQuestion("reduced homology of a complex without 0-cells has "
                                    "H̃_{-1} = Z, outside the list H̃_0 … H̃_d")
        if len(self._n) > 1 and self._column_sums_nonzero(1):
            raise PointlessQuestion("the augmentation is not a chain map (an edge's boundary "
                                    "coefficients do not sum to 0): reduced homology is "
                                    "not defined for this complex")
        groups = self.homology()
        h0 = groups[0]
        return [HomologyGroup(h0.rank - 1, h0.torsion)] + groups[1:]

    # ---- subcomplexes -------------------------------------------------------------
    def restrict(self, subcomplex):
        """The chain complex of a subcomplex ``A`` (its cells reindexed in order).

        Parameters
        ----------
        subcomplex : sequence of iterables of int
            ``subcomplex[k]`` holds the indices of the k-cells of ``A`` (missing trailing
            dimensions are empty). ``A`` must be closed under taking boundaries.

        Returns
        -------
        ChainComplex
            Same dimension; ``.cells[k]`` carries the labels of the kept cells.

        Raises
        ------
        InputError
            For indices out of range, or a cell of ``A`` whose boundary leaves ``A``.

        Examples
        --------
        >>> disk = simplicial_complex([(0, 1, 2)])
        >>> circle = disk.restrict([range(3), range(3)])
        >>> circle.cells[1], circle.betti_numbers()
        (((0, 1), (0, 2), (1, 2)), [1, 1, 0])
        """
        keep = self._check_subcomplex(subcomplex)
        return self._select(keep, keep)

    def relative(self, subcomplex):
        """The quotient complex ``C(X) / C(A)`` of a subcomplex ``A``.

        Its k-cells are the k-cells of ``X`` not in ``A`` (reindexed in order), and
        ``∂`` forgets the coefficients on cells of ``A``. Its homology is the relative
        homology ``H_k(X, A)``, which for a CW pair is ``H̃_k(X / A)`` (Hatcher,
        *Algebraic Topology*, §2.1).

        Parameters
        ----------
        subcomplex : sequence of iterables of int
            As in :meth:`restrict`.

        Returns
        -------
        ChainComplex
            ``.cells[k]`` carries the labels of the cells of ``X`` not in ``A``.

        Raises
        ------
        InputError
            If ``A`` is not a subcomplex.

        Examples
        --------
        >>> disk = simplicial_complex([(0, 1, 2)])
        >>> disk.relative([range(3), range(3)]).n_cells
        [0, 0, 1]
        """
        keep = self._check_subcomplex(subcomplex)
        return self._select([~k for k in keep], [~k for k in keep])

    def relative_homology(self, subcomplex):
        """``H_k(X, A)`` for ``k = 0 … d``: the homology of :meth:`relative`.

        Examples
        --------
        A disk modulo its boundary circle is a 2-sphere, reduced:

        >>> disk = simplicial_complex([(0, 1, 2)])
        >>> [str(h) for h in disk.relative_homology([range(3), range(3)])]
        ['0', '0', 'Z']
        """
        return self.relative(subcomplex).homology()

    def _check_subcomplex(self, subcomplex):
        """Boolean masks (one per dimension) of the cells of a subcomplex, validated."""
        if isinstance(subcomplex, (str, bytes, Mapping)) or not hasattr(subcomplex, "__len__"):
            raise InputError("subcomplex must be a list of collections of cell indices, "
                             "one per dimension", field="subcomplex")
        if len(subcomplex) > len(self._n):
            raise InputError(f"subcomplex has {len(subcomplex)} dimensions, the complex "
                             f"{len(self._n)}", field="subcomplex")
        masks = []
        for k, n in enumerate(self._n):
            idx = _index_array(subcomplex[k] if k < len(subcomplex) else (),
                               f"subcomplex[{k}]")
            if idx.size and (idx.min() < 0 or idx.max() >= n):
                c = int(idx[(idx < 0) | (idx >= n)][0])
                raise InputError(f"{k}-cell {c} out of range 0..{n - 1}",
                                 field=f"subcomplex[{k}]")
            mask = np.zeros(n, dtype=bool)
            mask[idx] = True
            if k > 0 and idx.size:
                indptr, indices, _ = self._level(k)
                owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
                bad = mask[owner] & ~masks[k - 1][indices]
                if bad.any():
                    c = int(owner[bad].min())
                    r = int(indices[bad & (owner == c)].min())
                    raise InputError(f"not a subcomplex: {k}-cell {c} has boundary cell "
                                     f"{r} outside it", field=f"subcomplex[{k}]")
            masks.append(mask)
        return masks

    def _select(self, cells, rows):
        """The complex on the cells ``cells[k]`` (masks), each boundary restricted to the
        rows ``rows[k-1]``: a subcomplex (rows = cells) or a quotient (rows = the cells
        kept, coefficients on the others forgotten); cells renumbered in order."""
        levels = [None]
        new_index = [np.cumsum(m) - 1 for m in rows]
        for k in range(1, len(self._n)):
            indptr, indices, data = self._level(k)
            n = self._n[k]
            owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
            keep = cells[k][owner] & rows[k - 1][indices]
            counts = np.bincount(owner[keep], minlength=n)[cells[k]]
            ptr = np.zeros(len(counts) + 1, dtype=np.int64)
            np.cumsum(counts, out=ptr[1:])
            levels.append((ptr, new_index[k - 1][indices[keep]], data[keep]))
        labels = []
        for k, m in enumerate(cells):
            where = np.flatnonzero(m).tolist()
            labels.append(tuple(map(self.cells[k].__getitem__, where)))
        # a subcomplex or quotient of a complex with ∂∂ = 0 has ∂∂ = 0
        return ChainComplex.from_trusted(levels, labels,
                                         zero_square=self._checked or self._zero_square)

    def _column_sums_nonzero(self, k):
        """Whether some column of ``∂_k`` has a nonzero sum of coefficients."""
        indptr, _, data = self._level(k)
        if not data.size:
            return False
        owner = np.repeat(np.arange(self._n[k], dtype=np.int64), np.diff(indptr))
        if data.dtype == object or np.abs(data).max() >= 1 << 31:
            sums = [0] * self._n[k]
            for c, v in zip(owner.tolist(), data.tolist()):
                sums[c] += v
            return any(sums)
        return bool(np.bincount(owner, weights=data.astype(float), minlength=self._n[k]).any())


def simplicial_complex(facets, *, dimension=None):
    """The simplicial chain complex of the complex generated by ``facets``.

    The complex consists of all nonempty subsets (faces) of the given facets. A
    k-simplex ``[v_0, …, v_k]`` is oriented by the sorted order of its vertices and
    ``∂[v_0, …, v_k] = Σ_i (−1)^i [v_0, …, v̂_i, …, v_k]`` (Munkres, *Elements of
    Algebraic Topology*, §5).

    Parameters
    ----------
    facets : iterable of iterables of vertices
        Vertices are any hashable labels that sort consistently (ints, strings, …).
    dimension : int, optional
        Pad the complex with empty levels up to this dimension.

    Returns
    -------
    ChainComplex
        With ``.cells[k]`` the sorted list of k-simplices as sorted vertex tuples.

    Raises
    ------
    InputError
        For an empty facet, a repeated vertex, unsortable labels, or facets of
        dimension above ``dimension``.

    Examples
    --------
    The boundary of a tetrahedron, a 2-sphere:

    >>> S2 = simplicial_complex([(0, 1, 2), (0, 1, 3), (0, 2, 3), (1, 2, 3)])
    >>> S2.n_cells, [str(h) for h in S2.homology()]
    ([4, 6, 4], ['Z', '0', 'Z'])
    >>> S2.cells[1][:3]
    ((0, 1), (0, 2), (0, 3))
    """
    faces = []
    try:
        for i, facet in enumerate(facets):
            if isinstance(facet, (str, bytes)) or not hasattr(facet, "__iter__"):
                raise InputError("a facet must be a collection of vertices",
                                 field=f"facets[{i}]")
            verts = tuple(sorted(facet))
            if not verts:
                raise InputError("empty facet", field=f"facets[{i}]")
            if len(set(verts)) != len(verts):
                raise InputError("repeated vertex in a facet", field=f"facets[{i}]")
            while len(faces) < len(verts):
                faces.append(set())
            for size in range(1, len(verts) + 1):
                faces[size - 1].update(itertools.combinations(verts, size))
        if dimension is not None:
            if len(faces) > dimension + 1:
                raise InputError(f"a facet has dimension {len(faces) - 1} > {dimension}",
                                 field="dimension")
            faces.extend(set() for _ in range(dimension + 1 - len(faces)))
        cells = [sorted(fs) for fs in faces]
    except TypeError as exc:
        raise InputError(f"vertex labels must be hashable and sortable: {exc}",
                         field="facets") from None
    index = [{s: i for i, s in enumerate(cs)} for cs in cells]
    columns = [[{} for _ in cells[0]]] if cells else []
    for k in range(1, len(cells)):
        idx = index[k - 1]
        level = []
        for s in cells[k]:
            level.append({idx[s[:i] + s[i + 1:]]: (-1 if i % 2 else 1)
                          for i in range(k, -1, -1)})
        columns.append(level)
    # ∂∂ = 0 holds for simplicial boundaries by construction
    return ChainComplex.from_trusted(columns, [tuple(cs) for cs in cells], zero_square=True)


# ---------------------------------------------------------------------------------------
# private helpers: construction
# ---------------------------------------------------------------------------------------
def _is_csc(level):
    """Whether a level of :meth:`ChainComplex.from_trusted` is CSC arrays (not dicts)."""
    return isinstance(level, tuple) and len(level) == 3 and isinstance(level[0], np.ndarray)


def _index_array(cells, where):
    """Cell indices as an int64 array: Python or numpy integers only."""
    if isinstance(cells, np.ndarray):
        if cells.size and cells.dtype.kind not in "iu":
            raise InputError(f"cell index must be an integer, got {cells.dtype}", field=where)
        return cells.astype(np.int64).ravel()
    if isinstance(cells, range):
        return np.arange(cells.start, cells.stop, cells.step, dtype=np.int64)
    if isinstance(cells, (str, bytes, Mapping)) or not hasattr(cells, "__iter__"):
        raise InputError("expected a collection of cell indices", field=where)
    cells = list(cells)
    if not all(type(c) is int for c in cells):
        cells = [_as_int(c, where, what="cell index") for c in cells]
    try:
        return np.array(cells, dtype=np.int64).reshape(-1)
    except OverflowError:
        raise InputError("cell index out of range", field=where) from None


def _as_int(x, where, what="coefficient"):
    if isinstance(x, bool) or not isinstance(x, numbers.Integral):
        raise InputError(f"{what} must be an integer, got {x!r}", field=where)
    return int(x)


def _dense_shape(m, where):
    shape = getattr(m, "shape", None)
    if shape is not None:
        if len(shape) != 2:
            raise InputError("a matrix must be 2-dimensional", field=where)
        return int(shape[0]), int(shape[1])
    if isinstance(m, (str, bytes, Mapping)) or not hasattr(m, "__len__"):
        raise InputError("a matrix must be a list of rows", field=where)
    if len(m) == 0:
        return 0, None
    lengths = {len(row) if hasattr(row, "__len__") else -1 for row in m}
    if len(lengths) != 1 or -1 in lengths:
        raise InputError("matrix rows must be lists of equal length", field=where)
    return len(m), lengths.pop()


def _dense_to_columns(m, shape, where):
    nr, nc = shape
    cols = [{} for _ in range(nc)]
    for i in range(nr):
        row = m[i, :] if hasattr(m, "shape") else m[i]
        for j in range(nc):
            v = _as_int(row[j], f"{where}[{i}][{j}]")
            if v:
                cols[j][i] = v
    return cols


def _to_sparse(columns, n_rows):
    """Validated copy of a matrix as ``{col: {row: value}}`` with nonzero columns only."""
    if isinstance(columns, (str, bytes, Mapping)) or not (hasattr(columns, "__iter__")
                                                          or hasattr(columns, "shape")):
        raise TypeError(f"a matrix must be a list of column dicts or a dense integer matrix, "
                        f"got {type(columns).__name__}")
    if n_rows is not None and (isinstance(n_rows, bool) or not isinstance(n_rows, int)
                               or n_rows < 0):
        raise InputError(f"n_rows must be a non-negative integer, got {n_rows!r}",
                         field="n_rows")
    if hasattr(columns, "shape") or (hasattr(columns, "__len__") and len(columns)
                                     and not isinstance(columns[0], Mapping)):
        shape = _dense_shape(columns, "matrix")
        shape = (shape[0], shape[1] or 0)
        cols = _dense_to_columns(columns, shape, "matrix")
        return {j: c for j, c in enumerate(cols) if c}
    out = {}
    for j, col in enumerate(columns):
        if not isinstance(col, Mapping):
            raise InputError("a column must be a dict {row: coefficient}", field=f"columns[{j}]")
        clean = {}
        for r, v in col.items():
            r = _as_int(r, f"columns[{j}]", what="row index")
            if r < 0 or (n_rows is not None and r >= n_rows):
                raise InputError(f"row index {r} out of range", field=f"columns[{j}]")
            v = _as_int(v, f"columns[{j}]")
            if v:
                clean[r] = v
        if clean:
            out[j] = clean
    return out
