"""Low-rank sets A, data manifolds M, H(A ∩ M), H(M, A ∩ M) and the long exact sequence.

Reference cases from mathematics (cases/lowrank/*.json), invariants on random networks, and
independent re-computations: per-cell ranks from exact network evaluation (finite
differences), manifold membership from the definition, results unchanged by permuting neurons.
"""

import importlib.util
import json
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from polytopo.analysis import lowrank
from polytopo.analysis.lowrank import (check_exact_sequence, low_rank_homology, manifold_complex,
                                       manifold_subcomplex)
from polytopo.analysis.rank import cell_ranks
from polytopo.cli.app import main
from polytopo.complex.cells import CellComplex
from polytopo.complex.build import canonical_complex
from polytopo.exceptions import InputError, PointlessQuestion
from polytopo.topology.homology import simplicial_complex
from polytopo.network.model import Network
from polytopo.geometry.polytope import Polytope
from polytopo.analysis.summary import analyze
from polytopo.testing import degenerate_networks, networks

ROOT = Path(__file__).resolve().parents[2]
CASE_DIR = ROOT / "cases" / "lowrank"
CASES = sorted(CASE_DIR.glob("*.json"))
RELU_I = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])


def _pieces(objs):
    return None if objs is None else [Polytope.from_lists(o["A"], o["b"]) for o in objs]


def _betti(groups):
    assert all(not g.torsion for g in groups)
    return [g.rank for g in groups]


# ---- reference cases ----------------------------------------------------------------------
@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_reference_case(path):
    case = json.loads(path.read_text())
    net = Network.from_json(case["network"])
    lo, hi = case["domain"]["box"]
    L = low_rank_homology(net, Polytope.cube(net.input_dim, lo, hi),
                          manifold=_pieces(case["manifold"]), layer=case["layer"],
                          threshold=case["threshold"], exactness="always")
    exp = case["expected"]
    assert L.n_regions == exp["n_regions"]
    assert L.n_low_rank == exp["n_low_rank"]
    assert L.volume_fraction == Fraction(exp["volume_fraction"])
    if "manifold_volume_fraction" in exp:
        assert L.manifold_volume_fraction == Fraction(exp["manifold_volume_fraction"])
    assert _betti(L.homology) == exp["homology"]
    assert _betti(L.manifold_homology) == exp["manifold_homology"]
    assert _betti(L.relative_homology) == exp["relative_homology"]
    assert L.exact_sequence.exact, L.exact_sequence.failures


def test_there_are_reference_cases():
    assert len(CASES) >= 10


