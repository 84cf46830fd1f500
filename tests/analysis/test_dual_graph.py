"""The dual graph of the regions: known adjacencies of arrangements, exact facet measures,
the Fiedler partition and its agreement with the decision boundary, files and command."""

import argparse
import itertools
import json
import math
from fractions import Fraction

import networkx as nx
import pytest
from hypothesis import given, settings

from polytopo.analysis.dual_graph import (boundary_agreement, complex_dual_graph, dual_graph,
                                          dual_graph_report, facet_measure_squared,
                                          fiedler_partition, graph_to_graphml, graph_to_json)
from polytopo.cli.dual_graph import add as add_dual_graph_command
from polytopo.cli.dual_graph import run as run_dual_graph
from polytopo.complex.cells import CellComplex
from polytopo.complex.build import canonical_complex
from polytopo.exceptions import InputError, PointlessQuestion
from polytopo.network.io import write_json
from polytopo.network.model import Network
from polytopo.geometry.polytope import Polytope
from polytopo.testing import networks


def arrangement_network(rows, offsets):
    """One hidden neuron per hyperplane a·x + c = 0; the output is their sum."""
    return Network.from_lists([(rows, offsets), ([[1] * len(rows)], [0])])


def hamming(p, q):
    return sum(a != b for a, b in zip(p, q))


# ---- arrangements ------------------------------------------------------------------
LINES = [([1, 0], 0), ([0, 1], 0), ([1, 1], -1), ([1, -2], "1/2"), ([3, 1], 2)]


@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_lines_in_general_position(n):
    rows = [a for a, _ in LINES[:n]]
    offs = [c for _, c in LINES[:n]]
    net = arrangement_network(rows, offs)
    G = dual_graph(net, Polytope.cube(2, -20, 20))   # every crossing inside the box
    # regions of n lines in general position: 1 + n + C(n, 2); facets: n pieces per line
    assert G.number_of_nodes() == 1 + n + math.comb(n, 2)
    assert G.number_of_edges() == n * n
    pats = dict(G.nodes(data="pattern"))
    expected = {(a, b) for a, b in itertools.combinations(sorted(G), 2)
                if hamming(pats[a], pats[b]) == 1}
    assert set(G.edges()) == expected


def _braid(n):
    """Braid arrangement x_i = x_j in R^n, essentialised by x_n = 0 (a network on R^{n-1})."""
    rows, d = [], n - 1
    for i, j in itertools.combinations(range(n), 2):
        row = [0] * d
        row[i] += 1
        if j < d:
            row[j] -= 1
        rows.append(row)
    return arrangement_network(rows, [0] * len(rows))


def _permutation(point, n):
    x = list(point) + [Fraction(0)]
    return tuple(sorted(range(n), key=lambda i: x[i]))


