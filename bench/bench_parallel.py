"""How much of the parallel build runs on the main process, and what that allows.

``python bench/bench_parallel.py [--net 3-32-32-32] [--workers 2,8] [--dask]``

The parallel build (``canonical_complex(..., executor=...)``, ``polytopo/complex/parallel.py``)
inserts a prefix of neurons serially, ships batches of prefix regions to the workers,
glues their pieces and puts the result in canonical order. Run with an executor that
executes each task inline, every phase is timed in this one process: the *serial
fraction* ``s`` is the share of the time not spent inside tasks, and Amdahl's law bounds
the speed-up at ``N`` workers by ``1 / (s + (1 - s) / N)``. Then the same build runs on a
real process pool (``--jobs``) and, with ``--dask``, on a Dask ``LocalCluster`` with two
workers; both must give the serial complex cell for cell.
"""

import argparse
import concurrent.futures as cf
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))


class InlineExecutor(cf.Executor):
    """Runs every task at ``submit`` (in this process): the phases can be timed apart."""

    def __init__(self, workers):
        self.max_workers = workers

    def submit(self, fn, *args, **kwargs):
        f = cf.Future()
        try:
            f.set_result(fn(*args, **kwargs))
        except BaseException as e:  # noqa: BLE001 - handed to the caller, as a pool does
            f.set_exception(e)
        return f


def parse_net(text):
    from run import seeded_net

    dims = [int(x) for x in text.split("-")]
    if dims[-1] == 1:
        dims = dims[:-1]
    return seeded_net(dims[0], tuple(dims[1:])), dims[0]


def phases(net, d, workers):
    """Seconds per phase of one parallel build with inline tasks."""
    from polytopo.complex import parallel, state
    from polytopo.complex.build import canonical_complex
    from polytopo.geometry.polytope import Polytope

    spent = {"tasks": 0.0, "batching": 0.0, "payloads": 0.0, "glue": 0.0, "finalize": 0.0}
    saved = {}

    def timed(module, name, key):
        f = getattr(module, name)
        saved[(module, name)] = f

        def g(*a, **k):
            t = time.perf_counter()
            try:
                return f(*a, **k)
            finally:
                spent[key] += time.perf_counter() - t
        setattr(module, name, g)

    timed(parallel, "refine_batch", "tasks")
    timed(parallel, "_batches", "batching")
    timed(parallel, "_payload", "payloads")
    timed(parallel, "_glue", "glue")
    timed(state, "finalize", "finalize")
    try:
        t = time.perf_counter()
        C = canonical_complex(net, Polytope.cube(d, -10, 10), executor=InlineExecutor(workers))
        total = time.perf_counter() - t
    finally:
        for (module, name), f in saved.items():
            setattr(module, name, f)
    spent["prefix and the rest"] = total - sum(spent.values())
    return C, total, spent


def same_complex(A, B):
    import numpy as np

    if A.f_vector() != B.f_vector():
        return False
    if not np.array_equal(A.homogeneous_vertices(), B.homogeneous_vertices()):
        return False
    for k in range(1, A.dim + 1):
        for x, y in zip(A.facet_incidence(k), B.facet_incidence(k)):
            if not np.array_equal(x, y):
                return False
    return all(np.array_equal(A.pattern_signs(k), B.pattern_signs(k))
               for k in range(A.dim + 1))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--net", default="3-32-32-32-1")
    ap.add_argument("--workers", default="2,8,32")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--dask", action="store_true")
    args = ap.parse_args()
    from polytopo.complex.build import canonical_complex
    from polytopo.geometry.polytope import Polytope

    net, d = parse_net(args.net)
    D = Polytope.cube(d, -10, 10)
    t = time.perf_counter()
    serial = canonical_complex(net, D)
    t_serial = time.perf_counter() - t
    print(f"# {args.net}: {serial.n_regions} regions, {sum(serial.f_vector())} cells; "
          f"serial build {t_serial:.2f} s")
    print(f"{'workers':>8}{'tasks s':>9}{'serial s':>10}{'  (prefix+rest, batching, payloads, glue, finalize)':<52}"
          f"{'s':>7}{'Amdahl 8':>10}{'32':>7}{'128':>7}")
    for w in (int(x) for x in args.workers.split(",") if x):
        C, total, spent = phases(net, d, w)
        assert same_complex(C, serial), "the parallel build differs from the serial one"
        serial_s = total - spent["tasks"]
        s = serial_s / total
        parts = ", ".join(f"{spent[k]:.2f}" for k in ("prefix and the rest", "batching",
                                                       "payloads", "glue", "finalize"))
        amdahl = [1 / (s + (1 - s) / n) for n in (8, 32, 128)]
        print(f"{w:>8}{spent['tasks']:>9.2f}{serial_s:>10.2f}  ({parts}){'':<12}"
              f"{100 * s:>6.1f}%{amdahl[0]:>9.1f}x{amdahl[1]:>6.1f}x{amdahl[2]:>6.1f}x",
              flush=True)
    if args.jobs > 1:
        import multiprocessing

        with cf.ProcessPoolExecutor(args.jobs, mp_context=multiprocessing.get_context("spawn")) as ex:
            list(ex.map(abs, range(args.jobs)))  # start the workers before timing
            t = time.perf_counter()
            C = canonical_complex(net, D, executor=ex, workers=args.jobs)
            t_par = time.perf_counter() - t
        print(f"process pool, {args.jobs} workers: {t_par:.2f} s, speed-up "
              f"{t_serial / t_par:.2f}x, identical to the serial build: {same_complex(C, serial)}")
    if args.dask:
        try:
            from distributed import Client, LocalCluster
        except ImportError as e:
            print(f"dask: not installed ({e}); pip install 'polytopo[dask]'")
            return
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            ex = client.get_executor()
            t = time.perf_counter()
            C = canonical_complex(net, D, executor=ex, workers=2)
            t_dask = time.perf_counter() - t
        print(f"dask LocalCluster, 2 workers: {t_dask:.2f} s, identical to the serial build: "
              f"{same_complex(C, serial)}")


if __name__ == "__main__":
    main()
