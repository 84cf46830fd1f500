"""Generate the reference cases in ``cases/regions/`` from mathematics.

Run ``python cases/generate.py`` from the repository root (or anywhere): it rewrites every
``cases/regions/*.json`` deterministically (same bytes on every run) and removes stale ones.

Every expected value below comes from a formula or a hand argument that is written into
the case's ``source`` field: Zaslavsky's theorem, n!, (n+1)^(n-1), n!·Catalan(n), Gray
codes, areas of triangles, symmetry.  This script uses only the standard library; it
never imports polytopo, so no expected value is polytopo's own output pasted back.

As an extra safeguard, every arrangement case is cross-checked here with Whitney's
formula for the characteristic polynomial (an independent computation of the number of
regions of R^d, by exact ranks of every subset of hyperplanes):

    r(A) = (-1)^d chi_A(-1) = sum over S ⊆ A with ∩S ≠ ∅ of (-1)^(|S| - rank S).

Case file format (see cases/README.md):

    {"name", "description", "source",
     "network": network object (docs/formats.md),
     "domain": {"box": [LO, HI]}  (LO/HI numbers: [LO, HI]^d; or lists, one per coordinate)
             | {"A": [[...]], "b": [...]}  (A x <= b),
     "expected": {"n_regions": N, "volume_total": "p/q", optional:
                  "region_volumes": sorted multiset of exact volumes,
                  "volumes_by_pattern": {pattern: volume} (the listed regions only),
                  "patterns": sorted list of all region patterns,
                  "ranks": sorted multiset of region ranks (last hidden layer),
                  "sign_relations": {"equal": [[i, j]], "opposite": [[i, j]],
                                     "constant": {"i": "+|-|0"}}},
     "premises": hypotheses of the argument that the test re-checks exactly,
     "slow": true  (optional: kept out of the default test run)}
"""

import itertools
import json
import math
import os
from fractions import Fraction as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "regions")


# ---------------------------------------------------------------------------------------
# exact helpers
# ---------------------------------------------------------------------------------------
def fmt(q):
    """An exact number as JSON: an int when integral, else the string 'p/q'."""
    q = F(q)
    return q.numerator if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def sfmt(q):
    """An exact number as a string 'p/q' (or 'p'): the form used for expected volumes."""
    q = F(q)
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def dot(a, x):
    return sum((F(ai) * F(xi) for ai, xi in zip(a, x)), F(0))


def sign_char(v):
    return "+" if v > 0 else "-" if v < 0 else "0"


def reduce_row(basis, row):
    """Reduce ``row`` against an echelon ``basis`` (list of (pivot, row)); return the rest."""
    row = list(row)
    for p, b in basis:
        if row[p]:
            f = row[p] / b[p]
            row = [x - f * y for x, y in zip(row, b)]
    return row


def whitney_regions(hyps, d):
    """Number of regions of R^d cut by hyperplanes ``a·x + c = 0`` (Zaslavsky + Whitney).

    ``hyps`` is a list of (a, c) with a ≠ 0. Sums (-1)^(|S| - rank S) over the subsets S
    with non-empty intersection, by a depth-first search that keeps an echelon form of
    the augmented rows [a | c]; an inconsistent subset (empty intersection) is pruned
    with all its supersets. Repeated hyperplanes (scalar multiples) are allowed: their
    contributions cancel to those of a single copy.
    """
    rows = [[F(x) for x in a] + [F(c)] for a, c in hyps]
    total = 0

    def rec(start, basis, size):
        nonlocal total
        total += (-1) ** (size - len(basis))
        for i in range(start, len(rows)):
            r = reduce_row(basis, rows[i])
            piv = next((k for k, x in enumerate(r) if x), None)
            if piv == d:          # only the constant survives: empty intersection
                continue
            rec(i + 1, basis + ([(piv, r)] if piv is not None else []), size + 1)

    rec(0, [], 0)
    return total


def zaslavsky_general_position(n, d):
    return sum(math.comb(n, i) for i in range(d + 1))


def elementary_symmetric(values, j):
    return sum((math.prod(c) for c in itertools.combinations(values, j)), F(0))


# ---------------------------------------------------------------------------------------
# network and case builders
# ---------------------------------------------------------------------------------------
def layer(W, b):
    return {"weights": [[fmt(x) for x in row] for row in W], "biases": [fmt(x) for x in b]}


def network(d, layers):
    return {"format": "polytopo.network/1", "input_dim": d, "layers": layers}


def arrangement_net(d, hyps):
    """One hidden layer whose neurons are the hyperplanes a·x + c; output = sum of neurons."""
    return network(d, [layer([a for a, _ in hyps], [c for _, c in hyps]),
                       layer([[1] * len(hyps)], [0])])


def box(lo, hi):
    return {"box": [fmt(lo), fmt(hi)]}


def box_volume(d, lo, hi):
    return (F(hi) - F(lo)) ** d


CASES = []


def case(name, description, source, net, domain, expected, premises=(), slow=False):
    exp = dict(expected)
    exp["volume_total"] = sfmt(exp["volume_total"])
    for key in ("region_volumes",):
        if key in exp:
            exp[key] = [sfmt(v) for v in sorted(F(v) for v in exp[key])]
    if "volumes_by_pattern" in exp:
        exp["volumes_by_pattern"] = {p: sfmt(v) for p, v in sorted(exp["volumes_by_pattern"].items())}
        if len(exp["volumes_by_pattern"]) == exp["n_regions"]:
            assert sum(F(v) for v in exp["volumes_by_pattern"].values()) == F(exp["volume_total"])
    if "region_volumes" in exp:
        assert len(exp["region_volumes"]) == exp["n_regions"]
        assert sum(F(v) for v in exp["region_volumes"]) == F(exp["volume_total"]), name
    if "patterns" in exp:
        exp["patterns"] = sorted(exp["patterns"])
        assert len(set(exp["patterns"])) == exp["n_regions"], name
    if "ranks" in exp:
        exp["ranks"] = sorted(exp["ranks"])
        assert len(exp["ranks"]) == exp["n_regions"], name
    obj = {"name": name, "description": description, "source": source,
           "network": net, "domain": domain, "expected": exp}
    if premises:
        obj["premises"] = list(premises)
    if slow:
        obj["slow"] = True
    CASES.append(obj)


def check_whitney(hyps, d, expected):
    w = whitney_regions(hyps, d)
    assert w == expected, (w, expected)


# ---------------------------------------------------------------------------------------
# 1. hyperplanes in general position (Zaslavsky)
# ---------------------------------------------------------------------------------------
GP_SOURCE = (
    "Zaslavsky (1975), 'Facing up to arrangements', Mem. AMS 154; also Stanley, 'An "
    "introduction to hyperplane arrangements' (2007), Lecture 2: n affine hyperplanes in "
    "general position in R^d cut it into sum_{i=0}^{d} C(n,i) regions. Construction: "
    "hyperplane i is sum_{j=1}^{d} t_i^j x_j + 1 = 0 with distinct non-zero integers t_i, i.e. "
    "x is a root set of the polynomial p(t) = 1 + x_1 t + ... + x_d t^d. Any min(n,d) "
    "normals t_i (1, t_i, ..., t_i^(d-1)) are independent (Vandermonde) and any d+1 "
    "augmented rows (1, t_i, ..., t_i^d) are independent (Vandermonde), so no d+1 "
    "hyperplanes share a point: general position. The hyperplanes indexed by S (|S| = "
    "min(n,d)) meet where p(t) = prod_{i in S} (1 - t/t_i), i.e. at x_j = (-1)^j "
    "e_j(1/t_i : i in S); as |1/t_i| <= 1, |x_j| <= C(min(n,d), j) <= C(d, floor(d/2)) "
    "< B = C(d, floor(d/2)) + 1, so every vertex (n >= d), or the common flat (n < d), "
    "meets the open box (-B, B)^d. Every region of R^d has a minimal flat of "
    "the arrangement in its closure, hence meets the open box in one convex set: the "
    "activation regions on the box are exactly the regions of R^d (distinct regions have "
    "distinct sign vectors). Premises re-checked exactly by the test.")


