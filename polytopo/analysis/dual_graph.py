"""The dual graph of the regions of a ReLU network, its Fiedler partition and the decision boundary.

A node per activation region (exact pattern, volume, output at an interior point), an edge
per facet shared by two regions (exact squared facet measure); the Fiedler vector of the
graph Laplacian (floating point) splits the regions in two, and we measure how well that
cut follows the decision boundary ``f = 0``. ``polytopo dual-graph`` runs it all
(:mod:`polytopo.cli.dual_graph`); :func:`polytopo.figures.dual_graph.plot_dual_graph` draws it.
"""

__all__ = [
    "complex_dual_graph",
    "dual_graph",
    "facet_measure_squared",
    "FiedlerPartition",
    "fiedler_partition",
    "boundary_agreement",
    "dual_graph_report",
    "graph_to_json",
    "graph_to_graphml",
]

import json
import math
from dataclasses import dataclass
from fractions import Fraction

import networkx as nx
import numpy as np

from .. import __version__
from ..runtime import checks as _validate
from ..complex.cells import METHOD as COMPLEX_METHOD
from ..complex.cells import check_cell, check_complex
from ..complex.build import canonical_complex
from ..geometry.exact import dot, format_number, int_to_str, nullspace, sqrt_float, to_float
from ..exceptions import InputError, PointlessQuestion
from ..geometry.polytope import check_domain, pulling_triangulation, simplex_volume
from ..network.model import check_network

FORMAT = "polytopo.dual-graph/1"

AGREEMENT_DEFINITION = (
    "Jaccard index |B ∩ C| / |B ∪ C| of two sets of dual edges: B = edges whose regions have "
    "strictly opposite output signs at their interior points (the dual edges crossing f = 0), "
    "C = edges cut by the Fiedler partition; 1 when the Fiedler cut is exactly the decision "
    "boundary's, 0 when they share no edge (or B is empty)")

FIEDLER_NOTE = ("floating point: eigenvector of the second-smallest eigenvalue of the graph "
                "Laplacian L = D - W (float64, numpy/scipy); not exact, and not unique when "
                "that eigenvalue is repeated (see 'multiplicity')")

MEASURE_NOTE = ("exact: measure_squared is the squared (d-1)-volume of the shared facet, a "
                "rational number (the volume itself is its square root, irrational in "
                "general); 'measure' is a float for display. In d = 1 a facet is a point, "
                "measure 1.")


# ---------------------------------------------------------------------------------------
# the graph
# ---------------------------------------------------------------------------------------
def facet_measure_squared(complex, cell):
    """The exact squared ``(d−1)``-volume of a ``(d−1)``-cell of a complex in ``R^d``.

    A facet ``F`` spans a hyperplane with rational normal ``n``; projecting along
    coordinate ``j`` (``n_j ≠ 0``) maps ``F`` onto a polytope ``π(F) ⊂ R^{d−1}`` of
    rational volume ``A``, and ``vol_{d−1}(F) = A · ‖n‖ / |n_j|``. So

    ``vol_{d−1}(F)^2 = A^2 · (n · n) / n_j^2``,

    a rational number even though ``vol_{d−1}(F)`` itself is in general irrational.
    ``A`` is computed by a pulling triangulation of the facet's face lattice. In
    ``d = 1`` the facet is a point and its (counting) measure is 1.

    Parameters
    ----------
    complex : CellComplex
    cell : Cell or (k, i)
        A cell of dimension ``d − 1``.

    Returns
    -------
    Fraction

    Raises
    ------
    InputError
        If the cell is not of dimension ``d − 1``.

    Examples
    --------
    >>> from polytopo.complex import CellComplex
    >>> C = CellComplex.from_box([0, 0], [1, 1]).refine_by_hyperplane([1, 1], -1)
    >>> inner = [c for c in C.cells(1) if len(C.cofacets_of(c)) == 2]
    >>> facet_measure_squared(C, inner[0])     # the diagonal of the unit square
    Fraction(2, 1)

    Notes
    -----
    De Loera, Rambau, Santos, *Triangulations* (2010), §4.3 for the pulling
    triangulation; the projection formula is the area formula for a linear map
    restricted to a hyperplane.
    """
    k, _ = check_cell(complex, cell)
    d = complex.dim
    if k != d - 1:
        raise InputError(f"a facet measure needs a {d - 1}-cell, got a {k}-cell")
    if d == 1:
        return Fraction(1)
    pts = complex.vertices()
    vs = complex.vertices_of(cell)
    p0 = pts[vs[0]]
    diffs = [[a - b for a, b in zip(pts[v], p0)] for v in vs[1:]]
    normal = nullspace(diffs, d)[0]
    j = max(range(d), key=lambda t: (abs(normal[t]), -t))

    def proj(p):
        return tuple(x for t, x in enumerate(p) if t != j)

    area = Fraction(0)
    for simplex in pulling_triangulation(cell, complex.facets_of,
                                         lambda c: frozenset(complex.vertices_of(c)), dim=d - 1):
        area += simplex_volume([proj(pts[v]) for v in simplex])
    return area * area * dot(normal, normal) / (normal[j] * normal[j])


