"""Forman and Ollivier-Ricci curvature, k-NN graphs of embeddings, the Ricci flow coefficient."""

import itertools
from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import sparse

from polytopo.analysis import curvature as C
from polytopo.analysis.curvature import (directed_knn_graph, forman_curvature, geodesic_sum,
                                         knn_graph, layer_geometry, ollivier_curvature,
                                         ricci_flow_coefficient)
from polytopo.exceptions import InputError, PointlessQuestion


# ---- Forman: hand-computed values ---------------------------------------------------
@pytest.mark.parametrize("n", [3, 4, 7, 12])
def test_forman_cycle_is_flat(n):
    assert set(forman_curvature(nx.cycle_graph(n)).values()) == {0}  # 4 − 2 − 2


@pytest.mark.parametrize("n", [2, 3, 5, 8])
def test_forman_complete_graph(n):
    F = forman_curvature(nx.complete_graph(n))
    assert len(F) == n * (n - 1) // 2
    assert set(F.values()) == {4 - 2 * (n - 1)}
    # with triangles: 4 − 2(n−1) + 3(n−2) = n
    assert set(forman_curvature(nx.complete_graph(n), augmented=True).values()) == {n}


def test_forman_trees():
    # a path: end edges 4 − 1 − 2 = 1, inner edges 0
    assert forman_curvature(nx.path_graph(5)) == {(0, 1): 1, (1, 2): 0, (2, 3): 0, (3, 4): 1}
    # a star with m leaves: 4 − m − 1
    assert set(forman_curvature(nx.star_graph(6)).values()) == {-3}
    # two adjacent degree-3 vertices, each with two leaves
    T = nx.Graph([("a", "b"), ("a", "x1"), ("a", "x2"), ("b", "y1"), ("b", "y2")])
    F = forman_curvature(T)
    assert F[("a", "b")] == -2 and F[("a", "x1")] == 0 and F[("b", "y2")] == 0
    # trees have no triangles: augmented = plain
    assert forman_curvature(T, augmented=True) == F


def test_forman_on_a_matrix_and_keys():
    A = np.array([[0, 1, 1, 0], [1, 0, 1, 0], [1, 1, 0, 1], [0, 0, 1, 0]])
    assert forman_curvature(A) == {(0, 1): 0, (0, 2): -1, (1, 2): -1, (2, 3): 0}
    assert forman_curvature(sparse.csr_array(A), augmented=True) == \
        {(0, 1): 3, (0, 2): 2, (1, 2): 2, (2, 3): 0}
    with pytest.raises(InputError):
        forman_curvature(np.array([[0, 1], [0, 0]]))  # not symmetric
    with pytest.raises(InputError):
        forman_curvature(np.zeros((2, 3)))
    with pytest.raises(InputError):
        forman_curvature(nx.DiGraph([(0, 1)]))
    with pytest.raises(InputError):
        forman_curvature("not a graph")


@given(st.integers(5, 25), st.floats(0.1, 0.6), st.integers(0, 10 ** 6))
def test_forman_matches_degree_formula_on_random_graphs(n, p, seed):
    G = nx.gnp_random_graph(n, p, seed=seed)
    F = forman_curvature(G)
    Fa = forman_curvature(G, augmented=True)
    for u, v in G.edges():
        assert F[(u, v)] == 4 - G.degree(u) - G.degree(v)
        t = len(set(G[u]) & set(G[v]))
        assert Fa[(u, v)] == F[(u, v)] + 3 * t


# ---- Ollivier: hand-computed values -------------------------------------------------
@pytest.mark.parametrize("n", [3, 4, 6])
def test_ollivier_complete_graph(n):
    values = ollivier_curvature(nx.complete_graph(n)).values()
    assert all(v == pytest.approx((n - 2) / (n - 1)) for v in values)


@pytest.mark.parametrize("n", [4, 5, 6, 9])
def test_ollivier_cycle(n):
    assert all(v == pytest.approx(0) for v in ollivier_curvature(nx.cycle_graph(n)).values())


def test_ollivier_trees_and_idleness():
    T = nx.Graph([("a", "b"), ("a", "x1"), ("a", "x2"), ("b", "y1"), ("b", "y2")])
    k = ollivier_curvature(T)
    assert k[("a", "b")] == pytest.approx(-2 / 3)  # W1 = (1 + 1 + 3)/3
    assert k[("a", "x1")] == pytest.approx(0)
    # K3 with idleness 1/2: move 1/4 of mass from x to y, W1 = 1/4
    assert all(v == pytest.approx(0.75)
               for v in ollivier_curvature(nx.complete_graph(3), alpha=0.5).values())
    with pytest.raises(InputError):
        ollivier_curvature(T, alpha=1.0)