def test_case_files_match_the_generator():
    spec = importlib.util.spec_from_file_location("lowrank_generate", CASE_DIR / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    files = gen.files()
    assert sorted(n for n in files if n.endswith(".json")) == [p.name for p in CASES]
    for name, text in files.items():
        assert (CASE_DIR / name).read_text() == text, name


def test_annulus_relative_cycle_by_hand():
    """H_1(M, A ∩ M) = Z for relu(I x) and the square annulus: the generator is the arc of
    M in the closed positive quadrant joining the two components of Q ∩ A (excision), and
    the connecting map sends it to the difference of two points, zero in H_0(A ∩ M); the
    check finds exactly that: rank j_1 = 1 (the loop of M maps onto H_1(M, A)) and
    rank i_0 = 1, rank ∂_1 = 0."""
    case = json.loads((CASE_DIR / "relu_identity_square_annulus.json").read_text())
    L = low_rank_homology(RELU_I, Polytope.cube(2), manifold=_pieces(case["manifold"]))
    seq = L.exact_sequence
    assert seq.rank_i == (1, 0, 0) and seq.rank_j == (0, 1, 0)
    assert seq.rank_connecting == (0, 0, 0)
    assert seq.euler_characteristic == {"A": 1, "M": 0, "pair": -1}
    assert L.manifold_volume == 3 and L.n_low_rank_in_manifold == 3


# ---- definitions re-checked independently ---------------------------------------------------
def _hidden(net, x, layer):
    """h_layer(x) by direct exact evaluation (no polytopo code)."""
    h = [Fraction(v) for v in x]
    for W, b in list(zip(net.weights, net.biases))[:layer]:
        h = [max(sum((w * v for w, v in zip(row, h)), Fraction(bi)), Fraction(0))
             for row, bi in zip(W, b)]
    return h


def _rank(rows):
    m = [list(r) for r in rows if any(r)]
    r = 0
    for c in range(len(m[0]) if m else 0):
        p = next((i for i in range(r, len(m)) if m[i][c]), None)
        if p is None:
            continue
        m[r], m[p] = m[p], m[r]
        for i in range(len(m)):
            if i != r and m[i][c]:
                f = m[i][c] / m[r][c]
                m[i] = [a - f * b for a, b in zip(m[i], m[r])]
        r += 1
    return r


@settings(max_examples=25)
@given(networks(max_layers=2, max_width=3), st.data())
def test_cell_ranks_agree_with_finite_differences(net, data):
    """h_ℓ is affine on each cell, so from the centroid c the differences
    h(c + (v − c)/2) − h(c) over the vertices v span the image of the cell's direction space."""
    layer = data.draw(st.integers(1, len(net.widths)))
    C = canonical_complex(net, Polytope.cube(net.input_dim))
    ranks = cell_ranks(C, net, layer=layer)
    points = C.vertices()
    for k in range(C.dim + 1):
        for i in range(C.f_vector()[k]):
            c = C.relative_interior_point((k, i))
            hc = _hidden(net, c, layer)
            diffs = []
            for v in C.vertices_of((k, i)):
                p = [a + (b - a) / 2 for a, b in zip(c, points[v])]
                diffs.append([a - b for a, b in zip(_hidden(net, p, layer), hc)])
            assert ranks[k][i] == _rank(diffs), (k, i)
        if k == C.dim:
            assert list(ranks[k]) == [net.rank_on(C.pattern((k, i)), layer)
                                      for i in range(C.f_vector()[k])]


def _boxes(d):
    coord = st.sampled_from([Fraction(n, 2) for n in range(-4, 5)])

    def build(pairs):
        lo = [min(a, b) for a, b in pairs]
        hi = [max(a, b) for a, b in pairs]
        return Polytope.box(lo, hi)

    pair = st.tuples(coord, coord).filter(lambda p: p[0] != p[1])
    return st.lists(pair, min_size=d, max_size=d).map(build)


@settings(max_examples=30)
@given(networks(input_dim=2, max_layers=2, max_width=3), st.data())
def test_long_exact_sequence_and_euler_on_random_nets(net, data):
    d = 2
    domain = Polytope.cube(d, -2, 2)
    pieces = data.draw(st.none() | st.lists(_boxes(d), min_size=1, max_size=3))
    layer = data.draw(st.integers(1, len(net.widths)))
    threshold = data.draw(st.integers(0, d + 1))
    L = low_rank_homology(net, domain, manifold=pieces, layer=layer, threshold=threshold,
                          exactness="always")
    seq = L.exact_sequence
    assert seq.checked and seq.exact, seq.failures
    chi = [sum((-1) ** k * g.rank for k, g in enumerate(H))
           for H in (L.homology, L.manifold_homology, L.relative_homology)]
    assert chi[2] == chi[1] - chi[0]                       # χ(M, A) = χ(M) − χ(A)
    Cm, A, M = L.complex, L.A, L.M
    AM = [a & m for a, m in zip(A, M)]
    assert chi[0] == sum((-1) ** k * len(s) for k, s in enumerate(AM))
    # M by its definition: a cell is in M iff its relative interior point lies in a piece
    for k in range(d + 1):
        for i in range(Cm.f_vector()[k]):
            x = Cm.relative_interior_point((k, i))
            inside = pieces is None or any(P.contains(x) for P in pieces)
            assert (i in M[k]) == inside
    # A: the closed low-rank regions; the volume fractions agree with rank_on and volumes
    regs = Cm.regions()
    low = [r for r in regs if net.rank_on(r.pattern, layer) < threshold]
    assert set(A[d]) == {r.index for r in low}
    total = sum(r.volume for r in regs)
    assert L.volume_fraction == sum((r.volume for r in low), Fraction(0)) / total


@settings(max_examples=10)
@given(networks(input_dim=3, max_layers=1, max_width=3), _boxes(3))
def test_long_exact_sequence_in_3d(net, piece):
    L = low_rank_homology(net, Polytope.cube(3, -2, 2), manifold=[piece], exactness="always")
    assert L.exact_sequence.exact, L.exact_sequence.failures


@settings(max_examples=15)
@given(networks(input_dim=2, max_layers=2, max_width=3), st.data())
def test_results_unchanged_by_permuting_neurons(net, data):
    layer = data.draw(st.integers(1, len(net.widths)))
    perm = data.draw(st.permutations(range(net.widths[layer - 1])))
    other = net.permuted(layer, perm)
    ring = [Polytope.box([-2, 1], [2, 2]), Polytope.box([-2, -2], [2, -1]),
            Polytope.box([-2, -1], [-1, 1]), Polytope.box([1, -1], [2, 1])]
    a, b = (low_rank_homology(n, Polytope.cube(2, -2, 2), manifold=ring).to_json()
            for n in (net, other))
    assert a == b


# ---- the exactness check is a real check ---------------------------------------------------
def test_exactness_check_detects_a_wrong_relative_complex():
    C = canonical_complex(RELU_I, Polytope.cube(2))
    A = [set(s) for s in C.closure([(2, 1), (2, 2), (2, 3)])]
    wrong = [set(s) for s in C.closure([(2, 3)])]
    ccA, ccM = C.chain_complex(A), C.chain_complex()
    good = lowrank._check_pair(ccA, ccM, C.relative_chain_complex(A))
    assert good.exact
    bad = lowrank._check_pair(ccA, ccM, C.relative_chain_complex(wrong))
    assert not bad.exact and bad.failures


def test_torsion_primes_are_checked():
    """RP^2 (H_1 = Z/2) relative to an edge: the sequence is checked over GF(2) too, with the
    dimensions of the universal coefficient theorem."""
    X = simplicial_complex([(1, 2, 4), (1, 2, 6), (1, 3, 5), (1, 3, 6), (1, 4, 5),
                            (2, 3, 4), (2, 3, 5), (2, 5, 6), (3, 4, 6), (4, 5, 6)])
    sub = [[X.cells[0].index((1,)), X.cells[0].index((2,))], [X.cells[1].index((1, 2))], []]
    chk = lowrank._check_pair(X.restrict(sub), X, X.relative(sub))
    assert chk.exact, chk.failures
    assert 2 in chk.primes and chk.primes[0] == lowrank.PRIMES[0]
    assert [str(h) for h in X.relative_homology(sub)] == ["0", "Z/2", "0"]


def test_check_exact_sequence_square_mod_boundary():
    C = CellComplex.from_box([0, 0, 0], [1, 1, 1])
    chk = check_exact_sequence(C, C.closure(C.cells(2)))
    assert chk.exact and chk.rank_connecting == (0, 0, 0, 1)


def test_exactness_auto_skips_big_complexes(monkeypatch):
    monkeypatch.setattr(lowrank, "AUTO_MAX_CELLS", 5)
    L = low_rank_homology(RELU_I, Polytope.cube(2))
    assert not L.exact_sequence.checked and "more than 5" in L.exact_sequence.reason
    assert L.to_json()["low_rank"]["exact_sequence"]["euler_characteristic"]["pair"] == 0
    L = low_rank_homology(RELU_I, Polytope.cube(2), exactness="never")
    assert L.exact_sequence.to_json() == {"checked": False, "reason": "not asked for",
                                          "euler_characteristic": {"A": 1, "M": 1, "pair": 0}}


# ---- bad questions ------------------------------------------------------------------------
def test_bad_layer_threshold_and_unrefined_complex():
    with pytest.raises(InputError, match="layer"):
        low_rank_homology(RELU_I, Polytope.cube(2), layer=2)
    with pytest.raises(InputError, match="threshold"):
        low_rank_homology(RELU_I, Polytope.cube(2), threshold=-1)
    with pytest.raises(InputError, match="exactness"):
        low_rank_homology(RELU_I, Polytope.cube(2), exactness="maybe")
    with pytest.raises(PointlessQuestion):
        low_rank_homology(Network.from_lists([([[1, 1]], [0])]), Polytope.cube(2))
    C = canonical_complex(RELU_I, Polytope.cube(2))
    with pytest.raises(InputError, match="not refined"):
        manifold_subcomplex(C, [Polytope.box([-1, -1], ["1/2", "1/2"])])
    with pytest.raises(InputError, match="dimension"):
        manifold_complex(C, [Polytope.cube(3)])


def test_manifold_hyperplanes_deduplicated_and_skipped():
    C = canonical_complex(RELU_I, Polytope.cube(2))
    # x <= 0 and y <= 0 are already hyperplanes of C; the box's other facets are the domain's
    assert manifold_complex(C, [Polytope.box([-1, -1], [0, 0])]) is C
    D = manifold_complex(C, [Polytope.box([-1, -1], [0, "1/2"]), Polytope.box([0, -1], [1, "1/2"])])
    assert D.n_regions == 6 and len(D.functions) == C.n_functions + 1


# ---- report and command line ---------------------------------------------------------------
def test_report_parts():
    rep = analyze(RELU_I, Polytope.cube(2))
    low, man = rep["low_rank"], rep["manifold"]
    assert "low_rank" in rep["computed"] and "manifold" in rep["computed"]
    assert low["n_regions"] == 3 and low["layer"] == 1 and low["threshold"] == 2
    assert low["volume_fraction"] == "3/4" and low["exact_sequence"]["exact"]
    assert [g["rank"] for g in low["relative_homology"]] == [0, 0, 0]
    assert man["domain"] and [g["rank"] for g in man["homology"]] == [1, 0, 0]
    assert low["cell_rank_counts"][1] == [{"rank": 0, "n_cells": 6}, {"rank": 1, "n_cells": 6}]
    affine = analyze(Network.from_lists([([[1, 1]], [0])]), Polytope.cube(2))
    assert "low_rank" not in affine
    with pytest.raises(PointlessQuestion):
        analyze(Network.from_lists([([[1, 1]], [0])]), Polytope.cube(2), threshold=1)


def _write(tmp_path, name, obj):
    p = tmp_path / name
    p.write_text(obj if isinstance(obj, str) else json.dumps(obj))
    return str(p)


NET = {"layers": [{"weights": [[1, 0], [0, 1]], "biases": [0, 0]},
                  {"weights": [[1, 1]], "biases": [0]}]}


def test_cli_manifold_report(tmp_path, capsys):
    case = json.loads((CASE_DIR / "relu_identity_square_annulus.json").read_text())
    net = _write(tmp_path, "net.json", NET)
    man = _write(tmp_path, "m.json", case["manifold"])
    out = tmp_path / "r.json"
    assert main(["analyze", net, "--manifold", man, "--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert "H(M, A ∩ M) = 0, Z, 0" in text and "exact (checked over GF(" in text
    rep = json.loads(out.read_text())
    assert [g["rank"] for g in rep["low_rank"]["relative_homology"]] == [0, 1, 0]
    assert [g["rank"] for g in rep["low_rank"]["homology"]] == [1, 0, 0]
    assert [g["rank"] for g in rep["manifold"]["homology"]] == [1, 1, 0]
    assert rep["low_rank"]["manifold_volume_fraction"] == "3/4"
    assert main(["analyze", net, "--threshold", "1", "--check-exactness", "never",
                 "--json", str(out)]) == 0
    rep = json.loads(out.read_text())
    assert rep["low_rank"]["n_regions"] == 1 and not rep["low_rank"]["exact_sequence"]["checked"]
    assert "not checked (not asked for)" in capsys.readouterr().out


@pytest.mark.parametrize("content,args,message", [
    ([{"A": [[1, 0], [-1, 0], [0, 1], [0, -1]], "b": [3, 0, 1, 0]}], [], "not inside the domain"),
    ("[{", [], "malformed JSON"),
    ([{"A": [[1, 0]], "b": [1]}], [], "unbounded"),
    ([], [], "non-empty list"),
    ([{"A": [[1, 0, 0], [-1, 0, 0]], "b": [1, 1]}], [], "dimension"),
    (None, ["--layer", "2"], "--layer"),
    (None, ["--threshold", "-1"], "--threshold"),
])
def test_cli_bad_manifold_or_options_exit_2(tmp_path, capsys, content, args, message):
    net = _write(tmp_path, "net.json", NET)
    extra = ["--manifold", _write(tmp_path, "m.json", content)] if content is not None else []
    out = tmp_path / "r.json"
    assert main(["analyze", net, *extra, *args, "--json", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0], err
    if content is not None:
        assert "m.json" in err[0]
    assert not out.exists()


@pytest.mark.parametrize("threshold,pieces", [
    (2, None),        # every region has full rank: A is empty
    (1, "ring"),      # A is the rank-0 centre, which misses the ring M
])
def test_empty_pair_shortcut_agrees_with_the_linear_algebra(threshold, pieces):
    q = Fraction(-1, 4)
    if pieces is None:
        net = Network.from_lists([([[1, 0], [0, 1]], [10, 10]), ([[1, 1]], [0])])
        manifold = None
    else:
        net = Network.from_lists([([[1, 0], [-1, 0], [0, 1], [0, -1]], [q] * 4),
                                  ([[1, 1, 1, 1]], [q])])
        h = Fraction(1, 2)
        manifold = [Polytope.box([-1, h], [1, 1]), Polytope.box([-1, -1], [1, -h]),
                    Polytope.box([-1, -h], [-h, h]), Polytope.box([h, -h], [1, h])]
    L = low_rank_homology(net, Polytope.cube(2), manifold=manifold, threshold=threshold)
    assert L.n_low_rank_in_manifold == 0 and L.exact_sequence.exact
    assert [str(g) for g in L.relative_homology] == [str(g) for g in L.manifold_homology]
    assert "empty" in L.exact_sequence.to_json()["method"]
    # the same pair through the general check (explicit cycles and boundaries over GF(p))
    AM = [frozenset(a) & frozenset(m) for a, m in zip(L.A, L.M)]
    full = lowrank._check_pair(L.complex.chain_complex(AM), L.complex.chain_complex(L.M),
                               L.complex.relative_chain_complex(AM, within=L.M))
    assert full.exact and full.primes
    assert (full.rank_i, full.rank_j, full.rank_connecting) == (
        L.exact_sequence.rank_i, L.exact_sequence.rank_j, L.exact_sequence.rank_connecting)


def test_volume_fraction_of_a_given_complex_without_its_domain():
    # relu(x) on [-3, 1]: rank 0 on [-3, 0], so vol(A) / vol(D) = 3/4 whether the domain
    # is passed or only read off the given complex
    net = Network.from_lists([([[1]], [0]), ([[1]], [0])])
    D = Polytope.box([-3], [1])
    C = canonical_complex(net, D)
    for kwargs in ({"domain": D}, {"domain": D, "complex": C}, {"complex": C}):
        assert low_rank_homology(net, **kwargs).volume_fraction == Fraction(3, 4)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 4).flatmap(lambda d: st.one_of(
           networks(input_dim=d, max_layers=3, max_width=4),
           degenerate_networks(input_dim=d, max_width=4))),
       st.sampled_from([1, 10 ** 7, 10 ** 20]), st.data())
def test_region_ranks_at_once_equal_one_jacobian_per_region(net, scale, data):
    """The ranks of all regions from one vectorized Gram/minor computation (float64 for
    small weights, int64 for weights near 10^7 in one layer), or for weights near 10^20
    region by region in Python ints, equal the network's own exact rank of each region's
    map (``Network.rank_on``, Fraction elimination)."""
    if scale != 1:
        net = Network.from_lists([([[x * scale for x in row] for row in W], list(b))
                                  for W, b in zip(net.weights, net.biases)])
    if not net.widths:
        return
    layer = data.draw(st.integers(1, len(net.widths)))
    C = canonical_complex(net, Polytope.cube(net.input_dim, -4, 4))
    ranks = cell_ranks(C, net, layer=layer)[C.dim]
    assert list(ranks) == [net.rank_on(C.pattern((C.dim, i)), layer)
                           for i in range(C.n_regions)]


def test_region_ranks_drop_the_inactive_neurons_of_every_layer():
    # h_2 = relu(relu(x) + (0, -5)) on [-1, 1]^2: the second neuron of layer 2 is never
    # active, so no region has rank 2 although the first layer is the identity there
    net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 0], [0, 1]], [0, -5]),
                              ([[1, 1]], [0])])
    C = canonical_complex(net, Polytope.cube(2))
    assert cell_ranks(C, net, layer=2)[2] == (1, 1, 0, 0)
    assert cell_ranks(C, net, layer=1)[2] == (2, 1, 1, 0)