def complex_dual_graph(complex, *, measures=True, volumes=True):
    """The dual graph of the top cells of a polyhedral complex.

    Nodes are the ``d``-cells (numbered in the complex's canonical order); two nodes are
    joined by an edge when the cells share a ``(d−1)``-dimensional face, i.e. for every
    interior ``(d−1)``-cell (one with two cofacets). In a polyhedral complex two cells
    meet in one common face, so there is at most one edge per pair.

    Parameters
    ----------
    complex : CellComplex
    measures : bool
        Store the exact squared facet measure on each edge (:func:`facet_measure_squared`).
    volumes : bool
        Store each cell's exact volume.

    Returns
    -------
    networkx.Graph
        Node attributes ``label`` (signs of every function the complex was refined by),
        ``pattern`` (hidden neurons only), ``interior_point`` (exact), ``volume``
        (``Fraction``); edge attributes ``facet`` (index of the shared ``(d−1)``-cell),
        ``measure_squared`` (``Fraction``) and ``measure`` (float, for display; ``None``
        beyond the float range).

    Examples
    --------
    >>> from polytopo.complex import CellComplex
    >>> C = CellComplex.from_box([-1, -1], [1, 1])
    >>> C = C.refine_by_hyperplane([1, 0], 0).refine_by_hyperplane([0, 1], 0)
    >>> G = complex_dual_graph(C)
    >>> sorted(G.edges()), G.edges[0, 1]["measure_squared"]       # a 4-cycle
    ([(0, 1), (0, 2), (1, 3), (2, 3)], Fraction(1, 1))
    >>> [G.nodes[v]["label"] for v in G]
    ['++', '+-', '-+', '--']

    Notes
    -----
    The dual graph of a subdivision (Ziegler, *Lectures on Polytopes*, §7.1, for
    arrangements: regions adjacent across one hyperplane). Cost: one pass over the
    ``(d−1)``-cells; the facet measures all at once, by the volume recursion over the
    face lattice (:meth:`~polytopo.complex.CellComplex.facet_measures_squared`; equal to
    :func:`facet_measure_squared`, which the tests check).
    """
    check_complex(complex)
    d = complex.dim
    G = nx.Graph()
    G.graph.update({"input_dim": d, "arithmetic": "exact rational"})
    for r in complex.regions(volumes=volumes):
        G.add_node(r.index, label=r.label, pattern=r.pattern,
                   interior_point=r.interior_point, volume=r.volume)
    inner = []
    for facet in complex.cells(d - 1):
        cof = complex.cofacets_of(facet)
        if len(cof) == 2:
            inner.append((facet, sorted(c.index for c in cof)))
    m2s = complex.facet_measures_squared([f.index for f, _ in inner]) if measures else None
    for j, (facet, (a, b)) in enumerate(inner):
        attrs = {"facet": facet.index}
        if measures:   # all at once (complex.volume), else facet by facet
            m2 = m2s[j] if m2s is not None else facet_measure_squared(complex, facet)
            m = sqrt_float(m2)  # None beyond the float range (JSON has no inf)
            attrs.update(measure_squared=m2, measure=m if math.isfinite(m) else None)
        G.add_edge(a, b, **attrs)
    return G


