"""Cubical complexes of binary images, voxel grids and point clouds; their exact integral homology.

A binary array ``X`` of any dimension ``d`` is read as a cubical set in one of the two
standard ways (Garin, Heiss, Maggs, Bleile and Robins, *Duality in persistent homology of
images*, 2020):

* the **T-construction** (the default): entry ``v = (v_1, …, v_d)`` stands for the closed
  unit cube ``[v_1, v_1+1] × … × [v_d, v_d+1]`` (a voxel, a top-dimensional cell), and
  ``Q(X)`` is the set of all faces of the occupied voxels. Voxels that share only a corner
  touch: components are 8-connected in 2-D, 26-connected in 3-D. This is GUDHI's
  ``CubicalComplex(top_dimensional_cells=…)``.
* the **V-construction**: entry ``v`` stands for the grid point ``v``, and ``Q(X)`` holds
  an elementary cube exactly when all its ``2^k`` vertices are occupied. Components are
  4-connected in 2-D, 6-connected in 3-D. This is the default of CubicalRipser.

Homology is computed over ``Z`` by the project's own Smith normal form
(:mod:`polytopo.topology.homology`), after an exact discrete-Morse reduction of the complex.
Grey-scale arrays enter through their sublevel sets (:func:`sublevel_betti`).

Point clouds (data sets, or a network's layer activations) enter by a stated
discretisation: projection onto at most three principal axes, a grid of cubes, and
occupancy "at least ``threshold`` points in the cube". Those coordinates are float64
(this is data analysis); the homology of the resulting cubical set is exact. The decay
of topological complexity across layers is summarised by :func:`decay_score` (the score
of Suresh et al.) or :func:`decay_rate` (a log-slope), both float64.
"""

__all__ = [
    "CubicalComplex",
    "cubical_complex",
    "cubical_homology",
    "sublevel_betti",
    "principal_projection",
    "occupancy_grid",
    "PointCloudTopology",
    "point_cloud_topology",
    "layer_embeddings",
    "LayerTopology",
    "layer_topology",
    "decay_rate",
    "decay_score",
    "CONSTRUCTIONS",
    "ARITHMETIC",
]

import math
from dataclasses import dataclass

import numpy as np

from ..exceptions import InputError, PointlessQuestion
from .homology import _trusted

#: how layer and point-cloud results are computed (for reports)
ARITHMETIC = "float64 embedding, exact integer homology"

# the decay score of Suresh et al. (arXiv:2311.04592): cubic ridge fit, weights on c_1..c_3
_DECAY_DEGREE = 3
_DECAY_ALPHA = 1e-3
_DECAY_WEIGHTS = np.array([1.0, 0.5, 0.5])

#: the cubical constructions of an array: voxels as top cells ("T") or entries as vertices ("V")
CONSTRUCTIONS = ("T", "V")