def test_ollivier_lp_fallback_agrees(monkeypatch):
    pytest.importorskip("ot", reason="POT (optional) is not installed: only the LP backend runs")
    G = nx.connected_watts_strogatz_graph(14, 4, 0.3, seed=1)
    first = ollivier_curvature(G)
    monkeypatch.setattr(C, "_HAVE_POT", False)
    assert C.ot_backend() == "SciPy HiGHS linear program"
    second = ollivier_curvature(G)
    assert first.keys() == second.keys()
    assert all(first[e] == pytest.approx(second[e], abs=1e-9) for e in first)


# ---- distances and k-NN graphs -------------------------------------------------------
def test_geodesic_sum():
    assert geodesic_sum(nx.path_graph(4)) == 10
    assert geodesic_sum(nx.cycle_graph(6)) == 6 * (1 + 2 + 3 + 2 + 1) // 2
    assert geodesic_sum(nx.complete_graph(5)) == 10
    with pytest.raises(PointlessQuestion):
        geodesic_sum(nx.Graph([(0, 1), (2, 3)]))


def test_knn_graph():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    A = knn_graph(X, 4)
    assert (A != A.T).nnz == 0 and A.diagonal().sum() == 0
    assert np.asarray(A.sum(axis=1)).min() >= 4
    D = np.linalg.norm(X[:, None] - X[None], axis=2)
    np.fill_diagonal(D, np.inf)
    nearest = np.argsort(D, axis=1)[:, :4]
    for i in range(40):
        assert all(A[i, j] for j in nearest[i])
    # duplicate points: the point itself is still not its own neighbour
    B = knn_graph(np.r_[X[:5], X[:5]], 2)
    assert B.diagonal().sum() == 0 and np.asarray(B.sum(axis=1)).min() >= 2
    for bad in (0, 40, 2.0):
        with pytest.raises(InputError):
            knn_graph(X, bad)


# ---- the global Ricci network flow coefficient ----------------------------------------
def layers(seed=0, n=80):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    out = [X]
    for width in (6, 5, 3):
        W = rng.normal(size=(out[-1].shape[1], width))
        out.append(np.maximum(out[-1] @ W + rng.normal(size=width), 0) + 1e-3 * rng.normal(
            size=(n, width)))
    return out