@settings(max_examples=25, deadline=None)
@given(st.one_of(degenerate_networks(max_width=4), networks(max_layers=3, max_width=4)),
       st.sampled_from([(2,), (3, 5), "small"]))
def test_cell_ranks_with_tiny_primes_are_still_exact(net, primes):
    """With one tiny prime the batched ranks can rarely be certified (exact elimination
    decides); with thirty primes below 2**10 the Hadamard certificate needs many of them.
    Either way the ranks are those of the default primes."""
    import polytopo.analysis.rank as rank_module
    from polytopo.geometry.integer import primes_below

    C = canonical_complex(net, Polytope.cube(net.input_dim))
    expected = cell_ranks(C, net)
    saved = rank_module.PRIMES
    try:
        rank_module.PRIMES = tuple(primes_below(2 ** 10, 30)) if primes == "small" else primes
        assert cell_ranks(C, net) == expected
    finally:
        rank_module.PRIMES = saved


def test_modular_ranks_are_exact_lower_bounds():
    import numpy as np
    from polytopo.geometry.integer import gram_rank, modular_ranks, residues

    rng = np.random.default_rng(3)
    for shape in [(40, 3, 4), (40, 5, 2), (40, 1, 6)]:
        low = rng.integers(-3, 4, size=shape[:2] + (2,)) @ rng.integers(-3, 4, size=(shape[0], 2, shape[2]))
        for A in (low, rng.integers(-2, 3, size=shape)):
            assert modular_ranks(residues(A)).tolist() == [gram_rank(a) for a in A]
    A = np.array([[[2, 0], [0, 2]]])        # rank 2 over Q, 0 modulo 2
    assert modular_ranks(residues(A, 2), 2).tolist() == [0]
    assert modular_ranks(residues(A, 3), 3).tolist() == [2]


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(1, 3), st.integers(0, 3),
       st.randoms(use_true_random=False))
