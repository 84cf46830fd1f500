"""Topology and geometry of a data set through the layers of a network: ``polytopo layers``.

For every layer (the input, each hidden layer after ReLU, the output) the data set's
embedding gets exact integral Betti numbers of its voxelised occupancy set
(:mod:`polytopo.topology.cubical`) and Ricci-curvature statistics of its k-nearest-neighbour
graph (:mod:`polytopo.analysis.curvature`); across layers, the decay rate of
topological complexity and Baptista et al.'s global Ricci network flow coefficient.
The result is a JSON report and a table; the picture of the simplification is
:func:`polytopo.figures.layers.plot_layers`, the command :mod:`polytopo.cli.layers`.
"""

__all__ = [
    "layers_report",
    "layers_summary",
    "sampled_embeddings",
    "load_data",
    "load_labels",
]


import numpy as np

from .. import __version__
from .embeddings import (ARITHMETIC, decay_rate, decay_score, layer_embeddings,
                         layer_topology)
from ..exceptions import InputError, PointlessQuestion
from ..topology.homology import backend as homology_backend
from . import curvature as _curv

DECAY_DEFINITION = ("lambda = least-squares slope of -ln C_l against l, C_l = total Betti number "
                    "of layer l (per_class: summed over the classes); C_l ~ C_0 exp(-lambda l)")
SCORE_DEFINITION = ("theta = c1 + c2/2 + c3/2, where c0 + c1 x + c2 x^2 + c3 x^3 is the ridge "
                    "(alpha = 1e-3, intercept free) fit of C_x / ||C|| over the network's layers "
                    "x = 1..L (the input excluded); theta < 0 means simplification")
RICCI_DEFINITION = {
    "symmetric": ("rho = Pearson((Ric_0, ..., Ric_{L-1}), (eta_1, ..., eta_L)); Ric_l = sum of "
                  "Forman-Ricci curvatures F(e) = 4 - deg(i) - deg(j) over the edges of the "
                  "symmetric k-NN graph of layer l; eta_l = g_l - g_{l-1}, g_l = sum over pairs "
                  "of shortest-path (hop) distances; rho < 0 is Ricci-flow-like"),
    "directed": ("rho = Pearson((Ric_1, ..., Ric_{L-1}), (eta_2, ..., eta_L)) over the input "
                 "(layer 0) and the hidden layers 1..L; Ric_l = sum over the arcs i->j of the "
                 "directed k-NN graph (ties kept) of 4 - deg(i) - deg(j), deg = in + out; "
                 "eta_l = g_l - g_{l-1}, g_l = sum over pairs of hop distances ignoring "
                 "direction; rho < 0 is Ricci-flow-like"),
}
RICCI_GRAPH = {
    "symmetric": ("symmetric k-nearest-neighbour graph (Euclidean), unweighted",
                  "Forman-Ricci, F(e) = 4 - deg(i) - deg(j), each edge once"),
    "directed": ("directed k-nearest-neighbour graph (Euclidean), ties at the k-th distance "
                 "kept, as in the authors' analysis code",
                 "Forman-Ricci 4 - deg(i) - deg(j) summed over arcs, deg = in + out"),
}


# ---------------------------------------------------------------------------------------
# input files
# ---------------------------------------------------------------------------------------
def load_data(path, input_dim=None):
    """Read a data matrix from a ``.npy`` file (no pickles: nothing in the file is executed).

    Parameters
    ----------
    path : str or Path
    input_dim : int, optional
        Required number of columns (a vector is read as one column when this is 1).

    Returns
    -------
    ndarray of float64, shape (n, input_dim)

    Raises
    ------
    InputError
        Naming the file: unreadable, not numeric, not finite, wrong shape, fewer than 2 rows.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "x.npy")
    >>> np.save(path, np.arange(6, dtype=np.uint8).reshape(3, 2))
    >>> load_data(path, 2).tolist()
    [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]
    >>> load_data(path, 3)
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: ...x.npy: data has 2 columns but the network takes 3 inputs
    """
    arr = _load_npy(path)
    source = str(path)
    if arr.dtype.kind not in "biuf":
        raise InputError(f"data must be numeric, got dtype {arr.dtype}", source=source)
    if arr.ndim == 1 and input_dim == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2:
        raise InputError(f"data must be a matrix (points × features), got shape {arr.shape}",
                         source=source)
    if input_dim is not None and arr.shape[1] != input_dim:
        raise InputError(f"data has {arr.shape[1]} columns but the network takes "
                         f"{input_dim} inputs", source=source)
    if arr.shape[0] < 2:
        raise InputError("data needs at least 2 points", source=source)
    X = arr.astype(np.float64)
    if not np.all(np.isfinite(X)):
        raise InputError("data has non-finite entries (NaN or infinity)", source=source)
    return X


