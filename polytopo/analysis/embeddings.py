"""Data through the layers of a network: point clouds, their exact homology, and its decay.

A data set (or a network's layer activations of it) is a point cloud ``X ⊂ R^m``. It enters
the exact topology of :mod:`polytopo.topology.cubical` by a stated discretisation:
projection onto at most three principal axes (:func:`principal_projection`), a grid of
cubes, and occupancy "at least ``threshold`` points in the cube" (:func:`occupancy_grid`).
Those coordinates are float64 (this is data analysis); the homology of the resulting cubical
set is exact (:func:`point_cloud_topology`). :func:`layer_embeddings` pushes the data through
the network, :func:`layer_topology` gives every layer its Betti numbers, and the decay of
topological complexity across layers is summarised by :func:`decay_score` (the score of
Suresh et al.) or :func:`decay_rate` (a log-slope), both float64. The curvature of the
layers' k-nearest-neighbour graphs is in :mod:`polytopo.analysis.curvature`; both read
point clouds through :func:`polytopo.runtime.checks.check_points`.
"""

__all__ = [
    "principal_projection",
    "occupancy_grid",
    "PointCloudTopology",
    "point_cloud_topology",
    "layer_embeddings",
    "LayerTopology",
    "layer_topology",
    "decay_rate",
    "decay_score",
    "ARITHMETIC",
]

import math
from dataclasses import dataclass

import numpy as np

from ..exceptions import InputError, PointlessQuestion
from ..runtime.checks import check_points, check_real_sequence
from ..topology.cubical import CubicalComplex, check_construction
from ..network.units import Max

#: how layer and point-cloud results are computed (for reports)
ARITHMETIC = "float64 embedding, exact integer homology"

# the decay score of Suresh et al. (arXiv:2311.04592): cubic ridge fit, weights on c_1..c_3
_DECAY_DEGREE = 3
_DECAY_ALPHA = 1e-3
_DECAY_WEIGHTS = np.array([1.0, 0.5, 0.5])


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
    X = check_points(points)
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
    X = check_points(points)
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
    X = check_points(points)
    kind = check_construction(construction)
    Y, explained = principal_projection(X, max_dim)
    return _topology_on(Y, explained, X.shape[1], resolution, threshold, bounds, kind)


# ---------------------------------------------------------------------------------------
# data through the layers of a network
# ---------------------------------------------------------------------------------------
def layer_embeddings(network, data, *, include_output=True):
    """The embeddings of a data set in every layer of a network (float64).

    ``h_0 = x`` (the input), ``h_ℓ = relu(W_ℓ h_{ℓ−1} + b_ℓ)`` for the hidden layers
    ``ℓ = 1 … L−1`` (post-ReLU), and the output ``W_L h_{L−1} + b_L`` (the network of
    docs/definitions.md). The exact rational weights are rounded to float64 once; the pass
    is numpy matrix arithmetic.

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
    X = check_points(data)
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
            h = _apply_units(h, None if network.is_relu else network.units[i])
            out.append((f"hidden {i + 1}", h))
        elif include_output:
            out.append(("output", h))
    return out


def _apply_units(z, units):
    """A hidden layer's units on float pre-activations ``z`` (rows: points); ``units``
    None means ReLU everywhere."""
    if units is None:
        return np.maximum(z, 0.0)
    cols, pos = [], 0
    for u in units:
        if isinstance(u, Max):
            cols.append(z[:, pos:pos + u.size].max(axis=1))
        else:
            v = float(u.intercept) + float(u.slopes[0]) * z[:, pos]
            for t, a, b in zip(u.breakpoints, u.slopes, u.slopes[1:]):
                v = v + float(b - a) * np.maximum(z[:, pos] - float(t), 0.0)
            cols.append(v)
        pos += u.n_inputs
    return np.stack(cols, axis=1) if cols else np.zeros((len(z), 0))


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
    X = check_points(data)
    kind = check_construction(construction)
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
    polytopo.topology.cubical.sublevel_betti : Betti numbers of the sublevel sets of a
        feature map.

    Examples
    --------
    Complexity halving at every layer (the fit is not symmetric under reversing the
    layers: the quadratic and cubic terms count too):

    >>> round(decay_score([8, 4, 2, 1]), 4), round(decay_score([1, 2, 4, 8]), 4)
    (-0.7433, 0.108)
    >>> round(decay_score([1, 1, 1, 1]), 12)
    0.0
    """
    b = check_real_sequence(complexities, "complexities", ", one per layer")
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