def test_modular_ranks_of_tall_and_wide_stacks(r, c, n, low, rnd):
    """Ranks mod p of tall and wide stacks (the elimination runs along the shorter side)
    equal the exact ranks, and those of the transposes."""
    import numpy as np
    from polytopo.geometry.integer import gram_rank, modular_ranks, residues

    def mat():
        if low:   # rank at most `low`
            U = [[rnd.randint(-3, 3) for _ in range(low)] for _ in range(r)]
            V = [[rnd.randint(-3, 3) for _ in range(c)] for _ in range(low)]
            return [[sum(U[i][t] * V[t][j] for t in range(low)) for j in range(c)]
                    for i in range(r)]
        return [[rnd.randint(-2, 2) for _ in range(c)] for _ in range(r)]

    A = np.array([mat() for _ in range(n)], dtype=np.int64)
    want = [gram_rank(a) for a in A]
    assert modular_ranks(residues(A)).tolist() == want
    assert modular_ranks(residues(A.transpose(0, 2, 1))).tolist() == want


def test_product_ranks_with_zero_and_huge_rows():
    """A zero row and rows beyond the float range in one product: the Hadamard bound is
    then undecided, and the ranks are still exact (no floating-point warning either)."""
    import warnings

    import numpy as np
    from polytopo.geometry.integer import gram_rank, exact_product, product_ranks

    big = 2 ** 1100
    J = np.empty((2, 2, 2), dtype=object)
    J[0] = [[big, 1], [0, 0]]
    J[1] = [[big, big], [0, 0]]
    B = np.empty((2, 2, 2), dtype=object)
    B[:] = [[1, 1], [1, 2]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = product_ranks(J, B).tolist()
        # a huge entry against a zero one (inf · 0 in the float bound)
        lone = product_ranks(np.array([[[big, 0]]], dtype=object),
                             np.array([[[0, 1]]], dtype=object)).tolist()
    assert got == [gram_rank(exact_product(J[i], B[i].T)) for i in range(2)] == [1, 1]
    assert lone == [0]


def test_product_ranks_certify_by_hadamard_or_fall_back():
    import numpy as np
    from polytopo.geometry.integer import PRIMES, gram_rank, primes_below, product_ranks

    rng = np.random.default_rng(5)
    J = rng.integers(-9, 10, size=(60, 4, 3))
    B = rng.integers(-9, 10, size=(60, 5, 3))
    B[::3, :, 2] = B[::3, :, 0] + B[::3, :, 1]          # rank drops in a third of them
    J[::4, 1] = 2 * J[::4, 0]
    expected = [gram_rank(J[i] @ B[i].T) for i in range(60)]
    for primes in (PRIMES, tuple(primes_below(2 ** 8, 40)), (2,), ()):
        assert product_ranks(J, B, primes=primes).tolist() == expected
    big = np.array([[[2 ** 80, 1], [1, 0]]], dtype=object)   # Python ints, beyond floats' reach
    assert product_ranks(big, np.array([[[1, 0], [0, 1]]], dtype=object)).tolist() == [2]
    assert product_ranks(big[:, :1], np.array([[[3, 0], [0, 3]]], dtype=object)).tolist() == [1]



@settings(max_examples=30, deadline=None)
@given(st.integers(1, 12), st.integers(1, 5), st.integers(1, 5), st.integers(0, 3),
       st.sampled_from(["default", "wide", "narrow", "huge"]), st.randoms(use_true_random=False))
def test_product_ranks_on_every_reduction_path(d, r, c, low, which, rnd):
    """Exact ranks whichever primes are used: the default (30-bit primes up to 7 terms,
    26-bit beyond), either tuple forced, and primes near 2**31 whose products' sums pass
    2**63 (reduced term by term)."""
    import numpy as np
    from polytopo.geometry.integer import (PRIMES, WIDE_PRIMES, exact_product, gram_rank,
                                           primes_below, product_ranks)

    def mat(rows):
        if low:   # rank at most `low`
            U = np.array([[rnd.randint(-9, 9) for _ in range(low)] for _ in range(rows)])
            return U @ np.array([[rnd.randint(-9, 9) for _ in range(d)] for _ in range(low)])
        return np.array([[rnd.randint(-99, 99) for _ in range(d)] for _ in range(rows)])

    J = np.array([mat(r) for _ in range(4)], dtype=np.int64)
    B = np.array([mat(c) for _ in range(4)], dtype=np.int64)
    primes = {"default": None, "wide": WIDE_PRIMES, "narrow": PRIMES,
              "huge": tuple(primes_below(2 ** 31, 30))}[which]
    want = [gram_rank(exact_product(J[i], B[i].T)) for i in range(4)]
    assert product_ranks(J, B, primes=primes).tolist() == want


# ---- the check's collapse pass and structure check, against their plain versions -------
def _plain_structure_failures(ccA, ccM, ccR):
    """The column-by-column check of the pair's structure on dict columns."""
    fails = []
    mats = [[cc.boundary_matrix(k) for k in range(ccM.dimension + 1)] for cc in (ccA, ccM, ccR)]
    for k in range(1, ccM.dimension + 1):
        M = {c: {ccM.cells[k - 1][r]: x for r, x in col.items()}
             for c, col in zip(ccM.cells[k], mats[1][k])}
        in_A = set(ccA.cells[k - 1])
        for c, col in zip(ccA.cells[k], mats[0][k]):
            if M.get(c) != {ccA.cells[k - 1][r]: x for r, x in col.items()}:
                fails.append(f"the boundary of {k}-cell {c} in A is not its boundary in M")
        for c, col in zip(ccR.cells[k], mats[2][k]):
            got = {ccR.cells[k - 1][r]: x for r, x in col.items()}
            want = {r: x for r, x in M.get(c, {}).items() if r not in in_A}
            if c not in M or got != want:
                fails.append(f"the relative boundary of {k}-cell {c} is not π ∂ of M")
    return fails[:10]


def _random_pair(net, rnd):
    C = canonical_complex(net, Polytope.cube(net.input_dim, -2, 2))
    d = C.dim
    picks = [c for k in range(d + 1) for c in C.cells(k) if rnd.random() < 0.3]
    A = C.closure(picks) if picks else [set() for _ in range(d + 1)]
    ccs = lowrank._pair_complexes(C, A, [frozenset(range(n)) for n in C.f_vector()])
    return C, ccs


@settings(max_examples=40, deadline=None)
@given(st.one_of(networks(max_layers=2, max_width=3), degenerate_networks(max_width=3)),
       st.randoms(use_true_random=False))
def test_collapsed_pair_has_the_same_exact_sequence(net, rnd):
    """The ranks of i, j and ∂ over GF(p) and the elimination's dimensions are the same on
    the pair with its collapsible cells removed as on the whole pair."""
    C, (ccA, ccM, ccR) = _random_pair(net, rnd)
    if not any(ccA.n_cells):
        return
    H = (ccA.homology(), ccM.homology(), ccR.homology())
    d = C.dim
    mats = [[cc.boundary_matrix(k) for k in range(d + 1)] for cc in (ccA, ccM, ccR)]
    p = lowrank.PRIMES[0]
    whole, whole_fails = lowrank._check_over(p, d, (ccA, ccM, ccR), mats, H)
    small, small_mats = lowrank._collapsed_pair(ccA, ccM)
    got, fails = lowrank._check_over(p, d, small, small_mats, H)
    assert whole_fails == fails == []
    assert got == whole
    n_small = [sum(len(c) for c in x.cells) for x in small]
    assert n_small[1] == n_small[0] + n_small[2] <= sum(ccM.n_cells)


def test_collapses_shrink_a_big_pair():
    """On a 2-16-16-1 net's low-rank pair, the collapses leave a small fraction of M."""
    net = Network.from_lists([([[(3 * i + 2 * j) % 7 - 3 for j in range(2)] for i in range(16)],
                               [(5 * i) % 9 - 4 for i in range(16)]),
                              ([[(i * j + 1) % 5 - 2 for j in range(16)] for i in range(16)],
                               [(2 * i) % 7 - 3 for i in range(16)]),
                              ([[1] * 16], [0])])
    L = low_rank_homology(net, Polytope.cube(2, -10, 10), exactness="never")
    ccA, ccM, ccR = lowrank._pair_complexes(L.complex, L.A, L.M)
    small, _ = lowrank._collapsed_pair(ccA, ccM)
    assert sum(len(c) for c in small[1].cells) * 10 < sum(ccM.n_cells)
    chk = lowrank._check_pair(ccA, ccM, ccR)
    assert chk.exact and not chk.failures


@settings(max_examples=40, deadline=None)
@given(networks(max_layers=2, max_width=3), st.randoms(use_true_random=False),
       st.sampled_from(["A", "R"]), st.sampled_from(["flip", "drop", "add"]))
def test_structure_check_finds_what_the_plain_check_finds(net, rnd, which, how):
    """A pair whose A or relative boundary is corrupted in one entry: the vectorized check
    reports exactly the plain check's failures (and none for the true pair)."""
    from polytopo.topology.homology import ChainComplex

    C, (ccA, ccM, ccR) = _random_pair(net, rnd)
    assert lowrank._structure_failures(ccA, ccM, ccR) == [] == \
        _plain_structure_failures(ccA, ccM, ccR)
    cc = ccA if which == "A" else ccR
    levels = [cc.boundary_matrix(k) for k in range(cc.dimension + 1)]
    ks = [k for k in range(1, cc.dimension + 1) if levels[k] and cc.n_cells[k - 1]]
    if not ks:
        return
    k = rnd.choice(ks)
    col = levels[k][rnd.randrange(len(levels[k]))]
    if how == "flip" and col:
        r = rnd.choice(sorted(col))
        col[r] = -col[r]
    elif how == "drop" and col:
        del col[rnd.choice(sorted(col))]
    else:
        r = rnd.randrange(cc.n_cells[k - 1])
        col[r] = col.get(r, 0) + 2
        if not col[r]:
            del col[r]
    bad = ChainComplex(levels, cells=cc.cells)
    pair = (bad, ccM, ccR) if which == "A" else (ccA, ccM, bad)
    got = lowrank._structure_failures(*pair)
    assert got == _plain_structure_failures(*pair)
    assert got


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 3), st.lists(st.integers(1, 4), min_size=1, max_size=3),
       st.sampled_from([3, 2 ** 20, 2 ** 30]), st.randoms(use_true_random=False))