def load_labels(path, n):
    """Read class labels (integers, or strings) for ``n`` points from a ``.npy`` file.

    Raises
    ------
    InputError
        Naming the file: unreadable, not a vector of length ``n``, non-integral numbers.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "y.npy")
    >>> np.save(path, np.array([0.0, 1.0, 1.0]))
    >>> load_labels(path, 3).tolist()
    [0, 1, 1]
    """
    arr = _load_npy(path)
    source = str(path)
    if arr.ndim == 2 and 1 in arr.shape:
        arr = arr.reshape(-1)
    if arr.ndim != 1 or len(arr) != n:
        raise InputError(f"labels must be a vector with one entry per data point ({n}), got "
                         f"shape {arr.shape}", source=source)
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
            raise InputError("numeric labels must be integers", source=source)
        arr = arr.astype(np.int64)
    elif arr.dtype.kind not in "biuU":
        raise InputError(f"labels must be integers or strings, got dtype {arr.dtype}",
                         source=source)
    return arr


def _load_npy(path):
    from ..network.io import read_npy

    return read_npy(path)


# ---------------------------------------------------------------------------------------
# the report
# ---------------------------------------------------------------------------------------
def layers_report(network, data, *, labels=None, resolution=16, threshold=1, max_dim=3,
                  k=(10, 50), ollivier=False, include_output=True, max_points=None, seed=0,
                  network_source=None, data_source=None, progress=None,
                  ricci_convention="symmetric"):
    """Per-layer Betti numbers and Ricci curvature of a data set, as a JSON-ready dict.

    Parameters
    ----------
    network : Network
    data : array_like, shape (n, input_dim)
    labels : array_like, shape (n,), optional
        Class labels: per-class Betti numbers (on each layer's common grid) and, when they
        are output indices, the network's accuracy.
    resolution, threshold, max_dim : int
        The discretisation (:func:`polytopo.topology.cubical.layer_topology`).
    k : int or sequence of int
        Scales of the k-nearest-neighbour graphs; per-layer curvature is reported for
        each, and one Ricci flow coefficient per scale (an empty list: no curvature).
    ollivier : bool
        Also Ollivier–Ricci curvature (at the first scale).
    include_output : bool
        Analyse the output layer too (default); without it, the layers are those of
        Baptista et al. (input and hidden layers).
    max_points : int, optional
        Analyse a seeded random sample of at most this many points.
    seed : int
    network_source, data_source : str, optional
        Names recorded in the report.
    progress : callable, optional
        Called with a short text after each step.
    ricci_convention : {"symmetric", "directed"}
        How the Ricci flow coefficient builds its graphs and pairs
        (:func:`polytopo.analysis.curvature.ricci_flow_coefficient`). With
        ``"directed"`` (the paper's authors' analysis code) the coefficient uses the
        input and hidden layers only, whatever ``include_output`` says; the per-layer
        curvature statistics are those of the symmetric graphs either way.

    Returns
    -------
    dict
        See ``docs/layers.md``; floats are float64 statistics, Betti numbers, curvature
        totals and distance sums are exact integers.

    Examples
    --------
    >>> from polytopo.network import Network
    >>> net = Network.from_lists([([[1, 0], [0, 1], [1, 1]], [0, 0, 0]),
    ...                           ([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, 0]),
    ...                           ([[1, -1, 1]], [0])])
    >>> t = np.linspace(0, 2 * np.pi, 100, endpoint=False)
    >>> rep = layers_report(net, np.c_[np.cos(t), np.sin(t)], resolution=8, k=[4])
    >>> [L["betti_numbers"] for L in rep["layers"]]  # the loop survives until the output
    [[1, 1, 0], [1, 1, 0, 0], [1, 1, 0, 0], [1, 0]]
    >>> rep["arithmetic"]
    'float64 embedding, exact integer homology'
    """
    say = progress or (lambda text: None)
    if ricci_convention not in _curv.CONVENTIONS:
        raise InputError(f"the Ricci convention must be one of {', '.join(_curv.CONVENTIONS)}, "
                         f"got {ricci_convention!r}")
    X = np.asarray(data, dtype=np.float64)
    y = None if labels is None else np.asarray(labels)
    if y is not None and (y.ndim != 1 or len(y) != len(X)):
        raise InputError(f"labels must be a vector of length {len(X)}, got shape {y.shape}")
    ks = _scales(k, len(X) if max_points is None else min(len(X), max_points))
    sample = None
    keep = _sample(len(X), max_points, seed)
    if keep is not None:
        sample = {"n_points": int(max_points), "of": int(len(X)), "seed": int(seed)}
        X = X[keep]
        y = None if y is None else y[keep]
    topo = layer_topology(network, X, labels=y, resolution=resolution, threshold=threshold,
                          max_dim=max_dim, include_output=include_output)
    say("Betti numbers of every layer")
    embeddings = [H for _, H in layer_embeddings(network, X, include_output=include_output)]
    layers = [L.to_json() for L in topo]
    for L in layers:
        L["curvature"] = {}
    scales = []
    for i, kk in enumerate(ks):
        geoms = []
        for L, H in zip(layers, embeddings):
            g = _curv.layer_geometry(H, kk, ollivier=ollivier and i == 0)
            geoms.append(g)
            L["curvature"][str(kk)] = g.to_json()
        say(f"curvature at k = {kk}")
        if ricci_convention == "symmetric":
            scales.append(_coefficient(embeddings, kk, geoms))
        else:
            hidden = embeddings[:-1] if include_output else embeddings
            scales.append(_coefficient(hidden, kk, None, "directed"))
    complexities = [L.complexity for L in topo]
    class_complexities = [L.class_complexity for L in topo] if y is not None else None
    report = {
        "polytopo_version": __version__,
        "analysis": "layers",
        "arithmetic": ARITHMETIC,
        "coefficient_ring": "Z",
        "homology_backend": homology_backend(),
        "network": {"source": network_source,
                    "architecture": "-".join(map(str, network.architecture))},
        "data": {"source": data_source, "n_points": int(len(X)), "input_dim": int(X.shape[1]),
                 "labels": y is not None,
                 "n_classes": None if y is None else int(len(np.unique(y))),
                 "sample": sample},
        "discretisation": {
            "projection": f"PCA by numpy SVD onto the first {max_dim} principal axes of each "
                          f"layer (layers of dimension <= {max_dim} are not projected)",
            "resolution": int(resolution), "threshold": int(threshold),
            "cells": "cubes of side (longest extent of the layer)/resolution; a cube is "
                     "occupied when it holds at least `threshold` points",
            "complex": "closed cubes (voxels touching at a vertex are connected)",
        },
        "layers": layers,
        "topological_complexity": {
            "values": complexities, "decay_rate": _rate(complexities),
            "per_class_values": class_complexities,
            "per_class_decay_rate": None if y is None else _rate(class_complexities),
            "definition": DECAY_DEFINITION,
            "decay_score": _score(complexities[1:]),
            "per_class_decay_score": None if y is None else _score(class_complexities[1:]),
            "score_definition": SCORE_DEFINITION,
            "reference": "Suresh, Das, Abrol, Dutta Roy, arXiv:2311.04592: decay_score is the "
                         "score of the authors' published analysis code; decay_rate is "
                         "polytopo's own log-slope",
        },
        "ricci": {
            "convention": ricci_convention,
            "graph": RICCI_GRAPH[ricci_convention][0],
            "curvature": RICCI_GRAPH[ricci_convention][1],
            "definition": RICCI_DEFINITION[ricci_convention], "reference": _curv.REFERENCE,
            "layers": [L["name"] for L in layers
                       if ricci_convention == "symmetric" or L["name"] != "output"],
            "scales": scales,
        },
    }
    if ricci_convention == "directed":
        report["ricci"]["reference_code"] = _curv.REFERENCE_CODE
    if ollivier:
        report["ricci"]["ollivier"] = {"k": ks[0], "alpha": 0.0, "backend": _curv.ot_backend()}
    accuracy = _accuracy(embeddings[-1], y, network) if include_output else None
    if accuracy is not None:
        report["accuracy"] = round(accuracy, 6)
    return report