def reference_coefficient(embeddings, k):
    """Independent computation with networkx and numpy's corrcoef."""
    ric, g = [], []
    for E in embeddings:
        A = knn_graph(E, k)
        G = nx.from_scipy_sparse_array(A)
        ric.append(sum(4 - G.degree(u) - G.degree(v) for u, v in G.edges()))
        g.append(sum(d for u, dist in nx.all_pairs_shortest_path_length(G)
                     for v, d in dist.items()) // 2)
    eta = np.diff(g)
    return ric, g, float(np.corrcoef(ric[:-1], eta)[0, 1])


def test_coefficient_matches_reference():
    embs = layers()
    r = ricci_flow_coefficient(embs, 6)
    ric, g, rho = reference_coefficient(embs, 6)
    assert list(r.ricci) == ric and list(r.geodesic_sums) == g
    assert list(r.eta) == [b - a for a, b in zip(g, g[1:])]
    assert r.coefficient == pytest.approx(rho)
    assert r.to_json()["k"] == 6 and len(r.layers) == 4


@given(st.integers(0, 10 ** 6), st.integers(0, 50))
def test_coefficient_is_invariant_under_relabelling(seed, data_seed):
    embs = layers(data_seed, n=50)
    perm = np.random.default_rng(seed).permutation(50)
    try:
        a = ricci_flow_coefficient(embs, 5)
    except PointlessQuestion as e:  # a disconnected graph is disconnected in any order
        with pytest.raises(PointlessQuestion, match=str(e)):
            ricci_flow_coefficient([E[perm] for E in embs], 5)
        return
    b = ricci_flow_coefficient([E[perm] for E in embs], 5)
    assert (a.ricci, a.geodesic_sums, a.eta) == (b.ricci, b.geodesic_sums, b.eta)
    assert a.coefficient == b.coefficient


def test_coefficient_is_invariant_under_similarities_of_each_layer():
    embs = layers(3)
    rng = np.random.default_rng(9)
    moved = []
    for E in embs:
        Q = np.linalg.qr(rng.normal(size=(E.shape[1], E.shape[1])))[0]
        moved.append(2.5 * E @ Q + rng.normal(size=E.shape[1]))
    assert ricci_flow_coefficient(embs, 6).coefficient == \
        pytest.approx(ricci_flow_coefficient(moved, 6).coefficient)


def test_coefficient_pointless_cases():
    embs = layers()
    with pytest.raises(PointlessQuestion):
        ricci_flow_coefficient(embs[:3], 5)
    two_clusters = np.r_[np.random.default_rng(1).normal(size=(40, 2)),
                         100 + np.random.default_rng(2).normal(size=(40, 2))]
    with pytest.raises(PointlessQuestion, match="components"):
        ricci_flow_coefficient([two_clusters] * 4, 3)
    same = [embs[0]] * 4  # nothing changes: η = 0
    with pytest.raises(PointlessQuestion, match="constant"):
        ricci_flow_coefficient(same, 5)
    with pytest.raises(InputError):
        ricci_flow_coefficient([embs[0], embs[1][:10], embs[2], embs[3]], 5)


def test_layer_geometry_statistics_and_ollivier():
    t = np.arange(12) * np.pi / 6
    ring = np.c_[np.cos(t), np.sin(t)]
    g = layer_geometry(ring, 2, ollivier=True)
    assert (g.n_edges, g.n_components, g.forman_total, g.forman_min, g.forman_max) == \
        (12, 1, 0, 0, 0)
    assert g.geodesic_sum == 12 * sum(min(i, 12 - i) for i in range(12)) // 2
    assert g.ollivier_mean == pytest.approx(0) and g.to_json()["ollivier_max"] == 0
    two = layer_geometry(np.r_[ring, ring + 10], 2)
    assert two.n_components == 2 and two.geodesic_sum is None
    assert "ollivier_mean" not in two.to_json()


def test_all_pairs_of_a_small_complete_embedding():
    pts = np.array(list(itertools.product([0, 1], repeat=3)), dtype=float)
    g = layer_geometry(pts, 7)  # every point sees every other: K_8
    assert g.n_edges == 28 and g.forman_total == 28 * (4 - 14) and g.geodesic_sum == 28


# ---- the directed convention (the authors' analysis code) ----------------------------
def reference_directed_graph(points, k):
    """Brute force in exact arithmetic: arcs i -> j with |x_i - x_j| <= the k-th distance."""
    pts = [[Fraction(float(a)) for a in p] for p in points]
    n = len(pts)
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    for i in range(n):
        d = {j: sum((a - b) ** 2 for a, b in zip(pts[i], pts[j])) for j in range(n) if j != i}
        dk = sorted(d.values())[k - 1]
        G.add_edges_from((i, j) for j, dj in d.items() if dj <= dk)
    return G


def reference_directed_coefficient(embeddings, k):
    """The authors' definitions, re-stated on networkx: igraph's degree of a directed graph
    counts arcs in and out, the curvature matrix is summed over arcs, distances ignore
    direction; curvature of the hidden layers only; pairs (Ric_{l-1}, eta_l), l >= 2."""
    ric, g = [None], []
    for index, E in enumerate(embeddings):
        G = reference_directed_graph(E, k)
        U = G.to_undirected()
        g.append(sum(d for _, dist in nx.all_pairs_shortest_path_length(U)
                     for d in dist.values()) // 2)
        if index:
            ric.append(sum(4 - G.degree(u) - G.degree(v) for u, v in G.edges()))
    eta = np.diff(g).tolist()
    xs = ric[1:-1]
    ys = eta[1:]
    same = float(np.corrcoef(ric[1:], eta)[0, 1])
    return ric, g, float(np.corrcoef(xs, ys)[0, 1]), same


def test_directed_knn_graph_keeps_ties_and_matches_brute_force():
    grid = np.array(list(itertools.product(range(4), range(3))), dtype=float)  # many ties
    for k in (1, 2, 3, 5):
        A = directed_knn_graph(grid, k)
        G = reference_directed_graph(grid, k)
        assert set(zip(*[v.tolist() for v in A.nonzero()])) == set(G.edges())
    # a corner of the grid has 2 points at distance 1: k = 1 keeps both
    assert directed_knn_graph(grid, 1)[[0]].nnz == 2
    # duplicates are neighbours at distance 0, the point itself never
    D = directed_knn_graph(np.r_[grid, grid[:2]], 1)
    assert D[0, 12] == 1 and D[12, 0] == 1 and D.diagonal().sum() == 0
    with pytest.raises(InputError):
        directed_knn_graph(grid, 12)


def test_directed_curvature_by_hand():
    # arcs 0->1, 1->0, 1->2, 2->1, 3->2 ; degrees in+out 2, 4, 3, 1
    line = np.array([[0.0], [1.0], [2.0], [4.0]])
    A = directed_knn_graph(line, 1)
    deg = np.asarray(A.sum(axis=0)).ravel() + np.asarray(A.sum(axis=1)).ravel()
    assert deg.tolist() == [2, 4, 3, 1]
    G = reference_directed_graph(line, 1)
    assert sum(4 - G.degree(u) - G.degree(v) for u, v in G.edges()) == -2 - 2 - 3 - 3 + 0


def directed_layers(seed=0, n=40):
    """Layers with coordinates in (1/64)Z of modest size: float distances are exact
    enough that equal distances compare equal, and ties occur."""
    rng = np.random.default_rng(seed)
    X = np.round(rng.normal(size=(n, 2)) * 4) / 4
    out = [X]
    for width in (5, 4, 4, 3):
        W = np.round(rng.normal(size=(out[-1].shape[1], width)) * 2) / 2
        out.append(np.maximum(out[-1] @ W + 0.5, 0) + X[:, :1])
    return out


def test_directed_coefficient_matches_the_reference():
    checked = 0
    for seed in range(6):
        embs = directed_layers(seed)
        if not all(nx.is_connected(reference_directed_graph(E, 6).to_undirected())
                   for E in embs):
            with pytest.raises(PointlessQuestion, match="disconnected"):
                ricci_flow_coefficient(embs, 6, convention="directed")
            continue
        r = ricci_flow_coefficient(embs, 6, convention="directed")
        ric, g, rho, same = reference_directed_coefficient(embs, 6)
        assert list(r.ricci) == ric and list(r.geodesic_sums) == g
        assert r.coefficient == pytest.approx(rho)
        assert r.same_layer_coefficient == pytest.approx(same)
        assert r.pairs == tuple(zip(ric[1:-1], np.diff(g).tolist()[1:]))
        assert r.to_json()["convention"] == "directed" and r.layers == ()
        checked += 1
    assert checked >= 4


def test_directed_coefficient_is_invariant_under_relabelling():
    embs = directed_layers(2)
    perm = np.random.default_rng(5).permutation(40)
    a = ricci_flow_coefficient(embs, 6, convention="directed")
    b = ricci_flow_coefficient([E[perm] for E in embs], 6, convention="directed")
    assert (a.ricci, a.geodesic_sums, a.coefficient) == (b.ricci, b.geodesic_sums, b.coefficient)


def test_conventions_differ_only_where_stated():
    embs = layers(1)
    s = ricci_flow_coefficient(embs, 6)
    assert s.pairs == tuple(zip(s.ricci[:-1], s.eta)) and s.convention == "symmetric"
    assert s.same_layer_pairs == tuple(zip(s.ricci[1:], s.eta))
    # on points in general position the union of the directed graph is knn_graph,
    # so the geodesic sums agree; the curvature totals do not (arcs and degrees differ)
    d = ricci_flow_coefficient(embs + [2 * embs[-1]], 6, convention="directed")
    assert d.geodesic_sums[:4] == s.geodesic_sums
    A = knn_graph(embs[1], 6).astype(np.int64)
    deg = np.asarray(A.sum(axis=1)).ravel()
    assert s.ricci[1] == 4 * (A.nnz // 2) - int(deg @ deg)
    with pytest.raises(InputError):
        ricci_flow_coefficient(embs, 6, convention="mutual")
    with pytest.raises(PointlessQuestion, match="hidden layers"):
        ricci_flow_coefficient(embs, 6, convention="directed")


def test_pooled_coefficient_is_the_correlation_of_all_pairs():
    runs = [ricci_flow_coefficient(layers(seed), 6) for seed in (0, 1, 3)]
    pooled = C.pooled_ricci_flow_coefficient(runs)
    xs, ys = zip(*[p for r in runs for p in r.pairs])
    assert pooled.coefficient == pytest.approx(float(np.corrcoef(xs, ys)[0, 1]))
    assert (pooled.n_networks, pooled.n_pairs, pooled.k) == (3, 9, 6)
    single = C.pooled_ricci_flow_coefficient(runs[:1])
    assert single.coefficient == pytest.approx(runs[0].coefficient)
    with pytest.raises(InputError):
        C.pooled_ricci_flow_coefficient([])
    with pytest.raises(InputError):
        C.pooled_ricci_flow_coefficient([runs[0], ricci_flow_coefficient(layers(0), 8)])