def test_stacked_jacobians_equal_the_region_by_region_products(d, widths, scale, rnd):
    """The Jacobians of many regions at once (float64 BLAS, int64, or None past int64)
    are the products of the active neurons' weight rows, the inactive rows zero."""
    import numpy as np
    from polytopo.analysis.rank import _jacobian
    from polytopo.network.jacobians import pattern_jacobians

    weights, prev = [], d
    for w in widths:
        weights.append(np.array([[rnd.randint(-scale, scale) for _ in range(prev)]
                                 for _ in range(w)], dtype=np.int64))
        prev = w
    signs = np.array([[rnd.choice([-1, 0, 1]) for _ in range(sum(widths))]
                      for _ in range(6)], dtype=np.int8)
    got = pattern_jacobians(signs, weights, d)
    bound = 1
    for W in weights:
        bound *= max(int(np.abs(W).sum(axis=1).max()), 1)
    if bound >= 2 ** 62:
        assert got is None
        return
    for i, s in enumerate(signs):
        pattern = "".join("+" if x == 1 else "-" for x in s.tolist())
        want = np.zeros((widths[-1], d), dtype=object)
        act = (s[-widths[-1]:] == 1)
        want[act] = _jacobian(weights, pattern, d).astype(object)
        assert got[i].tolist() == want.tolist(), i


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 3).flatmap(lambda d: st.tuples(
    st.one_of(networks(input_dim=d, max_layers=2, max_width=4),
              degenerate_networks(input_dim=d, max_width=4)),
    st.booleans(), st.integers(0, 3))))
