"""Cubical homology of binary images and voxel grids (point clouds: test_embeddings.py)."""

import itertools
import math
import time

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import ndimage

from polytopo.topology.cubical import (CONSTRUCTIONS, CubicalComplex, check_construction,
                                       cubical_complex, cubical_homology, sublevel_betti)
from polytopo.exceptions import InputError, first_line
from polytopo.topology.homology import ChainComplex, HomologyGroup


def groups(*ranks):
    return [HomologyGroup(r) for r in ranks]


def solid_torus(R=8, r=3, n=24):
    c = (n - 1) / 2
    x, y, z = np.indices((n, n, n)) - c
    return (R - np.hypot(x, y)) ** 2 + z ** 2 <= r ** 2


def torus_shell(R=8, r=3.2, n=26):
    c = (n - 1) / 2
    x, y, z = np.indices((n, n, n)) - c
    rho = np.sqrt((R - np.hypot(x, y)) ** 2 + z ** 2)
    return (rho <= r) & (rho >= r - 1.5)


EIGHT = np.array([[0, 0, 0, 0, 0, 0, 0],
                  [0, 0, 1, 1, 1, 0, 0],
                  [0, 1, 0, 0, 0, 1, 0],
                  [0, 0, 1, 1, 1, 0, 0],
                  [0, 1, 0, 0, 0, 1, 0],
                  [0, 0, 1, 1, 1, 0, 0],
                  [0, 0, 0, 0, 0, 0, 0]], dtype=bool)  # an 8 drawn with diagonal strokes


# ---- known shapes -----------------------------------------------------------------
def test_filled_square():
    assert cubical_homology(np.ones((5, 5), bool)) == groups(1, 0, 0)


def test_annulus():
    A = np.ones((7, 7), bool)
    A[2:5, 2:5] = False
    Q = CubicalComplex(A)
    assert Q.homology() == groups(1, 1, 0)
    assert Q.euler_characteristic() == 0


def test_digit_eight_two_holes():
    # strokes touch only at corners: closed pixels glue there (8-connectivity)
    assert cubical_homology(EIGHT) == groups(1, 2, 0)
    blocky = np.array([[1, 1, 1], [1, 0, 1], [1, 1, 1], [1, 0, 1], [1, 1, 1]])
    assert cubical_homology(blocky) == groups(1, 2, 0)


def test_hollow_cube_has_h2():
    X = np.ones((5, 5, 5), bool)
    X[1:4, 1:4, 1:4] = False
    assert cubical_homology(X) == groups(1, 0, 1, 0)


def test_solid_torus():
    X = solid_torus()
    assert cubical_homology(X) == groups(1, 1, 0, 0)


def test_torus_surface_shell():
    assert cubical_homology(torus_shell()) == groups(1, 2, 1, 0)


def test_disjoint_pieces_and_empty():
    X = np.zeros((4, 9), bool)
    X[:, 0] = X[:, 4] = X[:, 8] = True
    assert cubical_homology(X) == groups(3, 0, 0)
    assert cubical_homology(np.zeros((3, 3, 3), bool)) == groups(0, 0, 0, 0)
    assert CubicalComplex(np.zeros((0, 4), bool)).n_cells == [0, 0, 0]


def test_voxels_touching_at_a_corner_are_connected():
    assert cubical_homology([[1, 0], [0, 1]]) == groups(1, 0, 0)
    X = np.zeros((2, 2, 2), bool)
    X[0, 0, 0] = X[1, 1, 1] = True
    assert cubical_homology(X)[0] == HomologyGroup(1)


def test_one_voxel_cell_counts():
    for d in range(1, 6):
        Q = CubicalComplex(np.ones((1,) * d, bool))
        assert Q.n_cells == [math.comb(d, k) * 2 ** (d - k) for k in range(d + 1)]
        assert Q.homology() == groups(1, *[0] * d)


def test_four_dimensional_sphere_s3():
    X = np.ones((3, 3, 3, 3), bool)
    X[1, 1, 1, 1] = False
    assert cubical_homology(X) == groups(1, 0, 0, 1, 0)


