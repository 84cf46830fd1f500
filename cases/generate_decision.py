"""Generate the decision-set reference cases in ``cases/decision/`` from mathematics.

Run ``python cases/generate_decision.py``; it rewrites every ``cases/decision/*.json``
deterministically. The expected homology of ``{f ≥ 0}``, ``{f ≤ 0}``, ``{f = 0}`` comes from
the shape of the set, argued in each case's ``source``; this script never imports polytopo.

Case file format:

    {"name", "description", "source",
     "network": network object (docs/formats.md), "domain": {"box": [LO, HI]},
     "expected": {"n_regions": N (optional),
                  "homology": {"domain" | "positive" | "negative" | "zero":
                               [betti_0, betti_1, ...]}},   (torsion-free: subsets of R^d, d ≤ 3)
     "slow": true (optional)}
"""

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "decision")


def ring(d):
    """f = 1/4 - | |x|_1 - 1/2 | on [-1, 1]^d (hidden: 2d coordinate halves, then 2)."""
    W1 = []
    for i in range(d):
        for s in (1, -1):
            W1.append([s if j == i else 0 for j in range(d)])
    return {"format": "polytopo.network/1", "input_dim": d,
            "layers": [{"weights": W1, "biases": [0] * (2 * d)},
                       {"weights": [[1] * (2 * d), [-1] * (2 * d)], "biases": ["-1/2", "1/2"]},
                       {"weights": [[-1, -1]], "biases": ["1/4"]}]}


def disk(d):
    """f = 1/2 - |x|_1 on [-1, 1]^d."""
    net = ring(d)
    net["layers"] = [net["layers"][0], {"weights": [[-1] * (2 * d)], "biases": ["1/2"]}]
    return net


def tent_layers(L, blocks):
    """Hidden layers computing t^L of each of ``blocks`` coordinates in parallel.

    Block i of layer l holds relu(u_i) and relu(u_i - 1/2), u_i = t^(l-1)(x_i) (u_i = x_i in
    layer 1) and t(u) = 2 relu(u) - 4 relu(u - 1/2) on [0, 1].
    """
    layers = []
    W = []
    for i in range(blocks):
        for _ in range(2):
            W.append([1 if j == i else 0 for j in range(blocks)])
    layers.append({"weights": W, "biases": [0, "-1/2"] * blocks})
    for _ in range(L - 1):
        W = []
        for i in range(blocks):
            row = [0] * (2 * blocks)
            row[2 * i], row[2 * i + 1] = 2, -4
            W += [row, list(row)]
        layers.append({"weights": W, "biases": [0, "-1/2"] * blocks})
    return layers


def sawtooth_minus_half(L):
    """f = t^L(x) - 1/2 on [0, 1]."""
    layers = tent_layers(L, 1)
    layers.append({"weights": [[2, -4]], "biases": ["-1/2"]})
    return {"format": "polytopo.network/1", "input_dim": 1, "layers": layers}


def squares(L):
    """f = min(t^L(x), t^L(y)) - 1/2 on [0, 1]^2, min(a, b) = relu(a) - relu(a - b) for a ≥ 0."""
    layers = tent_layers(L, 2)
    layers.append({"weights": [[2, -4, 0, 0], [2, -4, -2, 4]], "biases": [0, 0]})
    layers.append({"weights": [[1, -1]], "biases": ["-1/2"]})
    return {"format": "polytopo.network/1", "input_dim": 2, "layers": layers}


