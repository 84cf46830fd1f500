"""Ranks of regions for networks with other piecewise-linear units: the Jacobian of the
active pieces, checked against answers worked out by hand."""

from fractions import Fraction

from polytopo.analysis.rank import cell_ranks, rank_summary
from polytopo.complex.build import canonical_complex
from polytopo.geometry.polytope import Polytope
from polytopo.network import units
from polytopo.network.model import Network

SQUARE = Polytope.cube(2, -2, 2)


def _net(unit, rows=((1, 0), (0, 1))):
    return Network.from_lists([([list(r) for r in rows], [0] * len(rows)),
                               ([[1] * len(rows)], [0])], units=[unit])


def test_clamp_rank_counts_the_coordinates_in_the_middle_piece():
    # clamp(x, -1, 1), clamp(y, -1, 1) on [-2, 2]^2: a 3 x 3 grid; a region's rank is the
    # number of coordinates strictly between -1 and 1 on it
    s = rank_summary(_net(units.clamp(-1, 1)), SQUARE)
    assert s.n_regions == 9
    assert s.rank_counts == ((0, 4), (1, 4), (2, 1))
    assert s.volume_fraction == Fraction(12, 16)        # all but the middle square


def test_leaky_relu_is_injective_everywhere_relu_is_not():
    leaky = rank_summary(_net(units.leaky_relu("1/10")), SQUARE)
    assert leaky.rank_counts == ((2, 4),) and leaky.n_low_rank == 0
    relu = rank_summary(_net(units.RELU), SQUARE)
    assert relu.rank_counts == ((0, 1), (1, 2), (2, 1))


def test_absolute_value_folds_but_keeps_full_rank():
    s = rank_summary(_net(units.absolute()), SQUARE)
    assert s.rank_counts == ((2, 4),)


def test_max_unit_has_rank_one_and_its_cells_rank_their_own_dimension():
    net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1]], [0])],
                             units=[[units.Max(2)]])
    s = rank_summary(net, SQUARE)
    assert s.n_regions == 2 and s.rank_counts == ((1, 2),)
    C = canonical_complex(net, SQUARE)
    ranks = cell_ranks(C, net)
    # on the diagonal x = y the max is x = y: injective on that 1-cell (rank 1)
    diagonal = [i for i, c in enumerate(C.cells(1)) if C.pattern(c) == "00"]
    assert len(diagonal) == 1 and ranks[1][diagonal[0]] == 1
    assert set(ranks[2]) == {1}
