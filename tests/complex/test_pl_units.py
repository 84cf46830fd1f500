"""Piecewise-linear units against equivalent plain ReLU networks (docs/networks.md).

Every PL layer kind is checked against a ReLU network written by hand that computes the same
function AND has the same breakpoint set, so that the canonical complexes must coincide:
same number of regions, same region polytopes and volumes, same f-vectors (with and without
the output), same homology of the domain and of the decision sets, same function values.
Patterns differ in alphabet; they are compared through an explicit mapping where one exists.

Then: LP traversal == complex regions == brute force over pieces for random small mixed
networks (degenerate ones included), and invariants (χ = 1, ∂∂ = 0, volumes sum to the box
volume, interior points carry their pattern, invariance under unit permutations).
"""

import itertools
import random
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polytopo.complex.build import activation_regions, canonical_complex
from polytopo.geometry.polytope import Polytope
from polytopo.network import units as U
from polytopo.network.model import Network
from polytopo.regions.traversal import brute_force_patterns, regions

F = Fraction
FAST = settings(max_examples=30, deadline=None)


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------
def betti(groups):
    return [(g.rank, tuple(g.torsion)) for g in groups]


def geometry(net, box):
    """Everything about the canonical complex that does not depend on the pattern alphabet."""
    C = canonical_complex(net, box)
    Co = canonical_complex(net, box, output=True)
    regs = activation_regions(net, box)
    out = {
        "n_regions": C.n_regions,
        "f_vector": C.f_vector(),
        "f_vector_output": Co.f_vector(),
        "volumes": sorted(r.volume for r in regs),
        "polytopes": Counter(r.polytope for r in regs),
        "vertices": sorted(C.vertices()),
        "betti_domain": betti(C.homology()),
        "betti_domain_output": betti(Co.homology()),
    }
    for which in ("positive", "negative", "zero"):
        out["betti_" + which] = betti(Co.homology(Co.decision_subcomplex(which)))
    assert sum(out["volumes"]) == box.volume()
    assert C.euler_characteristic() == 1 and Co.euler_characteristic() == 1
    assert C.n_regions == len(regs)
    return out


def random_points(box_lo, box_hi, n=25, seed=0):
    rnd = random.Random(seed)
    pts = []
    for _ in range(n):
        pts.append(tuple(F(rnd.randint(0, 60), 60) * (h - l) + l for l, h in zip(box_lo, box_hi)))
    return pts


def assert_same(pl, rl, lo, hi, *, pattern_map=None):
    """``pl`` (with PL units) and ``rl`` (plain ReLU) have the same canonical complex."""
    assert rl.is_relu
    box = Polytope.box(lo, hi)
    g_pl, g_rl = geometry(pl, box), geometry(rl, box)
    for key in g_pl:
        assert g_pl[key] == g_rl[key], key
    for x in random_points(lo, hi) + [tuple(lo), tuple(hi)]:
        assert pl.forward(x) == rl.forward(x), x
        if pattern_map is not None:
            assert pattern_map(pl.pattern(x)) == rl.pattern(x), x
    if pattern_map is not None:
        a = sorted(pattern_map(r.pattern) for r in activation_regions(pl, box))
        b = sorted(r.pattern for r in activation_regions(rl, box))
        assert a == b
    return g_pl


def blockwise(mapping, sizes):
    """A pattern map applying ``mapping[i]`` to the i-th block of ``sizes[i]`` signs."""
    def apply(p):
        out, pos = [], 0
        for m, n in zip(mapping, sizes):
            out.append(m(p[pos:pos + n]))
            pos += n
        return "".join(out)
    return apply


def graph(dim, nodes, output=None):
    g = {"format": "polytopo.network/2", "input": {"name": "x", "dim": dim}, "nodes": nodes}
    if output is not None:
        g["output"] = output
    return g


def affine(name, inputs, W, b):
    return {"name": name, "op": "affine", "input": list(inputs),
            "weights": [[_j(x) for x in r] for r in W], "biases": [_j(x) for x in b]}


def _j(x):
    x = F(x)
    return x.numerator if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def neg(rows):
    return [[-x for x in r] for r in rows]


