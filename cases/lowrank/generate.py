"""Generate the low-rank reference cases in ``cases/lowrank/`` from mathematics.

Run ``python cases/lowrank/generate.py``; it rewrites every ``cases/lowrank/*.json`` and
``cases/lowrank/README.md`` deterministically. Every expected value is argued in the case's
``source`` field (convexity, star-shapedness, excision, the long exact sequence of a pair);
this script never imports polytopo.

Case file format:

    {"name", "description", "source",
     "network": network object (docs/formats.md), "domain": {"box": [LO, HI]},
     "manifold": null | [{"A": [[...]], "b": [...]}, ...],     (M; null: M is the domain)
     "layer": L | null, "threshold": R | null,                 (null: the defaults)
     "expected": {"n_regions", "n_low_rank", "volume_fraction",
                  "manifold_volume_fraction" (with a manifold),
                  "homology": Betti numbers of A ∩ M,
                  "manifold_homology": Betti numbers of M,
                  "relative_homology": Betti numbers of (M, A ∩ M)}}

All spaces are subsets of R^d with d ≤ 3 and the pairs below have torsion-free homology,
so Betti numbers determine the groups (the test also asserts empty torsion).
"""

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def relu_identity(d):
    """relu(I x), then the sum: the layer map is x ↦ (relu x_1, …, relu x_d)."""
    eye = [[int(i == j) for j in range(d)] for i in range(d)]
    return {"format": "polytopo.network/1", "input_dim": d,
            "layers": [{"weights": eye, "biases": [0] * d},
                       {"weights": [[1] * d], "biases": [0]}]}


BOTTLENECK = {"format": "polytopo.network/1", "input_dim": 2,
              "layers": [{"weights": [[1, 2]], "biases": [0]},
                         {"weights": [[1], [-1]], "biases": [0, 0]},
                         {"weights": [[1, 1]], "biases": [0]}]}

INJECTIVE = {"format": "polytopo.network/1", "input_dim": 2,
             "layers": [{"weights": [[1, 0], [-1, 0], [0, 1], [0, -1]], "biases": [0, 0, 0, 0]},
                        {"weights": [[1, 1, 1, 1]], "biases": [0]}]}

INJECTIVE_THEN_NARROW = {"format": "polytopo.network/1", "input_dim": 2,
                         "layers": [INJECTIVE["layers"][0],
                                    {"weights": [[1, 1, 1, 1]], "biases": ["-1/2"]},
                                    {"weights": [[1]], "biases": [0]}]}


def box(lo, hi):
    """{"A", "b"} of the box prod [lo_i, hi_i]."""
    d = len(lo)
    A, b = [], []
    for i in range(d):
        e = [int(i == j) for j in range(d)]
        A += [[-x for x in e], e]
        b += [neg(lo[i]), hi[i]]
    return {"A": A, "b": b}


def neg(x):
    if isinstance(x, int):
        return -x
    return x[1:] if x.startswith("-") else "-" + x


def annulus():
    """The square annulus 1/2 <= ||x||_inf <= 1 as four boxes (top, bottom, left, right)."""
    h, m = "1/2", "-1/2"
    return [box([-1, h], [1, 1]), box([-1, -1], [1, m]), box([-1, m], [m, h]), box([h, m], [1, h])]


def shell():
    """The cube shell 1/2 <= ||x||_inf <= 1 in R^3 as six boxes."""
    h, m = "1/2", "-1/2"
    return [box([-1, -1, h], [1, 1, 1]), box([-1, -1, -1], [1, 1, m]),
            box([-1, h, m], [1, 1, h]), box([-1, -1, m], [1, m, h]),
            box([h, m, m], [1, h, h]), box([-1, m, m], [m, h, h])]


QUADRANTS = ("The regions of relu(I x) on [-1,1]^d are the closed orthants; on the orthant with "
             "k positive coordinates the layer map keeps those k coordinates, so its rank is k "
             "(C(d, k) orthants of rank k). ")
