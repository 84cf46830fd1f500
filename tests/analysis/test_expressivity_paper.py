"""The construction of Ergen & Grillo (COLT 2024), built exactly: its folding and carving layers
do what their Lemmas 5 and 7 say, Theorem 13's network has the Betti numbers polytopo's exact
homology computes (the corrected reading of the theorem), and Proposition 18's upper bound
holds for every construction and for random networks."""

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polytopo.analysis.expressivity import (betti_lower_bound, betti_upper_bound,
                                            bounds_report, carving_layer, construction,
                                            folding_layer, folding_network, max_regions_bound,
                                            paper_carve, paper_construction, paper_folds,
                                            paper_network, prop18_upper_bound,
                                            serra_regions_bound, theorem13_betti,
                                            verify_construction)
from polytopo.complex.build import canonical_complex
from polytopo.exceptions import InputError, PointlessQuestion
from polytopo.geometry.polytope import Polytope
from polytopo.testing import networks

F = Fraction

# (architecture, carve, exact Betti numbers beta_0..beta_{d-1} of {F <= 0} on [0,1]^d).
# The numbers are the corrected reading, H^k (H - 1) floor(w_k / 2) etc. with H = M / 2,
# worked out by hand from the cutting points (Observation 8) and Lemma 7's shells.
TABLE = [
    ("2-4-4-1", (2,), [2, 0]),            # M = 2: no interior cutting point
    ("2-6-6-1", (4,), [4, 0]),
    ("2-4-4-4-1", (2,), [6, 2]),          # M = 4: the proof's 2 holes (polytopo's: 16)
    ("2-8-4-1", (2,), [6, 2]),
    ("2-8-3-1", (1,), [0, 0]),            # w = 1: no negative shell (Theorem: 1)
    ("2-8-5-1", (3,), [6, 2]),            # w = 3: one negative shell (Theorem: 2)
    ("2-8-6-1", (4,), [12, 4]),
    ("2-8-7-1", (5,), [12, 4]),
    ("2-12-4-1", (2,), [12, 6]),          # M = 6
    ("2-4-4-4-4-1", (2,), [20, 12]),      # M = 8
    ("3-12-6-1", (2, 0), [0, 0, 0]),      # w_2 = 0: F > 0 on the cube
    ("3-12-7-1", (2, 1), [6, 2, 0]),
    ("3-12-7-1", (1, 2), [12, 0, 4]),     # beta_2 follows w_2, not w_1 as printed
    ("3-12-8-1", (2, 2), [18, 2, 4]),
    ("3-12-9-1", (3, 2), [18, 2, 4]),
    ("3-12-10-1", (2, 4), [30, 2, 8]),
]


@pytest.mark.parametrize("arch,carve,betti", TABLE, ids=[f"{a}-w{'.'.join(map(str, w))}"
                                                         for a, w, _ in TABLE])
def test_theorem13_network_has_the_corrected_betti_numbers(arch, carve, betti):
    c = paper_construction(arch, carve=carve)
    v = verify_construction(c)
    assert v["agrees"], v
    assert not v["torsion"]
    assert v["computed"]["negative"] == betti + [0]
    assert c.theorem13["corrected"] == betti
    assert c.network.architecture == tuple(int(t) for t in arch.split("-"))
    # the proof's reading holds exactly when every w_k is even and positive
    if all(w >= 2 and w % 2 == 0 for w in carve):
        assert c.theorem13["proof"] == betti
    else:
        assert c.theorem13["proof"] != betti


@pytest.mark.slow
@pytest.mark.parametrize("arch,carve,betti", [("2-8-8-4-1", (2,), [72, 56]),
                                              ("2-8-8-7-1", (5,), [144, 112]),
                                              ("3-12-12-8-1", (2, 2), [648, 56, 448])])
def test_bigger_paper_networks(arch, carve, betti):
    c = paper_construction(arch, carve=carve)
    v = verify_construction(c)
    assert v["agrees"] and v["computed"]["negative"] == betti + [0]


def test_the_readings_of_theorem13_by_hand():
    # 3-12-8-1: M = 4, H = 2, w = (2, 2)
    assert theorem13_betti("3-12-8-1", (2, 2), reading="printed") == [None, None, 2]
    assert theorem13_betti("3-12-8-1", (2, 2), reading="proof") == [18, 2, 4]
    # the printed (ii) names w_0 at k = 1 and (i) names w_d: undefined in the plane
    assert theorem13_betti("2-4-4-4-1", (2,), reading="printed") == [None, None]
    assert theorem13_betti("2-8-7-1", (5,), reading="proof") == [18, 6]
    assert theorem13_betti("2-8-7-1", (5,), reading="corrected") == [12, 4]
    with pytest.raises(InputError):
        theorem13_betti("2-4-4-4-1", (2,), reading="as printed")


