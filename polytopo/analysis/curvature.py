"""Discrete Ricci curvature of data through the layers of a network, and the Ricci flow coefficient.

For each layer's embedding of a data set, a k-nearest-neighbour graph; on its edges the
Forman–Ricci curvature (an exact integer) and, optionally, the Ollivier–Ricci curvature
(an optimal-transport value); and the *global Ricci network flow coefficient* of
Baptista et al., *Deep Learning as Ricci Flow* (Sci. Rep. 14, 2024; arXiv:2404.14265),
which correlates the curvature of one layer with the change of graph distances to the
next. Embeddings are float64 (data analysis: they come from
:func:`polytopo.analysis.embeddings.layer_embeddings`, and both modules read point clouds
through :func:`polytopo.runtime.checks.check_points`); graph quantities are exact integers.
"""

__all__ = [
    "knn_graph",
    "directed_knn_graph",
    "forman_curvature",
    "ollivier_curvature",
    "geodesic_sum",
    "LayerGeometry",
    "layer_geometry",
    "RicciFlowCoefficient",
    "ricci_flow_coefficient",
    "PooledRicciFlow",
    "pooled_ricci_flow_coefficient",
    "CONVENTIONS",
    "ot_backend",
]

import importlib.util
import math
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components, shortest_path

from ..runtime import checks as _validate
from ..exceptions import InputError, PointlessQuestion

#: optional: POT's network simplex solves the small transport problems ~10× faster than
#: an LP; imported on first use (importing POT takes seconds when torch is installed)
try:
    _HAVE_POT = importlib.util.find_spec("ot") is not None
except (ImportError, ValueError):  # pragma: no cover - a broken or blocked installation
    _HAVE_POT = False

#: the two ways of turning layers into graphs and curvature totals (see ricci_flow_coefficient)
CONVENTIONS = ("symmetric", "directed")

#: the authors' published analysis code, the source of the "directed" convention
REFERENCE_CODE = ("github.com/anthbapt/Ricci-NN, fMNIST_kNN_RCoef_eval.r (R: cccd::nng, "
                  "igraph::degree and igraph::distances)")

REFERENCE = ("A. Baptista, A. Barp, T. Chakraborti, C. Harbron, B. D. MacArthur, "
             "C. R. S. Banerji, Deep Learning as Ricci Flow, Sci. Rep. 14 (2024); "
             "arXiv:2404.14265")


def ot_backend():
    """Name the solver of the transport problems in :func:`ollivier_curvature`.

    Returns
    -------
    str
        ``"POT network simplex (ot.emd2)"`` when the ``pot`` package is importable,
        else ``"SciPy HiGHS linear program"``. Both return the optimum (to float64).

    Examples
    --------
    >>> ot_backend() in ("POT network simplex (ot.emd2)", "SciPy HiGHS linear program")
    True
    """
    return "POT network simplex (ot.emd2)" if _HAVE_POT else "SciPy HiGHS linear program"


# ---------------------------------------------------------------------------------------
# graphs
# ---------------------------------------------------------------------------------------
def knn_graph(points, k):
    """The symmetric k-nearest-neighbour graph of a point cloud (unweighted).

    ``{i, j}`` is an edge when ``j`` is among the ``k`` nearest points of ``i`` or ``i``
    among those of ``j`` (Euclidean distance; the union, a simple undirected graph).
    Ties at the k-th distance are broken by the k-d tree (deterministic for a given
    input order; use points in general position for order-free results, or
    :func:`directed_knn_graph`, which keeps every tie, as the analysis code of
    Baptista et al. does).

    Parameters
    ----------
    points : array_like, shape (n, m)
    k : int
        ``1 ≤ k < n``.

    Returns
    -------
    scipy.sparse.csr_array
        The ``n × n`` 0/1 adjacency matrix (int8, symmetric, zero diagonal).

    Examples
    --------
    >>> A = knn_graph([[0.0], [1.0], [3.0], [7.0]], 1)
    >>> sorted(zip(*[v.tolist() for v in sparse.triu(A).nonzero()]))
    [(0, 1), (1, 2), (2, 3)]
    """
    from scipy.spatial import cKDTree

    X = _validate.check_points(points)
    n = len(X)
    _check_k(k, n)
    _, idx = cKDTree(X).query(X, k=k + 1)
    rows = np.repeat(np.arange(n), k + 1).reshape(n, k + 1)
    self_hit = idx == rows
    # drop the point itself, or the (k+1)-th neighbour when duplicates hid it
    keep = ~self_hit
    no_self = ~self_hit.any(axis=1)
    keep[no_self, k] = False
    r, c = rows[keep], idx[keep]
    A = sparse.csr_array((np.ones(len(r), dtype=np.int8), (r, c)), shape=(n, n))
    A = ((A + A.T) > 0).astype(np.int8)
    A.setdiag(0)
    A.eliminate_zeros()
    return A


