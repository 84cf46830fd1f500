"""A data set against the regions of a network: which region each point lies in, how
many points each region holds, per class (exact: points are located by their exact
patterns, or by the cells of a complex)."""

__all__ = ["region_statistics"]

from collections import Counter
from fractions import Fraction

from ..exceptions import InputError
from ..geometry.polytope import Polytope, check_domain
from ..network.model import check_network


def region_statistics(network, domain, X, labels=None, *, regions=None):
    """Points per activation region (and per class) of a data set.

    Parameters
    ----------
    network : Network or None
        ``None`` only with a complex that has a network
        (:attr:`CellComplex.network <polytopo.complex.cells.CellComplex.network>`).
    domain : Polytope, CellComplex or None
        A polytope (``None``: the cube ``[-1, 1]^d``): points are placed by their exact
        patterns (:meth:`Network.patterns <polytopo.network.model.Network.patterns>`)
        among the activation regions on it. A :class:`~polytopo.complex.cells.CellComplex`
        (the canonical complex, or one refined further: by the output, by a manifold's
        facets): points are placed in its cells
        (:meth:`~polytopo.complex.cells.CellComplex.locate`) and its top cells are the
        regions.
    X : array (n, d) or list of points
        Read exactly (floats by their binary value).
    labels : sequence, optional
        One label per point (class indices, or any hashable values).
    regions : list of Region, optional
        With a polytope: the regions of ``network`` on it if already computed
        (:func:`polytopo.complex.activation_regions`).

    Returns
    -------
    dict
        Ready for JSON, every number exact: ``n_points``; ``outside`` (points not in the
        domain); ``on_boundary`` (points of the domain on a boundary between regions: with
        a complex, those in the closures of two or more top cells, a point on the
        domain's boundary in one region's closure counting for that region; with a
        polytope, those whose pattern is no region's, i.e. with a ``0`` for a unit that
        is not identically zero on a region — the same points, but for a unit whose zero
        set only touches the domain's boundary) and ``on_boundary_by_dim`` (with a
        complex: how many of them are interior to cells of each dimension ``k < d``, as
        ``{"k": count}``); ``n_regions``; ``n_regions_with_data``;
        ``regions``: per region with data, in canonical order, ``index`` (among all
        regions), ``pattern`` (and ``label`` when a complex's labels have more signs),
        ``n_points``, the prediction on the region (``class``: the argmax of the output
        at its interior point, the smallest index on a tie, for ``m >= 2`` outputs;
        ``sign`` of the output for one output), and with labels ``labels`` (counts per
        label, keys as strings) and, with classes, ``agree`` (points whose label is the
        predicted class); with labels also ``labels_on_boundary`` and
        ``labels_outside`` (counts per label).

    Raises
    ------
    InputError
        For points of the wrong shape, NaN or infinity, or a number of labels other
        than the number of points.

    Examples
    --------
    >>> from polytopo.network.model import Network
    >>> from polytopo.geometry.polytope import Polytope
    >>> net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    >>> s = region_statistics(net, Polytope.cube(2), [[0.5, 0.5], [0.25, 0.5], [-0.5, 0.5],
    ...                                              [0, 0.5], [3, 3]])
    >>> s["outside"], s["on_boundary"], [(r["pattern"], r["n_points"]) for r in s["regions"]]
    (1, 1, [('++', 2), ('-+', 1)])
    >>> from polytopo.complex.build import canonical_complex
    >>> C = canonical_complex(net, Polytope.cube(2))
    >>> t = region_statistics(net, C, [[0.5, 0.5], [1, 0.5], [0, 0.5], [0, 0], [3, 3]],
    ...                       [1, 0, 0, 1, 1])
    >>> t["on_boundary_by_dim"], t["regions"][0]["labels"], t["labels_outside"]
    ({'0': 1, '1': 1}, {'0': 1, '1': 1}, {'1': 1})
    """
    from ..complex.cells import CellComplex

    complex_ = domain if isinstance(domain, CellComplex) else None
    if network is None and complex_ is not None:
        network = complex_.network
        if network is None:
            raise InputError("the complex has no network: pass the network", field="network")
    check_network(network)
    if complex_ is not None:
        if complex_.dim != network.input_dim:
            raise InputError(f"the complex is in dimension {complex_.dim} but the network "
                             f"has {network.input_dim} inputs", field="domain")
    elif domain is None:
        domain = Polytope.cube(network.input_dim)
    else:
        check_domain(domain, network.input_dim)
    pts = network.exact_points(X)
    n = len(pts)
    if labels is not None:
        if isinstance(labels, (str, bytes)) or not hasattr(labels, "__iter__"):
            raise TypeError(f"labels must be a sequence (one per point), got "
                            f"{type(labels).__name__}")
        labels = list(labels.tolist() if hasattr(labels, "tolist") else labels)
        if len(labels) != n:
            raise InputError(f"{len(labels)} labels for {n} points", field="labels")
    labs = labels if labels is not None else [None] * n
    # where[i]: index of the region holding point i, "outside" or ("boundary", dim)
    if complex_ is not None:
        C, d = complex_, complex_.dim
        where = []
        for c in C.locate(pts):
            if c is None or c.dim == d:
                where.append(None if c is None else c.index)
                continue
            holders = _top_cells(C, c)     # on the domain's boundary in one region: its
            where.append(holders.pop() if len(holders) == 1 else ("boundary", c.dim))
        tops = [(i, C.pattern((d, i)), C.label_string((d, i))) for i in range(C.n_regions)]
        n_regions = C.n_regions

        def interior(i):
            return C.relative_interior_point((d, i))
    else:
        inside = _contains(domain, pts)
        if regions is None:
            from ..complex.build import activation_regions

            regions = activation_regions(network, domain, volumes=False)
        index = {r.pattern: i for i, r in enumerate(regions)}
        pats = iter(network.patterns([x for x, ok in zip(pts, inside) if ok]) if any(inside)
                    else [])
        where = [index.get(next(pats), ("boundary", None)) if ok else None for ok in inside]
        tops = [(i, r.pattern, r.pattern) for i, r in enumerate(regions)]
        n_regions = len(regions)

        def interior(i):
            return regions[i].interior_point
    count, per_label = Counter(), {}
    bdim, lab_bd, lab_out = Counter(), Counter(), Counter()
    for w, lab in zip(where, labs):
        if w is None:
            lab_out[lab] += 1
        elif isinstance(w, tuple):
            bdim[w[1]] += 1
            lab_bd[lab] += 1
        else:
            count[w] += 1
            if labels is not None:
                per_label.setdefault(w, Counter())[lab] += 1
    out_regions = []
    for i, pattern, label in tops:
        if not count[i]:
            continue
        y = network.forward(interior(i))
        item = {"index": i, "pattern": pattern}
        if label != pattern:
            item["label"] = label
        item["n_points"] = count[i]
        if len(y) == 1:
            item["sign"] = (y[0] > 0) - (y[0] < 0)
        else:
            item["class"] = y.index(max(y))
        if labels is not None:
            c = per_label[i]
            item["labels"] = _counts(c)
            if "class" in item:
                item["agree"] = sum(v for k, v in c.items() if _same_class(k, item["class"]))
        out_regions.append(item)
    out = {"n_points": n, "outside": sum(w is None for w in where),
           "on_boundary": sum(bdim.values())}
    if complex_ is not None:
        out["on_boundary_by_dim"] = {str(k): v for k, v in sorted(bdim.items())}
    out.update({"n_regions": n_regions, "n_regions_with_data": len(out_regions),
                "regions": out_regions})
    if labels is not None:
        out["labels_on_boundary"] = _counts(lab_bd)
        out["labels_outside"] = _counts(lab_out)
    return out