# ---------------------------------------------------------------------------------------
# cubical complexes of binary arrays
# ---------------------------------------------------------------------------------------
class CubicalComplex:
    """The cubical complex ``Q(X)`` of a binary array ``X``, by the T- or the V-construction.

    Cells are elementary cubes ``Q = I_1 × … × I_d`` whose factors are degenerate
    ``[m, m]`` or unit ``[m, m+1]`` intervals; ``dim Q`` is the number of unit factors.

    * ``construction="T"`` (default): entry ``v`` of ``X`` is the voxel
      ``[v_1, v_1+1] × … × [v_d, v_d+1]`` (a top-dimensional cell) and ``Q(X)`` holds every
      face of every occupied voxel, so ``|Q(X)|`` is the union of the closed voxels.
    * ``construction="V"``: entry ``v`` of ``X`` is the vertex ``[v_1, v_1] × … × [v_d, v_d]``
      and ``Q(X)`` holds an elementary cube exactly when all its ``2^k`` vertices are
      occupied (the largest cubical complex whose vertex set is the occupied entries).

    Both are closed cubical complexes and get the same treatment. Cells are addressed by
    *Khalimsky coordinates*: ``[m, m]`` ↦ ``2m`` and ``[m, m+1]`` ↦ ``2m+1``, so a cell's
    dimension is its number of odd coordinates. In the T-construction voxel ``v`` is at
    ``2v + 1`` (grid of shape ``2n + 1``); in the V-construction entry ``v`` is the vertex
    at ``2v`` (grid of shape ``2n − 1``). The boundary is the standard cubical one: with
    ``j_1 < … < j_k`` the axes of the unit factors of ``Q`` and ``Q^±_j`` the faces obtained
    by replacing ``I_j = [m, m+1]`` by ``[m+1, m+1]`` (``+``) or ``[m, m]`` (``−``),

    ``∂Q = Σ_{i=1}^{k} (−1)^{i−1} (Q^+_{j_i} − Q^-_{j_i})``

    (Kaczynski, Mischaikow and Mrozek, *Computational Homology*, Springer 2004, §2.2,
    the cubical boundary operator). The names T and V follow Garin, Heiss, Maggs, Bleile
    and Robins, *Duality in persistent homology of images* (2020).

    Connectivity. T: two occupied voxels are in one component of ``|Q(X)|`` when a chain
    of occupied voxels joins them in which consecutive voxels share at least a vertex,
    the full ``3^d − 1`` neighbourhood (8-connectivity in 2-D, 26 in 3-D;
    ``scipy.ndimage.label`` with ``structure=np.ones((3,) * d)``); holes of a 2-D image
    are the bounded components of the background under 4-connectivity. V: consecutive
    entries of the chain differ by 1 in exactly one coordinate, the ``2d`` neighbourhood
    (4-connectivity in 2-D, 6 in 3-D; ``scipy.ndimage.label``'s default structure); holes
    of a 2-D image are the bounded components of the background under 8-connectivity.

    Parameters
    ----------
    image : array_like of bool (or of 0 and 1), any dimension ``d ≥ 1``
        ``True`` marks an occupied voxel (T) or vertex (V).
    construction : {"T", "V"}
        How an entry of ``image`` becomes cells (default ``"T"``).

    Raises
    ------
    InputError
        For a 0-dimensional array, entries other than booleans, 0 and 1, or an unknown
        construction.

    See Also
    --------
    sublevel_betti : Betti numbers of the sublevel sets of a grey-scale array.

    Examples
    --------
    An annulus: a 3 × 3 square of pixels without its centre.

    >>> Q = CubicalComplex([[1, 1, 1], [1, 0, 1], [1, 1, 1]])
    >>> Q
    CubicalComplex(shape=(3, 3), construction='T', n_cells=[16, 24, 8])
    >>> [str(h) for h in Q.homology()], Q.euler_characteristic()
    (['Z', 'Z', '0'], 0)

    By the V-construction the same pixels are the 8 vertices and 8 edges of a square loop:

    >>> V = CubicalComplex([[1, 1, 1], [1, 0, 1], [1, 1, 1]], construction="V")
    >>> V.n_cells, V.betti_numbers()
    ([8, 8, 0], [1, 1, 0])

    Two diagonal pixels touch at a corner (T) but share no edge (V):

    >>> [CubicalComplex([[1, 0], [0, 1]], construction=c).betti_numbers() for c in "TV"]
    [[1, 0, 0], [2, 0, 0]]
    """

    def __init__(self, image, *, construction="T"):
        kind = _construction(construction)
        arr = _binary(image)
        self._construction = kind
        self._image = arr
        self._image.setflags(write=False)
        self._cells = _closure(arr) if kind == "T" else _vertex_closure(arr)
        self._cells.setflags(write=False)
        self._groups = None

    @property
    def construction(self):
        """``"T"`` (entries are voxels) or ``"V"`` (entries are vertices)."""
        return self._construction

    # ---- shape --------------------------------------------------------------------
    @property
    def image(self):
        """The voxel array (read-only, bool)."""
        return self._image

    @property
    def shape(self):
        """The shape of the voxel array."""
        return self._image.shape

    @property
    def dimension(self):
        """``d``, the dimension of the ambient grid."""
        return self._image.ndim

    @property
    def n_cells(self):
        """``[n_0, …, n_d]``, the number of cells of ``Q(X)`` of each dimension."""
        dims = _cell_dimensions(self._cells.shape)
        counts = np.bincount(dims[self._cells], minlength=self.dimension + 1)
        return [int(c) for c in counts]

    def __repr__(self):
        return (f"CubicalComplex(shape={self.shape}, construction={self._construction!r}, "
                f"n_cells={self.n_cells})")

    def cell_coordinates(self, k):
        """Khalimsky coordinates of the k-cells, one row per cell, in chain-complex order.

        Row ``i`` is k-cell ``i`` of ``chain_complex(reduced=False)``. Entry ``v`` of the
        image is the voxel at ``2v + 1`` (T) or the vertex at ``2v`` (V).

        Examples
        --------
        >>> CubicalComplex([[1]]).cell_coordinates(1).tolist()
        [[0, 1], [1, 0], [1, 2], [2, 1]]
        >>> CubicalComplex([[1, 1]], construction="V").cell_coordinates(1).tolist()
        [[0, 1]]
        """
        if not 0 <= k <= self.dimension:
            raise InputError(f"no {k}-cells in a complex of dimension {self.dimension}")
        dims = _cell_dimensions(self._cells.shape)
        flat = np.flatnonzero((self._cells & (dims == k)).ravel())
        return np.stack(np.unravel_index(flat, self._cells.shape), axis=1)

    # ---- chains and homology -------------------------------------------------------
    def chain_complex(self, reduced=True):
        """The cellular chain complex, full or reduced by an exact discrete-Morse matching.

        Parameters
        ----------
        reduced : bool
            ``False``: one generator per cell of ``Q(X)`` (cells ordered as by
            :meth:`cell_coordinates`), with the cubical boundary. ``True`` (default): the
            Morse complex of the acyclic matching described below; it has the same
            homology and is typically 10–500 times smaller.

        Returns
        -------
        ChainComplex
            Of dimension ``d`` (the reduced complex has no d-cells: ``H_d = 0`` for any
            finite cubical set in ``R^d``).

        Examples
        --------
        >>> Q = CubicalComplex([[1, 1, 1], [1, 0, 1], [1, 1, 1]])
        >>> Q.chain_complex(reduced=False).n_cells, Q.chain_complex().n_cells
        ([16, 24, 8], [4, 4, 0])

        Notes
        -----
        Pick an axis ``a``. Along every grid line parallel to ``a`` the cells of ``Q(X)``
        form runs of consecutive Khalimsky positions that start and end at even ones
        (closure). Match each cell at an even position with its successor on the line
        when the successor is in ``Q(X)``; the unmatched (*critical*) cells are the last
        cells of the runs. A gradient path leaves a cell only along ``+a``, so the
        matching is acyclic, and by discrete Morse theory (Forman, *Morse theory for cell
        complexes*, Adv. Math. 134, 1998, §§7–8) the Morse complex on the critical cells
        has the homology of ``Q(X)``. Its boundary sends a critical cell ``β`` to
        ``Σ [β : f] · end(f)`` over the faces ``f`` of ``β``, ``end(f)`` being the last cell
        of ``f``'s run: along a path the incidences of each matched pair multiply to
        ``−[τ : f_i][τ : f_{i+1}] = −(∓1)(±1) = 1``. The axis with the fewest critical
        cells is chosen. (For the cubical setting see also Robins, Wood and Sheppard,
        IEEE TPAMI 33, 2011.) Everything is vectorised with numpy; building costs
        ``O(3^d · cells)`` array operations.
        """
        if reduced:
            return _morse_chain_complex(self._cells)
        return _full_chain_complex(self._cells)

    def homology(self):
        """Integral homology ``H_0, …, H_d`` of ``|Q(X)|`` (exact; see :meth:`chain_complex`).

        Examples
        --------
        A hollow cube (3 × 3 × 3 voxels without the centre) is a 2-sphere up to homotopy:

        >>> import numpy as np
        >>> X = np.ones((3, 3, 3), bool); X[1, 1, 1] = False
        >>> [str(h) for h in CubicalComplex(X).homology()]
        ['Z', '0', 'Z', '0']
        """
        if self._groups is None:
            self._groups = tuple(self.chain_complex(reduced=True).homology())
        return list(self._groups)

    def betti_numbers(self):
        """``[b_0, …, b_d]``.

        Examples
        --------
        >>> CubicalComplex([[1, 1, 1], [1, 0, 1], [1, 1, 1], [1, 0, 1], [1, 1, 1]]).betti_numbers()
        [1, 2, 0]
        """
        return [h.rank for h in self.homology()]

    def euler_characteristic(self):
        """``χ = Σ_k (−1)^k n_k`` over the cells of ``Q(X)`` (counted, not via homology).

        Examples
        --------
        >>> CubicalComplex([[1, 0, 1]]).euler_characteristic()
        2
        """
        return sum((-1) ** k * n for k, n in enumerate(self.n_cells))


