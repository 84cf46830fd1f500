"""Integral homology of chain complexes: sparse Smith normal form over Z, exact.

A chain complex is stored as its boundary matrices in a sparse column form: the
boundary map ``∂_k : C_k → C_{k-1}`` is a list over the k-cells of dicts
``{index of a (k-1)-cell: nonzero int coefficient}``. From these, the integral
homology ``H_k = ker ∂_k / im ∂_{k+1} ≅ Z^rank ⊕ Z/t_1 ⊕ … ⊕ Z/t_m`` is computed
exactly: ``rank = n_k − rank ∂_k − rank ∂_{k+1}`` and the ``t_i`` are the invariant
factors ``> 1`` of ``∂_{k+1}``.

The performance core is :func:`_eliminate_units`: boundary matrices of polyhedral
complexes are very sparse with entries ``±1``, and almost all of their Smith form is
found by eliminating unit pivots with a Markowitz choice, before an exact Euclidean
Smith form runs on the small remainder.
"""

__all__ = [
    "HomologyGroup",
    "ChainComplex",
    "simplicial_complex",
    "smith_normal_form",
    "rank_and_torsion",
    "backend",
]

import heapq
import itertools
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass

from .exceptions import InputError, PointlessQuestion

try:  # optional speed backend for the dense remainder; results never depend on it
    import flint as _flint

    _FLINT_MAT = _flint.fmpz_mat if hasattr(_flint.fmpz_mat, "snf") else None
except ImportError:  # pragma: no cover - depends on the environment
    _FLINT_MAT = None

#: largest remainder (rows × columns) handed to python-flint as a dense matrix
_FLINT_MAX_ENTRIES = 4_000_000


