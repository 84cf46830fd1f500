"""The dual graph of a classifier: classes on nodes, the class boundary on edges."""

from polytopo.analysis.dual_graph import dual_graph, dual_graph_report
from polytopo.geometry.polytope import Polytope
from polytopo.network.model import Network

FOLD = ([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, 0, 0, 0])


def test_quadrant_classifier():
    out = [[1, 0, 1, 0], [0, 1, 1, 0], [0, 1, 0, 1], [1, 0, 0, 1]]
    net = Network.from_lists([FOLD, (out, [0, 0, 0, 0])])
    G = dual_graph(net, Polytope.cube(2))
    assert sorted(G.nodes[v]["classes"] for v in G) == ["0", "1", "2", "3"]
    assert not any(G.nodes[v]["mixed"] for v in G)
    assert G.number_of_edges() == 4 and all(c for _, _, c in G.edges(data="crosses_boundary"))
    rep = dual_graph_report(net, Polytope.cube(2))
    assert rep["agreement"]["n_boundary"] == 4


def test_a_region_split_by_classes_is_mixed():
    # relu(x + 2) is one region on the square; f = (x, 0) changes class at x = 0
    net = Network.from_lists([([[1, 0]], [2]), ([[1], [0]], [-2, 0])])
    G = dual_graph(net, Polytope.cube(2))
    assert G.number_of_nodes() == 1
    (v,) = G
    assert G.nodes[v]["mixed"] and G.nodes[v]["classes"] in ("0", "1", "0,1")