def cubical_complex(image, *, construction="T"):
    """The closed cubical complex of a binary image or voxel grid (see :class:`CubicalComplex`).

    Examples
    --------
    >>> cubical_complex([[1, 1], [1, 1]]).betti_numbers()
    [1, 0, 0]
    >>> cubical_complex([[1, 1], [1, 1]], construction="V").n_cells
    [4, 4, 1]
    """
    return CubicalComplex(image, construction=construction)


def cubical_homology(image, *, construction="T"):
    """Integral homology of the cubical complex of a binary array, T- or V-construction.

    ``H_k(|Q(X)|; Z)`` for ``k = 0 … d``, computed exactly (Smith normal form over ``Z``).
    With the T-construction (default) ``|Q(X)|`` is the union of the closed occupied
    voxels; with the V-construction the occupied entries are vertices and a cube is
    present when all its vertices are (:class:`CubicalComplex`).

    Parameters
    ----------
    image : array_like of bool or of 0/1, dimension ``d ≥ 1``
    construction : {"T", "V"}

    Returns
    -------
    list of HomologyGroup

    Raises
    ------
    InputError
        For an image that is not a binary array, or an unknown construction.

    Examples
    --------
    A digit 8 (two holes):

    >>> eight = [[0, 1, 1, 1, 0],
    ...          [0, 1, 0, 1, 0],
    ...          [0, 1, 1, 1, 0],
    ...          [0, 1, 0, 1, 0],
    ...          [0, 1, 1, 1, 0]]
    >>> [str(h) for h in cubical_homology(eight)]
    ['Z', 'Z^2', '0']

    A ring of pixels that meet only at corners is a loop for T, four points for V:

    >>> diamond = [[0, 1, 0], [1, 0, 1], [0, 1, 0]]
    >>> [[str(h) for h in cubical_homology(diamond, construction=c)] for c in "TV"]
    [['Z', 'Z', '0'], ['Z^4', '0', '0']]
    """
    return CubicalComplex(image, construction=construction).homology()


def sublevel_betti(values, thresholds, *, construction="V", max_dim=None):
    """Betti numbers of the sublevel sets ``{values ≤ η}`` of a real array, for each ``η``.

    For each threshold ``η`` this is ``[b_0, …, b_m]`` of the cubical complex of the binary
    array ``values ≤ η`` (:class:`CubicalComplex`, exact integral homology; ``b_k`` is the
    rank of ``H_k``), with ``m = d`` (the array's dimension) or ``max_dim``. An empty
    sublevel set gives zeros. Equivalently, ``b_k(η)`` is the number of bars of the
    sublevel-set persistent homology of ``values`` (lower-star filtration for V, cells
    valued by their lowest voxel for T) with ``birth ≤ η < death``.

    The default is the V-construction, as in the per-sample analysis of feature maps of
    Suresh, Das, Abrol and Dutta Roy (*On Characterizing the Evolution of Embedding
    Space of Neural Networks using Algebraic Topology*, arXiv:2311.04592, Pattern
    Recognit. Lett. 2024), whose published code computes the sublevel persistence of
    each sample's feature map with CubicalRipser (V-construction) and counts the bars
    alive at a threshold. That code counts a bar with ``birth ≤ η ≤ death``; the two
    counts differ only when ``η`` is exactly a death value (a value of the array), where
    the class has already died in the sublevel set counted here.

    Parameters
    ----------
    values : array_like of real numbers, dimension ``d ≥ 1``
        An image, a volume, a feature map; finite. Compared as float64 (this is data
        analysis).
    thresholds : sequence of real numbers
        The levels ``η`` (``±inf`` allowed, NaN not).
    construction : {"V", "T"}
        V (default): entries are vertices, a cube enters when all its vertices do. T:
        entries are voxels.
    max_dim : int, optional
        Report ``b_0 … b_max_dim`` only (``0 ≤ max_dim ≤ d``; default ``d``).

    Returns
    -------
    list of list of int
        One list ``[b_0, …, b_m]`` per threshold, in the order given.

    Raises
    ------
    InputError
        For values that are not a finite real array of dimension ``≥ 1``, thresholds that
        are not a sequence of numbers, a bad ``max_dim`` or an unknown construction.

    See Also
    --------
    cubical_homology : The homology of one binary array.
    decay_score : Summarises per-layer complexities (e.g. sums of these Betti numbers).

    Notes
    -----
    The sublevel set only changes at the values of the array: thresholds are grouped by
    the number of distinct values ``≤ η`` (a binary search), and the Betti numbers are
    computed once per distinct sublevel set. The filtration value of every cell (the
    maximum over its vertices for V, the minimum over the voxels it is a face of for T) is
    computed once in Khalimsky coordinates, and with it the Euler characteristic ``χ`` of
    every sublevel complex (one sort and a cumulative sum of ``(−1)^{dim}``).

    For ``d ≤ 3`` the Betti numbers follow exactly from ``χ`` and component counts,
    since a finite cubical set in ``R^d`` has ``H_d = 0`` and torsion-free homology:
    ``b_0`` is the number of components of the sublevel set (``2d``-connectivity for V,
    ``3^d − 1`` for T; :class:`CubicalComplex`); in 3-D, ``b_2`` is the number of bounded
    components of its complement (Alexander duality; the complement of a V-complex is
    connected through ``3^d − 1`` neighbours, that of a T-complex through ``2d``;
    Garin et al. 2020); then ``b_1 = b_0 + b_2 − χ``. Cost:
    ``O(N log N)`` once plus ``O(N)`` (connected-component labelling) per distinct
    sublevel set, ``N`` the number of cells. For ``d ≥ 4`` each sublevel complex is reduced
    by the discrete-Morse matching of :meth:`CubicalComplex.chain_complex` and finished by
    the Smith normal form. The tests check both ways against :func:`cubical_homology`.

    Examples
    --------
    A dark ring around a bright centre, with one darker pixel in the ring:

    >>> img = [[2, 2, 2],
    ...        [2, 9, 2],
    ...        [1, 2, 2]]
    >>> sublevel_betti(img, [0, 1, 2, 9])
    [[0, 0, 0], [1, 0, 0], [1, 1, 0], [1, 0, 0]]

    Two dark pixels on a diagonal are two components for V, one for T:

    >>> sublevel_betti([[0, 5], [5, 0]], [0], construction="V")
    [[2, 0, 0]]
    >>> sublevel_betti([[0, 5], [5, 0]], [0], construction="T", max_dim=0)
    [[1]]
    """
    F = _real_array(values)
    kind = _construction(construction)
    top = F.ndim if max_dim is None else _max_dim(max_dim, F.ndim)
    levels = np.unique(F)
    keys = np.searchsorted(levels, _thresholds(thresholds), side="right").tolist()
    wanted = sorted(set(keys) - {0})
    known = {0: [0] * (F.ndim + 1)}
    if wanted:
        cells = _cell_values(F, kind)
        if F.ndim <= 3:
            known.update(_sublevel_betti_by_duality(F, cells, kind, levels, wanted))
        else:
            for key in wanted:
                groups = _morse_chain_complex(cells <= levels[key - 1]).homology()
                known[key] = [h.rank for h in groups]
    return [known[key][:top + 1] for key in keys]