def general_position_case(d, ts, slow=False):
    n = len(ts)
    hyps = [([F(t) ** j for j in range(1, d + 1)], F(1)) for t in ts]
    B = math.comb(d, d // 2) + 1
    # the minimal flats: vertices (n >= d) or the common flat (n < d) at the point with
    # coordinates (-1)^j e_j(1/t); check they are strictly inside the box
    k = min(n, d)
    for S in itertools.combinations(ts, k):
        inv = [F(1, t) for t in S]
        x = [(-1) ** j * elementary_symmetric(inv, j) for j in range(1, d + 1)]
        assert all(abs(v) < B for v in x)
        assert all(dot(a, x) + c == 0 for a, c in (hyps[ts.index(t)] for t in S))
    count = zaslavsky_general_position(n, d)
    check_whitney(hyps, d, count)
    expected = {"n_regions": count, "volume_total": box_volume(d, -B, B)}
    if d == 1:
        # the cut points are -1/t_i; the regions are the intervals between them
        pts = sorted([F(-B)] + [F(-1, t) for t in ts] + [F(B)])
        expected["region_volumes"] = [b - a for a, b in zip(pts, pts[1:])]
    terms = " + ".join(f"C({n},{i})" for i in range(d + 1))
    case(f"general_position_d{d}_n{n}",
         f"{n} affine hyperplanes in general position in R^{d} (moment-curve normals, "
         f"t = {ts}) on the box [-{B},{B}]^{d}",
         GP_SOURCE + f" Here: {terms} = {count}."
         + (" In 1-D the regions are the intervals between the sorted points -1/t_i and "
            "the box ends, whose lengths are the expected region volumes." if d == 1 else ""),
         arrangement_net(d, hyps), box(-B, B), expected,
         premises=["general_position", "minimal_flats_meet_open_box"], slow=slow)


# ---------------------------------------------------------------------------------------
# 2. central arrangements: pencils and generic central arrangements
# ---------------------------------------------------------------------------------------
def pencil_regions_2d(normals):
    """Patterns and ranks of the 2k sectors cut by k distinct lines through 0 in R^2.

    The sector between consecutive boundary rays r1, r2 (angle < pi) contains r1 + r2;
    the pattern there is the signs of a_i·(r1 + r2). Rays are sorted by exact angle
    comparison (half-plane then cross product).
    """
    rays = []
    for a in normals:
        r = (-a[1], a[0])
        rays += [r, (-r[0], -r[1])]

    def half(r):
        return 0 if (r[1] > 0 or (r[1] == 0 and r[0] > 0)) else 1

    import functools

    def cmp(p, q):
        if half(p) != half(q):
            return half(p) - half(q)
        cr = p[0] * q[1] - p[1] * q[0]
        return -1 if cr > 0 else 1 if cr < 0 else 0

    rays.sort(key=functools.cmp_to_key(cmp))
    pats, ranks = [], []
    for r1, r2 in zip(rays, rays[1:] + rays[:1]):
        u = (r1[0] + r2[0], r1[1] + r2[1])
        signs = [sign_char(dot(a, u)) for a in normals]
        active = [a for a, s in zip(normals, signs) if s == "+"]
        rk = 0 if not active else 1 if all(a[0] * active[0][1] - a[1] * active[0][0] == 0
                                            for a in active) else 2
        pats.append("".join(signs))
        ranks.append(rk)
    return pats, ranks


def pencil_case_2d(name, normals, volumes=None):
    k = len(normals)
    hyps = [(list(a), 0) for a in normals]
    check_whitney(hyps, 2, 2 * k)
    pats, ranks = pencil_regions_2d(normals)
    assert len(set(pats)) == 2 * k
    exp = {"n_regions": 2 * k, "volume_total": 4, "patterns": pats, "ranks": ranks}
    src = ("k distinct lines through the origin cut R^2 into 2k open sectors (each line "
           "through 0 adds 2 rays; Zaslavsky: chi(t) = t^2 - k t + (k-1), r = 2k). Every sector is "
           "a cone with apex 0, and 0 is inside the box, so each sector meets the box in one "
           "convex region. The pattern of the sector between consecutive rays r1, r2 is the "
           "sign vector at r1 + r2; its rank is the rank of the active normals (0, 1, or 2).")
    if volumes:
        exp["region_volumes"] = volumes
        src += (" The four lines x=0, y=0, y=x, y=-x are symmetry axes of the square [-1,1]^2 "
                "and cut it into 8 congruent triangles (0, a corner, an edge midpoint) of area 1/2.")
    case(name, f"{k} lines through the origin in R^2 (normals {normals}) on [-1,1]^2",
         src, arrangement_net(2, hyps), box(-1, 1), exp,
         premises=["minimal_flats_meet_open_box"])


def central_generic_case(d, ts):
    n = len(ts)
    hyps = [([F(t) ** j for j in range(d)], 0) for t in ts]
    count = 2 * sum(math.comb(n - 1, i) for i in range(d))
    check_whitney(hyps, d, count)
    case(f"central_generic_d{d}_n{n}",
         f"{n} hyperplanes through the origin in R^{d}, any {d} normals independent "
         f"(normals (1, t, ..., t^{d - 1}), t = {ts}), on [-1,1]^{d}",
         "A central arrangement of n hyperplanes in R^d whose normals are in general position "
         "(every d of them independent) has 2 sum_{i=0}^{d-1} C(n-1,i) regions (Cover 1965, "
         "'Geometrical and statistical properties of systems of linear inequalities with "
         "applications in pattern recognition', IEEE Trans. Electron. Comput. EC-14, Thm. 1; also Zaslavsky's theorem). Normals (1, t, ..., t^(d-1)) with distinct t "
         "are Vandermonde rows, so any d are independent. Every region is a cone with apex 0 and "
         f"0 is interior to the box, so every region meets it. Here: {count}.",
         arrangement_net(d, hyps), box(-1, 1), {"n_regions": count, "volume_total": 2 ** d},
         premises=["central_generic", "minimal_flats_meet_open_box"])


def pencil_3d_case():
    normals = [(1, 0, 0), (0, 1, 0), (1, 1, 0), (1, -1, 0), (1, 2, 0)]
    hyps = [(list(a), 0) for a in normals]
    k = len(normals)
    check_whitney(hyps, 3, 2 * k)
    case("pencil_planes_through_a_line_3d",
         f"{k} planes containing the z-axis in R^3 on [-1,1]^3 (a non-essential arrangement)",
         "All planes contain the z-axis (lineality space), so the arrangement is the product of "
         f"the {k} distinct lines through 0 in the (x, y)-plane with R: 2k = {2 * k} regions "
         "(Zaslavsky, or: regions of A x R are regions of A times R). Each region is a wedge "
         "whose closure contains the z-axis, which meets the open box at 0.",
         arrangement_net(3, hyps), box(-1, 1), {"n_regions": 2 * k, "volume_total": 8},
         premises=["minimal_flats_meet_open_box"])


# ---------------------------------------------------------------------------------------
# 3. braid, Shi, Catalan arrangements
# ---------------------------------------------------------------------------------------
def pairs(n):
    return list(itertools.combinations(range(n), 2))


def diff_hyp(n, i, j, c):
    """x_i - x_j - c = 0."""
    a = [0] * n
    a[i], a[j] = 1, -1
    return (a, -c)


def braid_case(n):
    hyps = [diff_hyp(n, i, j, 0) for i, j in pairs(n)]
    count = math.factorial(n)
    check_whitney(hyps, n, count)
    pats, ranks = [], []
    for order in itertools.permutations(range(n)):      # x_order[0] > x_order[1] > ...
        pos = {v: k for k, v in enumerate(order)}           # smaller pos = larger value
        signs = ["+" if pos[i] < pos[j] else "-" for i, j in pairs(n)]
        # rank of the active rows e_i - e_j = n - #components of the graph of active edges
        parent = list(range(n))

        def find(v):
            while parent[v] != v:
                v = parent[v]
            return v
        for (i, j), s in zip(pairs(n), signs):
            if s == "+":
                parent[find(i)] = find(j)
        comps = len({find(v) for v in range(n)})
        pats.append("".join(signs))
        ranks.append(n - comps)
    vol = F(2 ** n, count)
    case(f"braid_n{n}",
         f"braid arrangement x_i = x_j (i<j) in R^{n} on [-1,1]^{n}",
         f"The braid arrangement (Coxeter arrangement A_{n - 1}) has n! = {count} regions, one per "
         "ordering x_s(1) > ... > x_s(n) (Stanley 2007, 'An introduction to hyperplane arrangements', Lecture 1). Each region is a cone "
         "whose closure contains the lineality line R(1,...,1) through 0, which is interior to the box. "
         "Permuting coordinates maps the box to itself and permutes the regions transitively, so all "
         f"regions have volume 2^{n}/{n}! = {sfmt(vol)}. Neuron (i,j) is x_i - x_j: its sign is + iff x_i "
         "comes before x_j in the ordering. The rank of the hidden map on a region is the rank of "
         "the active rows e_i - e_j = n - (number of connected components of the graph of active "
         "pairs).",
         arrangement_net(n, hyps), box(-1, 1),
         {"n_regions": count, "volume_total": 2 ** n, "region_volumes": [vol] * count,
          "patterns": pats, "ranks": ranks},
         premises=["minimal_flats_meet_open_box"])


def deformation_case(name, n, consts, count, formula, slow=False):
    hyps = [diff_hyp(n, i, j, c) for i, j in pairs(n) for c in consts]
    check_whitney(hyps, n, count)
    B = n - 1
    case(f"{name}_n{n}",
         f"{name.capitalize()} arrangement x_i - x_j in {{{', '.join(map(str, consts))}}} (i<j) "
         f"in R^{n} on [-{B},{B}]^{n}",
         f"{formula} Domain: every hyperplane contains the direction (1,...,1); modulo it the "
         "arrangement is essential, so the closure of every region contains a minimal flat, a line "
         "v + R(1,...,1) where n-1 independent equations x_i - x_j = c (a spanning tree of pairs) hold. "
         "Along the tree path between any two coordinates each edge changes the value by at most 1, "
         "so max(v) - min(v) <= n - 1; shifting v along (1,...,1) to centre it gives a point with "
         f"|x_k| <= (n-1)/2 < {B}: every minimal flat meets the open box, so every region of R^{n} meets "
         "the box in one convex region.",
         arrangement_net(n, hyps), box(-B, B),
         {"n_regions": count, "volume_total": box_volume(n, -B, B)},
         premises=["minimal_flats_meet_open_box"], slow=slow)


def shi_case(n, slow=False):
    deformation_case("shi", n, (0, 1), (n + 1) ** (n - 1),
                     f"The Shi arrangement in R^n has (n+1)^(n-1) regions (Shi 1986, 'The Kazhdan-"
                     f"Lusztig cells in certain affine Weyl groups', LNM 1179; Stanley 2007, Lecture 5): "
                     f"here {(n + 1) ** (n - 1)}.", slow=slow)


def catalan_case(n, slow=False):
    cat = math.comb(2 * n, n) // (n + 1)
    deformation_case("catalan", n, (-1, 0, 1), math.factorial(n) * cat,
                     f"The Catalan arrangement x_i - x_j in {{-1,0,1}} in R^n has n! C_n regions, "
                     f"C_n the Catalan number (Stanley 2007, 'An introduction to hyperplane arrangements', Lecture 5): {n}! * {cat} = "
                     f"{math.factorial(n) * cat}.", slow=slow)


# ---------------------------------------------------------------------------------------
# 4. line arrangements with multiple points (Zaslavsky for lines)
# ---------------------------------------------------------------------------------------
def line_vertices(hyps):
    """Intersection points of the lines and, for each, the number of lines through it."""
    pts = {}
    for (a, c), (b, e) in itertools.combinations(hyps, 2):
        det = F(a[0]) * b[1] - F(a[1]) * b[0]
        if det == 0:
            continue
        x = (-F(c) * b[1] + F(e) * a[1]) / det
        y = (-F(a[0]) * e + F(b[0]) * c) / det
        pts[(x, y)] = sum(1 for h, k in hyps if dot(h, (x, y)) + k == 0)
    return pts


def lines_case(name, description, hyps, lo, hi):
    pts = line_vertices(hyps)
    count = 1 + len(hyps) + sum(m - 1 for m in pts.values())
    check_whitney(hyps, 2, count)
    assert all(lo < x < hi and lo < y < hi for x, y in pts)
    mult = ", ".join(f"({sfmt(x)},{sfmt(y)}): {m}" for (x, y), m in sorted(pts.items()))
    case(name, description,
         "For n distinct lines in R^2, r = 1 + n + sum over intersection points p of (m_p - 1), "
         "m_p the number of lines through p (Zaslavsky's theorem for line arrangements; Euler's "
         f"formula). Points and multiplicities: {mult}; r = 1 + {len(hyps)} + "
         f"{sum(m - 1 for m in pts.values())} = {count}. The normals span R^2, so every region has a "
         "vertex of the arrangement in its closure, and every vertex is inside the open box.",
         arrangement_net(2, hyps), box(lo, hi),
         {"n_regions": count, "volume_total": box_volume(2, lo, hi)},
         premises=["minimal_flats_meet_open_box"])


# ---------------------------------------------------------------------------------------
# 5. grids (products of parallel families)
# ---------------------------------------------------------------------------------------
def decimal(q):
    """A terminating exact decimal string for q (whose denominator is 2^a 5^b)."""
    q = F(q)
    k = 0
    while (q * 10 ** k).denominator != 1:
        k += 1
        assert k < 40, "not a terminating decimal"
    n = q * 10 ** k
    sign, n = ("-" if n < 0 else ""), abs(n.numerator)
    digits = str(n).rjust(k + 1, "0")
    return sign + (digits[:-k] + "." + digits[-k:] if k else digits)


def grid_case(name, cuts, decimals=False):
    d = len(cuts)
    hyps = []
    for k, cs in enumerate(cuts):
        for c in cs:
            a = [0] * d
            a[k] = 1
            hyps.append((a, -F(c)))
    count = math.prod(len(cs) + 1 for cs in cuts)
    check_whitney(hyps, d, count)
    vols = [math.prod(ivl) for ivl in itertools.product(*[
        [b - a for a, b in zip([F(0)] + sorted(map(F, cs)), sorted(map(F, cs)) + [F(1)])]
        for cs in cuts])]
    desc = "; ".join(f"x_{k + 1} in {{{', '.join(sfmt(c) for c in cs)}}}" for k, cs in enumerate(cuts))
    net = arrangement_net(d, hyps)
    if decimals:      # biases written as exact decimal strings ("-0.25"), docs/formats.md
        net["layers"][0]["biases"] = [decimal(c) for _, c in hyps]
    case(name, f"axis-parallel hyperplanes {desc} on [0,1]^{d}"
         + (" (biases written as decimal strings)" if decimals else ""),
         "Axis-parallel cuts x_k = c (0 < c < 1) with k_j cuts in coordinate j divide the unit "
         "cube into prod (k_j + 1) boxes, the products of the intervals between consecutive cuts; "
         f"their volumes are the products of the interval lengths. Here {count} regions.",
         net, box(0, 1),
         {"n_regions": count, "volume_total": 1, "region_volumes": vols})


# ---------------------------------------------------------------------------------------
# 6. sawtooth: iterated tent map
# ---------------------------------------------------------------------------------------
def sawtooth_case(L, slow=False):
    layers = [layer([[1], [1]], [0, F(-1, 2)])]
    for _ in range(L - 1):
        layers.append(layer([[2, -4], [2, -4]], [0, F(-1, 2)]))
    layers.append(layer([[2, -4]], [0]))
    pats = []
    for k in range(2 ** L):
        bits = [(k >> (L - 1 - i)) & 1 for i in range(L)]           # b_1 ... b_L
        gray = [bits[0]] + [bits[i] ^ bits[i - 1] for i in range(1, L)]
        pats.append("".join("+" + ("+" if g else "-") for g in gray))
    case(f"sawtooth_L{L}",
         f"{L}-fold composition of the tent map t(x) = 2 relu(x) - 4 relu(x - 1/2) on [0,1] "
         f"({L} hidden layer{'s' if L > 1 else ''} of width 2)",
         "Telgarsky (2016), 'Benefits of depth in neural networks', COLT: t^L has 2^L linear pieces "
         "on the dyadic intervals I_k = (k/2^L, (k+1)/2^L). Hidden layer l computes relu(t^(l-1)(x)) "
         "and relu(t^(l-1)(x) - 1/2). Writing x = 0.b_1 b_2 ... in binary, t^m(x) = 0.c_1 c_2 ... with "
         "c_i = b_(i+m) xor b_m (induction: t(0.0y) = 0.y, t(0.1y) = 1 - 0.y = 0.(not y)). So on I_k "
         "(bits b_1..b_L of k) the first neuron of every layer is + (t^(l-1) > 0 off the dyadic "
         "points of level l-1) and the second is + iff g_l = 1, where g_1 = b_1, g_l = b_l xor b_(l-1) "
         "is the Gray code of k. The Gray code is injective, so the 2^L intervals have distinct "
         "patterns, and no neuron changes sign inside an I_k: exactly 2^L activation regions "
         "(= the linear pieces: adjacent pieces have slopes +-2^L of opposite sign), each of length "
         "2^-L. The last hidden layer is (relu(t^(L-1)), relu(t^(L-1) - 1/2)) with |slope| 2^(L-1) "
         "on the first coordinate: rank 1 on every region.",
         network(1, layers), box(0, 1),
         {"n_regions": 2 ** L, "volume_total": 1, "region_volumes": [F(1, 2 ** L)] * 2 ** L,
          "patterns": pats, "ranks": [1] * 2 ** L}, slow=slow)


# ---------------------------------------------------------------------------------------
# 7. degenerate networks
# ---------------------------------------------------------------------------------------
def duplicates_2d():
    base = [((1, 1), 1), ((-1, 1), 1), ((2, 4), 1)]       # general position, t = 1, -1, 2
    rows = base + [base[0], ((F(3, 7), F(3, 7)), F(3, 7)), ((1, -1), -1), ((-2, -2), -2)]
    hyps = [(list(a), c) for a, c in rows]
    check_whitney(hyps, 2, 7)
    case("duplicate_and_scaled_neurons_2d",
         "3 lines in general position plus an identical copy of line 0, a positive multiple (3/7) "
         "of line 0, and negative multiples (-1 of line 1, -2 of line 0): 7 neurons on [-3,3]^2",
         "A neuron c*(a.x + b) with c > 0 has the same zero set and sign as a.x + b, with c < 0 "
         "the same zero set and the opposite sign. So the 7 neurons cut the plane along the 3 "
         "distinct lines x+y+1=0, -x+y+1=0, 2x+4y+1=0 (general position, the t = 1, -1, 2 "
         "moment-curve lines: 1 + 3 + 3 = 7 regions by Zaslavsky), and on every region neuron 3 "
         "and 4 copy the sign of neuron 0, neuron 5 has the opposite sign of neuron 1 and neuron "
         "6 the opposite sign of neuron 0. The vertices (0,-1), (-3/2,1/2), (1/2,-1/2) are inside (-3,3)^2 "
         "(re-checked by the test) and every region has one in its closure.",
         arrangement_net(2, hyps), box(-3, 3),
         {"n_regions": 7, "volume_total": 36,
          "sign_relations": {"equal": [[0, 3], [0, 4]], "opposite": [[1, 5], [0, 6]]}},
         premises=["minimal_flats_meet_open_box"])


def duplicates_1d():
    rows = [(1, 0), (2, 0), (-1, 0), (-3, 0), (1, F(-1, 2)), (-2, 1), (F(10 ** 30, 3), F(-10 ** 30, 6))]
    hyps = [([a], c) for a, c in rows]
    check_whitney(hyps, 1, 3)
    vbp = {}
    for x, length in ((F(-1, 2), 1), (F(1, 4), F(1, 2)), (F(3, 4), F(1, 2))):
        vbp["".join(sign_char(a * x + c) for a, c in rows)] = length
    case("duplicate_and_scaled_neurons_1d",
         "7 neurons on [-1,1] with only two distinct zeros, 0 and 1/2: x, 2x, -x, -3x, x - 1/2, "
         "-2x + 1, (10^30/3) x - 10^30/6",
         "Every neuron is a non-zero multiple of x or of x - 1/2, so the breakpoints are 0 and "
         "1/2: regions [-1,0], [0,1/2], [1/2,1] of lengths 1, 1/2, 1/2; on each interval every "
         "neuron has the sign of its value at the midpoint (-1/2, 1/4, 3/4).",
         arrangement_net(1, hyps), box(-1, 1),
         {"n_regions": 3, "volume_total": 2, "volumes_by_pattern": vbp,
          "patterns": list(vbp),
          "sign_relations": {"equal": [[0, 1], [2, 3], [4, 6]], "opposite": [[0, 2], [4, 5]]}})


def box_corner_lines_2d():
    # y = x (corners (-1,-1),(1,1)); x - 2y - 1 = 0 (corner (-1,-1) and (1,0));
    # x + y - 2 = 0 (touches corner (1,1) only); x - 1 = 0 (the facet x = 1);
    # x + y + 2 = 0 (touches corner (-1,-1) only)
    rows = [((-1, 1), 0), ((1, -2), -1), ((1, 1), -2), ((1, 0), -1), ((1, 1), 2)]
    hyps = [(list(a), c) for a, c in rows]
    pts = {"above y=x": ((F(-1, 2), F(1, 2)), 2), "between": ((F(1, 2), F(0)), 1),
           "below x-2y=1": ((F(1, 2), F(-1, 2)), 1)}
    vbp = {"".join(sign_char(dot(a, p) + c) for a, c in rows): v for p, v in pts.values()}
    case("lines_through_box_corners_2d",
         "lines through corners of [-1,1]^2: the diagonal y = x, the line from corner (-1,-1) to "
         "(1,0), and three lines meeting the square only on its boundary (x+y=2 at corner (1,1), "
         "x+y=-2 at corner (-1,-1), x=1 along a facet)",
         "Hand count: the lines x+y=2, x+y=-2, x=1 have the square on one closed side, so they "
         "cut nothing (their neurons are - on the interior: pattern positions 2, 3 '-' and 4 '+'). "
         "y = x splits the square into two triangles of area 2. The line x - 2y = 1 runs from "
         "the corner (-1,-1) to (1,0), inside the triangle y < x, and splits it into the triangle "
         "(-1,-1),(1,-1),(1,0) of area 1 and the triangle (-1,-1),(1,0),(1,1) of area 1. So 3 "
         "regions of areas 2, 1, 1 (patterns from a point of each: (-1/2,1/2), (1/2,0), (1/2,-1/2)).",
         arrangement_net(2, hyps), box(-1, 1),
         {"n_regions": 3, "volume_total": 4, "volumes_by_pattern": vbp, "patterns": list(vbp),
          "sign_relations": {"constant": {"2": "-", "3": "-", "4": "+"}}})


def box_corner_planes_3d():
    # x+y+z = 1 and x+y+z = -1 pass through 3 vertices each; x+y+z = 3 touches (1,1,1);
    # x + y = 2 touches an edge; z = -1 is a facet; x = y contains two vertical edges
    rows = [((1, 1, 1), -1), ((1, 1, 1), 1), ((1, 1, 1), -3), ((1, 1, 0), -2),
            ((0, 0, 1), 1), ((1, -1, 0), 0)]
    hyps = [(list(a), c) for a, c in rows]
    pts = [(F(9, 10), F(19, 20), F(9, 10)), (F(19, 20), F(9, 10), F(9, 10)),
           (F(0), F(1, 10), F(0)), (F(1, 10), F(0), F(0)),
           (F(-9, 10), F(-17, 20), F(-9, 10)), (F(-17, 20), F(-9, 10), F(-9, 10))]
    vols = [F(2, 3), F(2, 3), F(8, 3), F(8, 3), F(2, 3), F(2, 3)]
    vbp = {"".join(sign_char(dot(a, p) + c) for a, c in rows): v for p, v in zip(pts, vols)}
    assert len(vbp) == 6
    case("planes_through_cube_vertices_3d",
         "planes through vertices, edges and facets of [-1,1]^3: x+y+z = +-1 (through 3 vertices "
         "each), x+y+z = 3 (touches a vertex), x+y = 2 (touches an edge), z = -1 (a facet), "
         "x = y (contains two vertical edges)",
         "Hand count: x+y+z=3, x+y=2 and z=-1 have the cube on one closed side (no cut; constant "
         "signs -, -, +). x+y+z >= 1 in the cube is the tetrahedron with apex (1,1,1) and the "
         "three vertices at distance 2 along the edges: volume 2^3/6 = 4/3; likewise x+y+z <= -1 "
         "at (-1,-1,-1); the middle slab has 8 - 8/3 = 16/3. The reflection x <-> y preserves the "
         "cube and each slab and swaps the sides of x = y, which meets the interior of each slab "
         "piece; so each piece is halved: 6 regions of volumes 2/3, 2/3, 8/3, 8/3, 2/3, 2/3.",
         arrangement_net(3, hyps), box(-1, 1),
         {"n_regions": 6, "volume_total": 8, "volumes_by_pattern": vbp, "patterns": list(vbp),
          "sign_relations": {"constant": {"2": "-", "3": "-", "4": "+"}}})


def dead_and_constant_neurons():
    # layer 1: x, y, x+y+5 (always +), -x-3 (dead), zero row (0), constant +2, constant -1
    W1 = [(1, 0), (0, 1), (1, 1), (-1, 0), (0, 0), (0, 0), (0, 0)]
    b1 = [0, 0, 5, -3, 0, 2, -1]
    # layer 2 (inputs h = relu(layer 1) = (x+, y+, x+y+5, 0, 0, 2, 0) on [-1,1]^2):
    #   n1 = -h0 - h1 - 1 < 0 (dead)       n2 = zero row, bias 0 (identically 0)
    #   n3 = h5 - 2 = 0 (non-zero weights, identically 0)
    #   n4 = h2 - h0 - h1 - 5 = min(x,0) + min(y,0): 0 on x,y > 0, < 0 elsewhere
    #   n5 = h3 (a dead input passed on: identically 0)    n6 = h0 = relu(x)
    W2 = [(-1, -1, 0, 0, 0, 0, 0), (0,) * 7, (0, 0, 0, 0, 0, 1, 0), (-1, -1, 1, 0, 0, 0, 0),
          (0, 0, 0, 1, 0, 0, 0), (1, 0, 0, 0, 0, 0, 0)]
    b2 = [-1, 0, -2, -5, 0, 0]
    pats, ranks = [], []
    for sx, sy in itertools.product("+-", repeat=2):
        l1 = sx + sy + "+-0+-"
        n4 = "0" if sx == sy == "+" else "-"
        n6 = "+" if sx == "+" else "0"
        pats.append(l1 + "-00" + n4 + "0" + n6)
        ranks.append(1 if sx == "+" else 0)
    case("dead_zero_and_constant_neurons_2layer",
         "two hidden layers on [-1,1]^2 with an always-on neuron, a dead neuron, a zero row, "
         "constant neurons (+2, -1), and layer-2 neurons that are dead, zero rows, identically "
         "zero despite non-zero weights, or identically zero on some regions only",
         "Hand derivation on [-1,1]^2: layer 1 is (x, y, x+y+5 > 0, -x-3 < 0, 0, 2, -1); only x = 0 "
         "and y = 0 cut, giving the 4 quadrants (area 1 each), and h = (relu x, relu y, x+y+5, 0, "
         "0, 2, 0). Layer 2: -relu x - relu y - 1 < 0; a zero row: 0; h5 - 2 = 0 identically "
         "(pattern 0 although its weights are non-zero); x+y+5 - relu x - relu y - 5 = min(x,0) + "
         "min(y,0), identically 0 on the quadrant x,y > 0 and negative on the others; h3 = 0 "
         "identically; relu(x) = x > 0 for x > 0 and identically 0 for x < 0. None changes sign "
         "inside a quadrant: 4 regions. Last hidden layer = (0,0,0,0,0,relu x): rank 1 where x > 0, "
         "else 0.",
         network(2, [layer(W1, b1), layer(W2, b2), layer([[1] * 6], [0])]), box(-1, 1),
         {"n_regions": 4, "volume_total": 4, "region_volumes": [1] * 4, "patterns": pats,
          "ranks": ranks,
          "sign_relations": {"constant": {"2": "+", "3": "-", "4": "0", "5": "+", "6": "-",
                                          "7": "-", "8": "0", "9": "0", "11": "0"}}})


def layer2_zero_on_region():
    W1, b1 = [(1, 0), (0, 1)], [0, 0]
    W2, b2 = [(1, 1), (1, -1)], [0, 0]
    vbp = {"++++": F(1, 2), "+++-": F(1, 2), "+-++": 1, "-++-": 1, "--00": 1}
    case("layer2_neuron_zero_where_inputs_dead",
         "h = (relu x, relu y); layer 2: relu(h0 + h1), relu(h0 - h1) on [-1,1]^2",
         "Hand derivation: layer 1 gives the four quadrants. On x,y > 0 layer 2 is (x+y, x-y): "
         "x = y splits the quadrant into two triangles of area 1/2 (patterns ++++ and +++-), "
         "ranks 2 (map (x+y, x-y)) and 1 (map (x+y, 0)). On x > 0 > y: (x, x), both + , rank 1. "
         "On y > 0 > x: (y, -y): +-, rank 1 (map (y, 0)). On x,y < 0 every input is dead and both "
         "pre-activations are identically 0: pattern 00, rank 0.",
         network(2, [layer(W1, b1), layer(W2, b2), layer([[1, 1]], [0])]), box(-1, 1),
         {"n_regions": 5, "volume_total": 4, "volumes_by_pattern": vbp, "patterns": list(vbp),
          "ranks": [2, 1, 1, 1, 0]})


# ---------------------------------------------------------------------------------------
# 8. large denominators
# ---------------------------------------------------------------------------------------
def triangle_vertices_on_boundary_2d():
    # the lines through the sides of the triangle (-1,-1), (1,0), (0,1)
    rows = [((1, -2), -1), ((2, -1), 1), ((1, 1), -1)]
    hyps = [(list(a), c) for a, c in rows]
    check_whitney(hyps, 2, 7)
    pts = [((F(0), F(0)), F(3, 2)), ((F(1, 2), F(-1, 2)), 1), ((F(-1, 2), F(1, 2)), 1),
           ((F(3, 4), F(3, 4)), F(1, 2))]
    vbp = {"".join(sign_char(dot(a, p) + c) for a, c in rows): v for p, v in pts}
    case("general_position_vertices_on_box_boundary_2d",
         "the 3 side lines of the triangle (-1,-1), (1,0), (0,1), whose vertices lie on the "
         "boundary of [-1,1]^2: 4 regions, not the 7 of R^2",
         "The lines are in general position (7 regions of R^2), but the vertices (-1,-1) (a corner) "
         "and (1,0), (0,1) (edge midpoints) are on the box boundary. The 3 unbounded regions "
         "opposite the vertices are the cones spanned there by the outward line directions: at "
         "(-1,-1) by (-2,-1), (-1,-2); at (1,0) by (2,1), (1,-1); at (0,1) by (1,2), (-1,1); each lies "
         "outside the open box (x < -1 or y < -1; x > 1; y > 1). The other 4 meet it: the triangle "
         "(area |(2,1) x (1,2)|/2 = 3/2), the triangle (-1,-1),(1,-1),(1,0) below x - 2y = 1 (area 1), "
         "the triangle (-1,-1),(-1,1),(0,1) beyond 2x - y + 1 = 0 (area 1), and the corner triangle "
         "(1,0),(1,1),(0,1) beyond x + y = 1 (area 1/2). Patterns: signs at (0,0), (1/2,-1/2), "
         "(-1/2,1/2), (3/4,3/4). This case shows why the box must contain the vertices strictly.",
         arrangement_net(2, hyps), box(-1, 1),
         {"n_regions": 4, "volume_total": 4, "volumes_by_pattern": vbp, "patterns": list(vbp)},
         premises=["general_position"])


def big_denominator_points_1d():
    e = F(1, 10 ** 30)
    rows = [(1, -e), (1, -2 * e), (1, -3 * e), (e, -4 * e * e), (F(7, 10 ** 31), -F(7, 10 ** 31) * 5 * e)]
    hyps = [([a], c) for a, c in rows]
    check_whitney(hyps, 1, 6)
    hi = F(1, 10 ** 29)
    case("big_denominator_points_1d",
         "5 breakpoints k/10^30 (k = 1..5), written with weights and biases of denominators up to "
         "10^60, on [0, 10^-29]",
         "By construction neuron k vanishes exactly at k*10^-30 (weights 1, 1, 1, 10^-30, 7*10^-31 "
         "are positive): the 5 points split [0, 10^-29] into 5 intervals of length 10^-30 and "
         "one of length 5*10^-30.",
         arrangement_net(1, hyps), box(0, hi),
         {"n_regions": 6, "volume_total": hi, "region_volumes": [e] * 5 + [5 * e]})


def thin_triangle_2d():
    dl = F(1, 10 ** 30)
    rows = [((1, 0), 0), ((0, 1), 0), ((1, 1), -dl)]
    hyps = [(list(a), c) for a, c in rows]
    check_whitney(hyps, 2, 7)
    h = (1 - dl) ** 2 / 2
    vbp = {"++-": dl * dl / 2, "+++": 1 - dl * dl / 2, "-++": h, "-+-": 1 - h, "+-+": h,
           "+--": 1 - h, "---": 1}
    case("tiny_triangle_2d",
         "lines x = 0, y = 0, x + y = 10^-30 on [-1,1]^2: a bounded region of area 10^-60/2",
         "3 lines in general position: 7 regions (Zaslavsky), vertices (0,0), (d,0), (0,d) with "
         "d = 10^-30 inside the box. Areas by hand: quadrant x,y>0 = triangle x+y<d (d^2/2) + "
         "rest (1 - d^2/2); quadrant x<0<y: the part x+y>d is the triangle with legs 1-d "
         "((1-d)^2/2), the rest 1 - (1-d)^2/2; same for x>0>y; quadrant x,y<0 lies in x+y<d: 1.",
         arrangement_net(2, hyps), box(-1, 1),
         {"n_regions": 7, "volume_total": 4, "volumes_by_pattern": vbp, "patterns": list(vbp)},
         premises=["general_position", "minimal_flats_meet_open_box"])


def near_parallel_wedges_2d():
    e = F(1, 10 ** 30)
    rows = [((1 + e, 1), 0), ((1, 1), 0)]
    hyps = [(list(a), c) for a, c in rows]
    check_whitney(hyps, 2, 4)
    w = e / (2 * (1 + e))
    vbp = {"+-": w, "-+": w, "++": 2 - w, "--": 2 - w}
    case("near_parallel_lines_2d",
         "lines (1 + 10^-30) x + y = 0 and x + y = 0 through the origin on [-1,1]^2: two wedges of "
         "angle ~10^-30",
         "Two distinct lines through 0: 4 regions. The wedge x > 0, -(1+e)x < y < -x (pattern +-) "
         "is the triangle (0,0), (1,-1), (1/(1+e), -1): base e/(1+e) on y = -1, height 1, area "
         "e/(2(1+e)), e = 10^-30; the point reflection x -> -x maps it to the wedge -+ and swaps "
         "++ and --, which share the rest: 2 - e/(2(1+e)) each.",
         arrangement_net(2, hyps), box(-1, 1),
         {"n_regions": 4, "volume_total": 4, "volumes_by_pattern": vbp, "patterns": list(vbp)},
         premises=["minimal_flats_meet_open_box"])


# ---------------------------------------------------------------------------------------
# 9. multi-layer networks with hand counts
# ---------------------------------------------------------------------------------------
def abs_layer(d):
    """relu(x_k), relu(-x_k) for every coordinate: |x_k| = h_2k + h_2k+1."""
    W = []
    for k in range(d):
        for s in (1, -1):
            row = [0] * d
            row[k] = s
            W.append(row)
    return layer(W, [0] * (2 * d))


def l1_ball_case(d, levels, lo, hi, vols_per_orthant, ranks_per_orthant, name, extra=""):
    W2 = [[1] * (2 * d) for _ in levels]
    b2 = [-F(c) for c in levels]
    net = network(d, [abs_layer(d), layer(W2, b2), layer([[1] * len(levels)], [0])])
    n = 2 ** d * len(vols_per_orthant)
    case(name,
         f"layer 1: relu(+-x_k) (so |x|_1 is linear on each orthant); layer 2: relu(|x|_1 - c) "
         f"for c in {levels}; on [{lo},{hi}]^{d}",
         "Layer 1 has the pairs (x_k, -x_k): its regions are the 2^d open orthants. On an orthant "
         "|x|_1 = s.x is linear and each layer-2 neuron relu(s.x - c) is cut by the hyperplane "
         f"s.x = c. By the sign symmetries of the box all orthants look like the positive one. {extra}",
         net, box(lo, hi),
         {"n_regions": n, "volume_total": box_volume(d, lo, hi),
          "region_volumes": vols_per_orthant * 2 ** d, "ranks": ranks_per_orthant * 2 ** d})


def folded_grid_2d():
    W2 = [[1, 1, 0, 0], [-1, -1, 0, 0], [0, 0, 1, 1], [0, 0, -1, -1]]
    b2 = [-1, 1, -1, 1]
    case("folded_grid_2d",
         "layer 1: relu(+-x), relu(+-y); layer 2: relu(|x|-1), relu(1-|x|), relu(|y|-1), relu(1-|y|) "
         "on [-2,2]^2",
         "Layer 1 cuts along x = 0 and y = 0; layer 2 along |x| = 1 and |y| = 1. So the square is "
         "cut by x, y in {-1, 0, 1}: a 4 x 4 grid of unit squares, 16 regions of area 1. On each "
         "square exactly one of relu(|x|-1), relu(1-|x|) is active with gradient +-e_x, and one of "
         "the y pair with gradient +-e_y: rank 2 everywhere.",
         network(2, [abs_layer(2), layer(W2, b2), layer([[1, 1, 1, 1]], [0])]), box(-2, 2),
         {"n_regions": 16, "volume_total": 16, "region_volumes": [1] * 16, "ranks": [2] * 16})


def fold_1d():
    W = [[1, 1], [-1, -1]]
    net = network(1, [layer([[1], [-1]], [0, 0]), layer(W, [-1, 1]), layer(W, [F(-1, 2), F(1, 2)]),
                      layer([[1, 1]], [0])])
    case("folds_1d_3layers",
         "||x| - 1| - 1/2 built by three width-2 hidden layers (pairs relu(u), relu(-u)) on [-2,2]",
         "Layer 1 computes relu(+-x) (cut at 0); layer 2 relu(+-(|x| - 1)) (cut at |x| = 1); layer 3 "
         "relu(+-(||x|-1| - 1/2)) (cut at ||x|-1| = 1/2, i.e. |x| in {1/2, 3/2}). Breakpoints "
         "{-3/2,-1,-1/2,0,1/2,1,3/2}: 8 intervals of length 1/2. On each, the last layer is "
         "(relu(u), relu(-u)) with u of slope +-1: rank 1.",
         net, box(-2, 2),
         {"n_regions": 8, "volume_total": 4, "region_volumes": [F(1, 2)] * 8, "ranks": [1] * 8})


def diagonals_then_axes_2d():
    W1 = [(1, -1), (-1, 1), (1, 1), (-1, -1)]
    W2 = [(1, 1, -1, -1)]
    pats, vols = [], []
    # points in the 8 triangles: right wedge x > |y| etc.
    for p in [(F(1, 2), F(1, 4)), (F(1, 2), F(-1, 4)), (F(-1, 2), F(1, 4)), (F(-1, 2), F(-1, 4)),
              (F(1, 4), F(1, 2)), (F(-1, 4), F(1, 2)), (F(1, 4), F(-1, 2)), (F(-1, 4), F(-1, 2))]:
        x, y = p
        l1 = [dot(a, p) for a in W1]
        g = abs(x - y) - abs(x + y)                  # = layer-2 pre-activation, by hand
        pats.append("".join(map(sign_char, l1)) + sign_char(g))
        vols.append(F(1, 2))
    case("diagonals_then_axes_2d",
         "layer 1: relu(+-(x-y)), relu(+-(x+y)); layer 2: relu(|x-y| - |x+y|) on [-1,1]^2",
         "Layer 1 cuts along the diagonals y = +-x: 4 wedges. |x-y| - |x+y| = -2 sign(xy) min(|x|,|y|) "
         "(check on each wedge: on x > |y| it is (x-y) - (x+y) = -2y), so layer 2 cuts each wedge "
         "along the axis inside it: the 8 triangles (0, corner, edge midpoint) of area 1/2.",
         network(2, [layer(W1, [0] * 4), layer(W2, [0]), layer([[1]], [0])]), box(-1, 1),
         {"n_regions": 8, "volume_total": 4, "region_volumes": vols, "patterns": pats})


# ---------------------------------------------------------------------------------------
# 10. non-box domains
# ---------------------------------------------------------------------------------------
def braid_in_simplex():
    hyps = [diff_hyp(3, i, j, 0) for i, j in pairs(3)]
    A = [[-1, 0, 0], [0, -1, 0], [0, 0, -1], [1, 1, 1]]
    b = [0, 0, 0, 1]
    case("braid_n3_in_simplex",
         "braid arrangement x_i = x_j in R^3 on the standard simplex x >= 0, x1+x2+x3 <= 1",
         "6 regions (3! orderings); the simplex contains (1/4,1/4,1/4) of the lineality line "
         "R(1,1,1) in its interior, so it meets all 6 cones; it is invariant under coordinate "
         "permutations, which permute the regions transitively, so each has volume (1/6)/6 = 1/36.",
         arrangement_net(3, hyps), {"A": A, "b": b},
         {"n_regions": 6, "volume_total": F(1, 6), "region_volumes": [F(1, 36)] * 6})


def redundant_domain():
    # [-1,1]^2 with a duplicated facet (2x <= 2), a supporting line through a corner
    # (x + y <= 2) and a far redundant one (x - y <= 5)
    A = [[1, 0], [-1, 0], [0, 1], [0, -1], [2, 0], [1, 1], [1, -1]]
    b = [1, 1, 1, 1, 2, 2, 5]
    hyps = [([1, 0], 0), ([0, 1], 0), ([1, 1], 0), ([1, -1], 0)]
    case("pencil_on_redundant_domain",
         "lines x = 0, y = 0, y = x, y = -x on [-1,1]^2 given by 7 inequalities, 3 of them "
         "redundant (a scaled duplicate facet, a supporting line through a corner, a far one)",
         "The inequalities 2x <= 2, x + y <= 2, x - y <= 5 hold on [-1,1]^2, so the domain is the "
         "square; the 4 symmetry axes cut it into 8 triangles of area 1/2 (as pencil_4_lines_2d).",
         arrangement_net(2, hyps), {"A": A, "b": b},
         {"n_regions": 8, "volume_total": 4, "region_volumes": [F(1, 2)] * 8})


def axes_in_diamond():
    A = [[1, 1], [1, -1], [-1, 1], [-1, -1]]
    b = [1, 1, 1, 1]
    hyps = [([1, 0], 0), ([0, 1], 0), ([1, -1], 0), ([1, 1], 0)]
    case("pencil_in_diamond_domain",
         "lines x = 0, y = 0, y = x, y = -x on the domain |x| + |y| <= 1",
         "The diamond (area 2) is symmetric under the dihedral group of the square, whose "
         "reflection axes are the 4 lines; they cut it into 8 congruent triangles of area 1/4.",
         arrangement_net(2, hyps), {"A": A, "b": b},
         {"n_regions": 8, "volume_total": 2, "region_volumes": [F(1, 4)] * 8})


# ---------------------------------------------------------------------------------------
def build():
    general_position_case(1, [1, 2, 3])
    general_position_case(1, [1, -1, 2, -2, 3, -3])
    general_position_case(2, [1, -1, 2])
    general_position_case(2, [1, -1, 2, -2, 3])
    general_position_case(2, [1, -1, 2, -2, 3, -3, 4, -4])
    general_position_case(3, [1, -1])
    general_position_case(3, [1, -1, 2])
    general_position_case(3, [1, -1, 2, -2])
    general_position_case(3, [1, -1, 2, -2, 3, -3])
    general_position_case(4, [1, -1, 2])
    general_position_case(4, [1, -1, 2, -2])
    general_position_case(4, [1, -1, 2, -2, 3])
    general_position_case(4, [1, -1, 2, -2, 3, -3, 4])
    general_position_case(2, [t for k in range(1, 16) for t in (k, -k)], slow=True)
    general_position_case(3, [t for k in range(1, 8) for t in (k, -k)] + [8], slow=True)
    general_position_case(4, [t for k in range(1, 7) for t in (k, -k)], slow=True)

    pencil_case_2d("pencil_4_lines_2d", [(1, 0), (0, 1), (1, 1), (1, -1)], volumes=[F(1, 2)] * 8)
    pencil_case_2d("pencil_6_lines_2d", [(1, 0), (0, 1), (1, 1), (1, -1), (1, 2), (2, -1)])
    pencil_3d_case()
    central_generic_case(3, [1, -1, 2, -2])
    central_generic_case(4, [1, -1, 2, -2, 3])

    braid_case(3)
    braid_case(4)
    shi_case(3)
    shi_case(4)
    catalan_case(3)
    catalan_case(4)

    lines_case("lines_with_triple_point_2d", "lines x = 0, y = 0, y = x, x + y = 1 on [-2,2]^2",
               [([1, 0], 0), ([0, 1], 0), ([1, -1], 0), ([1, 1], -1)], -2, 2)
    lines_case("square_with_diagonals_2d",
               "lines x = 0, x = 1, y = 0, y = 1, y = x, x + y = 1 on [-1,2]^2",
               [([1, 0], 0), ([1, 0], -1), ([0, 1], 0), ([0, 1], -1), ([1, -1], 0), ([1, 1], -1)],
               -1, 2)
    grid_case("grid_2d", [[F(1, 4), F(1, 2), F(3, 4)], [F(1, 3), F(2, 3)]])
    grid_case("grid_2d_decimal_biases", [[F(1, 8), F(1, 2), F(3, 5)], [F(1, 4), F(7, 20)]],
              decimals=True)
    grid_case("grid_3d", [[F(1, 2)], [F(1, 5), F(3, 5)], [F(1, 7), F(2, 7), F(4, 7)]])

    for L in range(1, 6):
        sawtooth_case(L)
    sawtooth_case(10, slow=True)

    duplicates_1d()
    duplicates_2d()
    box_corner_lines_2d()
    box_corner_planes_3d()
    dead_and_constant_neurons()
    layer2_zero_on_region()

    triangle_vertices_on_boundary_2d()
    big_denominator_points_1d()
    thin_triangle_2d()
    near_parallel_wedges_2d()

    l1_ball_case(2, [1], -2, 2, [F(1, 2), F(7, 2)], [0, 1], "diamond_2d",
                 "On [0,2]^2, x + y = 1 cuts off the triangle of area 1/2 (inside the diamond, "
                 "layer 2 dead: rank 0) from the rest, area 4 - 1/2 = 7/2 (rank 1). 8 regions.")
    l1_ball_case(2, [1, 3], -2, 2, [F(1, 2), 3, F(1, 2)], [0, 1, 1], "nested_diamonds_2d",
                 "On [0,2]^2, x + y = 1 cuts off the corner triangle at 0 (area 1/2, rank 0) and "
                 "x + y = 3 the corner triangle (1,2),(2,1),(2,2) (area 1/2; layer 2 is (s-1, s-3), "
                 "parallel gradients: rank 1); the middle has area 3 (rank 1). 12 regions.")
    l1_ball_case(2, [2, 4], -2, 2, [2, 2], [0, 1], "diamond_through_box_corners_2d",
                 "On [0,2]^2, x + y = 2 is the diagonal through the corners (2,0), (0,2): two "
                 "triangles of area 2 (rank 0 inside, rank 1 outside); x + y = 4 meets the square "
                 "only at its corner (2,2), so that layer-2 neuron is - on the whole domain and cuts "
                 "nothing. 8 regions.")
    l1_ball_case(3, [1], -1, 1, [F(1, 6), F(5, 6)], [0, 1], "octahedron_3d",
                 "On [0,1]^3, x + y + z = 1 cuts off the corner simplex of volume 1/6 (rank 0) from "
                 "the rest, volume 5/6 (rank 1). 16 regions.")
    l1_ball_case(4, [1], -1, 1, [F(1, 24), F(23, 24)], [0, 1], "cross_polytope_4d",
                 "On [0,1]^4, x1+x2+x3+x4 = 1 cuts off the corner simplex of volume 1/24 (rank 0) "
                 "from the rest, volume 23/24 (rank 1). 32 regions.")
    folded_grid_2d()
    fold_1d()
    diagonals_then_axes_2d()

    braid_in_simplex()
    axes_in_diamond()
    redundant_domain()


# short "where the answer comes from" labels for the README table, by name prefix (first match)
REFS = [
    ("general_position_vertices_on_box_boundary", "hand count, triangle areas (premise fails on purpose)"),
    ("general_position_", "Zaslavsky: sum_{i<=d} C(n,i)"),
    ("central_generic_", "Cover/Zaslavsky: 2 sum_{i<d} C(n-1,i)"),
    ("pencil_planes", "2k (line pencil x R)"),
    ("pencil_in_diamond", "symmetry of the diamond"),
    ("pencil_on_redundant", "symmetry of the square"),
    ("pencil_", "2k sectors; ranks of active normals"),
    ("braid_n3_in_simplex", "3!; symmetry of the simplex"),
    ("braid_", "n!; symmetry; graph ranks"),
    ("shi_", "Shi: (n+1)^(n-1)"),
    ("catalan_", "n! Catalan(n)"),
    ("lines_with", "1 + n + sum_p (m_p - 1)"),
    ("square_with", "1 + n + sum_p (m_p - 1)"),
    ("grid_", "prod (k_j + 1); interval lengths"),
    ("sawtooth_", "Telgarsky 2^L; Gray code patterns"),
    ("duplicate_", "sign of c*h; underlying arrangement"),
    ("lines_through_box", "hand count, triangle areas"),
    ("planes_through_cube", "hand count, simplex volumes, symmetry"),
    ("dead_", "hand derivation"),
    ("layer2_", "hand derivation"),
    ("big_denominator", "construction; interval lengths"),
    ("tiny_triangle", "Zaslavsky + hand areas"),
    ("near_parallel", "hand areas"),
    ("diamond", "orthants x level sets; simplex areas"),
    ("nested_diamonds", "orthants x level sets; simplex areas"),
    ("octahedron", "orthants x level set; simplex volumes"),
    ("cross_polytope", "orthants x level set; simplex volumes"),
    ("folded_grid", "hand derivation"),
    ("folds_", "hand derivation"),
    ("diagonals_then_axes", "hand derivation"),
]

README_HEAD = """# Reference cases

Cases whose answers are known from **mathematics**, not from polytopo: each expected value is
derived by a formula or a hand argument written in the case's `source` field. They are checked
by `tests/test_cases.py`.

**Do not edit the JSON files by hand.** They are written by `cases/generate.py`
(`python cases/generate.py`; deterministic, standard library only, never imports polytopo).
The generator also cross-checks every hyperplane-arrangement count with Whitney's formula
(`r = sum over subsets S with non-empty intersection of (-1)^(|S| - rank S)`), and
`test_case_files_match_the_generator` fails if a file differs from what the generator writes.
This README is written by the generator too.

## Case file (`cases/regions/NAME.json`)

```json
{"name": "...", "description": "...", "source": "formula / theorem / hand argument, with reference",
 "network": {network object, docs/formats.md},
 "domain": {"box": [LO, HI]}  or  {"A": [[...]], "b": [...]},
 "expected": {"n_regions": N, "volume_total": "p/q", ...optional...},
 "premises": ["general_position", ...],
 "slow": true}
```

- `domain.box` with numbers means `[LO, HI]^d` (lists give per-coordinate bounds); `A`, `b` mean `A x <= b`.
- Optional expected fields: `region_volumes` (sorted multiset of exact region volumes),
  `volumes_by_pattern` (exact volumes of the listed regions), `patterns` (all region patterns),
  `ranks` (multiset of the rank of the last hidden layer's map on each region),
  `sign_relations` (`equal`/`opposite` neuron index pairs, `constant` sign of a neuron on every region).
- `premises` are hypotheses of the argument that the test re-checks with exact arithmetic of its own:
  `general_position` (every min(n,d) normals independent, no d+1 hyperplanes through a point),
  `central_generic` (all hyperplanes through 0, every min(n,d) normals independent),
  `minimal_flats_meet_open_box` (every minimal flat of the first-layer arrangement meets the open
  box, by Fourier-Motzkin on the flat's parametrisation; then every region of R^d, whose closure
  contains a minimal flat, meets the box in exactly one activation region).
- `slow: true` cases are marked `@pytest.mark.slow` (deselected by default; run with `-m slow`).

## What the test checks for every case

`n_regions`; the exact region volumes sum to the domain volume (for a box computed by hand in the
test, otherwise `volume_total`, which is also compared to `Polytope.volume()` of the domain);
patterns are distinct; every interior point lies strictly inside the domain and its pattern,
re-evaluated with plain Fractions in the test, is its region's pattern; plus every optional
expected field present.

## Cases

| case | d | regions | what it tests | answer from |
| --- | --- | --- | --- | --- |
"""


def write_readme():
    lines = [README_HEAD]
    for c in sorted(CASES, key=lambda c: c["name"]):
        ref = next(r for p, r in REFS if c["name"].startswith(p))
        d = c["network"]["input_dim"]
        extra = [k for k in ("region_volumes", "volumes_by_pattern", "patterns", "ranks",
                             "sign_relations") if k in c["expected"]]
        what = c["description"].replace("|", "\\|")
        if extra:
            what += " — also " + ", ".join(extra)
        slow = " (slow)" if c.get("slow") else ""
        lines.append(f"| `{c['name']}`{slow} | {d} | {c['expected']['n_regions']} | {what} | {ref} |\n")
    with open(os.path.join(HERE, "README.md"), "w") as fh:
        fh.write("".join(lines))


def main():
    build()
    write_readme()
    names = [c["name"] for c in CASES]
    assert len(set(names)) == len(names)
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".json") and f[:-5] not in names:
            os.remove(os.path.join(OUT, f))
    for c in CASES:
        with open(os.path.join(OUT, c["name"] + ".json"), "w") as fh:
            json.dump(c, fh, indent=1, ensure_ascii=False)
            fh.write("\n")
    print(f"wrote {len(CASES)} cases to {OUT}")


if __name__ == "__main__":
    main()