def _cayley_adjacent(p, q):
    """p, q differ by swapping two entries adjacent in position (an adjacent transposition)."""
    diff = [i for i in range(len(p)) if p[i] != q[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1


@pytest.mark.parametrize("n", [3, 4, 5])
def test_braid_arrangement_is_the_permutohedron(n):
    net = _braid(n)
    G = dual_graph(net, Polytope.cube(n - 1))
    assert G.number_of_nodes() == math.factorial(n)
    perm = {v: _permutation(G.nodes[v]["interior_point"], n) for v in G}
    assert len(set(perm.values())) == math.factorial(n)       # one region per ordering
    edges = {frozenset((perm[a], perm[b])) for a, b in G.edges()}
    cayley = {frozenset((p, q)) for p, q in itertools.combinations(
        itertools.permutations(range(n)), 2) if _cayley_adjacent(p, q)}
    assert edges == cayley
    # the 1-skeleton of the permutohedron: (n-1)-regular with n!(n-1)/2 edges
    assert G.number_of_edges() == math.factorial(n) * (n - 1) // 2
    assert {deg for _, deg in G.degree()} == {n - 1}


@pytest.mark.slow
def test_braid_arrangement_six():
    test_braid_arrangement_is_the_permutohedron(6)     # 720 regions in R^5, ~4 s


# ---- exact facet measures -----------------------------------------------------------
def test_facet_measure_hexagon_in_cube():
    C = CellComplex.from_box([0, 0, 0], [1, 1, 1]).refine_by_hyperplane([1, 1, 1], "-3/2")
    G = complex_dual_graph(C)
    (a, b, data), = G.edges(data=True)
    # the regular hexagon of side sqrt(2)/2: area (3 sqrt(3)/2)(1/2) = 3 sqrt(3)/4
    assert data["measure_squared"] == Fraction(27, 16)
    assert data["measure"] == pytest.approx(3 * math.sqrt(3) / 4)
    assert G.nodes[a]["volume"] == G.nodes[b]["volume"] == Fraction(1, 2)


def test_facet_measure_segments_and_points():
    C = CellComplex.from_box([0, 0], [2, 3]).refine_by_hyperplane([3, -2], 0)
    (_, _, m2), = complex_dual_graph(C).edges(data="measure_squared")
    assert m2 == 13                                   # the diagonal from (0,0) to (2,3)
    C1 = CellComplex.from_box([0], [1]).refine_by_hyperplane([1], "-1/3")
    (_, _, m1), = complex_dual_graph(C1).edges(data="measure_squared")
    assert m1 == 1                                    # d = 1: a point has measure 1
    with pytest.raises(InputError):
        facet_measure_squared(C, (2, 0))


def test_measures_sum_to_the_arrangement_lengths():
    # two lines through the square [-1,1]^2: x = 0 (length 2) and y = x/2 (length sqrt(5))
    net = arrangement_network([[1, 0], [1, -2]], [0, 0])
    G = dual_graph(net, Polytope.cube(2))
    total = sum(m for _, _, m in G.edges(data="measure"))
    assert total == pytest.approx(2 + math.sqrt(5))
    assert sum(G.nodes[v]["volume"] for v in G) == 4


# ---- Fiedler partition and agreement ----------------------------------------------
def test_fiedler_of_a_path_of_regions_cuts_at_the_boundary():
    # 1-D: breakpoints at ±3/4, ±1/4 and 0 make a path of 6 regions; f(x) = x
    cuts = ["3/4", "1/4", "-1/4", "-3/4"]
    net = Network.from_lists([([[1]] * 4 + [[1], [-1]], cuts + [0, 0]),
                              ([[0, 0, 0, 0, 1, -1]], [0])])      # f(x) = x
    G = dual_graph(net, Polytope.box([-1], [1]))
    assert nx.is_isomorphic(G, nx.path_graph(6))
    P = fiedler_partition(G)
    assert P.algebraic_connectivity == pytest.approx(2 - 2 * math.cos(math.pi / 6))
    assert P.multiplicity == 1
    r = boundary_agreement(G, P)
    assert r["n_boundary"] == r["n_cut"] == r["n_cut_on_boundary"] == 1
    assert r["score"] == r["precision"] == r["recall"] == r["node_agreement"] == 1


def test_agreement_counts_are_exact_and_side_invariant():
    G = nx.cycle_graph(6)
    nx.set_node_attributes(G, {0: 1, 1: 1, 2: 1, 3: -1, 4: -1, 5: 0}, "sign")
    sides = {0: 0, 1: 0, 2: 1, 3: 1, 4: 1, 5: 0}
    r = boundary_agreement(G, sides)
    flipped = boundary_agreement(G, {v: 1 - s for v, s in sides.items()})
    assert r == flipped
    assert r["boundary_edges"] == [(2, 3)] and r["cut_edges"] == [(1, 2), (4, 5)]
    assert r["score"] == 0 and r["recall"] == 0
    assert r["node_agreement"] == Fraction(4, 5)


def test_repeated_fiedler_value_is_reported():
    P = fiedler_partition(nx.cycle_graph(8))
    assert P.multiplicity == 2
    assert P.to_json()["unique"] is False


def test_weighted_fiedler_uses_measures():
    # a strip cut at x = 1, 2, 3: a path of four regions, split in the middle
    net = Network.from_lists([([[1, 0], [1, 0], [1, 0]], [-1, -2, -3]), ([[1, 1, 1]], [0])])
    G = dual_graph(net, Polytope.box([0, 0], [4, 1]))
    P = fiedler_partition(G, weight="measure")
    assert P.weight == "measure" and sorted(P.sides) == [0, 0, 1, 1]
    with pytest.raises(InputError):
        fiedler_partition(G, weight="nonexistent")


def test_pointless_questions():
    with pytest.raises(PointlessQuestion):
        fiedler_partition(nx.empty_graph(1))
    with pytest.raises(PointlessQuestion):
        fiedler_partition(nx.empty_graph(3))
    net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 0], [0, 1]], [0, 0])])
    G = complex_dual_graph(canonical_complex(net, Polytope.cube(2)))   # no outputs on it
    assert "sign" not in G.nodes[0] and "classes" not in G.nodes[0]
    with pytest.raises(PointlessQuestion):
        boundary_agreement(G, fiedler_partition(G))
    assert "agreement" not in dual_graph_report(net, Polytope.cube(2), graph=G)


def test_dual_graph_agrees_with_the_complex():
    net = Network.from_lists([([[1, 2], [-1, 1], [2, -1]], [0, "1/3", "-1/2"]),
                              ([[1, -1, 1], [1, 1, -2]], [0, "-1/4"]),
                              ([[1, -2]], ["1/8"])])
    dom = Polytope.cube(2)
    C = canonical_complex(net, dom)
    G = dual_graph(net, dom, complex=C)
    assert G.number_of_nodes() == C.n_regions
    interior = sum(1 for c in C.cells(1) if len(C.cofacets_of(c)) == 2)
    assert G.number_of_edges() == interior
    assert sum(G.nodes[v]["volume"] for v in G) == 4
    for v, data in G.nodes(data=True):
        assert data["output"] == net.forward(data["interior_point"])[0]
        assert data["pattern"] == net.pattern(data["interior_point"])