# ---------------------------------------------------------------------------------------
# point clouds
# ---------------------------------------------------------------------------------------
def principal_projection(points, dim=3):
    """Coordinates of ``points`` on their first ``dim`` principal axes (PCA by numpy SVD).

    With the centred data ``Y = X − mean(X) = U S V^T`` (thin SVD), the projection is
    ``Y V_{:, :dim}``; each axis is oriented so that its entry of largest absolute value
    is positive (so the result does not depend on the SVD's sign choice). Data of
    dimension ``≤ dim`` is returned unchanged (as float64).

    Parameters
    ----------
    points : array_like, shape (n, m)
    dim : int
        Target dimension, ``≥ 1``.

    Returns
    -------
    projected : ndarray, shape (n, min(m, dim)), float64
    explained : float
        Fraction of the total variance kept, ``Σ_{i≤dim} s_i² / Σ s_i²`` (1.0 when
        nothing was projected or the data has no variance).

    Examples
    --------
    >>> Y, f = principal_projection([[0, 0, 0], [2, 0, 0], [0, 1, 0], [2, 1, 0]], dim=1)
    >>> Y.ravel().tolist(), f
    ([-1.0, 1.0, -1.0, 1.0], 0.8)
    """
    X = _points(points)
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or dim < 1:
        raise InputError(f"projection dimension must be a positive integer, got {dim!r}")
    if X.shape[1] <= dim:
        return X.copy(), 1.0
    if len(X) == 0:
        return np.zeros((0, dim)), 1.0
    Y = X - X.mean(axis=0)
    _, s, vt = np.linalg.svd(Y, full_matrices=False)
    V = vt[:dim].T.copy()
    flip = np.sign(V[np.argmax(np.abs(V), axis=0), np.arange(dim)])
    V *= np.where(flip == 0, 1.0, flip)
    total = float(np.sum(s ** 2))
    explained = float(np.sum(s[:dim] ** 2) / total) if total > 0 else 1.0
    return Y @ V, explained


def occupancy_grid(points, resolution, *, threshold=1, bounds=None):
    """Voxelise a point cloud: a cube is occupied when it holds at least ``threshold`` points.

    The grid is made of cubes of side ``h = max_i (hi_i − lo_i) / resolution`` (isotropic,
    so shapes are not distorted) starting at ``lo``; axis ``i`` gets
    ``⌈(hi_i − lo_i) / h⌉`` cubes (at least 1, at most ``resolution``). A point ``x`` falls
    into cube ``⌊(x − lo) / h⌋``, clipped to the grid (so points on the upper bound
    count in the last cube).

    Parameters
    ----------
    points : array_like, shape (n, m)
    resolution : int
        Number of cubes along the longest axis, ``≥ 1``.
    threshold : int
        Occupancy threshold, ``≥ 1``.
    bounds : (lo, hi), optional
        The box to grid; default the bounding box of ``points``. Points outside are
        clipped into the border cubes.

    Returns
    -------
    grid : ndarray of bool, shape ≤ (resolution,) * m
    frame : dict
        ``{"origin": lo, "cell_size": h, "shape": grid.shape}`` (floats and ints).

    Examples
    --------
    >>> g, frame = occupancy_grid([[0, 0], [1, 0], [3.9, 2], [4, 2]], 4, threshold=1)
    >>> g.astype(int).tolist(), frame["cell_size"]
    ([[1, 0], [1, 0], [0, 0], [0, 1]], 1.0)
    >>> int(occupancy_grid([[0, 0], [1, 0], [3.9, 2], [4, 2]], 4, threshold=2)[0].sum())
    1
    """
    X = _points(points)
    res = _positive_int(resolution, "resolution")
    thr = _positive_int(threshold, "threshold")
    if bounds is None:
        lo, hi = (X.min(axis=0), X.max(axis=0)) if len(X) else \
            (np.zeros(X.shape[1]), np.zeros(X.shape[1]))
    else:
        lo, hi = (np.asarray(b, dtype=np.float64).reshape(-1) for b in bounds)
        if lo.shape != (X.shape[1],) or hi.shape != lo.shape or not np.all(hi >= lo) \
                or not (np.all(np.isfinite(lo)) and np.all(np.isfinite(hi))):
            raise InputError("bounds must be (lo, hi) with lo <= hi, one entry per coordinate")
    extent = hi - lo
    h = float(extent.max()) / res if extent.size and extent.max() > 0 else 1.0
    shape = tuple(int(min(res, max(1, math.ceil(e / h - 1e-9)))) for e in extent)
    grid = np.zeros(shape, dtype=bool)
    if len(X):
        idx = np.floor((X - lo) / h).astype(np.int64)
        idx = np.clip(idx, 0, np.array(shape) - 1)
        counts = np.bincount(np.ravel_multi_index(idx.T, shape), minlength=grid.size)
        grid = (counts >= thr).reshape(shape)
    return grid, {"origin": [float(v) for v in lo], "cell_size": h, "shape": list(shape)}


