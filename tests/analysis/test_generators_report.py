"""The "generators" part of the analyze report: the bundled annulus, the 16 holes of the
2-4-4-4-1 construction, a classifier, the low-rank pair; every 1-cycle winds around a hole
(an exact ray-crossing count), and without the option the report is unchanged."""

import json
from fractions import Fraction

import pytest

from polytopo.analysis.expressivity import construction
from polytopo.analysis.summary import analyze, set_generators
from polytopo.exceptions import InputError
from polytopo.figures.network_plot import chain_polylines
from polytopo.geometry.polytope import Polytope
from polytopo.network import Network
from polytopo.network.io import load_network

EXAMPLE = Network.from_lists([([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, 0, 0, 0]),
                              ([[1, 1, 1, 1], [-1, -1, -1, -1]], ["-1/2", "1/2"]),
                              ([[-1, -1]], ["1/4"])])   # polytopo/data/example.json


def winding(walk, q):
    """Winding number of a closed polygon around q, exactly (signed ray crossings)."""
    w = 0
    for (x0, y0), (x1, y1) in zip(walk, walk[1:]):
        if (y0 <= q[1]) != (y1 <= q[1]):
            if x0 + (q[1] - y0) * (x1 - x0) / (y1 - y0) > q[0]:
                w += 1 if y1 > y0 else -1
    return w


def windings(gen, q):
    return sum(winding(w, q) for w in chain_polylines(gen["chain"]))


def test_without_the_option_the_report_is_unchanged():
    D = Polytope.cube(2)
    plain, full = analyze(EXAMPLE, D), analyze(EXAMPLE, D, generators=True)
    assert "generators" not in plain and "generators" not in plain["computed"]
    rest = {k: v for k, v in full.items() if k not in ("generators", "generators_info")}
    rest["computed"] = [k for k in rest["computed"] if k != "generators"]
    assert json.dumps(rest) == json.dumps(plain)
    with pytest.raises(InputError):
        analyze(EXAMPLE, D, generators="yes")


def test_annulus_loop_winds_once_around_the_hole():
    rep = analyze(EXAMPLE, Polytope.cube(2), generators=True)
    gens = rep["generators"]
    assert {w: [len(level) for level in g] for w, g in gens.items()} == {
        "domain": [1, 0, 0], "positive": [1, 1, 0], "negative": [2, 1, 0], "zero": [2, 2, 0],
        "low_rank": [1, 0, 0], "pair": [0, 0, 0]}
    (loop,) = gens["positive"][1]
    assert windings(loop, (0, 0)) == 1                     # the hole |x| + |y| < 1/4
    assert windings(loop, (Fraction(1, 2), 0)) == 0        # a point of the annulus
    assert windings(loop, (Fraction(9, 10), 0)) == 0       # outside
    (walk,) = chain_polylines(loop["chain"])
    assert walk[0] == walk[-1] and len(set(walk)) == len(walk) - 1      # a simple loop
    # every edge: [tail, head] exact, a cell of the output-refined complex
    assert rep["generators_info"]["cells"]["positive"]["complex"] == "output"
    for e in loop["chain"]:
        assert set(e) == {"coefficient", "cell", "vertices"} and len(e["vertices"]) == 2
    # the two loops of {f = 0} wind around the inner and the outer diamond
    w = sorted(windings(g, (0, 0)) for g in gens["zero"][1])
    assert w == [1, 1] and sorted(windings(g, (Fraction(1, 2), 0)) for g in gens["zero"][1]) == [0, 1]


def test_the_sixteen_holes_of_the_construction():
    c = construction((2, 4, 4, 4, 1), 1)
    rep = analyze(c.network, c.domain, generators=True)
    loops = rep["generators"]["negative"][1]
    assert len(loops) == 16
    centres = [(Fraction(2 * i + 1, 8), Fraction(2 * j + 1, 8)) for i in range(4) for j in range(4)]
    matrix = [[windings(g, c) for c in centres] for g in loops]
    assert sorted(map(sorted, matrix)) == [[0] * 15 + [1]] * 16        # one hole each
    assert sorted(row.index(1) for row in matrix) == list(range(16))


def test_classes_and_torsion_free_low_rank_pair():
    net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1], [-1, -1]], [0, 0])])
    rep = analyze(net, Polytope.cube(2), generators=True)
    gens = rep["generators"]
    assert {"class_0", "class_1", "class_boundary", "low_rank", "pair"} <= set(gens)
    assert [len(level) for level in gens["class_boundary"]] == [1, 0, 0]
    pair = analyze(Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])]),
                   Polytope.cube(2), generators=True,
                   manifold=[Polytope.box([-1, "1/2"], [1, 1]), Polytope.box([-1, -1], [1, "-1/2"]),
                             Polytope.box([-1, "-1/2"], ["-1/2", "1/2"]),
                             Polytope.box(["1/2", "-1/2"], [1, "1/2"])])["generators"]
    assert [len(level) for level in pair["manifold"]] == [1, 1, 0]
    assert [len(level) for level in pair["pair"]] == [0, 1, 0]
    (rel,) = pair["pair"][1]           # a relative 1-cycle: a path whose ends lie in A
    (walk,) = chain_polylines(rel["chain"])
    assert walk[0] != walk[-1]
    assert windings(pair["manifold"][1][0], (0, 0)) in (1, -1)


def test_set_generators_of_a_subcomplex_vertices_are_exact():
    from polytopo.complex import CellComplex

    C = CellComplex.from_box([0, 0], ["1/3", 1])
    (loop,) = set_generators(C, C.closure(C.cells(1)))[1]
    pts = {tuple(p) for e in loop["chain"] for p in e["vertices"]}
    assert pts == {(0, 0), ("1/3", 0), (0, 1), ("1/3", 1)}
    assert windings(loop, (Fraction(1, 6), Fraction(1, 2))) == 1


def test_bundled_example_file_is_the_annulus():
    from importlib import resources

    net = load_network(resources.files("polytopo") / "data" / "example.json")
    assert net.forward([0, 0]) == EXAMPLE.forward([0, 0])


def test_a_shell_in_3d_has_a_two_cycle_around_its_cavity():
    net = Network.from_lists([([[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1],
                                 [0, 0, -1]], [0] * 6),
                               ([[1] * 6, [-1] * 6], ["-1/2", "1/2"]), ([[-1, -1]], ["1/4"])])
    rep = analyze(net, Polytope.cube(3), generators=True)
    (shell,) = rep["generators"]["positive"][2]
    assert len(shell["chain"]) == 8 and {abs(e["coefficient"]) for e in shell["chain"]} == {1}