def test_cell_coordinates_and_signs():
    Q = CubicalComplex([[1]])
    assert Q.cell_coordinates(2).tolist() == [[1, 1]]
    C = Q.chain_complex(reduced=False)
    # the square [0,1]^2 at (1, 1): ∂ = (right − left) − (top − bottom) along axes 0, 1
    edges = [tuple(c) for c in Q.cell_coordinates(1)]
    col = C.boundary_matrix(2)[0]
    by_coord = {edges[r]: v for r, v in col.items()}
    assert by_coord == {(2, 1): 1, (0, 1): -1, (1, 2): -1, (1, 0): 1}
    with pytest.raises(InputError):
        Q.cell_coordinates(3)


# ---- T- and V-construction on known shapes ------------------------------------------
def betti(X, construction):
    return CubicalComplex(X, construction=construction).betti_numbers()


def test_diagonal_pixels_touch_for_t_not_for_v():
    X = [[1, 0], [0, 1]]
    assert betti(X, "T") == [1, 0, 0]
    assert betti(X, "V") == [2, 0, 0]
    assert CubicalComplex(X, construction="V").n_cells == [2, 0, 0]  # two points, no edge


def test_square_ring_has_one_hole_in_both_constructions():
    ring = np.ones((3, 3), bool)
    ring[1, 1] = False
    assert betti(ring, "T") == betti(ring, "V") == [1, 1, 0]
    # V: the 8 lattice points and the 8 unit edges between them; every square has the centre
    assert CubicalComplex(ring, construction="V").n_cells == [8, 8, 0]


def test_diamond_of_diagonal_steps():
    # T: the pixels [0,1]x[1,2], [1,2]x[0,1], [1,2]x[2,3], [2,3]x[1,2] meet at the corners
    # (1,1), (1,2), (2,1), (2,2) of the empty centre pixel: a closed loop of four squares.
    # V: the four lattice points (0,1), (1,0), (1,2), (2,1) are pairwise at distance sqrt(2)
    # or 2, so no unit edge joins two of them: four points.
    diamond = [[0, 1, 0], [1, 0, 1], [0, 1, 0]]
    assert betti(diamond, "T") == [1, 1, 0]
    assert betti(diamond, "V") == [4, 0, 0]
    assert CubicalComplex(diamond, construction="V").n_cells == [4, 0, 0]


def test_hollow_3x3x3_cube_is_a_sphere_in_both_constructions():
    X = np.ones((3, 3, 3), bool)
    X[1, 1, 1] = False
    assert cubical_homology(X, construction="T") == groups(1, 0, 1, 0)
    assert cubical_homology(X, construction="V") == groups(1, 0, 1, 0)
    # V: the boundary of [0, 2]^3 cut into 2 x 2 squares on each face
    assert CubicalComplex(X, construction="V").n_cells == [26, 48, 24, 0]


def test_v_construction_of_a_full_block_and_its_coordinates():
    V = cubical_complex(np.ones((4, 5), bool), construction="V")
    assert V.n_cells == [20, 4 * 4 + 3 * 5, 3 * 4] and V.betti_numbers() == [1, 0, 0]
    assert V.construction == "V" and V.shape == (4, 5)
    assert repr(V) == "CubicalComplex(shape=(4, 5), construction='V', n_cells=[20, 31, 12])"
    assert V.cell_coordinates(2).min(axis=0).tolist() == [1, 1]  # square [0,1]^2 at (1, 1)
    assert V.cell_coordinates(0).max(axis=0).tolist() == [6, 8]  # vertex (3, 4) at (6, 8)
    assert CubicalComplex(np.zeros((0, 4), bool), construction="V").n_cells == [0, 0, 0]
    assert cubical_homology(np.zeros((2, 2, 2), bool), construction="V") == groups(0, 0, 0, 0)
    assert cubical_complex([[1]]).construction == "T"


def test_one_vertex_in_any_dimension():
    for d in range(1, 6):
        V = CubicalComplex(np.ones((1,) * d, bool), construction="V")
        assert V.n_cells == [1] + [0] * d and V.homology() == groups(1, *[0] * d)


def _v_cell_counts_by_definition(X):
    """Count the elementary cubes all of whose vertices are occupied, one cube at a time."""
    d, counts = X.ndim, [0] * (X.ndim + 1)
    for axes in itertools.chain.from_iterable(itertools.combinations(range(d), k)
                                              for k in range(d + 1)):
        for base in itertools.product(*[range(n - (i in axes)) for i, n in enumerate(X.shape)]):
            corners = itertools.product(*[(b, b + 1) if i in axes else (b,)
                                          for i, b in enumerate(base)])
            counts[len(axes)] += all(X[c] for c in corners)
    return counts