@dataclass(frozen=True)
class PointCloudTopology:
    """Homology of a voxelised point cloud, with the discretisation that produced it.

    Attributes
    ----------
    homology : tuple of HomologyGroup
        ``H_0 … H_p`` of the occupied cubes (``p`` = projected dimension), exact.
    n_points, ambient_dim, projected_dim : int
    explained_variance : float
        Variance fraction kept by the projection (1.0 without projection).
    grid_shape : tuple of int
    occupied : int
        Number of occupied cubes.
    cell_size : float
    construction : str
        ``"T"`` (occupied cubes are voxels, the default) or ``"V"`` (they are vertices);
        see :class:`CubicalComplex`.
    """

    homology: tuple
    n_points: int
    ambient_dim: int
    projected_dim: int
    explained_variance: float
    grid_shape: tuple
    occupied: int
    cell_size: float
    construction: str = "T"

    @property
    def betti_numbers(self):
        """``(b_0, …, b_p)``."""
        return tuple(h.rank for h in self.homology)

    @property
    def complexity(self):
        """Total Betti number ``Σ_k b_k`` (the complexity used by :func:`decay_rate`)."""
        return sum(self.betti_numbers)

    def to_json(self):
        """Plain JSON: ints, floats (the discretisation) and homology groups.

        ``"construction"`` is present when it is not the default ``"T"``.
        """
        out = {"betti_numbers": list(self.betti_numbers),
               "homology": [h.to_json() for h in self.homology],
               "complexity": self.complexity,
               "n_points": self.n_points, "ambient_dim": self.ambient_dim,
               "projected_dim": self.projected_dim,
               "explained_variance": round(self.explained_variance, 6),
               "grid_shape": list(self.grid_shape), "occupied_cells": self.occupied,
               "cell_size": self.cell_size}
        if self.construction != "T":
            out["construction"] = self.construction
        return out


def point_cloud_topology(points, *, resolution=16, threshold=1, max_dim=3, bounds=None,
                         construction="T"):
    """Exact homology of a point cloud's occupancy set at a stated resolution.

    The cloud is projected onto its first ``max_dim`` principal axes
    (:func:`principal_projection`, only when its dimension exceeds ``max_dim``),
    voxelised (:func:`occupancy_grid`) and the union of the occupied closed cubes is
    given its integral homology (:class:`CubicalComplex`, T-construction; with
    ``construction="V"`` the occupied cubes are taken as vertices instead).

    Parameters
    ----------
    points : array_like, shape (n, m)
    resolution, threshold : int
        See :func:`occupancy_grid`.
    max_dim : int
        At most this many coordinates are kept (default 3).
    bounds : (lo, hi), optional
        Box of the grid in the projected coordinates (default: the bounding box).
    construction : {"T", "V"}
        See :class:`CubicalComplex` (default ``"T"``).

    Returns
    -------
    PointCloudTopology

    Examples
    --------
    Forty points on a circle make a ring of occupied cubes:

    >>> import numpy as np
    >>> t = np.linspace(0, 2 * np.pi, 40, endpoint=False)
    >>> point_cloud_topology(np.c_[np.cos(t), np.sin(t)], resolution=8).betti_numbers
    (1, 1, 0)
    """
    X = _points(points)
    kind = _construction(construction)
    Y, explained = principal_projection(X, max_dim)
    return _topology_on(Y, explained, X.shape[1], resolution, threshold, bounds, kind)


# ---------------------------------------------------------------------------------------
# data through the layers of a network
# ---------------------------------------------------------------------------------------
def layer_embeddings(network, data, *, include_output=True):
    """The embeddings of a data set in every layer of a network (float64).

    ``h_0 = x`` (the input), ``h_ℓ = relu(W_ℓ h_{ℓ−1} + b_ℓ)`` for the hidden layers
    ``ℓ = 1 … L−1`` (post-ReLU), and the output ``W_L h_{L−1} + b_L`` (SPEC §1). The exact
    rational weights are rounded to float64 once; the pass is numpy matrix arithmetic.

    Parameters
    ----------
    network : Network
    data : array_like, shape (n, network.input_dim)
    include_output : bool
        Also return the output layer (default True).

    Returns
    -------
    list of (str, ndarray)
        ``("input", X), ("hidden 1", h_1), …, ("output", f(X))``.

    Examples
    --------
    >>> from polytopo.network import Network
    >>> net = Network.from_lists([([[1, 0], [0, -1]], [0, 0]), ([[1, 1]], [1])])
    >>> [(name, h.tolist()) for name, h in layer_embeddings(net, [[1, 2]])]
    [('input', [[1.0, 2.0]]), ('hidden 1', [[1.0, 0.0]]), ('output', [[2.0]])]
    """
    X = _points(data)
    if X.shape[1] != network.input_dim:
        raise InputError(f"data has {X.shape[1]} columns but the network takes "
                         f"{network.input_dim} inputs")
    out = [("input", X)]
    h = X
    n_layers = len(network.weights)
    for i, (w, b) in enumerate(zip(network.weights, network.biases)):
        W = np.array([[float(v) for v in row] for row in w], dtype=np.float64)
        c = np.array([float(v) for v in b], dtype=np.float64)
        h = h @ W.T + c
        if i < n_layers - 1:
            h = np.maximum(h, 0.0)
            out.append((f"hidden {i + 1}", h))
        elif include_output:
            out.append(("output", h))
    return out


@dataclass(frozen=True)
class LayerTopology:
    """Topology of a data set's embedding in one layer.

    Attributes
    ----------
    index : int
        0 for the input, ``ℓ`` for hidden layer ``ℓ``, ``L`` for the output.
    name : str
    width : int
        Dimension of the embedding.
    topology : PointCloudTopology
        Of the whole data set.
    per_class : tuple of (label, PointCloudTopology)
        Of each class, on the same projection and grid as the whole set (empty without labels).
    """

    index: int
    name: str
    width: int
    topology: PointCloudTopology
    per_class: tuple = ()

    @property
    def complexity(self):
        """``Σ_k b_k`` of the whole set."""
        return self.topology.complexity

    @property
    def class_complexity(self):
        """``Σ_classes Σ_k b_k`` (None without labels)."""
        if not self.per_class:
            return None
        return sum(t.complexity for _, t in self.per_class)

    def to_json(self):
        """Plain JSON: the whole set's topology, then ``per_class`` when labels were given."""
        out = {"index": self.index, "name": self.name, "width": self.width,
               **self.topology.to_json()}
        if self.per_class:
            out["class_complexity"] = self.class_complexity
            out["per_class"] = [{"label": _json_label(lab), **t.to_json()}
                                for lab, t in self.per_class]
        return out