def test_the_issue_example_16_holes_against_2():
    ours = construction("2-4-4-4-1", 1)
    theirs = paper_construction("2-4-4-4-1", 1)
    assert verify_construction(ours)["computed"]["negative"] == [1, 16, 0]
    assert verify_construction(theirs)["computed"]["negative"] == [6, 2, 0]
    assert (theirs.M, theirs.carve, theirs.folds, theirs.offset) == (4, (2,), (2, 2), F(1, 64))


# ---- the layers do what Definition 32 / Lemma 5 and Lemma 7 say ---------------------------
@pytest.mark.parametrize("m", [2, 4, 6, 8])
def test_folding_layer_maps_the_interval_onto_itself_with_m_pieces(m):
    h = folding_layer(m, 1)
    assert h.architecture == (1, m, 1)
    # at the breakpoints i/m: i mod 2; halfway: 1/2; linear in between
    for i in range(m + 1):
        assert h.forward([F(i, m)]) == (F(i % 2),)
    for i in range(m):
        assert h.forward([F(2 * i + 1, 2 * m)]) == (F(1, 2),)
    C = canonical_complex(h, Polytope.cube(1, 0, 1))
    assert C.n_regions == m                     # m linear pieces, each onto [0, 1]
    # every weight is an integer
    assert all(x.denominator == 1 for W in h.weights for row in W for x in row)


@given(st.integers(1, 3), st.lists(st.sampled_from([2, 4, 6]), min_size=1, max_size=3),
       st.data())
@settings(max_examples=40, deadline=None)
def test_folding_network_is_lemma_5(d, folds, data):
    h = folding_network(d, folds)
    M = math.prod(folds)
    x = [data.draw(st.fractions(0, 1, max_denominator=4 * M)) for _ in range(d)]
    y = h.forward(x)
    for xj, yj in zip(x, y):
        i = max(1, math.ceil(xj * M))           # x_j in [(i - 1)/M, i/M]
        assert yj == (M * xj - (i - 1) if i % 2 else -M * xj + i)
        assert 0 <= yj <= 1


@given(st.integers(0, 6), st.integers(2, 3), st.data())
@settings(max_examples=60, deadline=None)
def test_carving_layer_is_lemma_7(w, d, data):
    g = carving_layer(w, d)
    assert g.architecture == (d, w + 2, 1)
    # a point of [0,1]^d at L1 distance r from c = (1, ..., 1, 0), r <= 1/2
    r = data.draw(st.fractions(0, F(1, 2), max_denominator=48 * max(w, 1)))
    share = data.draw(st.lists(st.fractions(0, 1, max_denominator=5), min_size=d,
                               max_size=d).filter(lambda s: sum(s) > 0))
    step = [r * s / sum(share) for s in share]
    x = [1 - t for t in step[:-1]] + [step[-1]]
    value = g.forward(x)[0]
    if w == 0:
        assert value == min(r, F(1, 4))
    elif r >= F(1, 4):
        assert value == 0
    else:
        q = math.floor(r * 4 * w)                  # r in the shell R_q
        if r * 4 * w != q:
            assert (value > 0) == (q % 2 == 0) and value != 0
        else:
            assert value == 0                      # on a zero sphere
        assert abs(value) <= F(1, 8 * w)


def test_carving_layer_negative_shells_are_floor_w_over_2():
    for w in range(1, 9):
        g = carving_layer(w, 2)
        mids = [F(2 * q + 1, 8 * w) for q in range(w)]   # middle of every shell R_q
        signs = [g.forward([1 - r, F(0)])[0] for r in mids]
        assert sum(s < 0 for s in signs) == w // 2
        assert signs[0] == F(1, 8 * w) and all(abs(s) == F(1, 8 * w) for s in signs)


def test_paper_network_weights_and_offset():
    net = paper_network("3-12-8-1", (2, 2))
    assert net.architecture == (3, 12, 8, 1)
    assert all(x.denominator == 1 for x in net.weights[0][0])
    assert net.biases[-1] == (F(1, 64),)              # b = 1/(8 * 2 * 4)
    assert paper_network("3-12-8-1", (2, 2), offset=0).biases[-1] == (F(0),)
    # far from every cutting point F = b; at a cutting point F = b too (g(c) = 0)
    assert net.forward([F(1, 2), F(1, 2), F(1, 2)]) == (F(1, 64),)
    assert net.forward([F(1, 4), F(1, 2), F(0)]) == (F(1, 64),)


