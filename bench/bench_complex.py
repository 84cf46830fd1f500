"""Benchmark of the exact canonical complex on seeded random integer networks.

Run ``python bench/bench_complex.py [--large] [--arch 2-16-16-1 ...] [--seed N]
[--executor serial|thread|process|dask] [--workers N] [--compare]``.
Nets: integer weights and biases in [-5, 5] (the same seeded nets as ``bench/run.py``),
domain [-10, 10]^d. Prints, per architecture: regions, f-vector, total cells, wall time
of ``canonical_complex`` (unprofiled), of the chain complex + homology and of the exact
region volumes, the peak memory (Linux ``VmHWM``) of this process and of its largest live
worker process so far, then a cProfile summary of a second, profiled serial
``canonical_complex`` run: where the time goes, the place to start optimising
(``--no-profile`` skips it).

``--executor`` builds the complex with a ``concurrent.futures`` executor of ``--workers``
workers (``dask``: a ``distributed.LocalCluster`` of worker processes, needs the ``dask``
extra); ``--compare`` also runs the serial build, checks that both complexes are
identical (vertices, labels, facets) and prints the speed-up.
"""

import argparse
import cProfile
import io
import pstats
import random
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from polytopo.complex.build import canonical_complex  # noqa: E402
from polytopo.network.model import Network  # noqa: E402
from polytopo.geometry.polytope import Polytope  # noqa: E402

DEFAULT = ["2-16-16-1", "3-12-12-1"]
LARGE = ["2-128-128-1", "3-32-32-1", "2-256-256-1", "3-32-32-32-1"]


def random_network(arch, seed, bound=5):
    """A network with integer weights and biases drawn uniformly from ``[-bound, bound]``."""
    rng = random.Random(seed)
    layers = []
    for n_in, n_out in zip(arch, arch[1:]):
        W = [[rng.randint(-bound, bound) for _ in range(n_in)] for _ in range(n_out)]
        b = [rng.randint(-bound, bound) for _ in range(n_out)]
        layers.append((W, b))
    return Network.from_lists(layers)


@contextmanager
def make_executor(kind, workers):
    """A ``concurrent.futures`` executor of the given kind (``None`` for serial)."""
    if kind == "serial":
        yield None
    elif kind == "thread":
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(workers) as ex:
            yield ex
    elif kind == "process":
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers) as ex:
            ex.submit(int).result()  # start the workers before the clock does
            yield ex
    elif kind == "dask":
        from distributed import Client, LocalCluster

        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            yield client.get_executor()
    else:
        raise ValueError(kind)


def same_complex(A, B):
    """Identical complexes: vertices, and per dimension labels and facets."""
    if A.f_vector() != B.f_vector() or A.vertices() != B.vertices():
        return False
    return all(A.label(c) == B.label(c) and A.facets_of(c) == B.facets_of(c)
               for k in range(A.dim + 1) for c in A.cells(k))


def run(arch_text, seed, profile, extras, executor, kind, compare):
    arch = [int(x) for x in arch_text.split("-")]
    net = random_network(arch, seed)
    domain = Polytope.cube(arch[0], -10, 10)
    t0 = time.perf_counter()
    C = canonical_complex(net, domain, executor=executor)
    t_build = time.perf_counter() - t0
    f = C.f_vector()
    print(f"{arch_text} seed {seed}: {C.n_regions} regions, f-vector {f}, "
          f"{sum(f)} cells, canonical_complex ({kind}) {t_build:.2f} s "
          f"({C.n_regions / t_build:.0f} regions/s)")
    if compare and executor is not None:
        t0 = time.perf_counter()
        S = canonical_complex(net, domain)
        t_serial = time.perf_counter() - t0
        print(f"    serial {t_serial:.2f} s: speed-up {t_serial / t_build:.2f}x, "
              f"identical: {same_complex(C, S)}")
        del S
    if extras:
        t0 = time.perf_counter()
        h = C.homology()
        t_h = time.perf_counter() - t0
        t0 = time.perf_counter()
        vol = sum(r.volume for r in C.regions())
        t_v = time.perf_counter() - t0
        print(f"    chain complex + homology {t_h:.2f} s ({[str(g) for g in h]}); "
              f"volumes {t_v:.2f} s (total {vol} = {domain.volume()})")
    main_mb, child_mb = _max_rss_mb()
    print(f"    peak memory so far: this process {main_mb:.0f} MB, "
          f"largest worker process {child_mb:.0f} MB")
    if profile:
        del C
        prof = cProfile.Profile()
        prof.enable()
        canonical_complex(net, domain)
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(12)
        print("    profile of canonical_complex (cProfile, sorted by own time):")
        print("\n".join("    " + line for line in out.getvalue().splitlines()
                        if line.strip() and not line.lstrip().startswith(("Ordered", "List"))))


def _hwm_mb(pid="self"):
    """Peak resident memory (Linux ``VmHWM``) of a process, in MB; 0 when unknown."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _descendants(pid="self"):
    """Pids of the live descendants of a process (Linux ``/proc/*/task/*/children``)."""
    import glob

    out = []
    for path in glob.glob(f"/proc/{pid}/task/*/children"):
        try:
            with open(path) as fh:
                kids = fh.read().split()
        except OSError:
            continue
        for kid in kids:
            out += [kid] + _descendants(kid)
    return out


def _max_rss_mb():
    """Peak memory of this process and of its largest live worker process (MB)."""
    return _hwm_mb(), max([_hwm_mb(pid) for pid in _descendants()], default=0.0)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--arch", nargs="*", default=None, help="e.g. 2-16-16-1 (input-hidden-output)")
    p.add_argument("--large", action="store_true", help=f"also {', '.join(LARGE)} (~1 min)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--executor", choices=["serial", "thread", "process", "dask"],
                   default="serial")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--compare", action="store_true",
                   help="with --executor: also build serially, check identity, print speed-up")
    p.add_argument("--no-profile", action="store_true", help="skip the cProfile summary")
    p.add_argument("--no-extras", action="store_true", help="skip homology and volumes")
    args = p.parse_args(argv)
    archs = args.arch or (DEFAULT + (LARGE if args.large else []))
    with make_executor(args.executor, args.workers) as ex:
        for arch in archs:
            run(arch, args.seed, not args.no_profile, not args.no_extras, ex, args.executor,
                args.compare)


if __name__ == "__main__":
    main()