def layer_topology(network, data, *, labels=None, resolution=16, threshold=1, max_dim=3,
                   include_output=True, construction="T"):
    """Betti numbers of a data set in every layer of a network (cubical homology per layer).

    For each layer's embedding ``h_ℓ(X)`` (:func:`layer_embeddings`): project onto the
    first ``max_dim`` principal axes of ``h_ℓ(X)``, voxelise on the grid of
    :func:`occupancy_grid` (``resolution`` cubes along the longest axis, occupancy ``≥
    threshold`` points) and compute the exact integral homology of the occupied set
    (occupied cubes as voxels, the T-construction, unless ``construction="V"``).
    With ``labels``, each class is voxelised on the same grid (same projection, same
    box) and gets its own homology (``class_complexity`` sums them).

    Parameters
    ----------
    network : Network
    data : array_like, shape (n, input_dim)
    labels : array_like, shape (n,), optional
    resolution, threshold, max_dim : int
    include_output : bool
    construction : {"T", "V"}
        See :class:`CubicalComplex` (default ``"T"``).

    Returns
    -------
    list of LayerTopology
        Input first, then the hidden layers, then the output.

    Examples
    --------
    A ReLU layer folds a circle onto a segment:

    >>> import numpy as np
    >>> from polytopo.network import Network
    >>> net = Network.from_lists([([[1, 0]], [0]), ([[1]], [0])])
    >>> t = np.linspace(0, 2 * np.pi, 200, endpoint=False)
    >>> [L.topology.betti_numbers for L in layer_topology(net, np.c_[np.cos(t), np.sin(t)],
    ...                                                  resolution=10)]
    [(1, 1, 0), (1, 0), (1, 0)]
    """
    X = _points(data)
    kind = _construction(construction)
    y = None
    if labels is not None:
        y = np.asarray(labels)
        if y.ndim != 1 or len(y) != len(X):
            raise InputError(f"labels must be a vector of length {len(X)}, got shape {y.shape}")
    result = []
    for index, (name, H) in enumerate(layer_embeddings(network, X, include_output=include_output)):
        Y, explained = principal_projection(H, max_dim)
        lo, hi = Y.min(axis=0), Y.max(axis=0)
        whole = _topology_on(Y, explained, H.shape[1], resolution, threshold, (lo, hi), kind)
        per_class = ()
        if y is not None:
            per_class = tuple((lab, _topology_on(Y[y == lab], explained, H.shape[1], resolution,
                                                 threshold, (lo, hi), kind))
                              for lab in np.unique(y))
        result.append(LayerTopology(index, name, int(H.shape[1]), whole, per_class))
    return result


def decay_rate(complexities):
    """Exponential decay rate of topological complexity across depth.

    With ``C_ℓ > 0`` the complexity of layer ``ℓ = 0 … L`` (total Betti number), the rate
    is the least-squares slope ``λ`` of ``−ln C_ℓ`` against ``ℓ``, i.e. the best fit
    ``C_ℓ ≈ C_0 e^{−λ ℓ}``: ``λ > 0`` means the network simplifies the data's topology,
    and ``e^{−λ}`` is the average factor per layer.

    This is polytopo's own definition (scale-free, and defined for any depth ``L ≥ 1``).
    The score of Suresh et al. (arXiv:2311.04592), a weighted sum of the coefficients
    of a ridge-regularised cubic fit, is :func:`decay_score`. It is a different number
    with the opposite sign convention: for ``[8, 4, 2, 1]``, ``λ = ln 2`` while
    ``θ ≈ −0.743``.

    Parameters
    ----------
    complexities : sequence of positive numbers (at least 2)

    Returns
    -------
    float

    Raises
    ------
    PointlessQuestion
        For fewer than two layers or a complexity ``≤ 0`` (an empty embedding).

    Examples
    --------
    >>> round(decay_rate([8, 4, 2, 1]), 6) == round(math.log(2), 6)
    True
    >>> decay_rate([3, 3])
    0.0

    See Also
    --------
    decay_score : The topological-complexity decay score of Suresh et al.
    """
    c = np.asarray(list(complexities), dtype=np.float64)
    if c.ndim != 1 or len(c) < 2:
        raise PointlessQuestion("a decay rate needs the complexity of at least two layers")
    if not np.all(c > 0) or not np.all(np.isfinite(c)):
        raise PointlessQuestion("complexities must be positive (a non-empty set has b_0 >= 1)")
    ell = np.arange(len(c), dtype=np.float64) - (len(c) - 1) / 2
    y = np.log(c)
    return float(-np.dot(ell, y - y.mean()) / np.dot(ell, ell)) + 0.0


def decay_score(complexities):
    """The topological-complexity decay score ``θ`` of Suresh et al. (a ridge-fitted cubic).

    Given the complexities ``b_1, …, b_L ≥ 0`` of the layers ``x = 1, …, L`` (total Betti
    number per layer, already averaged over samples and classes by the caller), let
    ``y = b / ‖b‖_2`` and fit ``y_x ≈ c_0 + c_1 x + c_2 x² + c_3 x³`` by ridge
    regression with penalty ``α = 10⁻³`` on ``c_1, c_2, c_3`` and an unpenalised intercept
    ``c_0``: with ``P`` the ``L × 3`` matrix of rows ``(x, x², x³)``, ``P_c`` its
    column-centred copy and ``y_c = y − mean(y)``, the coefficients solve

    ``(P_cᵀ P_c + α I) c = P_cᵀ y_c``.

    The score is ``θ = c_1 + c_2 / 2 + c_3 / 2``.

    This is the score of Suresh, Das, Abrol and Dutta Roy, *On Characterizing the
    Evolution of Embedding Space of Neural Networks using Algebraic Topology*
    (arXiv:2311.04592; Pattern Recognit. Lett. 2024). The paper's text was not
    available to us: the formula is the one of the authors' published analysis code
    (polynomial degree 3, ridge ``α = 10⁻³``, weights ``(1, 1/2, 1/2)`` on the linear,
    quadratic and cubic coefficients), which fits with scikit-learn's ``Ridge`` on
    ``PolynomialFeatures(3)``; this is the same computation in numpy. The arithmetic is
    float64 (this is data analysis): the ridge system is solved as the least-squares
    problem ``[P_c; √α I] c ≈ [y_c; 0]``, which has the same solution as the equations
    above and is better conditioned. ``θ`` does not change when ``b`` is multiplied by
    a positive constant.

    Parameters
    ----------
    complexities : sequence of non-negative numbers (at least 2, not all 0)
        ``b_1 … b_L``, one per layer in order of depth.

    Returns
    -------
    float

    Raises
    ------
    InputError
        For something that is not a flat sequence of numbers.
    PointlessQuestion
        For fewer than two layers, a NaN or infinite value, a negative value, or only
        zeros (no direction to normalise).

    See Also
    --------
    decay_rate : polytopo's own log-slope rate of decay.
    sublevel_betti : Betti numbers of the sublevel sets of a feature map.

    Examples
    --------
    Complexity halving at every layer (the fit is not symmetric under reversing the
    layers: the quadratic and cubic terms count too):

    >>> round(decay_score([8, 4, 2, 1]), 4), round(decay_score([1, 2, 4, 8]), 4)
    (-0.7433, 0.108)
    >>> round(decay_score([1, 1, 1, 1]), 12)
    0.0
    """
    b = _flat_numbers(complexities, "complexities", ", one per layer")
    if len(b) < 2:
        raise PointlessQuestion("a decay score needs the complexity of at least two layers")
    if not np.all(np.isfinite(b)):
        raise PointlessQuestion("complexities must be finite (no NaN or infinity)")
    if np.any(b < 0):
        raise PointlessQuestion("complexities must be non-negative (they count Betti numbers)")
    norm = float(np.linalg.norm(b))
    if norm == 0:
        raise PointlessQuestion("complexities are all zero: there is no decay to score")
    y = b / norm
    x = np.arange(1, len(b) + 1, dtype=np.float64)
    P = np.stack([x ** k for k in range(1, _DECAY_DEGREE + 1)], axis=1)
    A = np.vstack([P - P.mean(axis=0), math.sqrt(_DECAY_ALPHA) * np.eye(_DECAY_DEGREE)])
    rhs = np.concatenate([y - y.mean(), np.zeros(_DECAY_DEGREE)])
    c = np.linalg.lstsq(A, rhs, rcond=None)[0]
    return float(np.dot(c, _DECAY_WEIGHTS)) + 0.0