def directed_knn_graph(points, k):
    """The directed k-nearest-neighbour graph of a point cloud, ties at the k-th distance kept.

    ``i → j`` is an arc when ``j ≠ i`` and ``|x_i − x_j| ≤ d_k(i)``, the k-th smallest
    distance from ``x_i`` to the other points (Euclidean). Every point at the k-th
    distance is kept, so a row may have more than ``k`` arcs, and the graph does not
    depend on the order of the points. This is the graph of ``cccd::nng(x, k = k)`` in R
    (not mutual), the one built by the published analysis code of Baptista et al.
    (:data:`REFERENCE_CODE`). Distances are float64, computed by
    ``scipy.spatial.distance.cdist`` one block of rows at a time, and ties are equality
    of those floats.

    Parameters
    ----------
    points : array_like, shape (n, m)
    k : int
        ``1 ≤ k < n``.

    Returns
    -------
    scipy.sparse.csr_array
        The ``n × n`` 0/1 (int8) matrix with ``A[i, j] = 1`` for each arc ``i → j``; not
        symmetric in general.

    Examples
    --------
    On a line, point 1 has two nearest points at distance 1 and keeps both:

    >>> A = directed_knn_graph([[0.0], [1.0], [2.0], [4.0]], 1)
    >>> sorted(zip(*[v.tolist() for v in A.nonzero()]))
    [(0, 1), (1, 0), (1, 2), (2, 1), (3, 2)]
    """
    from scipy.spatial.distance import cdist

    X = _validate.check_points(points)
    n = len(X)
    _check_k(k, n)
    rows, cols = [], []
    block = max(1, min(n, 2 ** 22 // max(n, 1)))
    for start in range(0, n, block):
        D = cdist(X[start:start + block], X)
        idx = np.arange(len(D))
        D[idx, start + idx] = np.inf  # not its own neighbour
        dk = np.partition(D, k - 1, axis=1)[:, k - 1]
        r, c = np.nonzero(D <= dk[:, None])
        rows.append(r + start)
        cols.append(c)
    r, c = np.concatenate(rows), np.concatenate(cols)
    return sparse.csr_array((np.ones(len(r), dtype=np.int8), (r, c)), shape=(n, n))


def geodesic_sum(graph):
    """``g = Σ_{i<j} γ(i, j)``, the sum of graph (hop) distances over all pairs of vertices.

    ``γ(i, j)`` is the length of a shortest path (unit edge lengths); this is the
    "total geodesic distance" ``g_ℓ`` of a layer in Baptista et al. (Methods).

    Parameters
    ----------
    graph : networkx.Graph or square scipy sparse / numpy adjacency matrix

    Returns
    -------
    int

    Raises
    ------
    PointlessQuestion
        For a disconnected graph (some distances are infinite).

    Examples
    --------
    >>> import networkx as nx
    >>> geodesic_sum(nx.path_graph(4))  # 1+2+3 + 1+2 + 1
    10
    """
    A, _ = _adjacency(graph)
    return _geodesic_sum(_distances(A))


# ---------------------------------------------------------------------------------------
# curvatures
# ---------------------------------------------------------------------------------------
def forman_curvature(graph, *, augmented=False):
    """Forman–Ricci curvature of every edge of an unweighted graph (exact integers).

    For an edge ``e = {i, j}`` with unit vertex and edge weights, Forman's curvature
    reduces to ``F(e) = 4 − deg(i) − deg(j)`` (Sreejith, Mohanraj, Jost, Saucan and
    Samal, *Forman curvature for complex networks*, J. Stat. Mech. 2016, 063206, Eq. (2)
    with all weights 1; Forman, Discrete Comput. Geom. 29, 2003). This is the curvature
    of Baptista et al. With ``augmented=True`` the triangles containing ``e`` are counted
    as 2-cells: ``F#(e) = 4 − deg(i) − deg(j) + 3·t(e)``, ``t(e)`` the number of
    triangles on ``e`` (Samal et al., *Comparative analysis of two discretizations of
    Ricci curvature for complex networks*, Sci. Rep. 8, 2018, 8650).

    Parameters
    ----------
    graph : networkx.Graph or square scipy sparse / numpy adjacency matrix
        Undirected; nonzero entries are edges (weights are ignored).
    augmented : bool

    Returns
    -------
    dict
        ``{(u, v): F}`` over the edges: node labels as in ``graph.edges()`` for a networkx
        graph, index pairs ``u < v`` for a matrix.

    Examples
    --------
    >>> import networkx as nx
    >>> set(forman_curvature(nx.cycle_graph(6)).values())      # 4 − 2 − 2
    {0}
    >>> set(forman_curvature(nx.complete_graph(5)).values())   # 4 − 4 − 4
    {-4}
    >>> forman_curvature(nx.star_graph(3))                     # 4 − 3 − 1
    {(0, 1): 0, (0, 2): 0, (0, 3): 0}
    >>> set(forman_curvature(nx.complete_graph(5), augmented=True).values())  # −4 + 3·3
    {5}
    """
    A, labels = _adjacency(graph)
    i, j, F = _forman_edges(A, augmented=augmented)
    return _edge_dict(i, j, F.tolist(), labels, graph)


def ollivier_curvature(graph, *, alpha=0.0):
    """Ollivier–Ricci curvature of every edge: ``κ(x, y) = 1 − W_1(m_x, m_y) / d(x, y)``.

    ``m_x = α δ_x + (1 − α)/deg(x) Σ_{z∼x} δ_z`` is the lazy random-walk measure at ``x``,
    ``W_1`` the Wasserstein-1 (earth mover's) distance for the graph's hop metric, and
    ``d(x, y) = 1`` on edges (Ollivier, *Ricci curvature of Markov chains on metric
    spaces*, J. Funct. Anal. 256, 2009, Def. 3; with idleness ``α`` as in Lin, Lu and
    Yau, Tohoku Math. J. 63, 2011). ``W_1`` is a small linear program per edge, solved
    by POT's network simplex when installed, else by SciPy's HiGHS (:func:`ot_backend`);
    values are float64.

    Parameters
    ----------
    graph : networkx.Graph or square scipy sparse / numpy adjacency matrix
    alpha : float
        Idleness, ``0 ≤ α < 1`` (default 0).

    Returns
    -------
    dict
        ``{(u, v): κ}`` keyed like :func:`forman_curvature`.

    Examples
    --------
    >>> import networkx as nx
    >>> {round(v, 9) for v in ollivier_curvature(nx.complete_graph(4)).values()}  # (n−2)/(n−1)
    {0.666666667}
    >>> {round(v, 9) for v in ollivier_curvature(nx.cycle_graph(7)).values()}
    {0.0}
    """
    if not isinstance(alpha, (int, float)) or isinstance(alpha, bool) or not 0 <= alpha < 1:
        raise InputError(f"alpha must be a number in [0, 1), got {_validate.show(alpha)}")
    A, labels = _adjacency(graph)
    i, j, _ = _forman_edges(A)
    kappa = _ollivier_edges(A, i, j, float(alpha), _distances(A))
    return _edge_dict(i, j, kappa.tolist(), labels, graph)


# ---------------------------------------------------------------------------------------
# layers
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LayerGeometry:
    """The k-nearest-neighbour graph of one embedding and its curvature.

    Attributes
    ----------
    n_points, k, n_edges, n_components : int
    forman_total : int
        ``Ric = Σ_e F(e)``, the total Forman–Ricci curvature (Baptista et al.'s ``Ric_ℓ``).
    forman_mean, forman_min, forman_max : float, int, int
    geodesic_sum : int or None
        ``g = Σ_{i<j} γ(i, j)`` (None when the graph is disconnected).
    ollivier_mean, ollivier_min, ollivier_max : float or None
        Only when requested.
    """

    n_points: int
    k: int
    n_edges: int
    n_components: int
    forman_total: int
    forman_mean: float
    forman_min: int
    forman_max: int
    geodesic_sum: object = None
    ollivier_mean: object = None
    ollivier_min: object = None
    ollivier_max: object = None

    def to_json(self):
        """Plain JSON: exact integers, floats rounded to 6 decimals; Ollivier only if computed."""
        out = {"n_points": self.n_points, "k": self.k, "n_edges": self.n_edges,
               "n_components": self.n_components, "forman_total": self.forman_total,
               "forman_mean": round(self.forman_mean, 6), "forman_min": self.forman_min,
               "forman_max": self.forman_max, "geodesic_sum": self.geodesic_sum}
        if self.ollivier_mean is not None:
            out.update(ollivier_mean=round(self.ollivier_mean, 6),
                       ollivier_min=round(self.ollivier_min, 6),
                       ollivier_max=round(self.ollivier_max, 6))
        return out


def layer_geometry(points, k, *, ollivier=False, alpha=0.0):
    """Curvature statistics of the k-nearest-neighbour graph of one embedding.

    Parameters
    ----------
    points : array_like, shape (n, m)
    k : int
        Neighbours per point (:func:`knn_graph`).
    ollivier : bool
        Also compute Ollivier–Ricci curvature on every edge (slower: one transport
        problem per edge).
    alpha : float
        Idleness of the Ollivier random walk.

    Returns
    -------
    LayerGeometry

    Examples
    --------
    Eight points on a circle, k = 2: each point's two nearest are its neighbours, the
    graph is the 8-cycle.

    >>> t = np.arange(8) * np.pi / 4
    >>> g = layer_geometry(np.c_[np.cos(t), np.sin(t)], 2)
    >>> g.n_edges, g.forman_total, g.geodesic_sum  # 8 · (1+2+3+4+3+2+1) / 2
    (8, 0, 64)
    """
    A = knn_graph(points, k)
    return _geometry(A, k, ollivier=ollivier, alpha=alpha)


@dataclass(frozen=True)
class RicciFlowCoefficient:
    """Baptista et al.'s global Ricci network flow coefficient of one network on one data set.

    Attributes
    ----------
    k : int
        Scale: neighbours per point of the graphs.
    convention : str
        ``"symmetric"`` or ``"directed"`` (see :func:`ricci_flow_coefficient`).
    ricci : tuple
        ``Ric_0 … Ric_L``: total Forman–Ricci curvature of each layer's graph (exact
        integers; ``None`` for the input layer under the directed convention, which
        does not use it).
    geodesic_sums : tuple of int
        ``g_0 … g_L``.
    eta : tuple of int
        ``η_ℓ = g_ℓ − g_{ℓ−1}`` for ``ℓ = 1 … L``.
    pairs : tuple of (int, int)
        The ``(Ric_{ℓ−1}, η_ℓ)`` pairs the coefficient correlates.
    coefficient : float
        ``ρ``, the Pearson correlation of ``pairs``; ``ρ < 0`` is Ricci-flow-like
        (negatively curved layers expand, positively curved contract).
    same_layer_pairs : tuple of (int, int)
        The ``(Ric_ℓ, η_ℓ)`` pairs (curvature of the layer a change of length ends in).
    same_layer_coefficient : float or None
        Their Pearson correlation (``None`` when undefined).
    layers : tuple of LayerGeometry
        Per-layer statistics of the symmetric graphs (empty under the directed convention).
    """

    k: int
    ricci: tuple
    geodesic_sums: tuple
    eta: tuple
    coefficient: float
    layers: tuple
    convention: str = "symmetric"
    pairs: tuple = ()
    same_layer_pairs: tuple = ()
    same_layer_coefficient: object = None

    def to_json(self):
        """Plain JSON: ``k``, the convention, the coefficients (6 decimals), exact sequences."""
        same = self.same_layer_coefficient
        return {"k": self.k, "convention": self.convention,
                "coefficient": round(self.coefficient, 6),
                "same_layer_coefficient": None if same is None else round(same, 6),
                "ricci": list(self.ricci), "geodesic_sums": list(self.geodesic_sums),
                "eta": list(self.eta), "pairs": [list(p) for p in self.pairs]}


def ricci_flow_coefficient(embeddings, k, *, geometries=None, convention="symmetric"):
    """The global Ricci network flow coefficient ``ρ`` of a sequence of embeddings.

    After Baptista et al., *Deep Learning as Ricci Flow* (Sci. Rep. 14, 2024, Methods,
    "global Ricci network flow"). For layers ``ℓ = 0 … L`` (the input first) let ``G_ℓ``
    be a k-nearest-neighbour graph of the embedding ``X_ℓ``, ``γ_ℓ(i, j)`` its
    shortest-path (hop) distances on the undirected graph, ``g_ℓ = Σ_{i<j} γ_ℓ(i, j)``,
    ``η_ℓ = g_ℓ − g_{ℓ−1}`` the change of total geodesic length, and ``Ric_ℓ`` the total
    Forman–Ricci curvature of ``G_ℓ`` with ``F(i, j) = 4 − deg(i) − deg(j)``. A discrete
    analogue of Hamilton's flow ``∂_t g = −2 Ric`` predicts that ``η_ℓ`` falls as
    ``Ric_{ℓ−1}`` rises, so ``ρ < 0``. The two conventions differ in the graph, the
    degree and the pairs:

    ``"symmetric"`` (default)
        ``G_ℓ`` is the symmetric (union) graph of :func:`knn_graph`, a simple graph whose
        edges are counted once: ``Ric_ℓ = Σ_{{i,j}} F(i, j) = 4|E| − Σ_i deg(i)²``. Every
        layer's curvature is used: ``ρ = Pearson((Ric_0 … Ric_{L−1}), (η_1 … η_L))``.
        Needs ``L ≥ 3``.
    ``"directed"``
        Exactly the published analysis code of the paper's authors
        (:data:`REFERENCE_CODE`). ``G_ℓ`` is :func:`directed_knn_graph` (ties kept),
        ``deg`` counts arcs in and out, and the sum runs over arcs, so a pair of mutual
        neighbours counts twice: ``Ric_ℓ = Σ_{i→j} F(i, j) = 4|A| − Σ_i deg(i)²``.
        ``X_1 … X_L`` are the hidden layers (leave the output layer out); the input's
        curvature is not computed, ``X_0`` only gives ``g_0``. The correlated pairs are
        ``(Ric_{ℓ−1}, η_ℓ)`` for ``ℓ = 2 … L``. Needs ``L ≥ 4``. (That code sums ``γ``
        over ordered pairs, ``2 g_ℓ``; the factor does not change ``ρ``.)

    The paper pools the pairs of many trained networks into one correlation
    (:func:`pooled_ricci_flow_coefficient`); ``ρ`` here is one network's value. The
    same-layer correlation of ``(Ric_ℓ, η_ℓ)``, which that code also reports, is
    returned as ``same_layer_coefficient``. Equation numbers of the paper could not be
    checked against its text.

    Parameters
    ----------
    embeddings : sequence of array_like
        ``X_0, …, X_L``, each of shape ``(n, m_ℓ)``; row ``i`` is the same data point in
        every layer.
    k : int
        Neighbours per point.
    geometries : sequence of LayerGeometry, optional
        Already computed :func:`layer_geometry` results for the same embeddings and k
        (symmetric convention only).
    convention : {"symmetric", "directed"}

    Returns
    -------
    RicciFlowCoefficient

    Raises
    ------
    PointlessQuestion
        For too few embeddings, a disconnected graph (increase k), or constant ``Ric``
        or ``η`` over the pairs (correlation undefined).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 3))
    >>> layers = [X, np.maximum(X, 0), np.maximum(X @ rng.normal(size=(3, 3)), 0) + X, X ** 3]
    >>> r = ricci_flow_coefficient(layers, 8)
    >>> len(r.eta), len(r.pairs), -1 <= r.coefficient <= 1
    (3, 3, True)
    >>> d = ricci_flow_coefficient(layers + [np.abs(X)], 8, convention="directed")
    >>> d.ricci[0] is None, len(d.pairs)
    (True, 3)
    """
    if not isinstance(convention, str) or convention not in CONVENTIONS:
        raise InputError(f"convention must be one of {', '.join(CONVENTIONS)}, got "
                         f"{_validate.show(convention)}")
    if isinstance(embeddings, (str, bytes)) or not hasattr(embeddings, "__iter__"):
        raise TypeError(f"embeddings must be a list of arrays of shape (n, m), got "
                        f"{type(embeddings).__name__}")
    embs = [_validate.check_points(E) for E in embeddings]
    need = 4 if convention == "symmetric" else 5
    if len(embs) < need:
        what = "the input and at least 4 hidden layers" if convention == "directed" else \
            "at least 4 embeddings"
        raise PointlessQuestion(f"the Ricci flow coefficient correlates consecutive layers: "
                                f"the {convention} convention needs {what} (3 pairs), got "
                                f"{len(embs)} embeddings")
    n = {len(E) for E in embs}
    if len(n) != 1:
        raise InputError("every embedding must have the same number of points (rows)")
    if convention == "symmetric":
        if geometries is None:
            geometries = [layer_geometry(E, k) for E in embs]
        for index, g in enumerate(geometries):
            if g.geodesic_sum is None:
                raise PointlessQuestion(f"the {k}-nearest-neighbour graph of layer {index} "
                                        f"has {g.n_components} components; increase k")
        ric = tuple(g.forman_total for g in geometries)
        gs = tuple(g.geodesic_sum for g in geometries)
        first = 1
    else:
        ric, gs = [None], []
        for index, E in enumerate(embs):
            A = directed_knn_graph(E, k)
            U = ((A + A.T) > 0).astype(np.int8)
            if connected_components(U, directed=False)[0] > 1:
                raise PointlessQuestion(f"the {k}-nearest-neighbour graph of layer {index} "
                                        f"is disconnected; increase k")
            gs.append(_geodesic_sum(_distances(U)))
            if index:
                deg = (np.asarray(A.sum(axis=0)).ravel().astype(np.int64)
                       + np.asarray(A.sum(axis=1)).ravel().astype(np.int64))
                ric.append(4 * int(A.nnz) - int(deg @ deg))
        ric, gs = tuple(ric), tuple(gs)
        geometries = ()
        first = 2
    eta = tuple(b - a for a, b in zip(gs, gs[1:]))
    pairs = tuple((ric[ell - 1], eta[ell - 1]) for ell in range(first, len(embs)))
    rho = _pearson(*zip(*pairs))
    same = tuple((ric[ell], eta[ell - 1]) for ell in range(1, len(embs)))
    try:
        rho_same = _pearson(*zip(*same))
    except PointlessQuestion:
        rho_same = None
    return RicciFlowCoefficient(int(k), ric, gs, eta, rho, tuple(geometries), convention,
                                pairs, same, rho_same)


@dataclass(frozen=True)
class PooledRicciFlow:
    """One Ricci flow coefficient from the pairs of several networks.

    Attributes
    ----------
    coefficient : float
        Pearson correlation of all the ``(Ric_{ℓ−1}, η_ℓ)`` pairs.
    same_layer_coefficient : float or None
        Pearson correlation of all the ``(Ric_ℓ, η_ℓ)`` pairs.
    n_networks, n_pairs : int
    k : int
    convention : str
    """

    coefficient: float
    same_layer_coefficient: object
    n_networks: int
    n_pairs: int
    k: int
    convention: str


def pooled_ricci_flow_coefficient(results):
    """The global Ricci network flow coefficient of a population of networks.

    Baptista et al. train many networks of one architecture on one task, keep the
    accurate ones, and correlate the pooled pairs ``(Ric_{ℓ−1}, η_ℓ)`` of all of them
    (their analysis code also drops networks whose graphs are disconnected). Pass the
    :func:`ricci_flow_coefficient` results of the networks you keep.

    Parameters
    ----------
    results : sequence of RicciFlowCoefficient
        Same ``k`` and convention.

    Returns
    -------
    PooledRicciFlow

    Raises
    ------
    InputError
        For an empty sequence or mixed scales or conventions.
    PointlessQuestion
        When ``Ric`` or ``η`` is constant over the pooled pairs.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> def net():
    ...     X = rng.normal(size=(50, 2))
    ...     W = rng.normal(size=(2, 2))
    ...     return [X, X @ W, np.maximum(X @ W, 0), np.maximum(X @ W @ W, 0)]
    >>> runs = [ricci_flow_coefficient(net(), 6) for _ in range(3)]
    >>> p = pooled_ricci_flow_coefficient(runs)
    >>> p.n_networks, p.n_pairs, -1 <= p.coefficient <= 1
    (3, 9, True)
    """
    if isinstance(results, (str, bytes)) or not hasattr(results, "__iter__"):
        raise TypeError(f"results must be a list of RicciFlowCoefficient, got "
                        f"{type(results).__name__}")
    results = list(results)
    for r in results:
        if not isinstance(r, RicciFlowCoefficient):
            raise TypeError(f"results must be RicciFlowCoefficient values, got "
                            f"{type(r).__name__}")
    if not results:
        raise InputError("pooling needs at least one Ricci flow coefficient")
    if len({(r.k, r.convention) for r in results}) != 1:
        raise InputError("pooled coefficients must share the scale k and the convention")
    pairs = [p for r in results for p in r.pairs]
    same = [p for r in results for p in r.same_layer_pairs]
    rho = _pearson(*zip(*pairs))
    try:
        rho_same = _pearson(*zip(*same))
    except PointlessQuestion:
        rho_same = None
    return PooledRicciFlow(rho, rho_same, len(results), len(pairs), results[0].k,
                           results[0].convention)


# ---------------------------------------------------------------------------------------
# private helpers
# ---------------------------------------------------------------------------------------
def _check_k(k, n):
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k < n:
        raise InputError(f"k must be an integer with 1 <= k < n = {n}, got {_validate.show(k)}")


def _adjacency(graph):
    """(symmetric csr 0/1 int8 adjacency, node labels or None) of a graph or matrix."""
    if hasattr(graph, "nodes") and hasattr(graph, "edges"):
        import networkx as nx

        if graph.is_directed():
            raise InputError("the graph must be undirected")
        labels = list(graph.nodes())
        A = nx.to_scipy_sparse_array(graph, nodelist=labels, weight=None, format="csr")
    else:
        labels = None
        try:
            A = sparse.csr_array(graph)
        except (TypeError, ValueError):
            raise InputError("a graph must be a networkx graph or a square adjacency "
                             "matrix") from None
        if A.ndim != 2 or A.shape[0] != A.shape[1]:
            raise InputError(f"an adjacency matrix must be square, got shape {A.shape}")
    A = (A != 0).astype(np.int8)
    A.setdiag(0)
    A.eliminate_zeros()
    if (A != A.T).nnz:
        raise InputError("the adjacency matrix must be symmetric (an undirected graph)")
    return A.tocsr(), labels


def _edge_dict(i, j, values, labels, graph):
    if labels is None:
        return {(int(a), int(b)): v for a, b, v in zip(i.tolist(), j.tolist(), values)}
    by_pair = {}
    for a, b, v in zip(i.tolist(), j.tolist(), values):
        by_pair[(labels[a], labels[b])] = v
        by_pair[(labels[b], labels[a])] = v
    return {(u, w): by_pair[(u, w)] for u, w in graph.edges()}


def _forman_edges(A, *, augmented=False):
    """Edges ``i < j`` (row-major order) and their Forman curvature (int64)."""
    deg = np.asarray(A.sum(axis=1)).ravel().astype(np.int64)
    U = sparse.triu(A, k=1).tocoo()
    order = np.lexsort((U.col, U.row))
    i, j = U.row[order].astype(np.int64), U.col[order].astype(np.int64)
    F = 4 - deg[i] - deg[j]
    if augmented and len(i):
        A64 = A.astype(np.int64)
        common = np.asarray(A64[i].multiply(A64[j]).sum(axis=1)).ravel()
        F = F + 3 * common
    return i, j, F


def _distances(A):
    return shortest_path(A, directed=False, unweighted=True)


def _geodesic_sum(D):
    if not np.all(np.isfinite(D)):
        raise PointlessQuestion("the graph is disconnected: some distances are infinite")
    return int(round(float(D.sum()))) // 2


def _ollivier_edges(A, i, j, alpha, D):
    indptr, indices = A.indptr, A.indices
    out = np.empty(len(i), dtype=np.float64)
    for e, (x, y) in enumerate(zip(i.tolist(), j.tolist())):
        nx_, ny_ = indices[indptr[x]:indptr[x + 1]], indices[indptr[y]:indptr[y + 1]]
        sx, sy = np.concatenate(([x], nx_)), np.concatenate(([y], ny_))
        mx = np.concatenate(([alpha], np.full(len(nx_), (1 - alpha) / len(nx_))))
        my = np.concatenate(([alpha], np.full(len(ny_), (1 - alpha) / len(ny_))))
        out[e] = 1.0 - _wasserstein(mx, my, D[np.ix_(sx, sy)])
    return out


def _wasserstein(a, b, M):
    if _HAVE_POT:
        import ot

        return float(ot.emd2(a, b, M))
    from scipy.optimize import linprog

    p, q = M.shape
    rows = sparse.kron(sparse.eye(p), np.ones((1, q)))
    cols = sparse.kron(np.ones((1, p)), sparse.eye(q))
    res = linprog(M.ravel(), A_eq=sparse.vstack([rows, cols]).tocsr(),
                  b_eq=np.concatenate([a, b]), bounds=(0, None), method="highs")
    if res.status != 0:  # pragma: no cover - a transport problem is always feasible
        raise RuntimeError(f"transport LP failed: {res.message}")
    return float(res.fun)


def _geometry(A, k, *, ollivier=False, alpha=0.0):
    n = A.shape[0]
    i, j, F = _forman_edges(A)
    n_comp = int(connected_components(A, directed=False)[0])
    D = _distances(A) if (n_comp == 1 or ollivier) else None
    g = _geodesic_sum(D) if n_comp == 1 else None
    kw = {}
    if ollivier and len(i):
        kappa = _ollivier_edges(A, i, j, float(alpha), D)
        kw = {"ollivier_mean": float(kappa.mean()), "ollivier_min": float(kappa.min()),
              "ollivier_max": float(kappa.max())}
    return LayerGeometry(n, int(k), int(len(i)), n_comp, int(F.sum()),
                         float(F.mean()) if len(F) else 0.0,
                         int(F.min()) if len(F) else 0, int(F.max()) if len(F) else 0,
                         g, **kw)


def _pearson(x, y):
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    dx, dy = x - x.mean(), y - y.mean()
    sx, sy = math.sqrt(float(dx @ dx)), math.sqrt(float(dy @ dy))
    if sx == 0 or sy == 0:
        raise PointlessQuestion("the correlation is undefined: Ric or η is constant across layers")
    return max(-1.0, min(1.0, float(dx @ dy) / (sx * sy)))
