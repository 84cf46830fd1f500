"""The polyhedral complex value :class:`CellComplex` (cells, labels, boundaries, homology,
volumes); built for a network by :func:`polytopo.complex.build.canonical_complex`."""

__all__ = ["Cell", "RegionCell", "CellComplex", "check_complex", "check_cell", "check_subcomplex"]

import itertools
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

import numpy as np

from . import engine as _engine
from . import labels as _labels
from . import plan as _plan
from . import state as _finished
from . import orientation as _orientation
from . import refine as _refine
from ..runtime import checks as _validate
from ..geometry.exact import ratio as _ratio, reduced_ratios, to_fraction, to_vector
from ..geometry.integer import as_matrix, shrink
from ..exceptions import InputError, PointlessQuestion
from ..geometry.polytope import check_polytope
from ..topology.homology import ChainComplex


#: vertices whose output values are computed at once (:meth:`CellComplex.refine_by_output`)
OUTPUT_CHUNK = 1 << 15

#: how the complex is computed, for reports
METHOD = "exact incremental face-lattice refinement (integer homogeneous coordinates)"


class Cell(NamedTuple):
    """A cell of a :class:`CellComplex`: its dimension and its index among the cells of
    that dimension (in the complex's canonical order). A plain ``(k, i)`` tuple works too."""

    dim: int
    index: int


@dataclass(frozen=True)
class RegionCell:
    """A top-dimensional cell of a :class:`CellComplex` (an activation region when the
    complex is refined by hidden neurons only).

    Attributes
    ----------
    index : int
        Index among the top cells (canonical order: sorted by ``label``).
    pattern : str
        Signs over the hidden neurons, layer-major: ``+``/``-`` the sign of the
        pre-activation on the interior, ``0`` when the neuron is identically zero there.
    label : str
        Signs over every function the complex was refined by (hidden neurons first,
        then e.g. the output or hyperplanes), same alphabet.
    interior_point : tuple of Fraction
        The centroid of the vertices: an exact interior point.
    vertices : tuple of tuple of Fraction
        The exact vertices, in the complex's vertex order.
    volume : Fraction or None
        Exact volume (``None`` when not asked for).
    """

    index: int
    pattern: str
    label: str
    interior_point: tuple
    vertices: tuple
    volume: Fraction | None

    def __repr__(self):
        return (f"RegionCell({self.pattern!r}, n_vertices={len(self.vertices)}, "
                f"volume={self.volume})")