# ---------------------------------------------------------------------------------------
# private helpers
# ---------------------------------------------------------------------------------------
def _binary(image):
    try:
        arr = np.asarray(image)
    except (ValueError, TypeError):
        raise InputError("an image must be a rectangular array of booleans or 0/1") from None
    if arr.ndim == 0:
        raise InputError("an image must have at least one axis")
    if arr.dtype == bool:
        return arr.astype(bool, copy=True)
    if arr.dtype.kind not in "iuf" or not np.all((arr == 0) | (arr == 1)):
        raise InputError("image entries must be booleans or 0/1 (threshold a grey-scale "
                         "image first, e.g. image >= t)")
    return arr.astype(bool)


def _flat_numbers(values, what, hint=""):
    """A flat sequence of real numbers as float64 (NaN and ±inf kept), or an InputError."""
    try:
        b = np.asarray(values)
    except (ValueError, TypeError):
        raise InputError(f"{what} must be a flat sequence of numbers") from None
    if b.ndim != 1 or (b.size and b.dtype.kind not in "biuf"):
        raise InputError(f"{what} must be a flat sequence of numbers{hint}")
    return b.astype(np.float64)


def _points(points):
    try:
        X = np.asarray(points, dtype=np.float64)
    except (ValueError, TypeError):
        raise InputError("points must be a numeric array of shape (n, m)") from None
    if X.ndim != 2 or X.shape[1] < 1:
        raise InputError(f"points must be an array of shape (n, m) with m >= 1, got shape "
                         f"{X.shape}")
    if not np.all(np.isfinite(X)):
        raise InputError("points must be finite (no NaN or infinity)")
    return X


def _positive_int(x, name):
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)) or x < 1:
        raise InputError(f"{name} must be a positive integer, got {x!r}")
    return int(x)


def _json_label(lab):
    return lab.item() if hasattr(lab, "item") else lab


def _topology_on(Y, explained, width, resolution, threshold, bounds, construction="T"):
    grid, frame = occupancy_grid(Y, resolution, threshold=threshold, bounds=bounds)
    homology = CubicalComplex(grid, construction=construction).homology()
    return PointCloudTopology(tuple(homology), int(Y.shape[0]), int(width), int(Y.shape[1]),
                              explained, tuple(grid.shape), int(grid.sum()), frame["cell_size"],
                              construction)


def _construction(construction):
    if isinstance(construction, str) and construction in CONSTRUCTIONS:
        return construction
    raise InputError(f'construction must be "T" (entries are voxels) or "V" (entries are '
                     f'vertices), got {construction!r}')


def _real_array(values):
    try:
        F = np.asarray(values)
    except (ValueError, TypeError):
        raise InputError("values must be a rectangular array of real numbers") from None
    if F.ndim == 0:
        raise InputError("values must be an array with at least one axis")
    if F.dtype.kind not in "biuf":
        raise InputError(f"values must be real numbers, got dtype {F.dtype}")
    F = F.astype(np.float64)
    if not np.all(np.isfinite(F)):
        raise InputError("values must be finite (no NaN or infinity)")
    return F


def _thresholds(thresholds):
    eta = _flat_numbers(thresholds, "thresholds", " (for one threshold t, pass [t])")
    if np.any(np.isnan(eta)):
        raise InputError("thresholds must not be NaN")
    return eta


def _max_dim(max_dim, d):
    if isinstance(max_dim, bool) or not isinstance(max_dim, (int, np.integer)) \
            or not 0 <= max_dim <= d:
        raise InputError(f"max_dim must be an integer from 0 to {d} (the array's dimension), "
                         f"got {max_dim!r}")
    return int(max_dim)


def _sublevel_betti_by_duality(F, cells, kind, levels, wanted):
    """``{key: [b_0, …, b_d]}`` of the sublevel sets ``F ≤ levels[key − 1]``, for ``d ≤ 3``.

    See the Notes of :func:`sublevel_betti`: ``b_0`` and (3-D) ``b_2`` by component
    labelling, ``b_1`` from the Euler characteristic.
    """
    from scipy import ndimage

    d = F.ndim
    full, cross = np.ones((3,) * d, bool), ndimage.generate_binary_structure(d, 1)
    inside, outside = (cross, full) if kind == "V" else (full, cross)
    chi = _sublevel_euler(cells, levels[np.array(wanted) - 1])
    out = {}
    for key, c in zip(wanted, chi.tolist()):
        M = F <= levels[key - 1]
        b = [ndimage.label(M, structure=inside)[1]] + [0] * d
        if d == 3:
            b[2] = ndimage.label(np.pad(~M, 1, constant_values=True), structure=outside)[1] - 1
        if d >= 2:  # χ = b_0 − b_1 + b_2
            b[1] = b[0] + b[2] - c if d == 3 else b[0] - c
        out[key] = [int(v) for v in b]
    return out


def _sublevel_euler(cells, at):
    """``χ`` of the complexes ``{cells ≤ a}`` for each ``a`` in ``at`` (exact integers)."""
    vals = cells.ravel()
    order = np.argsort(vals, kind="stable")
    signs = 1 - 2 * (_cell_dimensions(cells.shape).ravel()[order] % 2)
    cum = np.concatenate([[0], np.cumsum(signs)])
    return cum[np.searchsorted(vals[order], at, side="right")]