# first layers used throughout: concurrent lines, lines through box corners, parallels
W1 = [[1, 2], [2, -1], [1, 1], [1, -1]]
B1 = [0, 1, -1, 0]                        # x - y = 0 through corners (±2, ±2) of [-2, 2]^2
V = [1, -2, 1, 3]
LO2, HI2 = [-2, -2], [2, 2]


# ---------------------------------------------------------------------------------------
# scalar units vs ReLU rewritings
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("a", [F(1, 10), F(-1, 2), F(3)])
def test_leaky_relu_equals_relu_rewriting(a):
    """leaky(z) = relu(z) − a·relu(−z)."""
    pl = Network.from_lists([(W1, B1), ([V], [F(1, 3)])], units=[U.leaky_relu(a)])
    rl = Network.from_lists([(W1 + neg(W1), B1 + [-b for b in B1]),
                             ([V + [-a * v for v in V]], [F(1, 3)])])
    tr = {"+": "+", "-": "-", "0": "0"}
    flip = {"+": "-", "-": "+", "0": "0"}
    g = assert_same(pl, rl, LO2, HI2, pattern_map=lambda p: "".join(tr[c] for c in p) +
                    "".join(flip[c] for c in p))
    assert g["n_regions"] > 4


def test_leaky_relu_two_layers_equals_relu_rewriting():
    a = F(1, 10)
    W2 = [[1, -1, 2, 0], [0, 1, 1, -1]]
    b2 = [F(1, 2), -1]
    pl = Network.from_lists([(W1, B1), (W2, b2), ([[1, -1]], [0])], units=[U.leaky_relu(a)] * 2)
    # layer 2 reads leaky(z) = r+ − a r− ; its own leaky is rewritten again
    W2r = [r + [-a * x for x in r] for r in W2]
    rl = Network.from_lists([(W1 + neg(W1), B1 + [-b for b in B1]),
                             (W2r + neg(W2r), b2 + [-b for b in b2]),
                             ([[1, -1, -a, a]], [0])])
    assert_same(pl, rl, LO2, HI2)


def test_hardtanh_equals_relu_rewriting():
    """clamp(z, −1, 1) = relu(z + 1) − relu(z − 1) − 1; the clamp's signs are those of
    z + 1 and z − 1, so the patterns map by interleaving."""
    pl = Network.from_lists([(W1, B1), ([V], [0])], units=[U.clamp(-1, 1)])
    rows, bias, out = [], [], []
    for r, b, v in zip(W1, B1, V):
        rows += [r, r]
        bias += [b + 1, b - 1]
        out += [v, -v]
    rl = Network.from_lists([(rows, bias), ([out], [-sum(V)])])
    g = assert_same(pl, rl, LO2, HI2, pattern_map=lambda p: p)
    assert g["n_regions"] > 6


def test_relu6_like_clamp_and_one_sided_clamps():
    pl = Network.from_lists([(W1, B1), ([V], [0])],
                            units=[[U.clamp(0, 6), U.clamp(None, 1), U.clamp(F(-1, 2), None),
                                    U.clamp(-1, 1)]])
    # clamp(0, 6) = relu z − relu(z − 6) (z = 6 only at the corner (2, 2): no split);
    # clamp(None, 1) = z − relu(z − 1) with z = relu(z + 10) − 10 (|z| <= 6 on the box:
    # z + 10 has no zero there, so no breakpoint is added); clamp(−1/2, None) =
    # relu(z + 1/2) − 1/2; clamp(−1, 1) = relu(z + 1) − relu(z − 1) − 1
    r0, r1, r2, r3 = W1
    b0, b1, b2, b3 = B1
    rows = [r0, r0, r1, r1, r2, r3, r3]
    bias = [b0, b0 - 6, b1 + 10, b1 - 1, b2 + F(1, 2), b3 + 1, b3 - 1]
    v0, v1, v2, v3 = V
    out = [v0, -v0, v1, -v1, v2, v3, -v3]
    const = -10 * v1 - F(1, 2) * v2 - v3
    rl = Network.from_lists([(rows, bias), ([out], [const])])
    assert_same(pl, rl, LO2, HI2)