class CellComplex:
    """A polyhedral complex in ``R^d`` with exact vertices, refined by cell-wise affine functions.

    Every cell is the convex hull of its vertices and is identified by its vertex set;
    cells meet face to face. Each cell carries a label: the sign (−1, 0, +1) of every
    function the complex was refined by, on the cell's relative interior. The complex
    starts as the face complex of a polytope (:meth:`from_polytope`, :meth:`from_box`)
    and is refined by :meth:`refine`, :meth:`refine_by_hyperplane`,
    :meth:`refine_by_output`; :func:`canonical_complex` builds the canonical
    polyhedral complex of a ReLU network (``docs/definitions.md``).

    A ``CellComplex`` is immutable from the outside: refinements return new complexes.
    Cells are referred to as :class:`Cell` ``(k, i)``; cells of each dimension are in a
    canonical order (sorted by label string, then by sorted vertex indices, vertices by
    label string then exact coordinates), which depends only on the complex and its
    labels, never on the order in which cells were created.

    Examples
    --------
    >>> C = CellComplex.from_box([-1, -1], [1, 1])
    >>> C.f_vector(), C.euler_characteristic()
    ([4, 4, 1], 1)
    >>> D = C.refine_by_hyperplane([1, 0], 0)          # the line x = 0
    >>> D.f_vector(), [r.label for r in D.regions()]
    ([6, 7, 2], ['+', '-'])
    >>> [str(h) for h in D.homology()]
    ['Z', '0', '0']
    """

    # ---- construction ---------------------------------------------------------------
    def __init__(self, *, _state):
        st = _state
        self._d, self._lab = st.d, st.lab
        # the vertices: an integer array (the engine's) or a list of tuples; the other form
        # is made when first needed (:attr:`_hom`, :meth:`homogeneous_vertices`)
        if isinstance(st.hom, np.ndarray):
            self._hom_rows, self._hom_array = None, st.hom
        else:
            self._hom_rows, self._hom_array = st.hom, None
        self._nv = len(st.hom)
        self._fp, self._fi = st.fp, st.fi
        self._funcs, self._network = st.funcs, st.network
        self._hidden_pos = [j for j, f in enumerate(self._funcs) if f[0] in ("neuron", "unit")]
        self._hidden = len(self._hidden_pos)
        self._cols = self._cc = self._vsets = self._cofs = self._fl = None
        # the cells' oriented planes (with the boundary), and what a refined complex can
        # take from the complex it refines (see orientation.boundary_arrays)
        self._planes = self._origin = None
        self._vcsr = getattr(st, "vcsr", None)   # the canonical order computes it on the way
        self._points = self._top_texts = None
        self._hview = None

    @property
    def _hom(self):
        """The primitive homogeneous vertex rows as a list of tuples of Python ints."""
        if self._hom_rows is None:
            self._hom_rows = list(map(tuple, self._hom_array.tolist()))
        return self._hom_rows

    def engine_state(self):
        """The complex as the refinement engine's :class:`~polytopo.complex.state.State`
        (shares the arrays; for the builders of :mod:`polytopo.complex`, not an API)."""
        hom = self._hom_array if self._hom_array is not None else self._hom_rows
        return _finished.State(self._d, hom, self._lab, self._fp, self._fi,
                               list(self._funcs), self._network)

    @classmethod
    def _from_lattice(cls, points, faces):
        """``points``: exact vertex coordinates; ``faces[k]``: list of (vertex set, facet ids)."""
        d = len(faces) - 1
        H = as_matrix([_homogeneous(p) for p in points], d + 1)
        L = np.zeros((len(points), 1), dtype=np.uint8)
        fac = [None] + [[tuple(f) for _, f in faces[k]] for k in range(1, d + 1)]
        with _no_gc():
            return cls(_state=_finished.finalize(d, H, L, fac, 0, [], None))

    @classmethod
    def from_polytope(cls, polytope):
        """The face complex of a bounded, full-dimensional polytope: all its faces.

        The faces are the vertex sets ``F ∩ H`` obtained by intersecting facets; the
        facets of a face ``F`` are the maximal sets ``F ∩ H`` over the facets ``H ⊉ F``
        of the polytope (Ziegler, *Lectures on Polytopes*, §2.1).

        Parameters
        ----------
        polytope : Polytope

        Returns
        -------
        CellComplex
            With no labels yet (``n_functions == 0``).

        Raises
        ------
        InputError
            If the polytope is empty, lower-dimensional or unbounded.

        Examples
        --------
        >>> from polytopo.geometry.polytope import Polytope
        >>> T = Polytope.from_lists([[-1, 0], [0, -1], [1, 1]], [0, 0, 1])
        >>> CellComplex.from_polytope(T).f_vector()
        [3, 3, 1]
        """
        check_polytope(polytope, "polytope")
        polytope.validated()
        verts = polytope.vertices()
        hyper = polytope.facet_incidence()
        d = polytope.dim
        ids = [dict() for _ in range(d + 1)]  # face (vertex set) -> id, in insertion order
        facets_of = [dict() for _ in range(d + 1)]
        ids[d][frozenset(range(len(verts)))] = 0
        for k in range(d, 0, -1):
            for face in ids[k]:
                cands = {face & h for h in hyper if not face <= h}
                cands.discard(frozenset())
                facets = sorted((c for c in cands if not any(c < o for o in cands)), key=sorted)
                if k == 1:  # 0-cells are indexed by vertex number
                    facets_of[k][face] = [i for (i,) in facets]
                else:
                    facets_of[k][face] = [_setdefault_id(ids[k - 1], c) for c in facets]
        faces = [None] + [[(face, facets_of[k][face]) for face in ids[k]] for k in range(1, d + 1)]
        return cls._from_lattice(verts, faces)

    @classmethod
    def from_box(cls, lo, hi):
        """The face complex of the box ``∏ [lo_i, hi_i]``: ``2^{d−k} C(d, k)`` k-faces.

        Built combinatorially (no LP): a face chooses, per coordinate, the lower bound,
        the upper bound or the whole interval.

        Parameters
        ----------
        lo, hi : sequences of exact numbers, ``lo_i < hi_i``

        Raises
        ------
        InputError
            For bounds of different lengths or an empty box.

        Examples
        --------
        >>> CellComplex.from_box([0, 0, 0], [1, 1, 1]).f_vector()
        [8, 12, 6, 1]
        """
        lo, hi = to_vector(lo, field="lo"), to_vector(hi, field="hi")
        if len(lo) != len(hi) or not lo:
            raise InputError("box bounds must have the same, positive, length")
        if any(not a < b for a, b in zip(lo, hi)):
            raise InputError("empty box: every lower bound must be below its upper bound")
        d = len(lo)
        points = [tuple(hi[i] if e else lo[i] for i, e in enumerate(bits))
                  for bits in itertools.product((0, 1), repeat=d)]
        # faces: t in {0, 1, 2}^d (2 = free coordinate)
        ids = [dict() for _ in range(d + 1)]
        faces = [[] for _ in range(d + 1)]
        for t in itertools.product((0, 1, 2), repeat=d):
            k = t.count(2)
            ids[k][t] = len(faces[k])
            faces[k].append(t)
        out = [None]
        for k in range(1, d + 1):
            level = []
            for t in faces[k]:
                free = [i for i, x in enumerate(t) if x == 2]
                verts = frozenset(
                    sum(bit << (d - 1 - i) for i, bit in enumerate(_fill(t, bits)))
                    for bits in itertools.product((0, 1), repeat=k))
                facet_ids = [ids[k - 1][t[:i] + (e,) + t[i + 1:]] for i in free for e in (0, 1)]
                if k == 1:  # 0-cells are indexed by vertex number
                    facet_ids = [sum(x << (d - 1 - i) for i, x in
                                     enumerate(faces[0][f])) for f in facet_ids]
                level.append((verts, facet_ids))
            out.append(level)
        return cls._from_lattice(points, out)

    # ---- refinement -----------------------------------------------------------------
    def refine(self, g, *, name="function"):
        """Refine by a continuous function ``g`` that is affine on every cell.

        Every cell ``P`` is replaced by the cells ``P ∩ {g ≥ 0}``, ``P ∩ {g = 0}``,
        ``P ∩ {g ≤ 0}`` and their faces, and every cell's label gains the sign of ``g``
        on its relative interior.

        Parameters
        ----------
        g : callable or sequence
            Either ``g(x)`` for an exact point ``x`` (a tuple of Fractions), returning an
            exact number; or the values of ``g`` at :meth:`vertices`, in order.
            ``g`` must be affine on each cell (this is not checked).
        name : str
            Recorded in :attr:`functions`.

        Returns
        -------
        CellComplex
            A new complex; ``self`` is unchanged.

        Raises
        ------
        InputError
            If a sequence of values has the wrong length or non-numeric entries.

        Examples
        --------
        >>> C = CellComplex.from_box([-1, -1], [1, 1]).refine(lambda x: x[0] - 1)
        >>> C.f_vector(), C.label(Cell(2, 0))     # g ≤ 0, zero on an edge
        ([4, 4, 1], (-1,))
        >>> sorted(C.label(c) for c in C.cells(1))
        [(-1,), (-1,), (-1,), (0,)]

        Notes
        -----
        Values are taken at the vertices only. A cell whose vertices have both strict
        signs is split: one new vertex per edge with endpoints of opposite signs, by
        exact interpolation, then cells are split bottom-up by dimension (see
        :func:`canonical_complex`). Cost: linear in the number of vertices and edges,
        plus the cells around the zero set of ``g``.
        """
        points = self.vertices()
        if callable(g):
            vals = [to_fraction(g(p), field="g(x)") for p in points]
        else:
            vals = list(g)
            if len(vals) != len(points):
                raise InputError(f"{len(vals)} values for {len(points)} vertices", field="g")
            vals = [to_fraction(v, field=f"g[{i}]") for i, v in enumerate(vals)]
        return self._refined([v * h[-1] for v, h in zip(vals, self._hom)],
                             ("function", name))

    def _refined(self, G, descriptor):
        """A copy refined by homogeneous vertex values ``G`` (ints or Fractions)."""
        if any(type(v) is not int for v in G):  # a common positive factor keeps every sign
            G = [Fraction(v) for v in G]
            m = math.lcm(*(v.denominator for v in G))
            G = [int(v * m) for v in G]
        return self._refined_values(as_matrix([(g,) for g in G], 1)[:, 0], descriptor)

    def _refined_values(self, G, descriptor):
        """A copy refined by a numpy column of integer homogeneous vertex values: the
        engine's insertion step on the finished complex's arrays (:mod:`.refine`), then
        the canonical order."""
        with _no_gc():
            H, L, fac, parent, rows = _refine.refine_arrays(
                self._d, self.homogeneous_vertices(), self._lab[0], self._fp, self._fi,
                self._vertex_csr(), G, len(self._funcs))
            state = _finished.finalize(self._d, H, L, fac, len(self._funcs) + 1,
                                       self._funcs + [descriptor], self._network,
                                       reduced=True, vertex_rows=rows)
        R = CellComplex(_state=state)
        if self._cols is not None and self._planes is not None:
            # the orientations and incidences of the cells that only got smaller
            R._origin = ([p[o] for p, o in zip(parent, state.orders)], self._planes,
                         self._cols)
        return R

    def _refined_by_engine(self, G, descriptor):
        """:meth:`_refined_values` by the refinement engine's builder (the reference the
        array version is tested against)."""
        with _no_gc():
            builder = _finished.builder_from_state(self.engine_state(), len(self._funcs) + 1)
            builder.insert(G)
            state = _finished.builder_state(builder, self._funcs + [descriptor], self._network)
        return CellComplex(_state=state)

    def refine_by_hyperplane(self, a, c):
        """Refine by the global affine function ``x ↦ a·x + c``.

        Parameters
        ----------
        a : sequence of exact numbers, length ``d``
        c : exact number

        Returns
        -------
        CellComplex

        Raises
        ------
        InputError
            For a normal of the wrong length.

        Examples
        --------
        >>> C = CellComplex.from_box([-1, -1], [1, 1]).refine_by_hyperplane([1, 1], 0)
        >>> C.f_vector()     # the diagonal through two corners
        [4, 5, 2]
        """
        a = to_vector(a, field="a")
        c = to_fraction(c, field="c")
        if len(a) != self._d:
            raise InputError(f"normal has {len(a)} coordinates, the complex lives in R^{self._d}",
                             field="a")
        ai, ci = _integer_row(a, c)
        return self._refined([sum(x * y for x, y in zip(ai, h)) + ci * h[-1] for h in self._hom],
                             ("hyperplane", a, c))

    def refine_by_output(self, network):
        """Refine the canonical complex of ``network`` by its (scalar) output's sign.

        The result has the decision sets ``{f ≥ 0}``, ``{f = 0}``, ``{f ≤ 0}`` as
        subcomplexes (``docs/definitions.md``, decision sets); see
        :meth:`decision_subcomplex`.

        Raises
        ------
        PointlessQuestion
            If the output is not scalar.
        InputError
            If this complex is not the canonical complex of ``network`` (the output is
            affine on cells only after every hidden neuron is inserted).

        Examples
        --------
        >>> from polytopo.network import Network
        >>> from polytopo.complex.build import canonical_complex
        >>> from polytopo.geometry.polytope import Polytope
        >>> net = Network.from_lists([([[1, 0], [-1, 0]], [0, 0]), ([[1, 1]], ["-1/2"])])
        >>> C = canonical_complex(net, Polytope.cube(2)).refine_by_output(net)
        >>> C.f_vector()
        [10, 13, 4]
        """
        if network.output_dim != 1:
            raise PointlessQuestion(f"decision sets need a scalar output, the network has "
                                    f"{network.output_dim} outputs")
        if self._network is None or self._network != network or \
                [tuple(f) for f in self._funcs] != _plan.pattern_functions(network):
            raise InputError("refine_by_output needs the canonical complex of this network "
                             "(every hidden neuron inserted, nothing else)")
        # the output at every vertex, exactly and at once: integer layers (each a positive
        # multiple of the network's) on the homogeneous coordinates, as the build does
        # (in chunks of vertices: the hidden layers' values of all vertices at once would
        # take width × f_0 integers)
        d = self._d
        H = self.homogeneous_vertices()
        layers = _plan.unit_program(network)
        parts = []
        for a in range(0, max(len(H), 1), OUTPUT_CHUNK):
            Z, w = H[a:a + OUTPUT_CHUNK, :d], H[a:a + OUTPUT_CHUNK, d]
            for li in range(len(layers)):
                Z = _plan.carry_values(layers, li, Z, w)
            parts.append(Z[:, 0])
        if any(p.dtype == object for p in parts):
            out = shrink(np.concatenate([p.astype(object) for p in parts]))
        else:
            out = np.concatenate(parts)
        return self._refined_values(out, ("output",))

    # ---- queries ----------------------------------------------------------------------
    @property
    def dim(self):
        """The dimension ``d`` of the complex (and of the ambient space)."""
        return self._d

    @property
    def functions(self):
        """The functions the complex was refined by, in order: ``("neuron", layer, j)``
        (layer from 1), ``("output",)``, ``("hyperplane", a, c)`` or ``("function", name)``."""
        return tuple(self._funcs)

    @property
    def network(self):
        """The network whose neurons (and output) were inserted, or ``None`` for a complex
        built from a domain and refined by other functions only."""
        return self._network

    @property
    def n_functions(self):
        """Number of functions inserted (the length of every label)."""
        return len(self._funcs)

    @property
    def n_regions(self):
        """Number of top-dimensional cells."""
        return len(self._fp[self._d]) - 1

    def __repr__(self):
        return (f"CellComplex(dim={self._d}, f_vector={self.f_vector()}, "
                f"n_functions={len(self._funcs)})")

    def f_vector(self):
        """``[f_0, …, f_d]``: the number of cells of each dimension, boundary included.

        Examples
        --------
        >>> CellComplex.from_box([0], [1]).f_vector()
        [2, 1]
        """
        return [self._nv] + [len(self._fp[k]) - 1 for k in range(1, self._d + 1)]

    def euler_characteristic(self):
        """``χ = Σ_k (−1)^k f_k``; 1 for a complex subdividing a polytope.

        Examples
        --------
        >>> CellComplex.from_box([0, 0, 0, 0], [1, 1, 1, 1]).euler_characteristic()
        1
        """
        return sum((-1) ** k * n for k, n in enumerate(self.f_vector()))

    def cells(self, k):
        """The k-cells, in canonical order.

        Examples
        --------
        >>> CellComplex.from_box([0], [1]).cells(0)
        [Cell(dim=0, index=0), Cell(dim=0, index=1)]
        """
        k = self._check_dim(k)
        return [Cell(k, i) for i in range(self._count(k))]

    def vertices(self):
        """The exact coordinates of the 0-cells, in order.

        Examples
        --------
        >>> CellComplex.from_box([0], ["1/2"]).vertices()
        ((Fraction(0, 1),), (Fraction(1, 2),))
        """
        if self._points is None:
            self._points = tuple(_point(h) for h in self._hom)
        return self._points

    def homogeneous_vertices(self):
        """The vertices in integer homogeneous coordinates, all at once.

        Row ``v`` is ``(X_1, …, X_d, w)`` with ``w > 0`` and coprime entries: vertex ``v``
        is ``X / w`` (:meth:`vertices` gives the Fractions). The exact form the engine
        computes with, for vectorized exact work on the vertices.

        Returns
        -------
        numpy.ndarray, shape (f_0, d + 1), read-only
            ``int64`` when every entry is below ``2**62`` in absolute value, else
            ``object`` (Python ints).

        Examples
        --------
        >>> CellComplex.from_box([0, "1/3"], ["1/2", 1]).homogeneous_vertices().tolist()
        [[0, 1, 3], [0, 1, 1], [3, 2, 6], [1, 2, 2]]
        """
        if self._hview is None:
            H = self._hom_array if self._hom_array is not None else \
                as_matrix(self._hom_rows, self._d + 1)
            H = H.view()
            H.flags.writeable = False
            self._hview = H
        return self._hview

    def cell_vertices(self, k):
        """The vertices of all the k-cells at once, as compressed sparse rows.

        Returns
        -------
        (indptr, indices) : read-only int64 arrays
            The vertices of k-cell ``i`` are ``indices[indptr[i]:indptr[i + 1]]``, sorted
            (what :meth:`vertices_of` gives for one cell).

        Examples
        --------
        >>> ptr, idx = CellComplex.from_box([0, 0], [1, 1]).cell_vertices(1)
        >>> [idx[a:b].tolist() for a, b in zip(ptr[:-1], ptr[1:])]
        [[0, 1], [0, 2], [1, 3], [2, 3]]
        """
        k = self._check_dim(k)
        return _read_only(self._vertex_csr()[k])

    def facet_incidence(self, k):
        """The facets of all the k-cells at once, as compressed sparse rows.

        Returns
        -------
        (indptr, indices) : read-only int64 arrays
            The facets, (k−1)-cells, of k-cell ``i`` are ``indices[indptr[i]:indptr[i + 1]]``,
            sorted (what :meth:`facets_of` gives for one cell); a 0-cell has none.
            ``scipy.sparse.csr_array((np.ones(len(indices)), indices, indptr))`` is the
            incidence matrix.

        Examples
        --------
        >>> C = CellComplex.from_box([0, 0], [1, 1])
        >>> ptr, idx = C.facet_incidence(2)
        >>> ptr.tolist(), idx.tolist(), [f.index for f in C.facets_of((2, 0))]
        ([0, 4], [0, 1, 2, 3], [0, 1, 2, 3])
        """
        k = self._check_dim(k)
        if k == 0:
            return _read_only((np.zeros(self._nv + 1, dtype=np.int64),
                               np.zeros(0, dtype=np.int64)))
        return _read_only((self._fp[k], self._fi[k]))

    def vertices_of(self, cell):
        """Indices of the 0-cells of a cell, sorted.

        Examples
        --------
        >>> CellComplex.from_box([0, 0], [1, 1]).vertices_of((2, 0))
        (0, 1, 2, 3)
        """
        k, i = self._cell(cell)
        return self._vertex_sets()[k][i]

    def facets_of(self, cell):
        """The (k−1)-cells on the boundary of a k-cell.

        Examples
        --------
        >>> CellComplex.from_box([0], [1]).facets_of((1, 0))
        (Cell(dim=0, index=0), Cell(dim=0, index=1))
        """
        k, i = self._cell(cell)
        if k == 0:
            return ()
        p, f = self._facet_lists(k)
        return tuple(Cell(k - 1, x) for x in f[p[i]:p[i + 1]])

    def cofacets_of(self, cell):
        """The (k+1)-cells having this k-cell as a facet (one or two for a (d−1)-cell).

        Examples
        --------
        >>> CellComplex.from_box([0], [1]).cofacets_of((0, 1))
        (Cell(dim=1, index=0),)
        """
        k, i = self._cell(cell)
        if k == self._d:
            return ()
        p, c = self._cofacets()[k]
        return tuple(Cell(k + 1, x) for x in c[p[i]:p[i + 1]].tolist())

    def faces_of(self, cell):
        """The closure of a cell: all its faces, itself included, as a subcomplex.

        Returns
        -------
        list of frozenset of int
            Entry ``k`` holds the indices of the k-faces (see :meth:`closure`).

        Examples
        --------
        >>> CellComplex.from_box([0, 0], [1, 1]).faces_of((1, 0))
        [frozenset({0, 1}), frozenset({0}), frozenset()]
        """
        return self.closure([cell])

    def label(self, cell):
        """Signs (−1, 0, +1) of every inserted function on the cell's relative interior.

        Examples
        --------
        >>> C = CellComplex.from_box([-1], [1]).refine_by_hyperplane([1], 0)
        >>> [C.label(c) for c in C.cells(0)]
        [(1,), (-1,), (0,)]
        """
        k, i = self._cell(cell)
        return _labels.label_tuple(self._lab[k][i], len(self._funcs))

    def label_string(self, cell):
        """The label as a string over ``+ - 0`` (the order cells are sorted by).

        Examples
        --------
        >>> C = CellComplex.from_box([-1], [1]).refine_by_hyperplane([1], 0)
        >>> [C.label_string(c) for c in C.cells(1)]
        ['+', '-']
        """
        k, i = self._cell(cell)
        return self._text(k, i)

    def pattern(self, cell):
        """The label restricted to hidden neurons: the activation pattern of the cell.

        ``0`` marks a neuron whose pre-activation is zero on the cell's relative interior.

        Examples
        --------
        >>> from polytopo.network import Network
        >>> from polytopo.complex.build import canonical_complex
        >>> from polytopo.geometry.polytope import Polytope
        >>> net = Network.from_lists([([[1]], [0]), ([[1]], [0])])
        >>> C = canonical_complex(net, Polytope.box([-1], [1]))
        >>> [C.pattern(c) for c in C.cells(0)]
        ['+', '-', '0']
        """
        k, i = self._cell(cell)
        return self._pattern_of(self._text(k, i))

    def pattern_signs(self, k):
        """The activation patterns of all k-cells at once: an ``int8`` array, row ``i`` the
        signs (``1``, ``-1``, ``0``) of the hidden neurons on cell ``(k, i)``.

        Examples
        --------
        >>> from polytopo.network import Network
        >>> from polytopo.complex.build import canonical_complex
        >>> from polytopo.geometry.polytope import Polytope
        >>> net = Network.from_lists([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])
        >>> canonical_complex(net, Polytope.box([-1], [1])).pattern_signs(1).tolist()
        [[1, -1], [-1, 1]]
        """
        k = self._check_dim(k)
        lab = self._lab[k]
        if not self._hidden_pos:
            return np.zeros((len(lab), 0), dtype=np.int8)
        return _labels.all_function_signs(lab, self._hidden_pos)

    def relative_interior_point(self, cell):
        """An exact point of the cell's relative interior: the centroid of its vertices.

        Examples
        --------
        >>> CellComplex.from_box([0, 0], [1, 1]).relative_interior_point((2, 0))
        (Fraction(1, 2), Fraction(1, 2))
        """
        k, i = self._cell(cell)
        return _hom_centroid([self._hom[v] for v in self._vertex_sets()[k][i]])

    def closure(self, cells):
        """The smallest subcomplex containing the given cells.

        Parameters
        ----------
        cells : iterable of Cell or (k, i) pairs

        Returns
        -------
        list of frozenset of int
            ``d + 1`` entries; entry ``k`` holds the indices of the k-cells of the
            subcomplex. This is the ``subcomplex`` format of :meth:`chain_complex` and
            of :class:`polytopo.topology.homology.ChainComplex`.

        Examples
        --------
        >>> CellComplex.from_box([0], [1]).closure([(0, 1)])
        [frozenset({1}), frozenset()]
        """
        marks = [np.zeros(self._count(k), dtype=bool) for k in range(self._d + 1)]
        for cell in cells:
            k, i = self._cell(cell)
            marks[k][i] = True
        return self._closure_of_marks(marks)

    def subcomplex_where(self, predicate, *, dim=None):
        """The closure of the cells whose label satisfies ``predicate``.

        Parameters
        ----------
        predicate : callable
            Called with a label (tuple of signs, see :meth:`label`).
        dim : int, optional
            Only test the cells of this dimension (e.g. ``d``: a union of closed regions).

        Returns
        -------
        list of frozenset of int
            A subcomplex (see :meth:`closure`).

        Examples
        --------
        >>> C = CellComplex.from_box([-1], [1]).refine_by_hyperplane([1], 0)
        >>> C.subcomplex_where(lambda s: s[0] >= 0)
        [frozenset({0, 2}), frozenset({0})]
        """
        dims = range(self._d + 1) if dim is None else [self._check_dim(dim)]
        n = len(self._funcs)
        marks = [np.zeros(self._count(k), dtype=bool) for k in range(self._d + 1)]
        for k in dims:
            cache = {}
            hits = []
            for row in map(bytes, self._lab[k]):
                x = cache.get(row)
                if x is None:
                    x = cache[row] = bool(predicate(_labels.label_tuple(row, n)))
                    if len(cache) > 4096:
                        cache.clear()
                hits.append(x)
            marks[k][:] = hits
        return self._closure_of_marks(marks)

    def decision_subcomplex(self, which):
        """A decision set ``{f ≥ 0}``, ``{f ≤ 0}`` or ``{f = 0}`` as a subcomplex.

        Needs the complex refined by the output (:meth:`refine_by_output`, or
        :func:`canonical_complex` with ``output=True``).

        Parameters
        ----------
        which : {"positive", "negative", "zero"}

        Raises
        ------
        PointlessQuestion
            If the complex was not refined by a scalar output.
        InputError
            For another ``which``.

        Examples
        --------
        >>> from polytopo.network import Network
        >>> from polytopo.complex.build import canonical_complex
        >>> from polytopo.geometry.polytope import Polytope
        >>> net = Network.from_lists([([[1], [-1]], [0, 0]), ([[1, 1]], [-1])])
        >>> C = canonical_complex(net, Polytope.box([-2], [2]), output=True)
        >>> zero = C.decision_subcomplex("zero")          # f(x) = |x| - 1
        >>> sorted(C.vertices()[i] for i in zero[0]), zero[1]
        ([(Fraction(-1, 1),), (Fraction(1, 1),)], frozenset())
        >>> [str(h) for h in C.homology(C.decision_subcomplex("positive"))]
        ['Z^2', '0']
        """
        pos = [j for j, f in enumerate(self._funcs) if f[0] == "output"]
        if not pos:
            raise PointlessQuestion("the complex is not refined by a scalar output")
        j = pos[-1]
        tests = {"positive": (0, 1), "negative": (0, -1), "zero": (0,)}
        if which not in tests:
            raise InputError(f"unknown decision set {which!r}: positive, negative or zero",
                             field="which")
        marks = [np.isin(_labels.function_signs(self._lab[k], j), tests[which])
                 for k in range(self._d + 1)]
        return self._closure_of_marks(marks)

    def regions(self, *, volumes=True):
        """The top-dimensional cells with pattern, interior point, vertices and volume.

        Parameters
        ----------
        volumes : bool
            Compute exact volumes (by a pulling triangulation of each cell).

        Returns
        -------
        list of RegionCell
            In canonical order: sorted by label string (``+`` < ``-`` < ``0``); with
            hidden neurons only, these are the activation regions sorted by pattern.

        Examples
        --------
        >>> C = CellComplex.from_box([0, 0], [2, 1]).refine_by_hyperplane([1, 0], -1)
        >>> [(r.label, r.volume) for r in C.regions()]
        [('+', Fraction(1, 1)), ('-', Fraction(1, 1))]

        Notes
        -----
        The volume sums ``|det|/d!`` over the simplices of a pulling triangulation
        (De Loera, Rambau, Santos, *Triangulations*, §4.3) of the cell's face lattice.
        """
        d = self._d
        points = self.vertices()
        vsets = self._vertex_sets()[d]
        texts, patterns, centroids, vols = self.region_fields(volumes)
        return [RegionCell(i, patterns[i], texts[i], centroids[i],
                           tuple(points[v] for v in vsets[i]), vols[i])
                for i in range(self.n_regions)]

    def region_fields(self, volumes=True):
        """Label strings, patterns, centroids (exact interior points) and volumes (or
        ``None``) of the top cells, in order: :meth:`regions` without the vertices.

        Returns
        -------
        (list of str, list of str, list of tuple, list)

        Examples
        --------
        >>> C = CellComplex.from_box([0, 0], [2, 1]).refine_by_hyperplane([1, 0], -1)
        >>> C.region_fields()
        (['+', '-'], ['', ''], [(Fraction(3, 2), Fraction(1, 2)), (Fraction(1, 2), Fraction(1, 2))], [Fraction(1, 1), Fraction(1, 1)])
        """
        d, n = self._d, self.n_regions
        vols = self._volumes(range(n)) if volumes else [None] * n
        centroids = _hom_centroids(self.homogeneous_vertices(), *self.cell_vertices(d))
        if None in centroids:   # beyond int64 (object rows)
            vsets = self._vertex_sets()[d]
            centroids = [c if c is not None else _hom_centroid([self._hom[v] for v in vsets[i]])
                         for i, c in enumerate(centroids)]
        texts = [self._text(d, i) for i in range(n)]
        return texts, [self._pattern_of(t) for t in texts], centroids, vols

    def region_volume(self, i):
        """Exact volume of the ``i``-th top cell (as in :meth:`regions`), alone.

        Examples
        --------
        >>> C = CellComplex.from_box([0, 0], [2, 1]).refine_by_hyperplane([1, 1], -1)
        >>> [C.region_volume(i) for i in range(C.n_regions)]
        [Fraction(3, 2), Fraction(1, 2)]
        """
        i = _validate.check_index(i, self.n_regions, "top cell")
        return self._volume(i)

    def boundary(self, cell):
        """The cellular boundary of a cell: ``{facet: [σ : τ]}`` with incidences ±1.

        Each k-cell is oriented by the coordinate projection onto the first ``k``
        coordinates (lexicographically) on which its affine hull projects bijectively,
        pulled back from the standard orientation; ``[σ : τ] = +1`` when an outward
        vector of ``σ`` at ``τ`` followed by a positive basis of ``τ`` is a positive
        basis of ``σ``.

        Examples
        --------
        >>> CellComplex.from_box([0], [1]).boundary((1, 0))
        {Cell(dim=0, index=0): -1, Cell(dim=0, index=1): 1}
        """
        k, i = self._cell(cell)
        if k == 0:
            return {}
        indptr, indices, data = self._arrays()[k]
        a, b = int(indptr[i]), int(indptr[i + 1])
        return {Cell(k - 1, f): s for f, s in sorted(zip(indices[a:b].tolist(),
                                                         data[a:b].tolist()))}

    # ---- points -----------------------------------------------------------------------
    def locate(self, X, *, method="auto"):
        """The cell containing each point: the one whose relative interior holds it.

        A point interior to a region gets that top cell; a point on a facet between two
        regions that facet; a point at a vertex that vertex; a point on the domain's
        boundary the boundary cell it is interior to (the lowest-dimensional cell
        containing it, since the relative interiors of the cells partition the domain).

        Parameters
        ----------
        X : array of shape (n, d), or a sequence of points
            Exact: integers, Fractions (``object`` arrays), strings ``"p/q"``; floats by
            their exact binary value.
        method : {"auto", "labels", "geometry"}
            ``"geometry"``: test the point against the facet hyperplanes of every top cell
            (exact integer rows computed from the vertices) until one contains it; works
            for every complex. ``"labels"``: compute the point's label (the signs of the
            network's units by :meth:`Network.sign_vectors
            <polytopo.network.model.Network.sign_vectors>`, of the output and of inserted
            hyperplanes), and test only the top cells whose labels agree with it where it
            is non-zero (every top cell whose closure holds the point does, by continuity);
            points in none of them (outside the domain) go through the geometric search.
            Needs every inserted function to be computable at a point (not
            :meth:`refine` by a callable). ``"auto"``: labels when possible. Both give the
            same answer.

        Returns
        -------
        list of Cell or None
            One entry per point, ``Cell(k, i)`` numbered as in :meth:`cells`; ``None`` for
            a point outside the complex (outside its domain).

        Raises
        ------
        InputError
            For points of the wrong shape, non-numbers, NaN or infinity; ``"labels"`` on a
            complex whose functions cannot all be evaluated.

        Examples
        --------
        >>> C = CellComplex.from_box([-1, -1], [1, 1]).refine_by_hyperplane([1, 0], 0)
        >>> cells = C.locate([["1/2", 0], [0, "1/2"], [0, 1], [2, 0]])
        >>> cells
        [Cell(dim=2, index=0), Cell(dim=1, index=6), Cell(dim=0, index=5), None]
        >>> C.vertices()[cells[2].index], C.label_string(cells[1])
        ((Fraction(0, 1), Fraction(1, 1)), '0')
        >>> [C.label_string(c) for c in C.locate([[-0.5, 0.5], [0, -1]])]
        ['-', '0']
        """
        if method not in ("auto", "labels", "geometry"):
            raise InputError(f"unknown method {_validate.show(method)}: auto, labels or "
                             f"geometry", field="method")
        d = self._d
        P = _point_rows(X, d)
        n = len(P)
        found = [None] * n
        if not n:
            return found
        cache = self.__dict__.setdefault("_locate_cache", {})
        if "facets" not in cache:
            cache["facets"] = {}        # top cell -> (its facets, oriented integer rows)
            cache["planes"] = {}        # (d-1)-cell -> integer row of its hyperplane
            cache["cells"] = {vs: Cell(k, i) for k, sets in enumerate(self._vertex_sets())
                              for i, vs in enumerate(sets)}
        vsets = self._vertex_sets()
        fp, fi = self._facet_lists(d)

        def facet_rows(s):
            got = cache["facets"].get(s)
            if got is None:
                facets = fi[fp[s]:fp[s + 1]]
                centre = [sum(c) for c in zip(*(self._hom[v] for v in vsets[d][s]))]
                rows = []
                for t in facets:
                    h = cache["planes"].get(t)
                    if h is None:
                        h = cache["planes"][t] = _plane(
                            [self._hom[v] for v in vsets[d - 1][t]], d)
                    side = sum(a * b for a, b in zip(h, centre))
                    rows.append(h if side > 0 else [-a for a in h])
                got = cache["facets"][s] = (facets, as_matrix(rows, d + 1))
            return got

        def settle(s, idx):
            """Points ``idx`` in the closed top cell ``s`` get their cell; the others are
            returned."""
            facets, R = facet_rows(s)
            V = _exact_product(P[idx], R)
            inside = (V >= 0).all(axis=1)
            strict = inside & (V != 0).all(axis=1)
            top = Cell(d, s)
            for j in idx[strict].tolist():
                found[j] = top
            for j in np.flatnonzero(inside & ~strict).tolist():
                tight = [facets[c] for c in np.flatnonzero(V[j] == 0).tolist()]
                common = set(vsets[d - 1][tight[0]]).intersection(
                    *(vsets[d - 1][t] for t in tight[1:]))
                found[idx[j]] = cache["cells"][tuple(sorted(common))]
            return idx[~inside]

        todo = np.arange(n)
        labels = self._point_labels(X, P) if method != "geometry" else None
        if labels is None and method == "labels":
            raise InputError("locating by labels needs every inserted function to be "
                             "computable at a point (network units, output, hyperplanes)",
                             field="method")
        if labels is not None:
            T = np.stack([_labels.function_signs(self._lab[d], j)
                          for j in range(len(self._funcs))], axis=1) \
                if self._funcs else np.zeros((self.n_regions, 0), dtype=np.int8)
            by_label = {}
            for s, row in enumerate(map(bytes, T)):
                by_label.setdefault(row, []).append(s)
            pairs = []                                     # (top cell, point)
            for i, row in enumerate(labels):
                if row.all():
                    pairs.extend((s, i) for s in by_label.get(bytes(row), ()))
                else:
                    nz = np.flatnonzero(row)
                    hits = np.flatnonzero((T[:, nz] == row[nz]).all(axis=1))
                    pairs.extend((int(s), i) for s in hits)
            pairs.sort()
            for s, group in itertools.groupby(pairs, key=lambda p: p[0]):
                idx = np.array([i for _, i in group if found[i] is None], dtype=np.int64)
                if len(idx):
                    settle(s, idx)
            todo = np.array([i for i in range(n) if found[i] is None], dtype=np.int64)
        for s in range(self.n_regions):
            if not len(todo):
                break
            todo = settle(s, todo)
        return found

    def _point_labels(self, X, P):
        """The labels (``int8`` rows over the inserted functions) of exact points, or
        ``None`` when some function cannot be evaluated at a point."""
        funcs, net = self._funcs, self._network
        kinds = {f[0] for f in funcs}
        if not kinds <= {"neuron", "unit", "output", "hyperplane"}:
            return None
        hidden = [tuple(funcs[j]) for j in self._hidden_pos]
        if (hidden or "output" in kinds) and net is None:
            return None
        if hidden and hidden != _plan.pattern_functions(net):
            return None
        if "output" in kinds and net.output_dim != 1:
            return None
        n, d = len(P), self._d
        out = np.zeros((n, len(funcs)), dtype=np.int8)
        pts = X if isinstance(X, np.ndarray) and X.dtype.kind in "biuf" else \
            [tuple(Fraction(int(v), int(h[-1])) for v in h[:-1]) for h in P.tolist()]
        if hidden:
            out[:, self._hidden_pos] = net.sign_vectors(pts)
        if "output" in kinds:
            y = np.array([v[0] for v in net.forward_batch(pts)], dtype=object)
            out[:, [j for j, f in enumerate(funcs) if f[0] == "output"]] = \
                ((y > 0).astype(np.int8) - (y < 0).astype(np.int8))[:, None]
        for j, f in enumerate(funcs):
            if f[0] == "hyperplane":
                a, c = _integer_row(f[1], f[2])
                v = _exact_product(P, as_matrix([a + [c]], d + 1))[:, 0]
                out[:, j] = (v > 0).astype(np.int8) - (v < 0).astype(np.int8)
        return out

    # ---- chain complexes and homology ----------------------------------------------
    def chain_complex(self, subcomplex=None):
        """The cellular chain complex over Z of the complex or of a subcomplex.

        ``C_k`` is free on the k-cells and ``∂σ = Σ_τ [σ : τ] τ`` over the facets
        ``τ`` of ``σ`` (see :meth:`boundary`); ``∂∂ = 0`` (Munkres, *Elements of
        Algebraic Topology*, §39).

        Parameters
        ----------
        subcomplex : list of iterables of int, optional
            Cell indices per dimension (see :meth:`closure`); the result is then the
            chain complex of the subcomplex, its cells renumbered in order
            (``.cells[k]`` holds the original indices).

        Returns
        -------
        polytopo.topology.homology.ChainComplex

        Raises
        ------
        InputError
            If ``subcomplex`` is not closed under taking faces.

        Examples
        --------
        >>> cc = CellComplex.from_box([0, 0], [1, 1]).chain_complex()
        >>> cc.n_cells, cc.check_boundary()
        ([4, 4, 1], True)
        """
        if self._cc is None:
            # the incidences are valid by construction: no validation pass (∂∂ = 0 is
            # still checked before the first homology computation)
            self._cc = ChainComplex.from_trusted(
                self._arrays(), [tuple(range(self._count(k))) for k in range(self._d + 1)])
        return self._cc if subcomplex is None else self._cc.restrict(subcomplex)

    def relative_chain_complex(self, subcomplex, within=None):
        """The relative chain complex ``C(X) / C(A)``, whose homology is ``H(X, A)``.

        Parameters
        ----------
        subcomplex : list of iterables of int
            ``A``.
        within : list of iterables of int, optional
            ``X``, a subcomplex containing ``A``; default the whole complex. Cells of
            ``A`` outside ``X`` are ignored, so ``H(M, A ∩ M)`` is
            ``relative_chain_complex(A, within=M)``.

        Returns
        -------
        polytopo.topology.homology.ChainComplex
            ``.cells[k]`` holds the original indices of the cells of ``X ∖ A``.

        Examples
        --------
        >>> C = CellComplex.from_box([0, 0], [1, 1])
        >>> boundary = C.closure(C.cells(1))
        >>> [str(h) for h in C.relative_chain_complex(boundary).homology()]
        ['0', '0', 'Z']
        """
        if within is None:
            return self.chain_complex().relative(subcomplex)
        X = self.chain_complex(within)
        index = [{c: j for j, c in enumerate(cells)} for cells in X.cells]
        A = [[index[k][c] for c in (subcomplex[k] if k < len(subcomplex) else ())
              if c in index[k]] for k in range(self._d + 1)]
        return X.relative(A)

    def homology(self, subcomplex=None):
        """Integral homology ``H_0, …, H_d`` of the complex or of a subcomplex.

        Examples
        --------
        >>> [str(h) for h in CellComplex.from_box([0, 0], [1, 1]).homology()]
        ['Z', '0', '0']
        """
        return self.chain_complex(subcomplex).homology()

    def relative_homology(self, subcomplex, within=None):
        """Relative homology ``H_k(X, A)``, ``k = 0 … d`` (see :meth:`relative_chain_complex`).

        Examples
        --------
        >>> C = CellComplex.from_box([0], [1])
        >>> [str(h) for h in C.relative_homology(C.closure(C.cells(0)))]
        ['0', 'Z']
        """
        return self.relative_chain_complex(subcomplex, within).homology()

    # ---- internals --------------------------------------------------------------------
    def _count(self, k):
        return self._nv if k == 0 else len(self._fp[k]) - 1

    def _check_dim(self, k):
        if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 0 <= k <= self._d:
            raise InputError(f"no cells of dimension {_validate.show(k)} in a {self._d}-dimensional "
                             f"complex")
        return int(k)

    def _cell(self, cell):
        try:
            k, i = cell
        except (TypeError, ValueError):
            raise InputError(f"a cell is a pair (dimension, index), got {_validate.show(cell)}") \
                from None
        k = self._check_dim(k)
        if isinstance(i, bool) or not isinstance(i, numbers.Integral) or not 0 <= i < self._count(k):
            raise InputError(f"no {k}-cell with index {_validate.show(i)}")
        return k, int(i)

    def _pattern_of(self, s):
        if self._hidden == len(self._funcs) or self._hidden_pos == list(range(self._hidden)):
            return s[:self._hidden]
        return "".join(s[j] for j in self._hidden_pos)

    def _closure_of_marks(self, marks):
        """Close boolean masks (one per dimension) under taking facets; as frozensets."""
        for k in range(self._d, 0, -1):
            rows = np.flatnonzero(marks[k])
            if len(rows):
                _, facets = _finished.rows_of(self._fp[k], self._fi[k], rows)
                marks[k - 1][facets] = True
        return [frozenset(np.flatnonzero(m).tolist()) for m in marks]

    def _vertex_sets(self):
        """Per dimension, the sorted vertex-id tuples of the cells (computed once)."""
        if self._vsets is None:
            out = []
            for ptr, idx in self._vertex_csr():
                vl, pl = idx.tolist(), ptr.tolist()
                out.append([tuple(vl[a:b]) for a, b in zip(pl[:-1], pl[1:])])
            self._vsets = out
        return self._vsets

    def _vertex_csr(self):
        if self._vcsr is None or len(self._vcsr) <= self._d:   # (the first levels, if any,
            # from the canonical order)
            self._vcsr = _finished.vertex_csr(self._d, self._nv, self._fp, self._fi,
                                              start=self._vcsr)
        return self._vcsr

    def _text(self, k, i):
        """Label string of cell ``(k, i)``; those of the top cells are computed at once."""
        if k < self._d:
            return _labels.label_text(self._lab[k][i], len(self._funcs))
        if self._top_texts is None:
            self._top_texts = _labels.label_texts(self._lab[k], len(self._funcs))
        return self._top_texts[i]

    def _facet_lists(self, k):
        """The facet CSR of dimension ``k`` as Python lists (for per-cell queries)."""
        if self._fl is None:
            self._fl = [None] * (self._d + 1)
        if self._fl[k] is None:
            self._fl[k] = (self._fp[k].tolist(), self._fi[k].tolist())
        return self._fl[k]

    def _cofacets(self):
        """Per dimension ``k < d``: CSR (indptr, indices) of the (k+1)-cells on each k-cell."""
        if self._cofs is None:
            out = []
            for k in range(self._d):
                fp, fi = self._fp[k + 1], self._fi[k + 1]
                owner = np.repeat(np.arange(len(fp) - 1, dtype=np.int64), np.diff(fp))
                order = np.lexsort((owner, fi))
                ptr = np.zeros(self._count(k) + 1, dtype=np.int64)
                np.cumsum(np.bincount(fi, minlength=self._count(k)), out=ptr[1:])
                out.append((ptr, owner[order]))
            self._cofs = out
        return self._cofs

    def _volume(self, i):
        return self._volumes([i])[0]

    def _volumes(self, indices):
        """Exact volumes of top cells by memoised facet recursion over the face lattice
        (:mod:`polytopo.complex.volume`): one rational per face of their closure, each
        shared face computed once, in int64 where bounds prove it exact."""
        from .volume import region_volumes

        return region_volumes(self._d, self.homogeneous_vertices(), self._fp, self._fi, self._vertex_csr(),
                              list(indices))

    def region_volumes(self, indices=None):
        """Exact volumes of several top cells (all by default), computed together.

        Examples
        --------
        >>> C = CellComplex.from_box([0, 0], [2, 1]).refine_by_hyperplane([1, 1], -1)
        >>> C.region_volumes()
        [Fraction(3, 2), Fraction(1, 2)]
        """
        if indices is None:
            return self._volumes(range(self.n_regions))
        if isinstance(indices, (str, bytes)) or not hasattr(indices, "__iter__"):
            raise TypeError(f"indices must be a sequence of top-cell indices, got "
                            f"{type(indices).__name__}")
        idx = [_validate.check_index(i, self.n_regions, "top cell") for i in indices]
        return self._volumes(idx)

    def facet_measures_squared(self, indices):
        """Exact squared ``(d−1)``-volumes of several ``(d−1)``-cells, computed together
        (:func:`polytopo.complex.volume.facet_measures_squared`); ``None`` past ten
        dimensions (measure them one by one then).

        Examples
        --------
        >>> C = CellComplex.from_box([0, 0], [1, 1]).refine_by_hyperplane([1, 1], -1)
        >>> inner = [c.index for c in C.cells(1) if len(C.cofacets_of(c)) == 2]
        >>> C.facet_measures_squared(inner)
        [Fraction(2, 1)]
        """
        from .volume import facet_measures_squared

        if isinstance(indices, (str, bytes)) or not hasattr(indices, "__iter__"):
            raise TypeError(f"indices must be a sequence of (d-1)-cell indices, got "
                            f"{type(indices).__name__}")
        if self._d == 0:
            raise InputError("a 0-dimensional complex has no (d-1)-cells")
        n = self.f_vector()[self._d - 1]
        idx = [_validate.check_index(i, n, f"{self._d - 1}-cell") for i in indices]
        return facet_measures_squared(self._d, self.homogeneous_vertices(), self._fp, self._fi,
                                      self._vertex_csr(), idx)

    def _arrays(self):
        if self._cols is None:
            with _no_gc():
                self._cols, self._planes = _orientation.boundary_arrays(
                    self._d, self._hom, self._vertex_csr(), self._fp, self._fi,
                    reuse=self._origin)
            self._origin = None
        return self._cols