def backend():
    """Name the algorithm and arithmetic that compute Smith forms and homology here.

    Returns
    -------
    str
        ``"sparse unit-pivot elimination (Markowitz) + sparse Euclidean SNF (Python ints)"``,
        or with ``"dense SNF (python-flint fmpz_mat)"`` for the remainder when
        python-flint is importable. Every backend is exact; results never depend on it.

    Examples
    --------
    >>> backend().startswith("sparse unit-pivot elimination")
    True
    """
    rest = "dense SNF (python-flint fmpz_mat)" if _FLINT_MAT is not None else \
        "sparse Euclidean SNF (Python ints)"
    return f"sparse unit-pivot elimination (Markowitz) + {rest}"


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
        """The report form ``{"rank": r, "torsion": [t_1, …]}`` with plain ints (SPEC §4)."""
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
    units, rest = _factor_counts(_to_sparse(columns, n_rows))
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
    units, rest = _factor_counts(_to_sparse(columns, n_rows))
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
        self._columns = levels
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
        self._groups = None

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
            raise InputError(f"no boundary matrix ∂_{k} in a complex of dimension "
                             f"{self.dimension}", field="k")
        cols = self._columns[k]
        n_rows = self._n[k - 1] if k > 0 else 0
        if format == "columns":
            return [{r: c[r] for r in sorted(c)} for c in cols]
        if format == "dense":
            dense = [[0] * len(cols) for _ in range(n_rows)]
            for j, col in enumerate(cols):
                for r, v in col.items():
                    dense[r][j] = v
            return dense
        if format == "scipy":
            import numpy as np
            from scipy import sparse

            data, indices, indptr = [], [], [0]
            for col in cols:
                for r in sorted(col):
                    indices.append(r)
                    data.append(col[r])
                indptr.append(len(indices))
            if any(abs(v) >= 2 ** 63 for v in data):
                raise InputError("coefficients do not fit in int64", field="format")
            return sparse.csc_array((np.array(data, dtype=np.int64),
                                     np.array(indices, dtype=np.int64), np.array(indptr)),
                                    shape=(n_rows, len(cols)))
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
        for k in range(2, len(self._columns)):
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
        import numpy as np
        from scipy import sparse

        mats = []
        for j in (k - 1, k):
            cols = self._columns[j]
            lens = [len(c) for c in cols]
            if lens and max(lens) >= 1 << 20:
                return False
            data = [v for c in cols for v in c.values()]
            if data and max(max(data), -min(data)) >= 1 << 20:
                return False
            rows = [r for c in cols for r in c]
            mats.append(sparse.csc_array(
                (np.array(data, dtype=np.int64), np.array(rows, dtype=np.int64),
                 np.concatenate([[0], np.cumsum(lens, dtype=np.int64)])),
                shape=(self._n[j - 1], len(cols))))
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
            self.check_boundary()
            ranks, torsion = _boundary_ranks(self._columns)
            self._groups = tuple(
                HomologyGroup(self._n[k] - ranks[k] - ranks[k + 1], torsion[k + 1])
                for k in range(len(self._n)))
        return list(self._groups)

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
        if len(self._columns) > 1 and any(sum(c.values()) for c in self._columns[1]):
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
        index = [{c: i for i, c in enumerate(ks)} for ks in keep]
        columns = [[{} for _ in keep[0]]]
        for k in range(1, len(keep)):
            columns.append([{index[k - 1][r]: v for r, v in self._columns[k][c].items()}
                            for c in keep[k]])
        cells = [tuple(self.cells[k][c] for c in ks) for k, ks in enumerate(keep)]
        return _trusted(columns, cells)

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
        drop = [set(ks) for ks in keep]
        rest = [[c for c in range(n) if c not in drop[k]] for k, n in enumerate(self._n)]
        index = [{c: i for i, c in enumerate(rs)} for rs in rest]
        columns = [[{} for _ in rest[0]]] if rest else []
        for k in range(1, len(rest)):
            idx = index[k - 1]
            columns.append([{idx[r]: v for r, v in self._columns[k][c].items() if r in idx}
                            for c in rest[k]])
        cells = [tuple(self.cells[k][c] for c in rs) for k, rs in enumerate(rest)]
        return _trusted(columns, cells)

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
        if isinstance(subcomplex, (str, bytes, Mapping)) or not hasattr(subcomplex, "__len__"):
            raise InputError("subcomplex must be a list of collections of cell indices, "
                             "one per dimension", field="subcomplex")
        if len(subcomplex) > len(self._n):
            raise InputError(f"subcomplex has {len(subcomplex)} dimensions, the complex "
                             f"{len(self._n)}", field="subcomplex")
        keep = []
        for k, n in enumerate(self._n):
            cells = set()
            for c in (subcomplex[k] if k < len(subcomplex) else ()):
                c = _as_int(c, f"subcomplex[{k}]", what="cell index")
                if not 0 <= c < n:
                    raise InputError(f"{k}-cell {c} out of range 0..{n - 1}",
                                     field=f"subcomplex[{k}]")
                cells.add(c)
            for c in cells if k > 0 else ():
                missing = [r for r in self._columns[k][c] if r not in keep[k - 1]]
                if missing:
                    raise InputError(f"not a subcomplex: {k}-cell {c} has boundary cell "
                                     f"{min(missing)} outside it", field=f"subcomplex[{k}]")
            keep.append(cells)
        return [sorted(cells) for cells in keep]


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
    cc = _trusted(columns, [tuple(cs) for cs in cells])
    cc._checked = True  # ∂∂ = 0 holds for simplicial boundaries by construction
    return cc


# ---------------------------------------------------------------------------------------
# private helpers: construction
# ---------------------------------------------------------------------------------------
def _trusted(columns, cells):
    """A ChainComplex from already validated columns (skips the O(nnz) validation)."""
    cc = ChainComplex.__new__(ChainComplex)
    cc._columns = columns
    cc._n = [len(c) for c in columns]
    cc.cells = cells
    cc._checked = False
    cc._groups = None
    return cc


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