@pytest.mark.parametrize("layers", [1, 2])
def test_abs_equals_relu_rewriting(layers):
    """abs(z) = relu(z) + relu(−z)."""
    if layers == 1:
        pl = Network.from_lists([(W1, B1), ([V], [-3])], units=[U.absolute()])
        rl = Network.from_lists([(W1 + neg(W1), B1 + [-b for b in B1]), ([V + V], [-3])])
        flip = {"+": "-", "-": "+", "0": "0"}
        assert_same(pl, rl, LO2, HI2, pattern_map=lambda p: p + "".join(flip[c] for c in p))
    else:
        W2 = [[1, -1, 0, 1], [1, 1, -1, 0]]
        b2 = [-2, 1]
        pl = Network.from_lists([(W1, B1), (W2, b2), ([[1, -2]], [1])],
                                units=[U.absolute(), U.absolute()])
        W2r = [r + r for r in W2]
        rl = Network.from_lists([(W1 + neg(W1), B1 + [-b for b in B1]),
                                 (W2r + neg(W2r), b2 + [-b for b in b2]),
                                 ([[1, -2, 1, -2]], [1])])
        assert_same(pl, rl, LO2, HI2)


def test_general_piecewise_unit_equals_relu_rewriting():
    """σ(z) = c + s0 z + Σ (s_i − s_{i−1}) relu(z − t_i), s0 z = s0 relu z − s0 relu(−z):
    on cells the extra breakpoint at 0 must already be a breakpoint (t_1 = 0 here)."""
    u = U.Scalar((0, 1, F(5, 2)), (F(-1, 3), 2, F(1, 2), 0), F(1, 4))
    assert u.kind == "piecewise"
    pl = Network.from_lists([(W1, B1), ([V], [0])], units=[u])
    rows, bias, out, const = [], [], [], F(0)
    t, s = u.breakpoints, u.slopes
    for r, b, v in zip(W1, B1, V):
        rows += [r, neg([r])[0], r, r]
        bias += [b, -b, b - t[1], b - t[2]]
        out += [v * s[1], -v * s[0], v * (s[2] - s[1]), v * (s[3] - s[2])]
        const += v * u.intercept
    rl = Network.from_lists([(rows, bias), ([out], [const])])
    assert_same(pl, rl, LO2, HI2)


# ---------------------------------------------------------------------------------------
# residual block: graph form with `add`
# ---------------------------------------------------------------------------------------
def test_residual_block_equals_relu_passthrough():
    """y = x + relu(Wx + b) on a box with x > 0 (so x = relu(x)), then a ReLU layer on y."""
    W = [[1, -1], [-2, 1]]       # y = r + x: r has the 2 coordinates of x
    b = [0, 2]
    Wm = [[1, 0], [0, 1]]
    Uw = [[1, -1], [1, 1], [-1, 2]]
    c = [F(-1, 2), -3, -1]
    g = graph(2, [affine("h", ["x"], W, b),
                  {"name": "r", "op": "relu", "input": ["h"]},
                  {"name": "y", "op": "add", "input": ["r", "x"]},
                  affine("h2", ["y"], Uw, c),
                  {"name": "z", "op": "relu", "input": ["h2"]},
                  affine("out", ["z", "y"], [[1, -1, 2, 1, -1]], [F(1, 3)])])
    pl = Network.from_json(g)
    assert [u.kind for u in pl.layer_units[0]].count("linear") == 2
    # plain ReLU: layer 1 = [relu(Wx + b), relu(x)]; layer 2 = [relu(U(r + x) + c), relu(r + x)]
    L1 = (W + Wm, b + [0, 0])
    L2 = ([r + r for r in Uw] + [[1, 0, 1, 0], [0, 1, 0, 1]], c + [0, 0])
    L3 = ([[1, -1, 2, 1, -1]], [F(1, 3)])
    rl = Network.from_lists([L1, L2, L3])

    def pmap(p):   # PL pattern: 2 (layer 1) + 3 (layer 2); ReLU adds "++" and "++"
        return p[:2] + "++" + p[2:] + "++"
    lo, hi = [1, F(1, 2)], [3, 2]
    assert_same(pl, rl, lo, hi, pattern_map=pmap)
    # the skip connection is computed: y = x + relu(Wx + b)
    for x in random_points(lo, hi, 10, seed=3):
        r = [max(F(0), sum(a * xi for a, xi in zip(row, x)) + bi) for row, bi in zip(W, b)]
        y = [ri + xi for ri, xi in zip(r, x)]
        z = [max(F(0), sum(a * yi for a, yi in zip(row, y)) + ci) for row, ci in zip(Uw, c)]
        assert pl.forward(x) == (sum(a * v for a, v in zip([1, -1, 2, 1, -1], z + y)) + F(1, 3),)


