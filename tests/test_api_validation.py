"""The public API refuses bad arguments at the entry with one-line polytopo errors."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polytopo.analysis import summary as report
from polytopo.exceptions import IndexInputError
from polytopo.analysis import curvature, dual_graph, expressivity, lowrank, rank, training
from polytopo.complex.cells import CellComplex
from polytopo.complex.build import canonical_complex
from polytopo.exceptions import InputError, PointlessQuestion, PolytopoError
from polytopo.topology.homology import ChainComplex, smith_normal_form
from polytopo.network.model import Network
from polytopo.geometry.polytope import Polytope
from polytopo.regions.traversal import iter_regions, regions

NET = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
SQUARE = Polytope.cube(2)
FORBIDDEN = (AttributeError, ZeroDivisionError, KeyError)


def raises(exc, phrase, func, *args, **kwargs):
    """``func(*args, **kwargs)`` raises ``exc`` with a one-line message containing ``phrase``."""
    with pytest.raises(exc) as info:
        func(*args, **kwargs)
    message = str(info.value)
    assert "\n" not in message and phrase in message, message
    assert not isinstance(info.value, FORBIDDEN) or isinstance(info.value, PolytopoError)
    return info.value


# ---- the known failures --------------------------------------------------------------------
def test_domain_of_the_wrong_type():
    raises(TypeError, "domain must be a Polytope, got str", canonical_complex, NET, "box")
    raises(TypeError, "domain must be a Polytope, got str", regions, NET, "box")
    raises(TypeError, "domain must be a Polytope, got list", report.analyze, NET, [[-1, 1]])
    raises(TypeError, "network must be a Network, got str", regions, "net.json", SQUARE)


@pytest.mark.parametrize("func", [regions, iter_regions, canonical_complex, report.analyze,
                                  report.regions_report, rank.rank_summary,
                                  lowrank.low_rank_homology, dual_graph.dual_graph,
                                  training.checkpoint_summary])
def test_domain_in_the_wrong_dimension(func):
    raises(InputError, "the domain is in dimension 3 but the network has 2 inputs",
           func, NET, Polytope.cube(3))


def test_unbounded_or_empty_domain():
    raises(InputError, "unbounded", regions, NET, Polytope.from_lists([[1, 0], [0, 1]], [1, 1]))
    raises(InputError, "empty", report.analyze, NET,
           Polytope.from_lists([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, -1, 1, 1]))


def test_inexact_raw_polytope():
    raises(TypeError, "exact", regions, NET, Polytope(((1.5, 0.0),), (1.0,)))


@pytest.mark.parametrize("piece", [Polytope.box([5, 5], [6, 6]), Polytope.box([0, 0], [2, 2])])
def test_manifold_piece_outside_the_domain(piece):
    pieces = [Polytope.box([0, 0], [1, 1]), piece]
    raises(InputError, "manifold[1]: piece is not inside the domain",
           lowrank.low_rank_homology, NET, SQUARE, manifold=pieces)
    raises(InputError, "manifold[1]: piece is not inside the domain",
           lowrank.low_rank_homology, NET, manifold=pieces)   # the default cube
    C = canonical_complex(NET, SQUARE)
    raises(InputError, "manifold[1]: piece is not inside the domain",
           lowrank.low_rank_homology, NET, complex=C, manifold=pieces)
    raises(InputError, "manifold[1]: piece is not inside the domain",
           report.analyze, NET, SQUARE, manifold=pieces)


def test_manifold_pieces_of_the_wrong_kind():
    raises(TypeError, "manifold must be a list of Polytope", report.analyze, NET, SQUARE,
           manifold=SQUARE)
    raises(TypeError, "manifold[0] must be a Polytope", report.analyze, NET, SQUARE,
           manifold=["box"])
    raises(InputError, "manifold[0]", lowrank.low_rank_homology, NET, SQUARE,
           manifold=[Polytope.cube(3)])
    raises(InputError, "manifold[0]", lowrank.low_rank_homology, NET, SQUARE,
           manifold=[Polytope.from_lists([[1, 0], [-1, 0]], [0, 0])])   # not full-dimensional


# ---- limits and options ----------------------------------------------------------------------
ENTRIES = [
    lambda **kw: regions(NET, SQUARE, **kw),
    lambda **kw: report.analyze(NET, SQUARE, **kw),
    lambda **kw: report.regions_report(NET, SQUARE, **kw),
]


@pytest.mark.parametrize("entry", ENTRIES)
@pytest.mark.parametrize("value, exc", [(0, InputError), (-3, InputError), (True, TypeError),
                                        (2.5, TypeError), ("10", TypeError)])
def test_max_regions(entry, value, exc):
    raises(exc, "max_regions must be a positive integer", entry, max_regions=value)


@pytest.mark.parametrize("entry", ENTRIES)
@pytest.mark.parametrize("value, exc", [(math.nan, InputError), (math.inf, InputError),
                                        (-1, InputError), (0, InputError), (True, TypeError),
                                        ("5", TypeError)])
def test_time_limit(entry, value, exc):
    raises(exc, "time_limit must be a", entry, time_limit=value)


@pytest.mark.parametrize("entry", ENTRIES)
def test_executor_and_callbacks(entry):
    raises(TypeError, "executor must be a concurrent.futures executor", entry, executor=4)
    raises(TypeError, "progress must be callable", entry, progress="yes")


@pytest.mark.parametrize("value, exc, phrase", [(0, InputError, "between 1 and 1"),
                                                (2, InputError, "between 1 and 1"),
                                                (True, TypeError, "between 1 and 1"),
                                                ("1", TypeError, "between 1 and 1")])
def test_layer(value, exc, phrase):
    raises(exc, phrase, regions, NET, SQUARE, layer=value)
    raises(exc, phrase, report.analyze, NET, SQUARE, layer=value)
    raises(exc, phrase, rank.rank_summary, NET, SQUARE, layer=value)
    raises(exc, phrase, NET.rank_on, "++", value)
    raises(exc, phrase, NET.permuted, value, [1, 0])


def test_analyze_options():
    raises(InputError, "threshold must be a non-negative integer", report.analyze, NET, SQUARE,
           threshold=-1)
    raises(TypeError, "threshold", report.analyze, NET, SQUARE, threshold=False)
    raises(InputError, "exactness must be auto, always or never", report.analyze, NET, SQUARE,
           exactness=np.zeros(2))
    raises(TypeError, "stages must be callable", report.analyze, NET, SQUARE, stages=1)
    raises(InputError, "unknown engine", report.regions_report, NET, SQUARE, engine="fast")
    raises(TypeError, "output must be True or False", canonical_complex, NET, SQUARE,
           output=np.zeros(2))


# ---- the cell complex ------------------------------------------------------------------------
def test_complex_indices_and_dimensions():
    C = canonical_complex(NET, SQUARE)
    for k in (3, -1, 1.0, True, "1", None):
        raises(InputError, "no cells of dimension", C.cells, k)
        raises(InputError, "no cells of dimension", C.pattern_signs, k)
    assert C.cells(np.int64(0)) == C.cells(0)
    raises(IndexInputError, "no top cell 4: there are 4", C.region_volume, 4)
    e = raises(InputError, "no top cell -1", C.region_volumes, [0, -1])
    assert isinstance(e, IndexError)   # as before, for callers catching IndexError
    raises(TypeError, "index must be an integer", C.region_volumes, [True])
    raises(TypeError, "indices must be a sequence", C.region_volumes, 3)
    raises(InputError, "a cell is a pair", C.vertices_of, np.zeros((3, 3)))
    raises(InputError, "no 2-cell with index 9", C.boundary, (2, 9))
    raises(TypeError, "polytope must be a Polytope", CellComplex.from_polytope, [[0, 1]])


def test_analysis_entry_points():
    C = canonical_complex(NET, SQUARE)
    raises(TypeError, "complex must be a CellComplex", rank.cell_ranks, "C", NET)
    raises(TypeError, "network must be a Network", rank.cell_ranks, C, None)
    raises(TypeError, "complex must be a CellComplex", dual_graph.complex_dual_graph, SQUARE)
    raises(TypeError, "G must be a networkx graph", dual_graph.fiedler_partition, [1, 2])
    raises(InputError, "max_regions must be a positive integer", dual_graph.dual_graph_report,
           NET, SQUARE, max_regions=0)
    raises(InputError, "a cell is a pair", dual_graph.facet_measure_squared, C, "2")
    raises(TypeError, "A must be a list of collections", lowrank.check_exact_sequence, C, 3)
    raises(InputError, "ranks must give one rank per top cell", lowrank.low_rank_subcomplex,
           C, NET, ranks=[0])
    raises(PointlessQuestion, "no hidden layer", lowrank.low_rank_homology,
           Network.from_lists([([[1, 1]], [0])]), SQUARE)
    raises(TypeError, "checkpoints[0] must be a Network", training.track, [3])
    raises(InputError, "max_denominator must be a positive integer", training.track, [NET],
           max_denominator=0)
    raises(InputError, "q must be a positive integer", expressivity.construction, "2-4-1", 0,
           q=0)
    raises(TypeError, "c must be a Construction", expressivity.verify_construction, NET)
    raises(InputError, "k must be a non-negative integer, got array([[0., 0.], [0., 0.]])",
           expressivity.betti_upper_bound, "2-2-1", np.zeros((2, 2)))
    raises(TypeError, "embeddings must be a list", curvature.ricci_flow_coefficient, 3, 2)
    raises(InputError, "points must be", curvature.ricci_flow_coefficient,
           [np.zeros(3)] * 4, 2)
    raises(TypeError, "RicciFlowCoefficient", curvature.pooled_ricci_flow_coefficient, [1])


# ---- networks, polytopes, chain complexes -----------------------------------------------------
def test_network_entry_points():
    raises(InputError, "point has 1 coordinates, network takes 2", NET.forward, [1])
    raises(TypeError, "a point must be a sequence", NET.forward, 3)
    raises(TypeError, "a point must be a sequence", NET.pattern, "12")
    raises(InputError, "finite numbers", NET.forward, [1, math.nan])
    raises(InputError, "pattern has 1 signs for 2 neurons", NET.affine_maps, "+")
    raises(InputError, "string over '+-0'", NET.affine_maps, "+x")
    raises(TypeError, "a pattern must be a string", NET.rank_on, 3)
    raises(InputError, "whole hidden layers", NET.preactivation_maps, "+")
    raises(InputError, "permutation must reorder 0..1", NET.permuted, 1, [0, 0])
    raises(TypeError, "layers must be a list", Network.from_lists, None)
    raises(TypeError, "max_denominator", Network.from_lists, [([[0.5]], [0])],
           max_denominator=True)


def test_polytope_entry_points():
    raises(TypeError, "d must be a positive integer", Polytope.cube, True)
    raises(InputError, "d must be a positive integer", Polytope.cube, 0)
    raises(TypeError, "d must be a positive integer", Polytope.cube, 2.0)
    raises(InputError, "point has 1 coordinates", SQUARE.contains, [0])
    raises(TypeError, "exact", Polytope(((1.5,),), (1,)).validated)
    raises(InputError, "A has 1 rows but b has 2", Polytope.from_lists, [[1]], [1, 2])


def test_homology_entry_points():
    raises(InputError, "integer", ChainComplex.from_matrices, [[[0.5, 1]]])
    raises(TypeError, "a matrix must be", smith_normal_form, 3)
    raises(InputError, "n_rows must be a non-negative integer", smith_normal_form, [{0: 1}],
           n_rows=-1)
    cc = canonical_complex(NET, SQUARE).chain_complex()
    raises(InputError, "no boundary matrix", cc.boundary_matrix, np.zeros((3, 3)))


# ---- garbage in, a polytopo error (or TypeError) out -------------------------------------------
GARBAGE = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=True),
    st.text(max_size=5), st.lists(st.lists(st.integers(-2, 2), max_size=3), max_size=3),
    st.builds(lambda shape: np.zeros(shape), st.sampled_from([(0,), (3,), (2, 3), (1, 1, 2)])),
    st.sampled_from([Polytope.cube(1), Polytope.cube(3), NET, object(), {}]),
)
OPTIONS = st.sampled_from(["max_regions", "time_limit", "executor", "progress", "layer"])


def _only_polytopo_errors(func, *args, **kwargs):
    try:
        func(*args, **kwargs)
    except (TypeError, PolytopoError) as e:
        assert "\n" not in str(e), str(e)


@settings(max_examples=50, deadline=None)
@given(network=GARBAGE, domain=GARBAGE)
def test_garbage_network_and_domain(network, domain):
    for func in (regions, canonical_complex, report.analyze):
        _only_polytopo_errors(func, network, domain)
        _only_polytopo_errors(func, NET, domain)


@settings(max_examples=50, deadline=None)
@given(option=OPTIONS, value=GARBAGE)
def test_garbage_options(option, value):
    tiny = Network.from_lists([([[1]], [0]), ([[1]], [0])])
    box = Polytope.cube(1)
    _only_polytopo_errors(regions, tiny, box, **{option: value})
    if option != "layer":
        _only_polytopo_errors(canonical_complex, tiny, box,
                              **{option: value} if option != "time_limit" else {})
    _only_polytopo_errors(report.analyze, tiny, box, **{option: value})
    _only_polytopo_errors(report.analyze, tiny, box, manifold=value)


def test_object_checks_live_with_their_objects():
    """runtime.checks holds only generic checks; each object's check is in its layer."""
    from polytopo.analysis import dual_graph as dg
    from polytopo.complex import cells
    from polytopo.geometry import polytope
    from polytopo.network import model
    from polytopo.runtime import checks

    for name in ("check_network", "check_polytope", "check_domain", "check_complex",
                 "check_layer", "check_manifold", "check_vertices_in", "check_subcomplex",
                 "check_cell", "check_graph"):
        assert not hasattr(checks, name), name
    assert checks.IndexInputError is IndexInputError and issubclass(IndexInputError, IndexError)
    raises(TypeError, "domain must be a Polytope", polytope.check_domain, "box", 2)
    raises(InputError, "dimension 3 but the network has 2", polytope.check_domain,
           Polytope.cube(3), 2)
    raises(TypeError, "network must be a Network", model.check_network, SQUARE)
    raises(TypeError, "complex must be a CellComplex", cells.check_complex, NET)
    raises(TypeError, "G must be a networkx graph", dg.check_graph, [], "G")
    raises(InputError, "piece is not inside the domain", polytope.check_manifold,
           [Polytope.cube(2, 2, 3)], 2, SQUARE)