def test_architectures_the_paper_does_not_cover():
    for arch in ["2-12-1", "1-4-4-1", "2-3-4-1", "3-12-3-1"]:
        with pytest.raises(PointlessQuestion):
            paper_construction(arch)
    with pytest.raises(PointlessQuestion):
        paper_construction("2-4-4-1", 2)              # beta_2 = 0 in the plane
    with pytest.raises(PointlessQuestion):
        paper_carve("3-12-5-1", 1)                    # no room for w_1, w_2 >= 1
    assert paper_construction("3-12-5-1", carve=(1, 0)).betti["negative"] == [0, 0, 0, 0]
    for bad in [(1, 1), (3,), (-1,), ("2",), 2]:
        with pytest.raises(InputError):
            paper_construction("2-4-4-1", carve=bad)
    assert paper_folds("2-9-5-4-1") == (4, 2)         # 2 floor(n / 2d); the rest zero maps


# ---- Proposition 18 -------------------------------------------------------------------------
def test_serra_bound_by_hand():
    assert serra_regions_bound("2-1") == 1
    assert serra_regions_bound("2-4-1") == 11
    # 2-2-2-1: j_1 = 0: 1 * 4; j_1 = 1: 2 * 3; j_1 = 2: 1 * 1
    assert serra_regions_bound("2-2-2-1") == 11
    assert serra_regions_bound("1-3-3-1") == 16                   # (1 + 3)(1 + 3)
    assert prop18_upper_bound("2-4-4-4-1", 1) == 1331
    assert prop18_upper_bound("3-4-4-1", 1) == math.comb(161, 2)
    assert prop18_upper_bound("3-4-4-1", 3) == 0


def test_prop18_literal_lineality_is_refuted_by_an_exact_count():
    # read literally (s >= 1), Proposition 18 would give beta_{d-1} <= C(R, 0) = 1
    assert prop18_upper_bound("2-4-4-4-1", 1, lineality=1) == 1
    assert verify_construction(construction("2-4-4-4-1", 1))["computed"]["negative"][1] == 16
    assert prop18_upper_bound("2-4-4-4-1", 1, lineality=2) == 0


ARCHS = st.integers(1, 4).flatmap(lambda d: st.tuples(
    st.just(d), st.lists(st.integers(1, 16), min_size=1, max_size=4)))


@given(ARCHS)
@settings(max_examples=150, deadline=None)
def test_prop18_bounds_every_construction(arch):
    d, widths = arch
    a = (d, *widths, 1)
    R = serra_regions_bound(a)
    assert 1 <= R <= max_regions_bound(a)
    for k in range(d + 1):
        up = prop18_upper_bound(a, k)
        assert up >= betti_lower_bound(a, k)
        if k >= d:
            assert up == 0 == betti_upper_bound(a, k)
            continue
        try:
            carve = paper_carve(a, k)
        except PointlessQuestion:
            continue
        M = math.prod(paper_folds(a))
        c = theorem13_betti(a, carve)          # the exact numbers (checked in the table above)
        assert up >= c[k] and betti_upper_bound(a, k) >= c[k]
        assert M % 2 == 0


@pytest.mark.parametrize("arch,carve,_", TABLE[:10], ids=[a for a, _, _ in TABLE[:10]])
def test_prop18_bounds_the_exact_paper_networks(arch, carve, _):
    c = paper_construction(arch, carve=carve)
    computed = verify_construction(c)["computed"]["negative"]
    assert all(b <= prop18_upper_bound(arch, k) for k, b in enumerate(computed))
    assert verify_construction(c)["n_regions"] <= serra_regions_bound(arch)


@given(st.integers(1, 3).flatmap(lambda d: networks(input_dim=d, max_layers=2, max_width=3)))
@settings(max_examples=30, deadline=None)
def test_prop18_holds_for_random_networks_on_the_cube(net):
    # on a box D, D ∩ {f <= 0} is a union of <= R convex pieces: for d <= 3 the
    # proposition's numbers bound it (nerve lemma, Alexander duality)
    arch = net.architecture
    dom = Polytope.cube(net.input_dim)
    assert canonical_complex(net, dom).n_regions <= serra_regions_bound(arch)
    R = canonical_complex(net, dom, output=True)
    for k, g in enumerate(R.homology(R.decision_subcomplex("negative"))):
        assert g.rank <= prop18_upper_bound(arch, k)


def test_the_report_shows_both_upper_bounds():
    rep = bounds_report("2-2-2-1")
    assert rep["regions_prop18"] == 11 and rep["max_regions"] == 16
    assert [(r["upper"], r["upper_prop18"]) for r in rep["betti"]] == \
        [(16, 11), (16, 11), (0, 0)]
    assert all(r["paper"] is None for r in rep["betti"])          # M would be 1
    rows = bounds_report("3-12-8-1")["betti"]
    assert [r["paper"]["value"] for r in rows[:3]] == [18, 2, 4]   # w = (2, 2) for each k
    assert rows[3]["paper"] is None