def _check_network_arguments(network, domain, max_regions, progress):
    check_network(network)
    check_domain(domain, network.input_dim, optional=True)
    _validate.check_positive_int("max_regions", max_regions)
    _validate.check_callable("progress", progress)


def check_graph(graph, name="graph"):
    """``graph`` after checking it is a networkx graph.

    >>> check_graph([(0, 1)])
    Traceback (most recent call last):
    ...
    TypeError: graph must be a networkx graph, got list
    """
    if not all(hasattr(graph, a) for a in ("nodes", "edges", "adj")):
        raise TypeError(f"{name} must be a networkx graph, got {type(graph).__name__}")
    return graph


def dual_graph(network, domain=None, *, complex=None, measures=True, volumes=True,
               max_regions=None, progress=None):
    """The dual graph of the activation regions of a ReLU network on a domain.

    One node per activation region of the canonical polyhedral complex ``C(f, D)``
    (docs/definitions.md), one edge per facet shared by two regions. For a scalar-output network
    every node also carries the exact output at its interior point and its sign, and
    every edge says whether it crosses the decision boundary ``f = 0``.

    Parameters
    ----------
    network : Network
    domain : Polytope, optional
        Default the cube ``[-1, 1]^d``.
    complex : CellComplex, optional
        ``canonical_complex(network, domain)`` when already computed.
    measures, volumes : bool
        Exact facet measures and region volumes (see :func:`complex_dual_graph`).
    max_regions : int, optional
        Stop with :class:`~polytopo.exceptions.LimitExceeded` past this many regions.
    progress : callable, optional
        Passed to :func:`~polytopo.complex.canonical_complex`.

    Returns
    -------
    networkx.Graph
        As :func:`complex_dual_graph`; scalar output adds node attributes ``output``
        (``f`` at the interior point, ``Fraction``), ``sign`` (−1, 0, +1) and ``mixed``
        (``f`` takes both strict signs on the region: the zero set cuts through it), and
        the edge attribute ``crosses_boundary`` (the two signs are +1 and −1). Several
        outputs add ``classes`` (the maximal classes at the interior point, ``"0"`` or
        ``"0,2"``) and ``mixed`` (another class is maximal somewhere on the region), and
        ``crosses_boundary`` on edges between regions with no maximal class in common.

    Examples
    --------
    >>> from polytopo.network import Network
    >>> from polytopo.geometry.polytope import Polytope
    >>> net = Network.from_lists([([[1], [-1]], [0, 0]), ([[1, 1]], ["-1/4"])])  # |x| - 1/4
    >>> G = dual_graph(net, Polytope.box([-1], [1]))
    >>> [(G.nodes[v]["pattern"], G.nodes[v]["output"], G.nodes[v]["mixed"]) for v in G]
    [('+-', Fraction(1, 4), True), ('-+', Fraction(1, 4), True)]
    >>> list(G.edges(data="crosses_boundary"))
    [(0, 1, False)]
    """
    _check_network_arguments(network, domain, max_regions, progress)
    if complex is not None:
        check_complex(complex)
    C = complex if complex is not None else canonical_complex(
        network, domain, max_regions=max_regions, progress=progress)
    G = complex_dual_graph(C, measures=measures, volumes=volumes)
    G.graph["architecture"] = list(network.architecture)
    if network.output_dim != 1:
        return _label_classes(G, C, network)
    pts = C.vertices()
    for v, data in G.nodes(data=True):
        (m,), (c,) = network.affine_maps(data["pattern"])[-1]
        value = dot(m, data["interior_point"]) + c
        at = [dot(m, pts[i]) + c for i in C.vertices_of((C.dim, v))]
        data.update(output=value, sign=(value > 0) - (value < 0),
                    mixed=min(at) < 0 < max(at))
    for a, b, data in G.edges(data=True):
        data["crosses_boundary"] = G.nodes[a]["sign"] * G.nodes[b]["sign"] == -1
    return G