# ---------------------------------------------------------------------------------------
# max units
# ---------------------------------------------------------------------------------------
PQ = [
    ([1, 2], 0, [2, -1], 1),        # generic
    ([1, 1], -1, [1, -1], 0),       # lines through corners
    ([1, 2], 1, [1, 2], 1),         # duplicate: tie everywhere
    ([1, 2], 1, [2, 4], 2),         # p = q / 2: same zero line, argmax changes there
    ([1, 0], 0, [-1, 0], 0),        # q = −p
    ([0, 0], 1, [1, 1], 0),         # p constant 1
    ([0, 0], -1, [1, -2], 1),       # p constant negative: relu p = 0
]


@pytest.mark.parametrize("p,bp,q,bq", PQ)
def test_max_of_relus_equals_nested_relu(p, bp, q, bq):
    """max(relu p, relu q) vs relu(relu p − relu q) + relu q: the same complex (ties on
    full-dimensional cells do not split: both are 0 on {p <= 0, q <= 0})."""
    pl = Network.from_lists([([p, q], [bp, bq]), ([[1, 0], [0, 1]], [0, 0]), ([[1]], [0])],
                            units=[[U.RELU, U.RELU], [U.Max(2)]])
    rl = Network.from_lists([([p, q], [bp, bq]), ([[1, -1], [0, 1]], [0, 0]),
                             ([[1, 1]], [0])])
    assert_same(pl, rl, LO2, HI2)
    # and the output shifted so that the decision sets are not trivial
    pl2 = Network(pl.weights[:-1] + (((F(2),),),), pl.biases[:-1] + ((F(-1),),), pl.units)
    rl2 = Network(rl.weights[:-1] + (((F(2), F(2)),),), rl.biases[:-1] + ((F(-1),),))
    assert_same(pl2, rl2, LO2, HI2)


def test_max_of_relus_graph_form():
    g = graph(2, [affine("h", ["x"], [[1, 2], [2, -1]], [0, 1]),
                  {"name": "r", "op": "relu", "input": ["h"]},
                  {"name": "m", "op": "max", "input": ["r"], "groups": [[0, 1]]},
                  affine("y", ["m"], [[3]], [-2])])
    pl = Network.from_json(g)
    rl = Network.from_lists([([[1, 2], [2, -1]], [0, 1]), ([[1, -1], [0, 1]], [0, 0]),
                             ([[3, 3]], [-2])])
    assert_same(pl, rl, LO2, HI2)


# an independent 2-D exact geometry: clip the box by half-planes
def clip(poly, a, c):
    """The part of the convex polygon ``poly`` (vertex list) where ``a·x <= c``."""
    out = []
    n = len(poly)
    for i in range(n):
        P, Q = poly[i], poly[(i + 1) % n]
        fp = a[0] * P[0] + a[1] * P[1] - c
        fq = a[0] * Q[0] + a[1] * Q[1] - c
        if fp <= 0:
            out.append(P)
        if (fp < 0 < fq) or (fq < 0 < fp):
            t = fp / (fp - fq)
            out.append((P[0] + t * (Q[0] - P[0]), P[1] + t * (Q[1] - P[1])))
    return out


def area(poly):
    s = F(0)
    for i in range(len(poly)):
        (x0, y0), (x1, y1) = poly[i], poly[(i + 1) % len(poly)]
        s += x0 * y1 - x1 * y0
    return abs(s) / 2


def box_polygon(lo, hi):
    return [(F(lo[0]), F(lo[1])), (F(hi[0]), F(lo[1])), (F(hi[0]), F(hi[1])),
            (F(lo[0]), F(hi[1]))]