def layers_summary(report):
    """A plain-text table of a :func:`layers_report` (what ``polytopo layers`` prints).

    Examples
    --------
    >>> from polytopo.network import Network
    >>> net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    >>> t = np.linspace(0, 2 * np.pi, 60, endpoint=False)
    >>> rep = layers_report(net, np.c_[np.cos(t), np.sin(t)], resolution=8, k=[3])
    >>> print(layers_summary(rep).splitlines()[3])  # doctest: +NORMALIZE_WHITESPACE
    input  2  1 1 0  2  -2.800  18020
    """
    ks = [str(s["k"]) for s in report["ricci"]["scales"]]
    k0 = ks[0] if ks else None
    data = report["data"]
    curv = k0 is not None
    lines = [
        f"polytopo layers: Network({report['network']['architecture']}) on {data['n_points']} "
        f"points" + (f" of {data['source']}" if data.get("source") else "")
        + (f", {data['n_classes']} classes" if data["labels"] else ""),
        f"  {report['arithmetic']} (Z); {report['discretisation']['resolution']} cubes along "
        f"the longest axis, threshold {report['discretisation']['threshold']}, PCA to <= 3-D",
        f"{'layer':<12}{'width':>6}  {'Betti numbers':<16}{'complexity':>11}"
        + (f"{'per class':>10}" if data["labels"] else "")
        + (f"{'Forman mean':>13}{'g (k=' + str(k0) + ')':>14}" if curv else ""),
    ]
    for L in report["layers"]:
        c = L["curvature"].get(k0, {}) if k0 else {}
        g = c.get("geodesic_sum")
        lines.append(f"{L['name']:<12}{L['width']:>6}  {' '.join(map(str, L['betti_numbers'])):<16}"
                     f"{L['complexity']:>11}"
                     + (f"{L['class_complexity']:>10}" if data["labels"] else "")
                     + (f"{c['forman_mean']:>13.3f}{'disconnected' if g is None else g:>14}"
                        if curv else ""))
    tc = report["topological_complexity"]
    for key, what in (("", "topological complexity"), ("per_class_", "per-class complexity")):
        vals, rate = tc[key + "values"] if key else tc["values"], tc[key + "decay_rate"]
        if vals is not None and rate is not None:
            score = tc.get(key + "decay_score")
            lines.append(f"{what}: {' -> '.join(map(str, vals))}; decay rate {rate:.3f} per layer"
                         + ("" if score is None else f", decay score theta {score:+.3f}"))
    parts = []
    for s in report["ricci"]["scales"]:
        parts.append(f"k={s['k']}: " + (f"{s['coefficient']:+.3f}" if s["coefficient"] is not None
                                        else f"undefined ({s['reason']})"))
    if parts:
        conv = report["ricci"].get("convention", "symmetric")
        lines.append(f"Ricci flow coefficient rho ({conv} k-NN graphs; < 0 is Ricci-flow-like): "
                     + "; ".join(parts))
    if "accuracy" in report:
        lines.append(f"accuracy of the network on these points: {report['accuracy']:.3f}")
    return "\n".join(lines)


