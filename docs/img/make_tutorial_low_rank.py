"""Draw docs/img/tutorial-low-rank.png, the picture of the tutorial's low-rank section.

The "tic-tac-toe" network h(x, y) = relu(±x − 1/4), relu(±y − 1/4) on [-1, 1]^2: its nine
activation regions labelled by the rank of h, the low-rank set A (rank < 2) shaded, and the
data manifold M, the square annulus 1/2 ≤ ‖(x, y)‖_∞ ≤ 1, outlined.

    python docs/img/make_tutorial_low_rank.py        # needs the 'plot' extra
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Patch, Polygon  # noqa: E402

from polytopo.analysis.rank import cell_ranks  # noqa: E402
from polytopo.complex.build import canonical_complex  # noqa: E402
from polytopo.network.model import Network  # noqa: E402
from polytopo.figures.network_plot import convex_polygon_order  # noqa: E402
from polytopo.geometry.polytope import Polytope  # noqa: E402

OUT = Path(__file__).with_name("tutorial-low-rank.png")

q = "-1/4"
net = Network.from_lists([([[1, 0], [-1, 0], [0, 1], [0, -1]], [q, q, q, q]),
                          ([[1, 1, 1, 1]], [q])])
C = canonical_complex(net, Polytope.cube(2))
ranks = cell_ranks(C, net)[2]                      # rank of h on each region
threshold = 2                                      # A: rank < 2 (the input dimension)

fig, ax = plt.subplots(figsize=(4, 4))
for r in C.regions(volumes=False):
    poly = [(float(x), float(y)) for x, y in convex_polygon_order(r.vertices)]
    low = ranks[r.index] < threshold
    ax.add_patch(Polygon(poly, closed=True, facecolor="#f4a261" if low else "white",
                         edgecolor="0.35", linewidth=0.8))
    cx, cy = (1.2 * float(c) for c in r.interior_point)   # off M's inner edge
    ax.text(cx, cy, f"rank {ranks[r.index]}", ha="center", va="center", fontsize=7,
            color="0.2")

# M: the square annulus between the squares of half-width 1/2 and 1, hatched and outlined
outer = [(-1, -1), (1, -1), (1, 1), (-1, 1)]
inner = [(-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5)]
for lo, hi in (((-1, 0.5), (1, 1)), ((-1, -1), (1, -0.5)), ((-1, -0.5), (-0.5, 0.5)),
               ((0.5, -0.5), (1, 0.5))):
    box = [(lo[0], lo[1]), (hi[0], lo[1]), (hi[0], hi[1]), (lo[0], hi[1])]
    ax.add_patch(Polygon(box, closed=True, fill=False, hatch="///", edgecolor="#1d3557",
                         linewidth=0, alpha=0.45))
for square in (outer, inner):
    ax.add_patch(Polygon(square, closed=True, fill=False, edgecolor="#1d3557", linewidth=2.2))

ax.legend(handles=[Patch(facecolor="#f4a261", edgecolor="0.35", label="A: rank of h < 2"),
                   Patch(facecolor="white", edgecolor="0.35", label="full rank"),
                   Patch(facecolor="white", edgecolor="#1d3557", hatch="///", linewidth=2,
                         label="M: the square annulus")],
          loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, fontsize=7, frameon=False)
ax.set_xlim(-1.05, 1.05)
ax.set_ylim(-1.05, 1.05)
ax.set_aspect("equal")
ax.set_xlabel("x", fontsize=8)
ax.set_ylabel("y", fontsize=8)
ax.tick_params(labelsize=7)
ax.set_title("h = relu(±x − 1/4, ±y − 1/4): H(M, A ∩ M) = 0, Z^4, 0", fontsize=8)
fig.savefig(OUT, dpi=150, bbox_inches="tight")
print(f"wrote {OUT.name}")