def _closure(img):
    """Khalimsky array of the T-construction: True at every face of an occupied voxel."""
    return _t_cells(img, np.logical_or, False)


def _vertex_closure(img):
    """Khalimsky array of the V-construction: True at every cube whose vertices are all occupied."""
    return _v_cells(img, np.logical_and)


def _cell_values(F, kind):
    """Khalimsky array of filtration values: a cell is in the η-sublevel complex iff it is ≤ η."""
    if kind == "T":
        return _t_cells(F, np.minimum, np.inf)
    return _v_cells(F, np.maximum)


def _t_cells(arr, op, fill):
    """Voxels at odd positions; ``op``-combine each even position with its odd neighbours."""
    d = arr.ndim
    D = np.full(tuple(2 * n + 1 for n in arr.shape), fill, dtype=arr.dtype)
    D[(slice(1, None, 2),) * d] = arr
    for ax in range(d):  # an even position along ax takes both neighbours into account
        even = D[(slice(None),) * ax + (slice(0, None, 2),)]
        odd = D[(slice(None),) * ax + (slice(1, None, 2),)]
        lo, hi = ((slice(None),) * ax + (slice(1, None),), (slice(None),) * ax + (slice(0, -1),))
        op(even[lo], odd, out=even[lo])
        op(even[hi], odd, out=even[hi])
    return D


def _v_cells(arr, op):
    """Vertices at even positions; an odd position along an axis ``op``-combines its two ends."""
    d = arr.ndim
    D = np.zeros(tuple(max(2 * n - 1, 0) for n in arr.shape), dtype=arr.dtype)
    D[(slice(0, None, 2),) * d] = arr
    for ax in range(d):  # after axis ax, a cell combines its vertices along axes 0..ax
        even = D[(slice(None),) * ax + (slice(0, None, 2),)]
        odd = D[(slice(None),) * ax + (slice(1, None, 2),)]
        op(even[(slice(None),) * ax + (slice(0, -1),)],
           even[(slice(None),) * ax + (slice(1, None),)], out=odd)
    return D


def _cell_dimensions(shape):
    """Array of cell dimensions (number of odd Khalimsky coordinates) over a grid shape."""
    dims = np.zeros(shape, dtype=np.int64)
    for ax, n in enumerate(shape):
        dims += (np.arange(n) % 2).reshape((-1,) + (1,) * (len(shape) - ax - 1))
    return dims


def _index_cells(mask, dims, d):
    """Per-dimension flat positions of the cells in ``mask`` and a position → index map."""
    flat, dflat = mask.ravel(), dims.ravel()
    index = np.full(flat.size, -1, dtype=np.int64)
    positions = []
    for k in range(d + 1):
        pos = np.flatnonzero(flat & (dflat == k))
        index[pos] = np.arange(pos.size)
        positions.append(pos)
    return positions, index


def _faces(pos, k, shape, strides):
    """Flat positions and signs of the 2k facets of the k-cells at flat positions ``pos``.

    Column ``2i`` is ``Q^+_{j_i}`` with sign ``(−1)^i``, column ``2i+1`` is ``Q^-_{j_i}``
    with the opposite sign (``i`` from 0).
    """
    coords = np.stack(np.unravel_index(pos, shape), axis=1)
    odd_axes = np.nonzero(coords % 2 == 1)[1].reshape(len(pos), k)
    faces = np.empty((len(pos), 2 * k), dtype=np.int64)
    signs = np.empty((len(pos), 2 * k), dtype=np.int64)
    for i in range(k):
        step = strides[odd_axes[:, i]]
        s = 1 if i % 2 == 0 else -1
        faces[:, 2 * i], signs[:, 2 * i] = pos + step, s
        faces[:, 2 * i + 1], signs[:, 2 * i + 1] = pos - step, -s
    return faces, signs


def _strides(shape):
    return np.array([int(np.prod(shape[i + 1:], dtype=np.int64)) for i in range(len(shape))],
                    dtype=np.int64)


def _columns(faces, signs):
    return [dict(zip(f, s)) for f, s in zip(faces.tolist(), signs.tolist())]


def _chain_complex(levels, n0):
    # The columns are valid by construction and ∂∂ = 0 is a theorem for both complexes
    # (tests check it with ChainComplex.check_boundary): skip the O(nnz) re-validation,
    # as homology.simplicial_complex does.
    columns = [[{} for _ in range(n0)], *levels]
    cc = _trusted(columns, [tuple(range(len(c))) for c in columns])
    cc._checked = True
    return cc


def _full_chain_complex(D):
    d, shape = D.ndim, D.shape
    positions, index = _index_cells(D, _cell_dimensions(shape), d)
    strides = _strides(shape)
    levels = []
    for k in range(1, d + 1):
        if len(positions[k]) == 0:
            levels.append([])
            continue
        faces, signs = _faces(positions[k], k, shape, strides)
        levels.append(_columns(index[faces], signs))
    return _chain_complex(levels, len(positions[0]))


def _run_ends(D, a):
    """For every position, the last Khalimsky position of its run along axis ``a``."""
    L = D.shape[a]
    pos = np.arange(L).reshape((-1,) + (1,) * (D.ndim - a - 1))
    first_absent = np.where(D, L, pos)  # absent cells stop a run at themselves
    first_absent = np.flip(np.minimum.accumulate(np.flip(first_absent, a), axis=a), a)
    return first_absent - 1


def _critical(D, a):
    L = D.shape[a]
    succ = np.zeros_like(D)
    succ[(slice(None),) * a + (slice(0, L - 1),)] = D[(slice(None),) * a + (slice(1, L),)]
    even = (np.arange(L) % 2 == 0).reshape((-1,) + (1,) * (D.ndim - a - 1))
    return D & even & ~succ


def _morse_chain_complex(D):
    d, shape = D.ndim, D.shape
    counts = [(int(_critical(D, a).sum()), a) for a in range(d)]
    a = min(counts)[1]
    crit = _critical(D, a)
    positions, index = _index_cells(crit, _cell_dimensions(shape), d)
    strides = _strides(shape)
    ends = _run_ends(D, a).ravel()
    levels = []
    for k in range(1, d + 1):
        if len(positions[k]) == 0:
            levels.append([])
            continue
        faces, signs = _faces(positions[k], k, shape, strides)
        here = (faces // strides[a]) % shape[a]
        slid = faces + (ends[faces] - here) * strides[a]
        levels.append(_columns(index[slid], signs))
    return _chain_complex(levels, len(positions[0]))
