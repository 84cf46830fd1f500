"""The canonical complex built with executors: identical to the serial build, cell for cell.

Serial == thread pool == process pool == Dask ``LocalCluster`` on small nets, many of them
degenerate (duplicate neurons, hyperplanes through vertices, dead and zero neurons),
comparing f-vectors, vertices, labels, facets, boundaries of every cell and volumes.
"""

import random
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from fractions import Fraction

import pytest
from hypothesis import given, settings

from polytopo.complex import parallel as _lattice_parallel
from polytopo.complex.build import activation_regions, canonical_complex
from polytopo.exceptions import InputError, LimitExceeded
from polytopo.network.model import Network
from polytopo.geometry.polytope import Polytope
from polytopo.testing import degenerate_networks, networks

F = Fraction


@pytest.fixture(autouse=True)
def small_prefix(monkeypatch):
    """Share out the work as early as possible, so that even tiny nets are split into
    several tasks (the default waits for a few regions per task)."""
    monkeypatch.setattr(_lattice_parallel, "PREFIX_REGIONS_PER_TASK", 1)


@pytest.fixture(scope="module")
def threads():
    with ThreadPoolExecutor(2) as ex:
        yield ex


@pytest.fixture(scope="module")
def processes():
    with ProcessPoolExecutor(2) as ex:
        yield ex


@pytest.fixture(scope="module")
def dask_executor():
    distributed = pytest.importorskip(
        "distributed", reason="dask.distributed is not installed (the 'dask' extra)")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        yield client.get_executor()


class CountingExecutor(Executor):
    """Runs tasks inline and counts them (to check the work is really shared out)."""

    def __init__(self, workers=2):
        self.max_workers = workers  # the public attribute polytopo reads
        self.submitted = 0
        self._inner = ThreadPoolExecutor(1)

    def submit(self, fn, *args, **kwargs):
        self.submitted += 1
        return self._inner.submit(fn, *args, **kwargs)

    def shutdown(self, wait=True, **kwargs):
        self._inner.shutdown(wait)


def net_from(layers):
    return Network.from_lists(layers)


def random_net(seed, arch, bound=3):
    rng = random.Random(seed)
    return net_from([([[rng.randint(-bound, bound) for _ in range(a)] for _ in range(b)],
                      [rng.randint(-bound, bound) for _ in range(b)])
                     for a, b in zip(arch, arch[1:])])


# small nets; the degenerate ones on purpose
CASES = {
    "2d-two-layers": (random_net(1, [2, 6, 4, 1]), Polytope.cube(2, -2, 2)),
    "2d-three-layers": (random_net(2, [2, 5, 4, 3, 1]), Polytope.cube(2, -3, 3)),
    "1d": (random_net(3, [1, 5, 4, 1]), Polytope.box([-3], [4])),
    "3d": (random_net(4, [3, 5, 3, 1]), Polytope.cube(3, -2, 2)),
    "duplicate-neurons": (net_from([([[1, 2], [1, 2], [-2, -4], [1, -1], [2, -2], [0, 1]],
                                     [1, 1, -2, 0, 0, 0]),
                                    ([[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]], [0, 0]),
                                    ([[1, -1]], [0])]), Polytope.cube(2, -2, 2)),
    "through-vertices": (net_from([([[1, 1], [1, -1], [1, 0], [0, 1], [1, 1]],
                                    [0, 0, 0, 0, -2]),                # corners, origin
                                   ([[1, -1, 1, 0, 0], [0, 0, 1, -1, 0]], [0, 0]),
                                   ([[1, 1]], [0])]), Polytope.cube(2, -1, 1)),
    "dead-and-zero": (net_from([([[1, 0], [0, 0], [0, 1], [-1, 0]], [0, -1, 0, 0]),
                                ([[1, 0, 0, 0], [0, 1, 0, 0], [1, 0, 1, 0]], [0, 0, 0]),
                                ([[1, -1, 1]], [0])]), Polytope.cube(2, -1, 1)),
    "rational-weights": (net_from([([[F(1, 3), 1], [1, F(-2, 7)], [F(5, 2), 1]],
                                    [F(1, 5), 0, F(-1, 2)]),
                                   ([[1, F(1, 3), -1], [F(-3, 4), 1, 1]], [F(1, 7), 0]),
                                   ([[1, 1]], [0])]), Polytope.cube(2, -1, 1)),
    "triangle-domain": (random_net(5, [2, 5, 3, 1]),
                        Polytope.from_lists([[-1, 0], [0, -1], [1, 1]], [1, 1, 1])),
    "3d-cube-through-corners": (net_from([([[1, 1, 1], [1, -1, 0], [0, 1, -1], [1, 0, 0]],
                                           [0, 0, 0, -1]),
                                          ([[1, 1, -1, 1], [1, -1, 1, 0]], [0, 0]),
                                          ([[1, 1]], [0])]), Polytope.cube(3, -1, 1)),
}