def argmax_cells(pieces, lo, hi):
    """{argmax set: area} of the full-dimensional argmax cells of affine ``pieces``
    ``((a1, a2), c)``, computed by clipping (independent of polytopo)."""
    distinct = {}
    for i, pc in enumerate(pieces):
        distinct.setdefault((tuple(F(x) for x in pc[0]), F(pc[1])), []).append(i)
    out = {}
    for g, members in distinct.items():
        poly = box_polygon(lo, hi)
        for h in distinct:
            if h != g:   # h − g <= 0
                poly = clip(poly, (h[0][0] - g[0][0], h[0][1] - g[0][1]), g[1] - h[1])
                if not poly:
                    break
        if poly and area(poly) > 0:
            out[tuple(members)] = area(poly)
    return out


MAXOUT = [
    [((1, 0), 0), ((0, 1), 0), ((-1, -1), 0)],                     # 3 concurrent pieces
    [((1, 0), 0), ((-1, 0), 0), ((0, 1), 0), ((0, -1), 0)],        # |x|_inf: 4 pieces
    [((1, 0), 0), ((0, 1), 0), ((1, 0), 0), ((0, 0), -5)],         # duplicate + never max
    [((1, 1), 0), ((0, 0), 4), ((-1, -1), 0)],                     # piece 0 touches a corner
    [((1, 2), 1), ((2, -1), 0), ((-1, 1), F(1, 2)), ((0, 0), 1), ((-2, -2), -3)],
    [((1, 0), 0), ((1, 0), 0), ((1, 0), 0)],                       # all equal: one region
]


@pytest.mark.parametrize("pieces", MAXOUT)
def test_maxout_regions_are_the_argmax_polytopes(pieces):
    lo, hi = [-2, -2], [2, 2]
    m = len(pieces)
    g = graph(2, [affine("h", ["x"], [p for p, _ in pieces], [c for _, c in pieces]),
                  {"name": "m", "op": "max", "input": ["h"], "groups": [list(range(m))]}])
    net = Network.from_json(g)
    assert [u.kind for u in net.layer_units[0]] == [f"max({m})"]
    expected = argmax_cells(pieces, lo, hi)
    box = Polytope.box(lo, hi)
    C = canonical_complex(net, box)
    regs = activation_regions(net, box)
    assert C.n_regions == len(regs) == len(expected)
    assert sorted(r.volume for r in regs) == sorted(expected.values())
    # each region's pattern names its argmax set ("+" alone, "0" for tied pieces)
    got = {}
    for r in regs:
        members = tuple(i for i, s in enumerate(r.pattern) if s in "+0")
        assert all(s == ("+" if len(members) == 1 else "0") for s in
                   (r.pattern[i] for i in members))
        got[members] = r.volume
    assert got == expected
    lp = regions(net, box)
    assert lp == regs
    assert sorted(brute_force_patterns(net, box)) == sorted(r.pattern for r in regs)
    for x in random_points(lo, hi, 10, seed=5):
        assert net.forward(x) == (max(sum(F(a) * xi for a, xi in zip(p, x)) + F(c)
                                      for p, c in pieces),)


# ---------------------------------------------------------------------------------------
# conv1d, average pooling, batch norm (affine nodes) and max pooling
# ---------------------------------------------------------------------------------------
def conv1d_matrix(kernels, biases, in_len, padding):
    """Dense matrix of a 1-input-channel Conv1d with the given kernels (one per output
    channel), stride 1: rows channel-major (``c * out_len + i``)."""
    k = len(kernels[0])
    out_len = in_len + 2 * padding - k + 1
    W, b = [], []
    for ker, bias in zip(kernels, biases):
        for i in range(out_len):
            row = [F(0)] * in_len
            for t in range(k):
                j = i + t - padding
                if 0 <= j < in_len:
                    row[j] += F(ker[t])
            W.append(row)
            b.append(F(bias))
    return W, b


def avgpool_matrix(channels, length, window):
    W = []
    for c in range(channels):
        for i in range(0, length - window + 1, window):
            row = [F(0)] * (channels * length)
            for t in range(window):
                row[c * length + i + t] = F(1, window)
            W.append(row)
    return W


KERNELS = [[1, -2, 1], [F(1, 2), 1, -1]]
KBIAS = [F(1, 2), -1]