# ---- files and command line ------------------------------------------------------------
def test_json_and_graphml_round_trip(tmp_path):
    net = arrangement_network([[1, 0], [0, 1], [1, 1]], [0, 0, "-1/2"])
    G = dual_graph(net, Polytope.cube(2))
    obj = json.loads(json.dumps(graph_to_json(G)))
    assert len(obj["nodes"]) == G.number_of_nodes() and len(obj["edges"]) == G.number_of_edges()
    back = {(e["source"], e["target"]): Fraction(str(e["measure_squared"])) for e in obj["edges"]}
    assert back == {(a, b): m for a, b, m in G.edges(data="measure_squared")}
    P = fiedler_partition(G)
    H = nx.parse_graphml(graph_to_graphml(G, P))
    assert H.number_of_edges() == G.number_of_edges()
    assert {H.nodes[str(v)]["pattern"] for v in G} == {G.nodes[v]["pattern"] for v in G}
    assert all(Fraction(H.nodes[str(v)]["volume"]) == G.nodes[v]["volume"] for v in G)
    assert {H.nodes[str(v)]["side"] for v in G} == {0, 1}


def test_picture_shows_regions_cut_and_boundary_edges():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Polygon

    from polytopo.figures.dual_graph import plot_dual_graph

    net = Network.from_lists([([[1, 0], [0, 1], [1, 1]], [0, 0, "-1/2"]),
                              ([[1, -1, 1]], ["-1/8"])])
    G = dual_graph(net, Polytope.cube(2))
    P = fiedler_partition(G)
    agree = boundary_agreement(G, P)
    fig, ax = plt.subplots()
    assert plot_dual_graph(net, Polytope.cube(2), graph=G, partition=P, ax=ax) is fig
    assert len([p for p in ax.patches if isinstance(p, Polygon)]) == G.number_of_nodes()
    edges = [ln for ln in ax.get_lines() if ln.get_zorder() == 4]   # one line per dual edge
    assert len(edges) == G.number_of_edges()
    assert sum(ln.get_linestyle() == "--" for ln in edges) == agree["n_cut"]
    assert sum(ln.get_color() == "tab:red" for ln in edges) == agree["n_boundary"]
    plt.close(fig)
    with pytest.raises(InputError, match="2-input"):
        plot_dual_graph(arrangement_network([[1]], [0]), Polytope.box([-1], [1]))


def _run(argv):
    parser = argparse.ArgumentParser()
    add_dual_graph_command(parser.add_subparsers(dest="command"))
    return run_dual_graph(parser.parse_args(["dual-graph"] + argv))


def test_command_writes_everything(tmp_path, capsys):
    net = Network.from_lists([([[1, 0], [0, 1], [1, 1]], [0, 0, "-1/2"]),
                              ([[1, -1, 1]], ["-1/8"])])
    write_json(tmp_path / "net.json", net.to_json())
    out = {k: tmp_path / f"g.{k}" for k in ("json", "graphml", "png")}
    assert _run([str(tmp_path / "net.json"), "--box", "-1", "1", "--weight", "measure",
                 "--json", str(out["json"]), "--graphml", str(out["graphml"]),
                 "--plot", str(out["png"])]) == 0
    text = capsys.readouterr().out
    assert "agreement" in text and "float64" in text
    rep = json.loads(out["json"].read_text())
    assert rep["fiedler"]["weight"] == "measure"
    assert rep["n_regions"] == canonical_complex(net, Polytope.cube(2)).n_regions
    assert nx.read_graphml(out["graphml"]).number_of_nodes() == rep["n_regions"]
    assert out["png"].read_bytes()[:4] == b"\x89PNG"


def test_command_bad_input(tmp_path):
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(InputError):
        _run([str(tmp_path / "bad.json")])
    net = Network.from_lists([([[1, 0, 0]], [0]), ([[1]], [0])])
    write_json(tmp_path / "net3.json", net.to_json())
    with pytest.raises(InputError):
        _run([str(tmp_path / "net3.json"), "--plot", str(tmp_path / "x.png")])
    assert not (tmp_path / "x.png").exists()
    with pytest.raises(InputError):
        _run([str(tmp_path / "net3.json"), "--box", "1", "0"])


@settings(max_examples=20, deadline=None)
@given(networks(max_layers=2, max_width=4))
def test_facet_measures_all_at_once_equal_one_by_one(net):
    """The volume recursion stopped below the top (CellComplex.facet_measures_squared)
    gives each interior facet's squared measure exactly as the triangulation of that
    facet alone (facet_measure_squared)."""
    from polytopo.analysis.dual_graph import facet_measure_squared
    from polytopo.complex.build import canonical_complex

    C = canonical_complex(net, Polytope.cube(net.input_dim, -2, 2))
    d = C.dim
    cells = list(range(C.f_vector()[d - 1]))
    assert C.facet_measures_squared(cells) == [facet_measure_squared(C, (d - 1, i))
                                               for i in cells]