def description(C):
    """Everything that must agree: vertices, cells with labels, facets, boundaries,
    cofacets, regions with volumes."""
    d = C.dim
    out = {"f": C.f_vector(), "functions": C.functions, "vertices": C.vertices()}
    for k in range(d + 1):
        out[k] = [(C.label(c), C.label_string(c), C.vertices_of(c), C.facets_of(c),
                   C.cofacets_of(c), C.boundary(c)) for c in C.cells(k)]
    out["regions"] = [(r.pattern, r.label, r.interior_point, r.vertices, r.volume)
                      for r in C.regions()]
    return out


def check_same(net, domain, executor, *, output=False):
    serial = canonical_complex(net, domain, output=output)
    parallel = canonical_complex(net, domain, output=output, executor=executor)
    assert parallel.f_vector() == serial.f_vector()
    assert description(parallel) == description(serial)
    return serial


@pytest.mark.parametrize("name", sorted(CASES))
def test_threads_equal_serial(name, threads):
    net, domain = CASES[name]
    check_same(net, domain, threads)
    check_same(net, domain, threads, output=True)


@pytest.mark.parametrize("name", sorted(CASES))
def test_processes_equal_serial(name, processes):
    net, domain = CASES[name]
    check_same(net, domain, processes, output=name.startswith("2d"))


@pytest.mark.parametrize("name", ["2d-two-layers", "3d", "duplicate-neurons",
                                  "through-vertices", "dead-and-zero"])
def test_dask_local_cluster_equals_serial(name, dask_executor):
    net, domain = CASES[name]
    check_same(net, domain, dask_executor, output=True)


@pytest.mark.parametrize("name", ["2d-two-layers", "3d", "through-vertices",
                                  "3d-cube-through-corners"])
def test_work_is_shared_out(name):
    """Several tasks really run, and the result does not depend on their number."""
    net, domain = CASES[name]
    reference = description(canonical_complex(net, domain))
    for workers in (1, 2, 5, 16):  # 4 tasks per worker (for 16: too few regions, serial)
        ex = CountingExecutor(workers)
        assert description(canonical_complex(net, domain, executor=ex)) == reference
        assert ex.submitted >= 2 or workers > 2
        ex.shutdown()


def test_the_number_of_tasks_comes_from_the_caller_or_a_public_attribute():
    """Four tasks per worker, the worker count from ``workers=`` or the executor's public
    ``max_workers``; an executor's private ``_max_workers`` is not read."""
    n_tasks = _lattice_parallel.n_tasks

    class Private:
        _max_workers = 8

    class Public:
        max_workers = 8

    assert n_tasks(Private()) == _lattice_parallel.DEFAULT_TASKS == 16
    assert n_tasks(Public()) == 32 and n_tasks(Public(), workers=2) == 8
    assert n_tasks(Private(), workers=1) == 4 and n_tasks(None, workers=10 ** 6) == 256
    net, domain = CASES["2d-two-layers"]
    reference = description(canonical_complex(net, domain))
    counts = []
    for workers in (1, 3):
        with pytest.MonkeyPatch.context() as mp, CountingExecutor(None) as ex:
            mp.setattr(_lattice_parallel, "PREFIX_REGIONS_PER_TASK", 1)
            C = canonical_complex(net, domain, executor=ex, workers=workers)
            assert description(C) == reference
            counts.append(ex.submitted)
    assert counts[0] == 4 < counts[1] <= 12  # at most 4 per worker (fewer: few regions)
    with pytest.raises(InputError, match="workers must be a positive integer"):
        canonical_complex(net, domain, executor=ThreadPoolExecutor(1), workers=0)


def test_decision_sets_and_homology_agree(threads):
    net, domain = CASES["2d-three-layers"]
    A = canonical_complex(net, domain, output=True)
    B = canonical_complex(net, domain, output=True, executor=threads)
    for which in ("positive", "negative", "zero"):
        assert A.decision_subcomplex(which) == B.decision_subcomplex(which)
        assert A.homology(A.decision_subcomplex(which)) == \
            B.homology(B.decision_subcomplex(which))
    assert A.chain_complex().check_boundary() and B.chain_complex().check_boundary()