def test_conv1d_matrix_by_hand():
    W, b = conv1d_matrix(KERNELS, KBIAS, 2, 1)
    # input (x0, x1) padded to (0, x0, x1, 0): out_i = Σ_t k_t xpad_{i+t}
    assert W == [[-2, 1], [1, -2], [1, -1], [F(1, 2), 1]]
    assert b == [F(1, 2), F(1, 2), -1, -1]


def test_conv_avgpool_batchnorm_equals_unrolled_relu_net():
    Wc, bc = conv1d_matrix(KERNELS, KBIAS, 2, 1)
    P = avgpool_matrix(2, 2, 2)
    gamma, beta, mean = [2, F(-1, 3)], [F(1, 2), 1], [F(1, 4), -1]
    sqrt_var_eps = [2, F(3, 4)]                 # var + eps = 4 and 9/16: exact roots
    scale = [F(gamma[i]) / sqrt_var_eps[i] for i in range(2)]
    assert scale == [1, F(-4, 9)]
    bn_W = [[scale[0], 0], [0, scale[1]]]
    bn_b = [beta[i] - scale[i] * mean[i] for i in range(2)]
    assert bn_b == [F(1, 4), F(5, 9)]
    g = graph(2, [affine("conv", ["x"], Wc, bc),
                  {"name": "r", "op": "relu", "input": ["conv"]},
                  affine("pool", ["r"], P, [0, 0]),
                  affine("bn", ["pool"], bn_W, bn_b),
                  {"name": "r2", "op": "relu", "input": ["bn"]},
                  affine("fc", ["r2"], [[1, -1]], [F(-1, 5)])])
    pl = Network.from_json(g)
    # unrolled by hand: layer 2 = bn ∘ pool = diag(scale) · [[1/2 1/2 0 0], [0 0 1/2 1/2]]
    hand = Network.from_lists([
        ([[-2, 1], [1, -2], [1, -1], [F(1, 2), 1]], [F(1, 2), F(1, 2), -1, -1]),
        ([[F(1, 2), F(1, 2), 0, 0], [0, 0, F(-2, 9), F(-2, 9)]], [F(1, 4), F(5, 9)]),
        ([[1, -1]], [F(-1, 5)])])
    assert pl == hand        # consecutive affine nodes are folded exactly
    assert_same(pl, hand, [-1, -1], [1, 1], pattern_map=lambda p: p)


@pytest.mark.parametrize("windows", [[[0, 1], [2, 3]], [[0, 1], [1, 2], [2, 3]],
                                     [[0, 2], [1, 3]]])
def test_maxpool_of_conv_relu_equals_nested_relu(windows):
    """max pooling (windows of 2) over relu(conv x) vs relu(r_a − r_b) + relu(r_b)."""
    Wc, bc = conv1d_matrix(KERNELS, KBIAS, 2, 1)
    nw = len(windows)
    fc = [1, -2, 1][:nw]
    g = graph(2, [affine("conv", ["x"], Wc, bc),
                  {"name": "r", "op": "relu", "input": ["conv"]},
                  {"name": "mp", "op": "max", "input": ["r"], "groups": windows},
                  affine("fc", ["mp"], [fc], [F(1, 4)])])
    pl = Network.from_json(g)
    assert [u.kind for u in pl.layer_units[1]] == ["max(2)"] * nw
    L2 = []
    for a, b in windows:
        L2.append([F(int(j == a)) - F(int(j == b)) for j in range(4)])
        L2.append([F(int(j == b)) for j in range(4)])
    rl = Network.from_lists([(Wc, bc), (L2, [0] * len(L2)),
                             ([[v for v in fc for _ in range(2)]], [F(1, 4)])])
    assert_same(pl, rl, [-1, -1], [1, 1])
    assert_same(pl, rl, [F(-1, 2), -2], [2, F(1, 3)])