def sampled_embeddings(network, data, labels=None, *, max_points=None, seed=0,
                       include_output=True):
    """The layers' embeddings of the points a :func:`layers_report` with the same
    ``max_points``, ``seed`` and ``include_output`` analyses (its seeded sample), and
    their labels: what :func:`polytopo.figures.layers.plot_layers` draws.

    Returns
    -------
    (list of ndarray, ndarray or None)

    Examples
    --------
    >>> from polytopo.network import Network
    >>> net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    >>> embs, y = sampled_embeddings(net, np.eye(2).repeat(5, axis=0), np.arange(10),
    ...                              max_points=4)
    >>> [H.shape for H in embs], y.tolist()
    ([(4, 2), (4, 2), (4, 1)], [2, 4, 5, 7])
    """
    X = np.asarray(data, dtype=np.float64)
    y = None if labels is None else np.asarray(labels)
    keep = _sample(len(X), max_points, seed)  # the report's sample
    if keep is not None:
        X, y = X[keep], None if y is None else y[keep]
    return [H for _, H in layer_embeddings(network, X, include_output=include_output)], y


# ---------------------------------------------------------------------------------------
# private helpers
# ---------------------------------------------------------------------------------------
def _sample(n, max_points, seed):
    """Sorted indices of a seeded sample of ``max_points`` of ``n`` points (None: all)."""
    if max_points is None or n <= max_points:
        return None
    return np.sort(np.random.default_rng(seed).choice(n, max_points, replace=False))


def _scales(k, n):
    ks = [k] if isinstance(k, (int, np.integer)) else list(k)
    for kk in ks:
        if isinstance(kk, bool) or not isinstance(kk, (int, np.integer)) or not 1 <= kk < n:
            raise InputError(f"k must be an integer with 1 <= k < {n} (the number of points), "
                             f"got {kk!r}")
    return [int(kk) for kk in dict.fromkeys(ks)]


def _coefficient(embeddings, k, geoms, convention="symmetric"):
    try:
        r = _curv.ricci_flow_coefficient(embeddings, k, geometries=geoms, convention=convention)
    except PointlessQuestion as e:
        out = {"k": k, "convention": convention, "coefficient": None, "reason": str(e)}
        if geoms is not None:
            out.update(ricci=[g.forman_total for g in geoms],
                       geodesic_sums=[g.geodesic_sum for g in geoms])
        return out
    return r.to_json()


def _rate(values):
    try:
        return round(decay_rate(values), 6)
    except PointlessQuestion:
        return None


def _score(values):
    try:
        return round(decay_score(values), 6)
    except PointlessQuestion:
        return None


def _accuracy(output, y, network):
    """Fraction of points whose predicted class equals the label, when labels are classes."""
    if y is None or y.dtype.kind not in "biu":
        return None
    if network.output_dim == 1:
        if not set(np.unique(y).tolist()) <= {0, 1}:
            return None
        pred = (output[:, 0] > 0).astype(np.int64)
    else:
        if y.min() < 0 or y.max() >= network.output_dim:
            return None
        pred = np.argmax(output, axis=1)
    return float(np.mean(pred == y))
