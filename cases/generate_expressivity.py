"""Generate the expressivity reference cases in ``cases/expressivity/`` from mathematics.

Run ``python cases/generate_expressivity.py``; it rewrites every ``cases/expressivity/*.json``
and ``cases/expressivity/README.md`` deterministically (standard library only; never imports
polytopo). Each case is Ergen and Grillo's lower-bound network F of Theorem 13 (COLT 2024,
PMLR 247) for a 2-input architecture, written out here from the paper's definitions, with the
Betti numbers of ``{F <= 0}``, ``{F >= 0}`` and ``{F = 0}`` on ``[0, 1]^2`` counted by hand
(the argument is in ``source`` and in the README). ``tests/test_cases_expressivity.py``
computes the homology of these networks with polytopo and checks polytopo's own
``paper_network`` against them as functions.

The network, for the architecture ``(2, n_1, ..., n_L, 1)``:

- hidden layers ``1 .. L-1`` fold: ``m_l = 2 floor(n_l / 4)``; per coordinate ``j`` the
  neurons ``v_0 = max(0, m y_j)``, ``v_i = max(0, 2m y_j - 2i)`` (``i = 1 .. m-1``), whose
  alternating sum ``sum (-1)^i v_i`` is the folded coordinate (it goes into the next
  layer's weights); the other ``n_l - 2 m_l`` neurons have zero weights and bias -1;
- the last hidden layer carves: ``n_L = w + 2`` neurons of ``s = (1 - y_1) + y_2``,
  ``max(0, s)``, ``max(0, 2 (s - (2q - 1)/(8w)))`` for ``q = 1 .. w``, ``max(0, s - 1/4)``,
  with output weights ``(-1)^q`` and the output bias ``b = 1/(8 w M)``, ``M = prod m_l``.
"""

import os
import sys
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "expressivity")
sys.path.insert(0, HERE)

from generate_decision import write_cases  # noqa: E402  (standard library only)

SOURCE = (
    "Lemma 5: the folding layers map each of the M^2 squares of side 1/M of [0, 1]^2 onto "
    "[0, 1]^2 by a scaling and mirroring, and h(x) = (1, 0) exactly at x_1 in {odd/M}, "
    "x_2 in {even/M}: H (H + 1) points (H = M/2), of which H (H - 1) are interior, 2H on "
    "the edges x_2 = 0, 1 and none at corners. The carving map g(y) depends on "
    "s = |1 - y_1| + |y_2| only and, on s >= 0, is a zigzag of slopes +-1 with zeros at "
    "s = q/(4w), q = 0 .. w, and 0 for s >= 1/4 (w >= 1): negative exactly on the shells "
    "q/(4w) < s < (q+1)/(4w) with q odd and q < w, k = floor(w/2) of them. Pulled back, "
    "around each interior point the four mirrored quarter shells glue into a closed annulus, "
    "around an edge point two of them into a half annulus (a disk); the shells of different "
    "points are disjoint (radius 1/(4M) < 1/M). The offset b, smaller than the amplitude "
    "1/(8w) of every shell and positive, makes F = b > 0 where g = 0 and shrinks every "
    "negative shell to a closed one of the same shape. So {F <= 0} has H (H + 1) k "
    "components and H (H - 1) k holes; {F >= 0} is the square minus the open negative "
    "shells: 1 + H (H + 1) k components (the outer part, and around each point the inner "
    "disk and the k - 1 shells between negative ones) and H (H - 1) k holes (each full "
    "negative annulus bounds one); {F = 0} is the two boundary curves of every shell: "
    "2 H (H + 1) k components, 2 H (H - 1) k of them circles. For k = 0 (w = 1) F > 0 on "
    "the whole square.")


def frac(v):
    v = Fraction(v)
    return v.numerator if v.denominator == 1 else f"{v.numerator}/{v.denominator}"