@given(st.integers(1, 3).flatmap(
    lambda d: arrays(bool, st.tuples(*[st.integers(1, {1: 8, 2: 5, 3: 3}[d])] * d))))
def test_v_cells_are_the_cubes_with_all_vertices_occupied(X):
    assert CubicalComplex(X, construction="V").n_cells == _v_cell_counts_by_definition(X)


@pytest.mark.parametrize("bad", ["v", "t", "X", "", None, 1, ("V",)])
def test_unknown_construction_is_one_clear_line(bad):
    calls = [lambda: CubicalComplex([[1]], construction=bad),
             lambda: cubical_complex([[1]], construction=bad),
             lambda: cubical_homology([[1]], construction=bad),
             lambda: sublevel_betti([[1.0]], [1.0], construction=bad),
             lambda: check_construction(bad)]
    for call in calls:
        with pytest.raises(InputError) as err:
            call()
        assert first_line(err.value) == str(err.value)
        assert '"T"' in str(err.value) and '"V"' in str(err.value)


def test_the_constructions_are_checked_by_one_public_function():
    assert [check_construction(c) for c in CONSTRUCTIONS] == ["T", "V"]


# ---- invariants --------------------------------------------------------------------
binary_arrays = st.integers(1, 4).flatmap(
    lambda d: arrays(bool, st.tuples(*[st.integers(1, {1: 12, 2: 7, 3: 4, 4: 3}[d])] * d)))


def _rebuilt(C):
    """The same complex through the validating constructor, so that ∂∂ = 0 is really checked."""
    return ChainComplex([C.boundary_matrix(k) for k in range(C.dimension + 1)])


@pytest.mark.parametrize("construction", ["T", "V"])
@given(X=binary_arrays)
def test_reduced_complex_has_the_homology_of_the_full_one(construction, X):
    Q = CubicalComplex(X, construction=construction)
    full, reduced = _rebuilt(Q.chain_complex(reduced=False)), _rebuilt(Q.chain_complex())
    assert full.check_boundary() and reduced.check_boundary()
    assert full.n_cells == Q.n_cells
    assert full.homology() == reduced.homology() == Q.homology()
    assert Q.euler_characteristic() == sum((-1) ** k * b for k, b in enumerate(Q.betti_numbers()))
    assert sum(reduced.n_cells) <= sum(full.n_cells)


@given(arrays(bool, st.tuples(st.integers(1, 30), st.integers(1, 30))))
def test_betti0_is_8_connected_components_2d(X):
    n = ndimage.label(X, structure=np.ones((3, 3)))[1]
    assert CubicalComplex(X).betti_numbers()[0] == n


@given(arrays(bool, st.tuples(st.integers(1, 9), st.integers(1, 9), st.integers(1, 9))))
def test_betti0_is_26_connected_components_3d(X):
    n = ndimage.label(X, structure=np.ones((3, 3, 3)))[1]
    assert CubicalComplex(X).betti_numbers()[0] == n


@given(arrays(bool, st.tuples(st.integers(1, 20), st.integers(1, 20))))
def test_betti1_counts_4_connected_holes_2d(X):
    # Alexander duality: holes = bounded components of the background (4-connected)
    bg = np.pad(~X, 1, constant_values=True)
    labels, n = ndimage.label(bg)
    assert CubicalComplex(X).betti_numbers()[1] == n - 1


@given(arrays(bool, st.tuples(st.integers(1, 30), st.integers(1, 30))))
def test_betti0_of_v_is_4_connected_components_2d(X):
    n = ndimage.label(X, structure=ndimage.generate_binary_structure(2, 1))[1]
    assert betti(X, "V")[0] == n


@given(arrays(bool, st.tuples(st.integers(1, 9), st.integers(1, 9), st.integers(1, 9))))
def test_betti0_of_v_is_6_connected_components_3d(X):
    n = ndimage.label(X, structure=ndimage.generate_binary_structure(3, 1))[1]
    assert betti(X, "V")[0] == n


@given(arrays(bool, st.tuples(st.integers(1, 20), st.integers(1, 20))))
def test_betti1_of_v_counts_8_connected_holes_2d(X):
    bg = np.pad(~X, 1, constant_values=True)
    assert betti(X, "V")[1] == ndimage.label(bg, structure=np.ones((3, 3)))[1] - 1