ANNULUS = ("M = the square annulus 1/2 <= ||x||_inf <= 1 (four boxes): it deformation-retracts "
           "onto the square ||x||_inf = 3/4, a circle, so H(M) = Z, Z, 0; its area is 4 - 1 = 3. ")
LES = ("Long exact sequence of (M, A∩M): H_1(A∩M) = 0 -> H_1(M) = Z -> H_1(M, A∩M) -> "
       "H~_0(A∩M) = 0, so H_1(M, A∩M) = Z; H_0(M, A∩M) = 0 as A∩M meets the connected M; "
       "H_2(M, A∩M) sits between H_2(M) = 0 and H_1(A∩M) = 0. ")

CASES = [
    dict(name="relu_identity_square", description="relu(I x) on [-1,1]^2, M = the domain",
         network=relu_identity(2), manifold=None, layer=None, threshold=None,
         source=QUADRANTS + "With r = 2, A is the square minus the open positive quadrant "
                "{x > 0, y > 0}: 3 of 4 regions, area 3/4 of the square. A is star-shaped about "
                "the origin (if x <= 0 or y <= 0 then t x <= 0 or t y <= 0 for t in [0,1]), so "
                "contractible: H(A) = Z, 0, 0. M = the square is contractible, and i: A -> M "
                "is a homotopy equivalence, so H(M, A) = 0 by the long exact sequence.",
         expected={"n_regions": 4, "n_low_rank": 3, "volume_fraction": "3/4",
                   "homology": [1, 0, 0], "manifold_homology": [1, 0, 0],
                   "relative_homology": [0, 0, 0]}),
    dict(name="relu_identity_square_annulus",
         description="relu(I x) on [-1,1]^2, M = the square annulus 1/2 <= ||x||_inf <= 1",
         network=relu_identity(2), manifold=annulus(), layer=None, threshold=None,
         source=QUADRANTS + ANNULUS + "A∩M = the part of the annulus with x <= 0 or y <= 0: "
                "the annulus cut open along its quarter in the open positive quadrant, a band "
                "(homeomorphic to [0,1] x [0,1] bent through three quarters of a turn), so "
                "contractible. " + LES + "Also by excision: H(M, A∩M) = H(Q, Q∩A) with "
                "Q = M ∩ [0,1]^2 an L-shaped contractible piece and Q∩A two disjoint segments "
                "on the axes, so H_1 = H~_0(two points) = Z. By symmetry A∩M is 3/4 of M's area.",
         expected={"n_regions": 4, "n_low_rank": 3, "volume_fraction": "3/4",
                   "manifold_volume_fraction": "3/4", "homology": [1, 0, 0],
                   "manifold_homology": [1, 1, 0], "relative_homology": [0, 1, 0]}),
    dict(name="relu_identity_threshold1_annulus",
         description="relu(I x) on [-1,1]^2 with threshold r = 1, M = the square annulus",
         network=relu_identity(2), manifold=annulus(), layer=None, threshold=1,
         source=QUADRANTS + "With r = 1 only the closed negative quadrant (rank 0) is low-rank: "
                "1 region, area 1/4. " + ANNULUS + "A∩M = M ∩ [-1,0]^2 = [-1,0]^2 minus "
                "(-1/2,0]^2, an L-shape, contractible; by symmetry 1/4 of M. " + LES,
         expected={"n_regions": 4, "n_low_rank": 1, "volume_fraction": "1/4",
                   "manifold_volume_fraction": "1/4", "homology": [1, 0, 0],
                   "manifold_homology": [1, 1, 0], "relative_homology": [0, 1, 0]}),
    dict(name="bottleneck_square", description="2 -> 1 -> 2 bottleneck on [-1,1]^2, M = the domain",
         network=BOTTLENECK, manifold=None, layer=None, threshold=None,
         source="h_1 = relu(x + 2y) has width 1 and h_2 = (relu h_1, relu(-h_1)) factors "
                "through it, so rank h_2 <= 1 < 2 on every region: A is the whole square. The "
                "line x + 2y = 0 splits the square into 2 regions; the layer-2 neurons have "
                "pre-activations h_1 >= 0 and -h_1 <= 0, which cut nothing. H(A) = H(square) = "
                "Z, 0, 0 and H(M, A) = H(M, M) = 0.",
         expected={"n_regions": 2, "n_low_rank": 2, "volume_fraction": 1,
                   "homology": [1, 0, 0], "manifold_homology": [1, 0, 0],
                   "relative_homology": [0, 0, 0]}),
    dict(name="bottleneck_annulus", description="the bottleneck net, M = the square annulus",
         network=BOTTLENECK, manifold=annulus(), layer=None, threshold=None,
         source="Every region is low-rank (see bottleneck_square), so A∩M = M. " + ANNULUS +
                "H(A∩M) = H(M) = Z, Z, 0 and H(M, M) = 0.",
         expected={"n_regions": 2, "n_low_rank": 2, "volume_fraction": 1,
                   "manifold_volume_fraction": 1, "homology": [1, 1, 0],
                   "manifold_homology": [1, 1, 0], "relative_homology": [0, 0, 0]}),
    dict(name="injective_square",
         description="x -> (relu(±x), relu(±y)) on [-1,1]^2, M = the domain",
         network=INJECTIVE, manifold=None, layer=None, threshold=None,
         source="On each closed quadrant exactly one of relu(x), relu(-x) and one of relu(y), "
                "relu(-y) is active, with independent rows (±1, 0), (0, ±1): rank 2 on all 4 "
                "regions, the map is injective and A is empty. H(∅) = 0 and H(M, ∅) = H(M) = "
                "Z, 0, 0.",
         expected={"n_regions": 4, "n_low_rank": 0, "volume_fraction": 0,
                   "homology": [0, 0, 0], "manifold_homology": [1, 0, 0],
                   "relative_homology": [1, 0, 0]}),
    dict(name="injective_annulus", description="the injective net, M = the square annulus",
         network=INJECTIVE, manifold=annulus(), layer=None, threshold=None,
         source="A is empty (see injective_square), so A∩M is empty. " + ANNULUS +
                "H(M, ∅) = H(M) = Z, Z, 0.",
         expected={"n_regions": 4, "n_low_rank": 0, "volume_fraction": 0,
                   "manifold_volume_fraction": 0, "homology": [0, 0, 0],
                   "manifold_homology": [1, 1, 0], "relative_homology": [1, 1, 0]}),
    dict(name="injective_then_narrow_layer1",
         description="injective layer 1, then one neuron relu(|x| + |y| - 1/2); --layer 1",
         network=INJECTIVE_THEN_NARROW, manifold=None, layer=1, threshold=None,
         source="Layer 1 is x -> (relu(±x), relu(±y)), of rank 2 on every region (see "
                "injective_square), so for layer 1 A is empty. Regions: the 4 quadrants, each "
                "cut by the diamond |x| + |y| = 1/2 (the layer-2 neuron) into 2: 8 regions. "
                "H(∅) = 0, H(M, ∅) = H(square) = Z, 0, 0.",
         expected={"n_regions": 8, "n_low_rank": 0, "volume_fraction": 0,
                   "homology": [0, 0, 0], "manifold_homology": [1, 0, 0],
                   "relative_homology": [1, 0, 0]}),
    dict(name="injective_then_narrow_layer2",
         description="the same net; --layer 2 (one neuron: rank <= 1)",
         network=INJECTIVE_THEN_NARROW, manifold=None, layer=2, threshold=None,
         source="Layer 2 has one neuron, so its rank is at most 1 < 2 on all 8 regions (see "
                "injective_then_narrow_layer1): A is the square, H(A) = Z, 0, 0, H(M, A) = 0.",
         expected={"n_regions": 8, "n_low_rank": 8, "volume_fraction": 1,
                   "homology": [1, 0, 0], "manifold_homology": [1, 0, 0],
                   "relative_homology": [0, 0, 0]}),
    dict(name="relu_identity_cube", description="relu(I x) on [-1,1]^3, M = the domain",
         network=relu_identity(3), manifold=None, layer=None, threshold=None,
         source=QUADRANTS + "With r = 3, A is the cube minus the open positive octant: 7 of 8 "
                "regions, volume 7/8, star-shaped about the origin, so contractible; the cube "
                "is contractible, so H(M, A) = 0.",
         expected={"n_regions": 8, "n_low_rank": 7, "volume_fraction": "7/8",
                   "homology": [1, 0, 0, 0], "manifold_homology": [1, 0, 0, 0],
                   "relative_homology": [0, 0, 0, 0]}),
    dict(name="relu_identity_cube_shell",
         description="relu(I x) on [-1,1]^3, M = the shell 1/2 <= ||x||_inf <= 1 (six boxes)",
         network=relu_identity(3), manifold=shell(), layer=None, threshold=None,
         source=QUADRANTS + "M, the shell, deformation-retracts onto the sphere ||x||_inf = "
                "3/4: H(M) = Z, 0, Z, 0; volume 8 - 1 = 7. A∩M is the shell minus its part in "
                "the open positive octant: (sphere minus an open disk) x interval, contractible; "
                "by symmetry 7/8 of M. Excision: H(M, A∩M) = H(Q, Q∩A) with Q = M ∩ [0,1]^3 "
                "(contractible: [0,1]^3 minus [0,1/2)^3 retracts radially onto the outer "
                "faces) and Q∩A = Q ∩ (coordinate planes), three L-shaped pieces meeting "
                "pairwise in segments of the axes with empty triple intersection: by the nerve "
                "lemma a circle. So H_k(Q, Q∩A) = H~_{k-1}(S^1): H_2 = Z, others 0. The long "
                "exact sequence agrees: 0 -> H_2(M) = Z -> H_2(M, A∩M) -> H_1(A∩M) = 0.",
         expected={"n_regions": 8, "n_low_rank": 7, "volume_fraction": "7/8",
                   "manifold_volume_fraction": "7/8", "homology": [1, 0, 0, 0],
                   "manifold_homology": [1, 0, 1, 0], "relative_homology": [0, 0, 1, 0]}),
]