def test_maxpool_without_relu_is_not_the_nested_relu_form():
    """max(a, b) = relu(a − b) + relu(b) − relu(−b) computes the same function but adds
    the breakpoint b = 0: the canonical complexes differ (a sanity check of the claim
    that only the rewritings above are geometric equivalences)."""
    pl = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1]], [0])], units=[[U.Max(2)]])
    rl = Network.from_lists([([[1, -1], [0, 1], [0, -1]], [0, 0, 0]), ([[1, 1, -1]], [0])])
    box = Polytope.box([-1, -1], [1, 1])
    for x in random_points([-1, -1], [1, 1]):
        assert pl.forward(x) == rl.forward(x)
    assert canonical_complex(pl, box).n_regions == 2
    assert canonical_complex(rl, box).n_regions == 4


# ---------------------------------------------------------------------------------------
# random mixed networks: LP traversal == complex == brute force over pieces
# ---------------------------------------------------------------------------------------
UNIT_CHOICES = [U.RELU, U.leaky_relu(F(1, 10)), U.leaky_relu(F(-1, 2)), U.clamp(-1, 1),
                U.clamp(0, None), U.absolute(), U.Max(2)]


@st.composite
def mixed_networks(draw, max_layers=2, max_units=4, bound=2):
    """2-D networks of 1..max_layers hidden layers of 2..max_units mixed units, small
    integer weights, degenerate rows (duplicates, negations, multiples, zero rows,
    lines through the origin = concurrent lines / box corners)."""
    n_layers = draw(st.integers(1, max_layers))
    wt = st.integers(-bound, bound).map(F)
    layers, units, prev = [], [], 2
    for _ in range(n_layers):
        us = draw(st.lists(st.sampled_from(UNIT_CHOICES), min_size=2, max_size=max_units))
        n_rows = sum(u.n_inputs for u in us)
        W = [[draw(wt) for _ in range(prev)] for _ in range(n_rows)]
        b = [draw(wt) for _ in range(n_rows)]
        for _ in range(draw(st.integers(0, 2))):
            i, j = draw(st.integers(0, n_rows - 1)), draw(st.integers(0, n_rows - 1))
            kind = draw(st.sampled_from(["dup", "neg", "double", "zero", "origin"]))
            if kind == "dup":
                W[i], b[i] = list(W[j]), b[j]
            elif kind == "neg":
                W[i], b[i] = [-x for x in W[j]], -b[j]
            elif kind == "double":
                W[i], b[i] = [2 * x for x in W[j]], 2 * b[j]
            elif kind == "zero":
                W[i] = [F(0)] * prev
            else:
                b[i] = F(0)
        layers.append((W, b))
        units.append(us)
        prev = len(us)
    layers.append(([[draw(wt) for _ in range(prev)]], [draw(wt)]))
    return Network.from_lists(layers, units=units)


def n_piece_choices(net):
    n = 1
    for layer in net.layer_units:
        for u in layer:
            n *= u.size if isinstance(u, U.Max) else u.n_signs + 1
    return n


BOX = Polytope.box([-1, -1], [1, 1])


def check_three_ways(net, box=BOX):
    lp = regions(net, box)
    cx = activation_regions(net, box)
    assert lp == cx
    C = canonical_complex(net, box)
    assert C.n_regions == len(cx)
    assert [r.pattern for r in C.regions()] == [r.pattern for r in cx]
    if n_piece_choices(net) <= 256:
        assert brute_force_patterns(net, box) == sorted(r.pattern for r in cx)
    return C, cx


@FAST
@given(mixed_networks(max_layers=1))
def test_lp_traversal_complex_and_brute_force_agree_one_layer(net):
    check_three_ways(net)


@settings(max_examples=25, deadline=None)
@given(mixed_networks(max_layers=2, max_units=3))
def test_lp_traversal_complex_and_brute_force_agree_two_layers(net):
    check_three_ways(net)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(mixed_networks(max_layers=2, max_units=4))
def test_lp_traversal_complex_and_brute_force_agree_slow(net):
    check_three_ways(net, Polytope.box([-2, -1], [1, 2]))