# ---------------------------------------------------------------------------------------
# argument checks of the functions that take complexes
# ---------------------------------------------------------------------------------------
def check_complex(complex, name="complex"):
    """``complex`` after checking it is a :class:`CellComplex`.

    >>> check_complex([[0, 1]])
    Traceback (most recent call last):
    ...
    TypeError: complex must be a CellComplex, got list
    """
    if not isinstance(complex, CellComplex):
        raise TypeError(f"{name} must be a CellComplex, got {type(complex).__name__}")
    return complex


def check_cell(complex, cell):
    """``cell`` as a ``(dimension, index)`` pair of ``complex`` (InputError otherwise).

    >>> check_cell(CellComplex.from_box([0], [1]), (1, 3))
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: no 1-cell with index 3
    """
    check_complex(complex)
    return complex._cell(cell)


def check_subcomplex(name, subcomplex, dim):
    """The shape of a subcomplex argument: at most ``dim + 1`` collections of cell indices
    (which cells, and whether they are closed under faces, the chain complex checks).

    >>> check_subcomplex("A", [{0}, {0}, {0}], 1)
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: A has 3 dimensions, the complex 2
    """
    def collection(x):
        return not isinstance(x, (str, bytes, Mapping)) and hasattr(x, "__iter__")

    if not collection(subcomplex) or not hasattr(subcomplex, "__len__"):
        raise TypeError(f"{name} must be a list of collections of cell indices (one per "
                        f"dimension), got {type(subcomplex).__name__}")
    if len(subcomplex) > dim + 1:
        raise InputError(f"{name} has {len(subcomplex)} dimensions, the complex {dim + 1}")
    for k, cells in enumerate(subcomplex):
        if not collection(cells):
            raise TypeError(f"{name}[{k}] must be a collection of cell indices, got "
                            f"{type(cells).__name__}")
    return subcomplex


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------
_no_gc = _engine.no_gc