def paper_F(widths):
    """The weights of F for the architecture (2, *widths, 1), and (M, w)."""
    *folding, n_last = widths
    w = n_last - 2
    # the affine map giving the current coordinates y_j from the previous layer's outputs
    n_in = 2
    out = [[Fraction(int(i == j)) for i in range(n_in)] for j in range(2)]  # y = identity
    out_b = [Fraction(0), Fraction(0)]
    layers, M = [], 1
    for n in folding:
        m = 2 * (n // 4)
        M *= m
        W, b, new_out = [], [], [[Fraction(0)] * n for _ in range(2)]
        for j in range(2):
            for i in range(m):
                a, c = (m, 0) if i == 0 else (2 * m, 2 * i)
                W.append([a * t for t in out[j]])
                b.append(a * out_b[j] - c)
                new_out[j][len(W) - 1] = Fraction((-1) ** i)
        while len(W) < n:
            W.append([Fraction(0)] * n_in)
            b.append(Fraction(-1))
        layers.append((W, b))
        out, out_b, n_in = new_out, [Fraction(0), Fraction(0)], n
    s_row = [-out[0][t] + out[1][t] for t in range(n_in)]       # s = 1 - y_1 + y_2
    s_b = 1 - out_b[0] + out_b[1]
    W, b, signs = [], [], []
    for q in range(w + 2):
        if q == 0:
            scale, cut = 1, Fraction(0)
        elif q == w + 1:
            scale, cut = 1, Fraction(1, 4)
        else:
            scale, cut = 2, Fraction(2 * q - 1, 8 * w)
        W.append([scale * t for t in s_row])
        b.append(scale * (s_b - cut))
        signs.append((-1) ** q)
    layers.append((W, b))
    layers.append(([signs], [Fraction(1, 8 * w * M)]))
    net = {"format": "polytopo.network/1", "input_dim": 2,
           "layers": [{"weights": [[frac(v) for v in row] for row in W_],
                       "biases": [frac(v) for v in b_]} for W_, b_ in layers]}
    return net, M, w


def hand_betti(M, w):
    H, k = M // 2, w // 2
    comps, holes = H * (H + 1) * k, H * (H - 1) * k
    return {"negative": [comps, holes], "positive": [1 + comps, holes],
            "zero": [2 * comps, 2 * holes]}


def proof_reading(M, w):
    """Theorem 13 as its proof reads it for d = 2 (ceil(w/2) shells):
    beta_0 = H (H + 1) ceil(w/2), beta_1 = H (H - 1) ceil(w/2)."""
    H, k = M // 2, -(-w // 2)
    return [H * (H + 1) * k, H * (H - 1) * k]


ARCHS = [(4, 3), (4, 4), (4, 6), (8, 5), (12, 8), (4, 4, 4), (4, 4, 7), (4, 4, 4, 4),
         (8, 8, 4), (8, 8, 8)]


def build():
    cases = []
    for widths in ARCHS:
        name = "paper_2-" + "-".join(map(str, widths)) + "-1"
        net, M, w = paper_F(widths)
        cases.append({
            "name": name,
            "description": f"Theorem 13's network F for 2-{'-'.join(map(str, widths))}-1: "
                           f"M = {M}, w = {w}, on [0, 1]^2",
            "source": SOURCE, "network": net, "domain": {"box": [0, 1]},
            "architecture": [2, *widths, 1], "M": M, "carve": [w],
            "expected": {"betti": hand_betti(M, w),
                         "theorem13_proof_reading": proof_reading(M, w)}})
    return cases


README = """# Expressivity reference cases

Ergen and Grillo's lower-bound network `F` of Theorem 13 (Topological Expressivity of ReLU
Neural Networks, COLT 2024) for 2-input architectures, written out from the paper's
definitions by `cases/generate_expressivity.py` (standard library only, never imports
polytopo; do not edit by hand), with the Betti numbers of its decision sets on `[0, 1]^2`
counted by hand. `tests/test_cases_expressivity.py` computes them with polytopo's exact
homology and checks that polytopo's `paper_network` is the same function.

The count (`M` = product of the folding factors, `H = M/2`, `w` the carving width,
`k = floor(w/2)` negative shells per cutting point):

- `{F <= 0}`: `beta_0 = H (H + 1) k`, `beta_1 = H (H - 1) k`;
- `{F >= 0}`: `beta_0 = 1 + H (H + 1) k`, `beta_1 = H (H - 1) k`;
- `{F = 0}`: twice the first.

"""
README_TAIL = """
The column *proof's reading* is Theorem 13 for `d = 2` as its proof counts, with `ceil(w/2)`
shells: it agrees with the hand count exactly when `w` is even. Why the count holds:

"""


def main():
    rows = ["| case | M | w | {F <= 0} | {F >= 0} | {F = 0} | proof's reading |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    built = build()
    write_cases(OUT, built)
    for c in built:
        e = c["expected"]["betti"]
        rows.append(f"| `{c['name']}` | {c['M']} | "
                    f"{c['carve'][0]} | {e['negative']} | {e['positive']} | {e['zero']} | "
                    f"{c['expected']['theorem13_proof_reading']} |")
    with open(os.path.join(OUT, "README.md"), "w") as fh:
        fh.write(README + "\n".join(rows) + "\n" + README_TAIL + SOURCE + "\n")


if __name__ == "__main__":
    main()