# ---------------------------------------------------------------------------------------
# private helpers: the elimination (performance core)
# ---------------------------------------------------------------------------------------
def _boundary_ranks(columns):
    """Ranks and torsion of all boundary maps by top-down reduction of the complex.

    Returns ``ranks`` and ``torsion`` indexed ``0 … d+1`` (``∂_0 = ∂_{d+1} = 0``).
    """
    d = len(columns) - 1
    ranks = [0] * (d + 2)
    torsion = [()] * (d + 2)
    above, above_units, cleared = None, 0, frozenset()
    for k in range(d, 0, -1):
        cols = {j: dict(c) for j, c in enumerate(columns[k]) if c and j not in cleared}
        pivots = _eliminate_units(cols)
        if above:  # drop the rows of ∂_{k+1} paired away by pivots of ∂_k
            paired = {c for _, c in pivots}
            _finish(above, above_units, paired, k + 1, ranks, torsion)
        else:
            ranks[k + 1] = above_units
        above, above_units = cols, len(pivots)
        cleared = {r for r, _ in pivots}
    if d >= 1:
        _finish(above or {}, above_units, (), 1, ranks, torsion)
    return ranks, torsion


def _finish(rest, n_units, drop_rows, k, ranks, torsion):
    """Smith form of the remainder of ``∂_k`` once its paired-away rows are dropped."""
    if drop_rows:
        for c in list(rest):
            col = rest[c]
            for r in [r for r in col if r in drop_rows]:
                del col[r]
            if not col:
                del rest[c]
    units, others = _factor_counts(rest)
    ranks[k] = n_units + units + len(others)
    torsion[k] = others


def _factor_counts(cols):
    """Invariant factors of ``{col: {row: v}}`` (consumed): (number of 1s, factors > 1)."""
    units = len(_eliminate_units(cols))
    diagonal = []
    if cols and _FLINT_MAT is not None:
        rows = sorted({r for col in cols.values() for r in col})
        if len(rows) * len(cols) <= _FLINT_MAX_ENTRIES:
            diagonal = _flint_diagonal(cols, rows)
            cols = {}
    while cols:
        diagonal.append(_euclid_pivot(cols))
        units += len(_eliminate_units(cols))
    chain = _divisibility_chain(diagonal)
    ones = sum(1 for t in chain if t == 1)
    return units + ones, tuple(t for t in chain if t > 1)


def _unit_cost(col, rows):
    """Least Markowitz cost over the ±1 entries of a column (None without such entries)."""
    best = None
    lc = len(col) - 1
    for r, v in col.items():
        if v == 1 or v == -1:
            m = (len(rows[r]) - 1) * lc
            if best is None or m < best:
                best = m
                if m == 0:
                    break
    return best


def _eliminate_units(cols):
    """Eliminate ±1 pivots of ``{col: {row: v}}`` in place; return the pivots ``(row, col)``.

    Afterwards ``cols`` holds the Schur complement (nonzero columns only) on the
    remaining rows and columns; its invariant factors together with one 1 per pivot
    are those of the input.

    The queue holds one live entry per column (``stamp`` marks the live one). A
    column changed by an elimination is queued with the cheap estimate
    ``|column| − 1`` (its cost if its best row had two entries) instead of being
    rescanned, so an update costs ``O(|pivot column|)`` whatever the size of the
    column it lands in; the exact cost is computed when the entry comes up, and the
    column is queued again if it got more expensive.
    """
    rows = {}
    for c, col in cols.items():
        for r in col:
            s = rows.get(r)
            if s is None:
                rows[r] = {c}
            else:
                s.add(c)
    heap = []
    stamp = dict.fromkeys(cols, 0)
    for c, col in cols.items():
        m = _unit_cost(col, rows)
        if m is not None:
            heap.append((m, c, 0))
    heapq.heapify(heap)
    pivots = []
    pop, push = heapq.heappop, heapq.heappush
    while heap:
        cost, c, st = pop(heap)
        col = cols.get(c)
        if col is None or stamp[c] != st:
            continue
        lc = len(col) - 1
        r = best = None
        for rr, v in col.items():
            if v == 1 or v == -1:
                m = (len(rows[rr]) - 1) * lc
                if best is None or m < best:
                    r, best = rr, m
                    if m == 0:
                        break
        if r is None:
            continue
        if best > cost:  # it got more expensive since it was queued: queue it again
            push(heap, (best, c, st))
            continue
        p = col[r]
        del cols[c]
        for rr in col:
            rows[rr].discard(c)
        for c2 in rows.pop(r):
            col2 = cols[c2]
            f = col2.pop(r) * p  # column c2 -= (a_{r,c2} / p) · column c, and 1/p = p
            for rr, v in col.items():
                if rr == r:
                    continue
                old = col2.get(rr)
                if old is None:
                    col2[rr] = -f * v
                    rows[rr].add(c2)
                else:
                    nv = old - f * v
                    if nv:
                        col2[rr] = nv
                    else:
                        del col2[rr]
                        rows[rr].discard(c2)
            if col2:
                st2 = stamp[c2] + 1
                stamp[c2] = st2
                push(heap, (len(col2) - 1, c2, st2))
            else:
                del cols[c2]
        pivots.append((r, c))
    return pivots