def _argmax(values):
    top = max(values)
    return tuple(i for i, v in enumerate(values) if v == top)


def _label_classes(G, C, network):
    """A classifier's dual graph: node attributes ``classes`` (the maximal classes at the
    interior point, as text ``"0"`` or ``"0,2"``) and ``mixed`` (another class is maximal
    somewhere on the region); edges ``crosses_boundary`` when the two regions share no
    maximal class."""
    pts = C.vertices()
    for v, data in G.nodes(data=True):
        W, c = network.affine_maps(data["pattern"])[-1]

        def f(x):
            return [dot(row, x) + ci for row, ci in zip(W, c)]

        inside = _argmax(f(data["interior_point"]))
        at = {_argmax(f(pts[i])) for i in C.vertices_of((C.dim, v))}
        data.update(classes=",".join(map(str, inside)),
                    mixed=any(not set(inside) <= set(a) for a in at))
    for a, b, data in G.edges(data=True):
        ca, cb = (set(G.nodes[x]["classes"].split(",")) for x in (a, b))
        data["crosses_boundary"] = not (ca & cb)
    return G


# ---------------------------------------------------------------------------------------
# spectral partition (floating point)
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FiedlerPartition:
    """The Fiedler vector of a connected graph and the two-way partition by its signs.

    Attributes
    ----------
    nodes : tuple
        The nodes, in the order of ``vector`` and ``sides``.
    algebraic_connectivity : float
        ``λ_2``, the second-smallest eigenvalue of the Laplacian (float64).
    multiplicity : int
        How many Laplacian eigenvalues equal ``λ_2`` up to ``1e-9 · max(1, λ_max)``;
        above 1 the Fiedler vector (and the partition) is not unique.
    vector : tuple of float
        Unit eigenvector for ``λ_2``, signed so that its largest-magnitude entry
        (first such node) is positive.
    sides : tuple of int
        1 where the vector is positive, 0 elsewhere.
    weight : str or None
        The edge attribute used as weight (``None``: every edge weighs 1).
    """

    nodes: tuple
    algebraic_connectivity: float
    multiplicity: int
    vector: tuple
    sides: tuple
    weight: str | None

    def __repr__(self):
        n1 = sum(self.sides)
        return (f"FiedlerPartition(lambda2={self.algebraic_connectivity:.6g}, "
                f"multiplicity={self.multiplicity}, sizes=({len(self.sides) - n1}, {n1}))")

    def side(self, node):
        """The side (0 or 1) of a node."""
        return self.sides[self.nodes.index(node)]

    def to_json(self):
        return {"algebraic_connectivity": self.algebraic_connectivity,
                "multiplicity": self.multiplicity, "unique": self.multiplicity == 1,
                "weight": self.weight, "arithmetic": FIEDLER_NOTE,
                "sizes": [len(self.sides) - sum(self.sides), sum(self.sides)],
                "vector": {str(v): x for v, x in zip(self.nodes, self.vector)},
                "sides": {str(v): s for v, s in zip(self.nodes, self.sides)}}