def _read_only(arrays):
    """Read-only views of internal arrays, for the accessors."""
    out = []
    for a in arrays:
        v = a.view()
        v.flags.writeable = False
        out.append(v)
    return tuple(out)


def _homogeneous(point):
    """Exact point → integer homogeneous coordinates ``(X_1, …, X_d, w)``, ``w > 0``."""
    qs = [Fraction(x) for x in point]
    w = math.lcm(*(q.denominator for q in qs)) if qs else 1
    h = [int(q * w) for q in qs] + [w]
    g = math.gcd(*h)
    return tuple(x // g for x in h)


def _point_rows(X, d):
    """Exact points as integer homogeneous rows ``(X_1, …, X_d, w)``, ``w > 0`` (an
    ``int64`` array when the values allow, ``object`` otherwise)."""
    from ..network.model import integer_points

    H, S = integer_points(X, d)
    if H.dtype != S.dtype:
        H, S = H.astype(object), S.astype(object)
    return np.concatenate([H, S[:, None]], axis=1)


def _exact_product(P, R):
    """``P @ R.T`` exactly: in ``int64`` when bounds allow, else in Python integers."""
    from ..geometry.integer import LIMIT

    pm = int(np.abs(P).max(initial=0))
    rm = max((sum(abs(int(a)) for a in row) for row in R.tolist()), default=0)
    if pm * rm < LIMIT:
        return P.astype(np.int64) @ R.astype(np.int64).T
    return P.astype(object) @ R.astype(object).T


def _plane(rows, d):
    """The integer row ``h`` (coprime entries) with ``h · p = 0`` for the homogeneous
    points ``rows``, which span a hyperplane."""
    from ..geometry.exact import nullspace

    basis = nullspace([list(r) for r in rows], d + 1)
    if len(basis) != 1:
        raise AssertionError(f"a facet's vertices span {d + 1 - len(basis)} dimensions")
    v = basis[0]
    m = math.lcm(*(x.denominator for x in v))
    h = [int(x * m) for x in v]
    g = math.gcd(*h)
    return [x // g for x in h]


def _point(h):
    w = h[-1]
    return tuple(_ratio(x, w) for x in h[:-1])


def _hom_centroid(rows):
    """Exact centroid of points given in integer homogeneous coordinates."""
    L = math.lcm(*(r[-1] for r in rows))
    scaled = [[x * (L // r[-1]) for x in r[:-1]] for r in rows]
    n = len(rows) * L
    return tuple(Fraction(sum(col), n) for col in zip(*scaled))


def _hom_centroids(hom, vptr, vind):
    """:func:`_hom_centroid` of every cell of a CSR vertex list at once, in int64 where
    every lcm and sum provably fits (float bounds checked at each step); ``None`` for the
    cells where one might not (the caller computes those in Python ints)."""
    n = len(vptr) - 1
    if hom.dtype == object or not n:
        return [None] * n
    vptr = np.asarray(vptr, dtype=np.int64)
    vind = np.asarray(vind, dtype=np.int64)
    counts = np.diff(vptr)
    w = hom[:, -1]
    L = np.ones(n, dtype=np.int64)
    ok = np.ones(n, dtype=bool)
    for j in range(int(counts.max(initial=0))):
        has = counts > j
        wj = np.where(has, w[vind[np.minimum(vptr[:-1] + j, len(vind) - 1)]], 1)
        g = np.gcd(L, wj)
        q = L // g
        ok &= q.astype(np.float64) * wj.astype(np.float64) < 2.0 ** 61
        L = np.where(ok, q * wj, 1)
    cell = np.repeat(np.arange(n), counts)
    scale = L[cell] // w[vind]
    bound = np.abs(hom[vind, :-1]).max(axis=1, initial=0).astype(np.float64) * \
        scale.astype(np.float64) * counts[cell].astype(np.float64)
    big = np.zeros(n, dtype=bool)
    np.logical_or.at(big, cell, bound >= 2.0 ** 61)
    ok &= ~big
    sums = np.add.reduceat(hom[vind, :-1] * scale[:, None], vptr[:-1], axis=0) \
        if len(vind) else np.zeros((n, hom.shape[1] - 1), dtype=np.int64)
    den = counts * L
    g = np.gcd(sums, den[:, None])
    g[g == 0] = 1
    nums, dens = sums // g, den[:, None] // g
    k = sums.shape[1]
    flat = reduced_ratios(nums.ravel().tolist(), dens.ravel().tolist())
    out = [tuple(flat[i * k:(i + 1) * k]) for i in range(n)]
    bad = np.flatnonzero(~ok)
    if len(bad):   # beyond int64: the same sums in Python ints, all such cells at once
        for i, c in zip(bad.tolist(), _object_centroids(hom, vptr, vind, bad)):
            out[i] = c
    return out


def _object_centroids(hom, vptr, vind, cells):
    """:func:`_hom_centroid` of the given cells of a CSR vertex list, in Python ints."""
    counts = np.diff(vptr)[cells]
    sub_ptr = np.zeros(len(cells) + 1, dtype=np.int64)
    np.cumsum(counts, out=sub_ptr[1:])
    pos = np.arange(sub_ptr[-1], dtype=np.int64) - np.repeat(sub_ptr[:-1] - vptr[cells], counts)
    verts = vind[pos]
    w = hom[verts, -1].tolist()
    bounds = sub_ptr.tolist()
    Ls = [math.lcm(*w[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
    scale = np.empty(len(verts), dtype=object)
    scale[:] = [L // x for L, x in zip(np.repeat(np.array(Ls, dtype=object), counts), w)]
    X = hom[verts, :-1].astype(object) * scale[:, None]
    sums = np.add.reduceat(X, sub_ptr[:-1], axis=0).tolist()
    return [tuple(_ratio(x, n * L) for x in row)
            for row, n, L in zip(sums, counts.tolist(), Ls)]


def _integer_row(a, c):
    m = math.lcm(*(Fraction(x).denominator for x in list(a) + [c]))
    return [int(Fraction(x) * m) for x in a], int(Fraction(c) * m)


def _setdefault_id(ids, key):
    if key not in ids:
        ids[key] = len(ids)
    return ids[key]


def _fill(t, bits):
    it = iter(bits)
    return [next(it) if x == 2 else x for x in t]