def test_volume_fraction_is_the_low_rank_regions_share_of_the_domain(args):
    """The low-rank volume fraction (through the complement of the full-rank regions when
    they are fewer, over the domain's own volume) is the low-rank regions' volume over
    the sum of all region volumes, on boxes and on a simplex-cut box, every threshold."""
    net, cut, threshold = args
    d = net.input_dim
    if cut:   # the box [-2, 2]^d cut by x_1 + … + x_d <= 1: not a box
        domain = Polytope.from_lists([[-int(i == j) for j in range(d)] for i in range(d)]
                                     + [[int(i == j) for j in range(d)] for i in range(d)]
                                     + [[1] * d], [2] * (2 * d) + [1])
    else:
        domain = Polytope.cube(d, -2, 2)
    C = canonical_complex(net, domain)
    threshold = min(threshold, d) or None
    L = low_rank_homology(net, domain, complex=C, threshold=threshold, exactness="never")
    ranks = cell_ranks(C, net)[d]
    vols = C.region_volumes()
    r = threshold if threshold is not None else d
    want = sum((v for v, k in zip(vols, ranks) if k < r), Fraction(0)) / sum(vols)
    assert L.volume_fraction == want
    assert sum(vols) == domain.volume()


def _rank_mod(rows, p):
    """Rank modulo p of a list of integer rows (plain Gaussian elimination)."""
    m = [[x % p for x in r] for r in rows]
    rank, ncol = 0, len(m[0]) if m else 0
    for c in range(ncol):
        i = next((i for i in range(rank, len(m)) if m[i][c]), None)
        if i is None:
            continue
        m[rank], m[i] = m[i], m[rank]
        inv = pow(m[rank][c], p - 2, p)
        m[rank] = [x * inv % p for x in m[rank]]
        for j in range(len(m)):
            if j != rank and m[j][c]:
                f = m[j][c]
                m[j] = [(x - f * y) % p for x, y in zip(m[j], m[rank])]
        rank += 1
    return rank


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 8), st.integers(1, 5), st.integers(1, 4), st.sampled_from([2, 7, 67108859]),
       st.randoms(use_true_random=False))
def test_independent_rows_are_the_greedy_basis_modulo_p(m, n, k, p, rnd):
    """The rows chosen are, in order, those independent modulo p of the ones before
    (the greedy basis), or -1 throughout when fewer than k are."""
    import numpy as np
    from polytopo.geometry.integer import independent_rows

    A = np.array([[[rnd.choice([0, 0, 1, -1, 2, rnd.randint(-9, 9)]) for _ in range(n)]
                   for _ in range(m)] for _ in range(5)], dtype=np.int64)
    got = independent_rows(A, k, p)
    for a, g in zip(A.tolist(), got.tolist()):
        want, basis = [], []
        for t, row in enumerate(a):
            if len(want) < k and _rank_mod(basis + [row], p) > len(basis):
                basis.append(row)
                want.append(t)
        assert g == (want if len(want) == k else [-1] * k)