def fiedler_partition(G, *, weight=None):
    """The Fiedler vector of a connected graph's Laplacian and the partition by its signs.

    The Laplacian is ``L = D − W`` (``W`` the symmetric weight matrix, ``D`` its row
    sums); its eigenvalues are ``0 = λ_1 ≤ λ_2 ≤ …``, ``λ_2 > 0`` iff the graph is
    connected (Fiedler, *Algebraic connectivity of graphs*, Czech. Math. J. 23, 1973).
    A unit eigenvector for ``λ_2`` is a Fiedler vector; the partition puts the nodes
    where it is positive on side 1 and the others on side 0.

    This is a **floating-point** spectral quantity (float64 ``numpy.linalg.eigh``, or
    ``scipy.sparse.linalg.eigsh`` above 2000 nodes), not an exact one.

    Parameters
    ----------
    G : networkx.Graph
        Connected, at least two nodes.
    weight : str, optional
        Edge attribute to use as weight (e.g. ``"measure"``); default unweighted.

    Returns
    -------
    FiedlerPartition

    Raises
    ------
    PointlessQuestion
        If the graph has fewer than two nodes or is not connected.
    InputError
        If ``weight`` names a missing or negative attribute.

    Examples
    --------
    >>> P = fiedler_partition(nx.path_graph(4))
    >>> P.sides, round(P.algebraic_connectivity, 6), P.multiplicity
    ((1, 1, 0, 0), 0.585786, 1)
    """
    check_graph(G, "G")
    nodes = tuple(G.nodes())
    n = len(nodes)
    if n < 2:
        raise PointlessQuestion(f"a Fiedler vector needs at least two nodes, the graph has {n}")
    if not nx.is_connected(G):
        raise PointlessQuestion("the graph is not connected: its Fiedler value is 0")
    if weight is not None:
        for a, b, w in G.edges(data=weight):
            if w is None or not 0 <= to_float(w) < math.inf:
                raise InputError(f"edge ({a}, {b}) has no finite non-negative {weight!r} "
                                 f"weight (a float: beyond the float range it is missing)")
    W = nx.to_scipy_sparse_array(G, nodelist=list(nodes), weight=weight, dtype=float)
    deg = np.asarray(W.sum(axis=1)).ravel()
    if n <= 2000:
        L = np.diag(deg) - W.toarray()
        vals, vecs = np.linalg.eigh(L)
    else:  # pragma: no cover - large graphs
        import scipy.sparse as sp
        from scipy.sparse.linalg import eigsh

        L = sp.diags(deg) - W
        k = min(6, n - 1)
        vals, vecs = eigsh(L.tocsc(), k=k, sigma=-1e-3, which="LM")
        order = np.argsort(vals)
        vals, vecs = vals[order], vecs[:, order]
    lam2 = float(vals[1])
    tol = 1e-9 * max(1.0, float(np.max(np.abs(vals))))
    mult = int(np.sum(np.abs(vals - lam2) <= tol))
    v = vecs[:, 1] / np.linalg.norm(vecs[:, 1])
    big = np.abs(v)
    i = int(np.flatnonzero(big >= big.max() - 1e-12)[0])
    if v[i] < 0:
        v = -v
    vector = tuple(float(x) for x in v)
    sides = tuple(int(x > 0) for x in v)
    return FiedlerPartition(nodes, lam2, mult, vector, sides, weight)