def test_hand_degenerate_mixed_nets():
    nets = [
        # duplicate max pieces inside a max unit next to a clamp
        Network.from_lists([([[1, 1], [1, 1], [1, -1]], [0, 0, 0]), ([[1, 1]], [0])],
                           units=[[U.Max(2), U.clamp(-1, 1)]]),
        # a max over a dead relu and a live one, then abs
        Network.from_lists([([[0, 0], [1, 2]], [-1, 0]), ([[1, 0], [0, 1]], [0, 0]),
                            ([[1]], [0])], units=[[U.RELU, U.RELU], [U.Max(2)]]),
        # three concurrent lines through the corner (1, 1), leaky and abs
        Network.from_lists([([[1, -1], [1, 0], [0, 1]], [0, -1, -1]), ([[1, 1, 1]], [0])],
                           units=[[U.leaky_relu(F(-1, 2)), U.absolute(), U.clamp(-1, 1)]]),
    ]
    for net in nets:
        C, cx = check_three_ways(net)
        assert C.euler_characteristic() == 1


# ---------------------------------------------------------------------------------------
# invariants
# ---------------------------------------------------------------------------------------
def check_invariants(net, box=BOX):
    C = canonical_complex(net, box)
    assert C.euler_characteristic() == 1
    cc = C.chain_complex()
    assert cc.check_boundary()
    assert betti(cc.homology()) == [(1, ())] + [(0, ())] * C.dim
    regs = activation_regions(net, box)
    assert sum(r.volume for r in regs) == box.volume()
    for r in regs:
        assert net.pattern(r.interior_point) == r.pattern
        assert r.polytope.contains(r.interior_point, strict=True)
    # every cell's relative interior point has the cell's pattern (not just regions)
    for k in range(C.dim + 1):
        for c in C.cells(k):
            assert net.pattern(C.relative_interior_point(c)) == C.pattern(c), (k, c)
    if net.output_dim == 1:
        Co = canonical_complex(net, box, output=True)
        assert Co.chain_complex().check_boundary()
        for which in ("positive", "negative", "zero"):
            Co.homology(Co.decision_subcomplex(which))
    return C, regs


@FAST
@given(mixed_networks(max_layers=2, max_units=3))
def test_invariants_of_mixed_networks(net):
    check_invariants(net)


@FAST
@given(mixed_networks(max_layers=2, max_units=3), st.randoms(use_true_random=False))
def test_unchanged_by_permuting_units(net, rnd):
    C, regs = canonical_complex(net, BOX), activation_regions(net, BOX)
    for layer in range(1, len(net.widths) + 1):
        perm = list(range(net.widths[layer - 1]))
        rnd.shuffle(perm)
        p = net.permuted(layer, perm)
        assert [u for u in p.layer_units[layer - 1]] == \
            [net.layer_units[layer - 1][i] for i in perm]
        Cp, rp = canonical_complex(p, BOX), activation_regions(p, BOX)
        assert Cp.f_vector() == C.f_vector()
        assert Counter(r.polytope for r in rp) == Counter(r.polytope for r in regs)
        assert sorted(r.volume for r in rp) == sorted(r.volume for r in regs)
        for r in rp:
            assert p.forward(r.interior_point) == net.forward(r.interior_point)
        for x in random_points([-1, -1], [1, 1], 6, seed=layer):
            assert p.forward(x) == net.forward(x)


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(mixed_networks(max_layers=2, max_units=4))
def test_invariants_of_mixed_networks_slow(net):
    check_invariants(net, Polytope.box([-2, F(-1, 2)], [F(3, 2), 2]))


def test_all_unit_kinds_three_dimensional():
    """One 3-D mixed net (regions of every kind of unit), against the LP traversal."""
    net = Network.from_lists(
        [([[1, 0, 1], [0, 1, -1], [1, 1, 1], [1, -1, 0], [0, 0, 1], [1, 2, 0]],
          [0, F(1, 2), -1, 0, 0, F(-1, 3)]),
         ([[1, -1, 0, 1, 1], [0, 1, 1, 1, -1]], [0, F(1, 2)]),
         ([[1, -1]], [0])],
        units=[[U.RELU, U.leaky_relu(F(1, 10)), U.clamp(-1, 1), U.absolute(), U.Max(2)],
               [U.RELU, U.absolute()]])
    box = Polytope.cube(3)
    C = canonical_complex(net, box)
    assert C.euler_characteristic() == 1
    assert regions(net, box) == activation_regions(net, box)
    assert sum(r.volume for r in activation_regions(net, box)) == 8
    assert set(itertools.chain.from_iterable(r.pattern for r in C.regions())) <= set("+-0")
