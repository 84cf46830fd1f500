"""Multi-class decision regions (docs/definitions.md: decision regions of a classifier).

For a network with ``m >= 2`` outputs, class ``i``'s closed decision region is
``R_i = {x ∈ D : f_i(x) >= f_j(x) for all j}`` and the decision boundary is the set of
points with at least two maximal classes. Both are subcomplexes of the canonical complex
refined by the comparisons ``f_i − f_j`` — only where both can be the maximum: the
complex of the network followed by one max unit over its outputs (:func:`argmax_network`),
whose argmax pattern is constant on every cell. Everything is exact; the class regions
cover the domain, their volumes sum to its volume, and they overlap only on the boundary.
"""

__all__ = ["argmax_network", "class_complex", "class_summary", "class_signs",
           "class_subcomplexes"]

from fractions import Fraction

import numpy as np

from ..exceptions import PointlessQuestion
from ..network import units as _units
from ..network.model import Network, check_network


def argmax_network(network):
    """The network followed by a max unit over its ``m >= 2`` outputs (output: the max).

    Its pattern ends with the ``m`` signs of ``f_i − max_{j≠i} f_j``: ``+`` for the unique
    maximal class, ``0`` for each of several tied maxima, ``-`` for the others.

    Examples
    --------
    >>> net = Network.from_lists([([[1], [-1]], [0, 0]), ([[1, 0], [0, 1]], [0, 0])])
    >>> a = argmax_network(net)
    >>> a, a.pattern([2]), a.pattern([0])
    (Network(1-2-1-1; max(2), relu), '+-+-', '0000')
    """
    check_network(network)
    m = network.output_dim
    if m < 2:
        raise PointlessQuestion("class decision regions need at least 2 outputs; a scalar "
                                "output has the decision sets f >= 0, f <= 0, f = 0")
    units = list(network.layer_units) + [(_units.Max(m),)]
    weights = tuple(network.weights) + (((Fraction(1),),),)
    biases = tuple(network.biases) + ((Fraction(0),),)
    return Network(weights, biases, tuple(units), network.notes)


def class_complex(network, domain=None, **options):
    """The canonical complex of :func:`argmax_network` (``options`` as for
    :func:`polytopo.complex.canonical_complex`): the network's complex refined by the
    class comparisons."""
    from ..complex.build import canonical_complex

    return canonical_complex(argmax_network(network), domain, **options)


def class_signs(complex, m, k):
    """``int8`` array (k-cells × m): the signs of ``f_i − max_{j≠i} f_j`` on every k-cell
    of a :func:`class_complex` (the last ``m`` pattern signs)."""
    return complex.pattern_signs(k)[:, -m:]


def class_subcomplexes(complex, m):
    """The closed decision regions ``R_i`` and the decision boundary as subcomplexes of a
    :func:`class_complex` (``m`` classes): the sets whose homology :func:`class_summary`
    reports.

    Returns
    -------
    (list of subcomplex, subcomplex)
        ``R_0 … R_{m-1}`` and the boundary, each as :meth:`~polytopo.complex.CellComplex.closure`
        gives them.

    Examples
    --------
    >>> from polytopo.geometry.polytope import Polytope
    >>> net = Network.from_lists([([[1], [-1]], [0, 0]), ([[1, -1], [-1, 1]], [0, 0])])
    >>> regions, boundary = class_subcomplexes(class_complex(net, Polytope.box([-2], [2])), 2)
    >>> [len(R[1]) for R in regions], [len(s) for s in boundary]
    ([1, 1], [1, 0])
    """
    d = complex.dim
    signs = [class_signs(complex, m, k) for k in range(d + 1)]
    regions = [complex.closure([(k, int(c)) for k in range(d + 1)
                                for c in np.flatnonzero(signs[k][:, i] >= 0)])
               for i in range(m)]
    tied = [(k, int(c)) for k in range(d + 1)
            for c in np.flatnonzero((signs[k] >= 0).sum(axis=1) >= 2)]
    return regions, complex.closure(tied)


def class_summary(network, domain=None, *, complex=None, check=None, volumes=True,
                  **options):
    """The ``"classes"`` part of the report of a classifier (docs/formats.md, Report).

    Parameters
    ----------
    network : Network
        At least two outputs.
    domain : Polytope, optional
    complex : CellComplex, optional
        :func:`class_complex` of the network, if already built.
    check : callable, optional
        Called between steps (e.g. a deadline check).
    volumes : bool
        Compute the exact volume fractions (``None`` in the result when false).

    Returns
    -------
    dict
        ``{"classes": [...], "class_pieces", "class_boundary": {...}}``: ``classes[i]``
        (index = class) has ``n_regions`` (the top cells of the refined complex where ``i``
        is maximal), ``volume_fraction`` (exact), ``empty`` and ``homology`` of ``R_i``;
        ``class_pieces`` is the number of top cells of the refined complex;
        ``class_boundary`` has ``n_cells`` (cells with two or more maximal classes, of any
        dimension) and ``homology``. Homology lists are as elsewhere in the report.

    Examples
    --------
    Two classes on ``[-2, 2]``: ``f = (x, -x)``; class 0 wins on ``[0, 2]``.

    >>> from polytopo.geometry.polytope import Polytope
    >>> net = Network.from_lists([([[1], [-1]], [0, 0]), ([[1, -1], [-1, 1]], [0, 0])])
    >>> s = class_summary(net, Polytope.box([-2], [2]))
    >>> [(c["n_regions"], c["volume_fraction"]) for c in s["classes"]]
    [(1, '1/2'), (1, '1/2')]
    >>> s["class_boundary"]["n_cells"], [h["rank"] for h in s["class_boundary"]["homology"]]
    (1, [1, 0])
    """
    from ..geometry.exact import format_number

    def homology_json(groups):
        return [g.to_json() for g in groups]

    check = check or (lambda: None)
    m = network.output_dim
    C = complex if complex is not None else class_complex(network, domain, **options)
    check()
    d = C.dim
    signs = [class_signs(C, m, k) for k in range(d + 1)]
    vols = C.region_volumes() if volumes else None
    check()
    total = sum(vols, Fraction(0)) if volumes else None
    top = signs[d]
    classes = []
    for i in range(m):
        cells = [(k, int(c)) for k in range(d + 1) for c in np.flatnonzero(signs[k][:, i] >= 0)]
        sub = C.closure(cells)
        n = int(np.count_nonzero(top[:, i] >= 0))
        vol = sum((v for v, s in zip(vols, top[:, i]) if s >= 0), Fraction(0)) \
            if volumes else None
        classes.append({"class": i, "n_regions": n,
                        "volume_fraction": format_number(vol / total) if volumes else None,
                        "empty": not cells,
                        "homology": homology_json(C.homology(sub))})
        check()
    tied = [(k, int(c)) for k in range(d + 1)
            for c in np.flatnonzero((signs[k] >= 0).sum(axis=1) >= 2)]
    boundary = C.closure(tied)
    out = {"classes": classes, "class_pieces": C.n_regions,
           "class_boundary": {"n_cells": len(tied),
                              "homology": homology_json(C.homology(boundary))}}
    check()
    return out