def boundary_agreement(G, partition):
    """How well a two-way partition of the dual graph follows the decision boundary.

    With ``B`` the dual edges crossing ``f = 0`` (endpoints with output signs +1 and
    −1 at their interior points, attribute ``crosses_boundary``) and ``C`` the edges
    whose endpoints lie on different sides of the partition:

    - ``score = |B ∩ C| / |B ∪ C|`` (Jaccard index; 0 when ``B ∪ C`` is empty),
    - ``precision = |B ∩ C| / |C|``, ``recall = |B ∩ C| / |B|``,
    - ``node_agreement``: over the regions with non-zero sign, the fraction whose side
      matches their sign, under the better of the two ways to match sides to signs
      (scalar output; ``None`` for a classifier, whose ``B`` is the edges between regions
      with no maximal class in common).

    All are exact rationals *given the partition*; the Fiedler partition itself is a
    floating-point quantity.

    Parameters
    ----------
    G : networkx.Graph
        From :func:`dual_graph` (output signs or classes on the nodes).
    partition : FiedlerPartition or dict
        Node → side (0 or 1) when a dict.

    Returns
    -------
    dict
        ``boundary_edges``, ``cut_edges`` (sorted lists of node pairs), counts
        ``n_boundary``, ``n_cut``, ``n_cut_on_boundary`` and the fractions above.

    Raises
    ------
    PointlessQuestion
        If the graph carries neither output signs nor classes.

    Examples
    --------
    >>> G = nx.path_graph(4)
    >>> nx.set_node_attributes(G, {0: -1, 1: -1, 2: 1, 3: 1}, "sign")
    >>> nx.set_edge_attributes(G, {(0, 1): False, (1, 2): True, (2, 3): False},
    ...                        "crosses_boundary")
    >>> r = boundary_agreement(G, fiedler_partition(G))
    >>> r["cut_edges"], r["score"], r["node_agreement"]
    ([(1, 2)], Fraction(1, 1), Fraction(1, 1))
    """
    sides = dict(zip(partition.nodes, partition.sides)) if isinstance(
        partition, FiedlerPartition) else dict(partition)
    labelled = all("sign" in data or "classes" in data for _, data in G.nodes(data=True))
    if not labelled or any("crosses_boundary" not in e and "sign" not in G.nodes[a]
                           for a, _, e in G.edges(data=True)):
        raise PointlessQuestion("the dual graph has no output signs or classes (make it "
                                "with dual_graph of the network)")
    B, C = set(), set()
    for a, b, data in G.edges(data=True):
        e = (min(a, b), max(a, b))
        crosses = data.get("crosses_boundary")
        if crosses is None:
            crosses = G.nodes[a]["sign"] * G.nodes[b]["sign"] == -1
        if crosses:
            B.add(e)
        if sides[a] != sides[b]:
            C.add(e)
    both, either = B & C, B | C
    signed = [(sides[v], s) for v, s in G.nodes(data="sign") if s]
    match = sum(1 for side, s in signed if (s > 0) == (side == 1))

    def frac(p, q):
        return Fraction(p, q) if q else None

    return {
        "boundary_edges": sorted(B), "cut_edges": sorted(C),
        "n_boundary": len(B), "n_cut": len(C), "n_cut_on_boundary": len(both),
        "score": Fraction(len(both), len(either)) if either else Fraction(0),
        "precision": frac(len(both), len(C)), "recall": frac(len(both), len(B)),
        "node_agreement": frac(max(match, len(signed) - match), len(signed)),
        "definition": AGREEMENT_DEFINITION,
    }


# ---------------------------------------------------------------------------------------
# the report and file formats
# ---------------------------------------------------------------------------------------
def _point(p):
    return [format_number(x) for x in p]


def _exact_text(q):
    """An exact number as text of any size (``str`` of an int stops at 4300 digits)."""
    x = format_number(q)
    return int_to_str(x) if isinstance(x, int) else x


def _point_text(p):
    """A point as JSON text, exact at any size."""
    return "[" + ", ".join(json.dumps(x) if isinstance(x, str) else int_to_str(x)
                           for x in _point(p)) + "]"


def graph_to_json(G):
    """The dual graph as a JSON-ready node-link object; exact numbers as in docs/formats.md.

    Examples
    --------
    >>> from polytopo.complex import CellComplex
    >>> G = complex_dual_graph(CellComplex.from_box([0], [2]).refine_by_hyperplane([1], -1))
    >>> obj = graph_to_json(G)
    >>> obj["nodes"][0]["volume"], obj["edges"][0]["measure_squared"]
    (1, 1)
    """
    nodes = []
    for v, data in G.nodes(data=True):
        item = {"id": v}
        for key, val in data.items():
            if key == "interior_point":
                item[key] = _point(val)
            elif isinstance(val, Fraction):
                item[key] = format_number(val)
            else:
                item[key] = val
        nodes.append(item)
    edges = []
    for a, b, data in G.edges(data=True):
        item = {"source": a, "target": b}
        for key, val in data.items():
            item[key] = format_number(val) if isinstance(val, Fraction) else val
        edges.append(item)
    return {"format": FORMAT, "directed": False, "nodes": nodes, "edges": edges,
            "measure": MEASURE_NOTE}