README = """# Low-rank reference cases

Generated by `python cases/lowrank/generate.py` (standard library only; never imports
polytopo; do not edit the JSON by hand). Each case gives a network, a box domain, an optional
data manifold `M` (a list of convex pieces, docs/formats.md), the layer and threshold, and the expected
low-rank counts, volume fractions and Betti numbers of `A ∩ M`, `M` and `(M, A ∩ M)`, argued
in the case's `source` field. Checked by `tests/analysis/test_lowrank.py`, which also checks that the
long exact sequence of the pair is exact on every case.

| case | A | M | H(A ∩ M) | H(M) | H(M, A ∩ M) |
|---|---|---|---|---|---|
"""


def files():
    """``{file name: text}`` of every case file and the README, as :func:`main` writes them."""
    out, rows = {}, []
    for case in CASES:
        obj = {"name": case["name"], "description": case["description"],
               "source": case["source"], "network": case["network"],
               "domain": {"box": [-1, 1]}, "manifold": case["manifold"],
               "layer": case["layer"], "threshold": case["threshold"],
               "expected": case["expected"]}
        out[case["name"] + ".json"] = json.dumps(obj, indent=1) + "\n"
        e = case["expected"]
        pieces = case["manifold"]
        where = "domain" if pieces is None else f"{len(pieces)} pieces"
        rows.append(f"| {case['name']} | {e['n_low_rank']} of {e['n_regions']} regions | "
                    f"{where} | {e['homology']} | {e['manifold_homology']} | "
                    f"{e['relative_homology']} |")
    out["README.md"] = README + "\n".join(rows) + "\n"
    return out


def main():
    for name, text in files().items():
        with open(os.path.join(HERE, name), "w") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