def _euclid_pivot(cols):
    """Split off one diagonal entry of ``{col: {row: v}}`` (in place) by Euclidean steps.

    Starts at an entry of least absolute value; reduces its row (column operations)
    and its column (row operations) modulo the pivot; while a nonzero remainder is
    left, moves to the smallest one. Returns the isolated pivot's absolute value and
    removes its row and column.
    """
    rows = {}
    for c, col in cols.items():
        for r in col:
            rows.setdefault(r, set()).add(c)
    _, _, r, c = min((abs(v), len(rows[r]) * len(col), r, c)
                     for c, col in cols.items() for r, v in col.items())
    while True:
        p = cols[c][r]
        for c2 in [x for x in rows[r] if x != c]:  # column operations clear row r
            q = cols[c2][r] // p
            if q:
                _add_column(cols, rows, c2, c, -q)
        pcol = cols[c]
        for r2 in [x for x in pcol if x != r]:  # row operations clear column c
            q = pcol[r2] // p
            if q:
                for c3 in list(rows[r]):
                    _add_entry(cols, rows, c3, r2, -q * cols[c3][r])
        left = [(abs(cols[c2][r]), c2, r) for c2 in rows[r] if c2 != c]
        left += [(abs(v), c, r2) for r2, v in cols[c].items() if r2 != r]
        if not left:
            break
        _, c, r = min(left)
    del cols[c]
    for c2 in list(cols):  # drop emptied columns
        if not cols[c2]:
            del cols[c2]
    return abs(p)


def _add_column(cols, rows, dst, src, q):
    """Column ``dst += q · column src``."""
    for r, v in list(cols[src].items()):
        _add_entry(cols, rows, dst, r, q * v)


def _add_entry(cols, rows, c, r, x):
    """``a[r, c] += x`` keeping the row index in step."""
    col = cols[c]
    nv = col.get(r, 0) + x
    if nv:
        if r not in col:
            rows.setdefault(r, set()).add(c)
        col[r] = nv
    elif r in col:
        del col[r]
        rows[r].discard(c)


def _flint_diagonal(cols, rows):
    """Nonzero diagonal of the Smith form by python-flint (dense ``fmpz_mat.snf``)."""
    where = {r: i for i, r in enumerate(rows)}
    order = list(cols)
    flat = [0] * (len(rows) * len(order))
    for j, c in enumerate(order):
        for r, v in cols[c].items():
            flat[where[r] * len(order) + j] = v
    snf = _FLINT_MAT(len(rows), len(order), flat).snf()
    diag = (int(snf[i, i]) for i in range(min(len(rows), len(order))))
    return [abs(x) for x in diag if x]


def _divisibility_chain(diagonal):
    """Invariant factors of a diagonal matrix: ``diag(a, b) ~ diag(gcd, lcm)`` pairwise.

    For every prime this sorts the exponents (a selection sort run on all primes at
    once), so the result is in divisibility order; 1s may appear. ``O(t^2)`` gcds for
    ``t`` entries, ``O(t)`` when the sorted entries already divide each other.
    """
    d = sorted(diagonal)
    if all(b % a == 0 for a, b in zip(d, d[1:])):
        return d
    for i in range(len(d)):
        for j in range(i + 1, len(d)):
            a, b = d[i], d[j]
            if b % a:
                g = math.gcd(a, b)
                d[i], d[j] = g, a // g * b
    return d