def test_activation_regions_with_executor(threads):
    net, domain = CASES["3d"]
    serial = activation_regions(net, domain)
    parallel = activation_regions(net, domain, executor=threads)
    assert [(r.pattern, r.polytope.A, r.polytope.b, r.volume, r.rank) for r in serial] == \
        [(r.pattern, r.polytope.A, r.polytope.b, r.volume, r.rank) for r in parallel]


def test_progress_and_region_limit(threads):
    net, domain = CASES["2d-three-layers"]
    n = canonical_complex(net, domain).n_regions
    calls = []
    C = canonical_complex(net, domain, executor=threads,
                          progress=lambda *a: calls.append(a))
    assert C.n_regions == n
    done = [c[0] for c in calls]
    assert done == sorted(done) and calls[-1] == (net.n_hidden, net.n_hidden, n)
    with pytest.raises(LimitExceeded):
        canonical_complex(net, domain, executor=threads, max_regions=n - 1)
    assert canonical_complex(net, domain, executor=threads, max_regions=n).n_regions == n


def test_tiny_nets_fall_back_to_serial(threads):
    net = net_from([([[1, 0]], [0]), ([[1]], [0])])
    C = canonical_complex(net, Polytope.cube(2), executor=threads)
    assert C.f_vector() == [6, 7, 2]
    assert description(C) == description(canonical_complex(net, Polytope.cube(2)))


def check_two_tasks(net, domain):
    """Two tasks as soon as there are two regions: nearly every small net is shared out."""
    with pytest.MonkeyPatch.context() as mp, CountingExecutor() as ex:
        mp.setattr(_lattice_parallel, "PREFIX_REGIONS_PER_TASK", 1)
        mp.setattr(_lattice_parallel, "n_tasks", lambda executor, workers=None: 2)
        check_same(net, domain, ex)


@settings(max_examples=40, deadline=None)
@given(networks(max_layers=3, max_width=4))
def test_property_executor_equals_serial(net):
    check_two_tasks(net, Polytope.cube(net.input_dim, -2, 2))


@settings(max_examples=40, deadline=None)
@given(degenerate_networks(max_width=4))
def test_property_degenerate_executor_equals_serial(net):
    check_two_tasks(net, Polytope.cube(net.input_dim, -2, 2))


@pytest.mark.parametrize("seed", [0, 1, 3, 5, 8])
def test_max_units_of_three_or_more_pieces_equal_serial(seed, threads, processes):
    """The tasks label their own cells (with the max units' argmax sets corrected,
    labels.fix_max_signs): the parallel complex is the serial one, cell for cell."""
    from polytopo.network import units

    rng = random.Random(seed)
    d = 2 + seed % 2
    sizes = [3, 4] if seed % 2 else [3]
    W1 = [[rng.randint(-3, 3) for _ in range(d)] for _ in range(sum(sizes))]
    net = Network.from_lists([(W1, [rng.randint(-3, 3) for _ in W1]),
                              ([[rng.randint(-3, 3) for _ in sizes]], [0])],
                             units=[[units.Max(m) for m in sizes]])
    D = Polytope.cube(d, -3, 3)
    check_same(net, D, threads)
    check_same(net, D, processes)


def test_a_max_unit_tied_at_every_vertex_of_a_cell_labels_it_in_the_task(threads):
    """max(x - 1/2, y - 1/2, 0, -1/2 - x - y) after a first layer that passes x and y
    through (relu(x + 2), relu(y + 2) on [-2, 2]^2) and cuts the square away from the
    triangle where the third piece is the unique maximum, though every vertex of it ties
    it with two others: the task holding the triangle must correct its label."""
    H = F(1, 2)
    cuts = [([1, 0], -1), ([0, 1], -1), ([1, 0], -F(3, 2)), ([0, 1], -F(3, 2)),
            ([-1, 0], -F(3, 2)), ([0, -1], -F(3, 2)), ([1, 1], -2), ([1, -1], -3)]
    W1 = [[1, 0], [0, 1]] + [a for a, _ in cuts]
    b1 = [2, 2] + [b for _, b in cuts]
    zero = [0] * len(cuts)
    W2 = [[1, 0] + zero, [0, 1] + zero, [0, 0] + zero, [-1, -1] + zero]
    b2 = [-2 - H, -2 - H, 0, 4 - H]
    from polytopo.network import units

    net = Network.from_lists([(W1, b1), (W2, b2), ([[1]], [0])],
                             units=[[units.RELU] * len(W1), [units.Max(4)]])
    D = Polytope.cube(2, -2, 2)
    C = canonical_complex(net, D)
    assert "--+-" in [C.pattern((2, i))[-4:] for i in range(C.n_regions)]
    check_same(net, D, threads)