@given(st.integers(2, 3).flatmap(
    lambda d: arrays(bool, st.tuples(*[st.integers(1, {2: 12, 3: 5}[d])] * d))))
def test_v_and_t_are_alexander_dual(X):
    # In R^d the complement of |V(X)| has the homotopy type of |T(background)| and vice
    # versa (Garin et al. 2020): with a background frame, b_0 of one is b_{d-1} of the
    # other, and b_{d-1} of one is b_0 of the other minus the unbounded component.
    d = X.ndim
    bg = np.pad(~X, 1, constant_values=True)
    for inside, outside in (("V", "T"), ("T", "V")):
        b, dual = betti(X, inside), betti(bg, outside)
        assert b[0] == dual[d - 1]
        assert b[d - 1] == dual[0] - 1


def test_random_betti0_against_scipy_fixed_seeds():
    rng = np.random.default_rng(7)
    for p in (0.2, 0.45, 0.6):
        X = rng.random((60, 80)) < p
        assert CubicalComplex(X).betti_numbers()[0] == \
            ndimage.label(X, structure=np.ones((3, 3)))[1]


def test_agrees_with_gudhi():
    gudhi = pytest.importorskip("gudhi", reason="GUDHI (optional test dependency) is not "
                                                "installed: pip install gudhi")
    rng = np.random.default_rng(3)
    cases = [rng.random((25, 30)) < p for p in (0.3, 0.5, 0.7)]
    cases += [rng.random((9, 10, 11)) < p for p in (0.3, 0.5, 0.7)]
    cases += [EIGHT, solid_torus(), torus_shell()]
    for X in cases:
        # occupied voxels enter at 0, the rest at 1: the 0-sublevel set is |Q(X)|
        cc = gudhi.CubicalComplex(top_dimensional_cells=np.where(X, 0.0, 1.0))
        cc.compute_persistence(homology_coeff_field=2, min_persistence=-1)
        expected = [int(b) for b in cc.persistent_betti_numbers(0.0, 0.0)]
        expected += [0] * (X.ndim + 1 - len(expected))
        assert CubicalComplex(X).betti_numbers() == expected[:X.ndim + 1]
        if not _gudhi_takes_vertices(gudhi):
            continue
        # the V-construction: occupied entries are vertices at 0 (lower-star filtration)
        cc = gudhi.CubicalComplex(vertices=np.where(X, 0.0, 1.0))
        cc.compute_persistence(homology_coeff_field=2, min_persistence=-1)
        expected = [int(b) for b in cc.persistent_betti_numbers(0.0, 0.0)]
        expected += [0] * (X.ndim + 1 - len(expected))
        assert CubicalComplex(X, construction="V").betti_numbers() == expected[:X.ndim + 1]


def _gudhi_takes_vertices(gudhi):
    try:
        gudhi.CubicalComplex(vertices=np.zeros((2, 2)))
    except TypeError:  # GUDHI before 3.9: top-dimensional cells only
        return False
    return True


def test_speed_256_square_and_64_cube():
    rng = np.random.default_rng(0)
    image = rng.random((256, 256)) < 0.5
    t = time.perf_counter()
    b = CubicalComplex(image).betti_numbers()
    assert b[0] == ndimage.label(image, structure=np.ones((3, 3)))[1]
    X = np.ones((64, 64, 64), bool)
    X[8:56, 8:56, 8:56] = False
    assert CubicalComplex(X).betti_numbers() == [1, 0, 1, 0]
    assert time.perf_counter() - t < 5


@pytest.mark.slow
def test_speed_random_64_cube():
    rng = np.random.default_rng(0)
    X = rng.random((64, 64, 64)) < 0.5
    t = time.perf_counter()
    b = CubicalComplex(X).betti_numbers()
    assert b[0] == ndimage.label(X, structure=np.ones((3, 3, 3)))[1]
    assert time.perf_counter() - t < 10


# ---- bad input ---------------------------------------------------------------------
@pytest.mark.parametrize("bad", [np.array(True), [[0, 2]], [[0.5]], [["a"]], [[1], [1, 1]]])
def test_bad_images(bad):
    with pytest.raises(InputError):
        CubicalComplex(bad)