def cases():
    out = []
    point = lambda d: [1] + [0] * d  # noqa: E731
    out.append({
        "name": "ring_2d", "description": "f = 1/4 - | |x|_1 - 1/2 | on [-1,1]^2: positive set a "
        "diamond annulus", "network": ring(2), "domain": {"box": [-1, 1]},
        "source": "{f >= 0} = {1/4 <= |x|_1 <= 3/4}, a closed annulus, homotopy equivalent to S^1. "
        "{f <= 0} = {|x|_1 <= 1/4} (a disk) disjoint from {3/4 <= |x|_1} ∩ [-1,1]^2 (square minus an "
        "open disk ≃ S^1). {f = 0} = two disjoint diamond curves (two circles). The domain is "
        "contractible.",
        "expected": {"n_regions": 8, "homology": {"domain": point(2), "positive": [1, 1, 0],
                                                  "negative": [2, 1, 0], "zero": [2, 2, 0]}}})
    out.append({
        "name": "shell_3d", "description": "f = 1/4 - | |x|_1 - 1/2 | on [-1,1]^3: positive set an "
        "octahedral shell", "network": ring(3), "domain": {"box": [-1, 1]},
        "source": "{f >= 0} = {1/4 <= |x|_1 <= 3/4} ≃ S^2 (H = Z, 0, Z, 0). {f <= 0} = ball ⊔ (cube "
        "minus an open octahedron ≃ S^2). {f = 0} = two disjoint octahedral surfaces (two 2-spheres).",
        "expected": {"homology": {"domain": point(3), "positive": [1, 0, 1, 0],
                                  "negative": [2, 0, 1, 0], "zero": [2, 0, 2, 0]}}})
    out.append({
        "name": "disk_2d", "description": "f = 1/2 - |x|_1 on [-1,1]^2", "network": disk(2),
        "domain": {"box": [-1, 1]},
        "source": "{f >= 0} is the diamond |x|_1 <= 1/2 (contractible); {f <= 0} is the square minus "
        "the open diamond (≃ S^1); {f = 0} is the diamond's boundary (S^1).",
        "expected": {"n_regions": 4, "homology": {"positive": [1, 0, 0], "negative": [1, 1, 0],
                                                  "zero": [1, 1, 0]}}})
    for L in (1, 2, 3, 4):
        n = 2 ** (L - 1)
        out.append({
            "name": f"sawtooth_threshold_L{L}", "description": f"f = t^{L}(x) - 1/2 on [0,1], t the "
            "tent map", "network": sawtooth_minus_half(L), "domain": {"box": [0, 1]},
            "source": f"t^L has 2^(L-1) peaks of height 1 at the odd multiples of 1/2^L and zeros at "
            f"the even ones (Telgarsky 2016); {{t^L >= 1/2}} is {n} disjoint closed intervals around "
            f"the peaks, {{t^L = 1/2}} their {2 * n} endpoints, {{t^L <= 1/2}} the {n + 1} closed "
            "gaps (including both ends of [0,1]).",
            "expected": {"n_regions": 2 ** L, "homology": {"positive": [n, 0],
                                                         "zero": [2 * n, 0],
                                                         "negative": [n + 1, 0]}}})
    for L in (1, 2, 3):
        n = 4 ** (L - 1)
        out.append({
            "name": f"squares_L{L}", "description": f"f = min(t^{L}(x), t^{L}(y)) - 1/2 on [0,1]^2: "
            f"{n} disjoint squares", "network": squares(L), "domain": {"box": [0, 1]},
            "source": f"{{t^L >= 1/2}} is 2^(L-1) disjoint closed intervals inside (0, 1), so "
            f"{{min(t^L(x), t^L(y)) >= 1/2}} is their square: {n} disjoint closed squares in the "
            f"interior (H_0 = Z^{n}); the zero set is their {n} boundary squares (circles: "
            f"H_0 = H_1 = Z^{n}); the negative set is the unit square minus {n} disjoint open "
            f"squares (H_0 = Z, H_1 = Z^{n}). min(a, b) = relu(a) - relu(a - b) for a >= 0.",
            "expected": {"homology": {"domain": [1, 0, 0], "positive": [n, 0, 0],
                                      "zero": [n, n, 0], "negative": [1, n, 0]}},
            **({"slow": True} if L == 3 else {})})
    return out


def write_cases(out, cases):
    """Write each case to ``out/NAME.json`` (indent 1, final newline) and remove the other
    ``.json`` files there: the folder holds exactly what the generator makes."""
    os.makedirs(out, exist_ok=True)
    names = set()
    for case in cases:
        names.add(case["name"] + ".json")
        with open(os.path.join(out, case["name"] + ".json"), "w") as fh:
            json.dump(case, fh, indent=1)
            fh.write("\n")
    for stale in set(os.listdir(out)) - names:
        if stale.endswith(".json"):
            os.remove(os.path.join(out, stale))


def main():
    write_cases(OUT, cases())


if __name__ == "__main__":
    main()