def _top_cells(C, cell):
    """The top cells whose closures hold a cell (indices)."""
    level = {cell}
    for _ in range(C.dim - cell.dim):
        level = {f for c in level for f in C.cofacets_of(c)}
    return {c.index for c in level}


def _contains(domain, pts):
    """Whether each exact point satisfies every inequality of the polytope (integer rows,
    all points at once)."""
    import math

    import numpy as np

    from ..geometry.integer import as_matrix

    if not pts:
        return []
    rows = []
    for a, b in zip(domain.A, domain.b):
        q = [Fraction(v) for v in list(a) + [b]]
        m = math.lcm(*(v.denominator for v in q))
        rows.append([int(v * m) for v in q[:-1]] + [-int(q[-1] * m)])   # a x - b <= 0
    R = as_matrix(rows, len(pts[0]) + 1).astype(object)
    H = []
    for x in pts:
        w = math.lcm(1, *(v.denominator for v in x))
        H.append([int(v * w) for v in x] + [w])
    V = np.array(H, dtype=object) @ R.T
    return (V <= 0).all(axis=1).tolist()


def _counts(counter):
    return {str(k): v for k, v in sorted(counter.items(), key=lambda kv: str(kv[0]))}


def _same_class(label, cls):
    try:
        return Fraction(label) == cls
    except (TypeError, ValueError):
        return False