def graph_to_graphml(G, partition=None):
    """The dual graph as GraphML text (exact rationals as ``"p/q"`` strings).

    GraphML attributes are scalars: interior points are JSON strings, exact numbers
    are strings, ``measure`` a float; with a partition, nodes carry ``fiedler`` (float)
    and ``side``.

    Examples
    --------
    >>> from polytopo.complex import CellComplex
    >>> G = complex_dual_graph(CellComplex.from_box([0], [2]).refine_by_hyperplane([1], -1))
    >>> text = graph_to_graphml(G)
    >>> H = nx.parse_graphml(text)
    >>> sorted(H.nodes), H.edges["0", "1"]["measure_squared"]
    (['0', '1'], '1')
    """
    H = nx.Graph()
    H.graph.update({k: (json.dumps(v) if isinstance(v, (list, dict)) else v)
                    for k, v in G.graph.items()})
    sides = {} if partition is None else dict(zip(partition.nodes, partition.sides))
    vec = {} if partition is None else dict(zip(partition.nodes, partition.vector))
    for v, data in G.nodes(data=True):
        attrs = {}
        for key, val in data.items():
            if val is None:
                continue
            if key == "interior_point":
                attrs[key] = _point_text(val)
            elif isinstance(val, Fraction):
                attrs[key] = _exact_text(val)
            else:
                attrs[key] = val
        if v in sides:
            attrs.update(fiedler=vec[v], side=sides[v])
        H.add_node(v, **attrs)
    for a, b, data in G.edges(data=True):
        H.add_edge(a, b, **{k: (_exact_text(x) if isinstance(x, Fraction) else x)
                            for k, x in data.items() if x is not None})
    return "\n".join(nx.generate_graphml(H)) + "\n"


def dual_graph_report(network, domain=None, *, weight=None, graph=None, partition=None,
                      max_regions=None, progress=None):
    """The whole analysis in one call: dual graph, Fiedler partition, boundary agreement.

    Parameters
    ----------
    network : Network
    domain : Polytope, optional
        Default ``[-1, 1]^d``.
    weight : {None, "measure"}
        Laplacian weights: none (every shared facet counts 1) or the facet measure.
    graph, partition : optional
        Already computed :func:`dual_graph` and :func:`fiedler_partition`.
    max_regions : int, optional
    progress : callable, optional

    Returns
    -------
    dict
        ``n_regions``, ``n_edges``, the graph (:func:`graph_to_json`), ``fiedler``
        (floating point, :class:`FiedlerPartition`), ``agreement``
        (:func:`boundary_agreement`, scalar output only).

    Examples
    --------
    >>> from polytopo.network import Network
    >>> from polytopo.geometry.polytope import Polytope
    >>> net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 0]], ["-1/4"])])
    >>> rep = dual_graph_report(net, Polytope.cube(2))
    >>> rep["n_regions"], rep["n_edges"], rep["agreement"]["n_boundary"]
    (4, 4, 2)
    """
    if weight not in (None, "measure"):
        raise InputError(f"unknown weight {weight!r}: none or measure")
    _check_network_arguments(network, domain, max_regions, progress)
    if graph is not None:
        check_graph(graph)
    G = graph if graph is not None else dual_graph(network, domain, max_regions=max_regions,
                                                   progress=progress)
    rep = {
        "polytopo_version": __version__,
        "arithmetic": "exact rational (graph, volumes, facet measures, agreement counts); "
                      "float64 (Fiedler vector)",
        "method": COMPLEX_METHOD,
        "input_dim": network.input_dim,
        "architecture": list(network.architecture),
        "domain": None if domain is None else domain.to_json(),
        "n_regions": G.number_of_nodes(),
        "n_edges": G.number_of_edges(),
        "graph": graph_to_json(G),
    }
    if G.number_of_nodes() >= 2:
        P = partition if partition is not None else fiedler_partition(G, weight=weight)
        rep["fiedler"] = P.to_json()
        if all("sign" in d or "classes" in d for _, d in G.nodes(data=True)):
            agree = boundary_agreement(G, P)
            rep["agreement"] = {k: (format_number(v) if isinstance(v, Fraction) else v)
                                for k, v in agree.items()}
            rep["agreement"]["boundary_edges"] = [list(e) for e in agree["boundary_edges"]]
            rep["agreement"]["cut_edges"] = [list(e) for e in agree["cut_edges"]]
    return rep
