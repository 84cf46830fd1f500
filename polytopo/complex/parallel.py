"""Building a network's canonical complex with a ``concurrent.futures.Executor`` (private).

1. The first neurons are inserted serially until the complex has a few dozen regions
   (the *prefix complex*).
2. Its regions are grouped into batches by recursive bisection of their centroids
   (balanced by volume); each task refines the closure of one batch — a small complex
   with its vertex labels so far — by all remaining functions. Tasks are top-level
   functions on compact numpy data, so any executor can run them (threads, processes,
   ``distributed.Client(...).get_executor()``).
3. The results are glued by exact identity. Every cell records its *carrier*, the
   smallest prefix cell containing its relative interior (a piece of a split cell,
   and its zero cell, keep the split cell's carrier). A prefix cell in the closure of
   one batch only is refined by that task alone; a prefix cell shared by several
   batches is subdivided identically by each of them (the canonical complex restricted
   to a cell is intrinsic to the cell), so its descendants are merged: vertices by their
   exact primitive homogeneous coordinates, cells by their (already merged) facets.
4. The glued complex is put in canonical order like a serial build: the result is the
   same, cell for cell and in the same order, whatever the executor and the batching.
"""

import concurrent.futures as cf

import numpy as np

from . import engine as _engine
from . import labels as _labels
from . import plan as _plan
from . import state as _finished
from ..exceptions import LimitExceeded
from ..geometry.integer import as_matrix, reduce_rows, shrink, to_object

PREFIX_REGIONS_PER_TASK = 4  # prefix regions per task, at least
DEFAULT_TASKS = 16           # tasks when the executor does not say how many workers it has
MAX_TASKS = 256
PROGRESS_EVERY = 0.25        # seconds between progress calls while tasks run


def n_tasks(executor, workers=None):
    """A moderate number of tasks: four per worker when the number of workers is known.

    ``workers`` comes from the caller; without it, from the executor's public
    ``max_workers`` attribute when it has one (an integer), else :data:`DEFAULT_TASKS`.

    Examples
    --------
    >>> n_tasks(None), n_tasks(None, workers=8), n_tasks(None, workers=1000)
    (16, 32, 256)
    """
    if workers is None:
        workers = getattr(executor, "max_workers", None)
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        return DEFAULT_TASKS
    return max(4, min(MAX_TASKS, 4 * workers))


def build_parallel(network, start, plan, executor, progress, max_regions, tasks=None,
                   workers=None):
    """The finished :class:`~polytopo.complex.state.State` of the network's complex (see
    the module doc), from the :class:`~polytopo.complex.state.State` ``start`` (the
    domain's face complex)."""
    d = start.d
    total = len(plan)
    layers = _plan.unit_program(network)
    funcs = [desc for _, _, desc in plan]
    T = tasks or n_tasks(executor, workers)
    builder = _finished.builder_from_state(start, total)

    step = _plan.step_reporter(builder, total, progress, max_regions,
                               "neurons" if network.is_relu else "functions")
    t0 = 0
    while t0 < total and builder.n_top < PREFIX_REGIONS_PER_TASK * T:
        _plan.run_plan(builder, layers, plan, t0, t0 + 1, step)
        t0 += 1
    prefix = _finished.builder_state(builder, funcs[:t0], network)
    builder.fac = builder.cof = builder.M = None  # free the prefix builder's storage
    if t0 == total or len(prefix.fp[d]) - 1 < 2:
        if t0 < total:  # one region: nothing to share out
            b = _finished.builder_from_state(prefix, total)
            _plan.run_plan(b, layers, plan, t0, total, lambda done: None)
            return _finished.builder_state(b, funcs, network)
        return _finished.State(d, prefix.hom, prefix.lab, prefix.fp, prefix.fi, funcs, network)
    P = prefix
    batches = _batches(P, T)
    closures = [_closure(P, batch) for batch in batches]
    shared = _shared(P, closures)
    groups = _labels.max_groups(funcs, network)
    payloads = [_payload(P, cl, layers, plan, t0, total, max_regions, groups)
                for cl in closures]
    futures = [executor.submit(refine_batch, p) for p in payloads]
    del payloads
    try:
        results = _collect(futures, batches, t0, total, progress, max_regions)
    except BaseException:
        for f in futures:
            f.cancel()
        raise
    H, L, fac, labs = _glue(d, results, closures, shared)
    del results
    return _finished.finalize(d, H, L, fac, total, funcs, network, cell_labs=labs)


# ---------------------------------------------------------------------------------------
# the master's side
# ---------------------------------------------------------------------------------------
def _count(P, k):
    """Number of k-cells of a finished complex (:class:`~polytopo.complex.state.State`)."""
    return len(P.hom) if k == 0 else len(P.fp[k]) - 1


def _batches(P, T):
    """Top cells of the prefix complex ``P`` (a :class:`~polytopo.complex.state.State`) in
    ``T`` groups of nearby cells of similar volume."""
    from .volume import region_volumes

    d = P.d
    n = _count(P, d)
    T = min(T, n)
    vcsr = _finished.vertex_csr(d, len(P.hom), P.fp, P.fi)
    vp, vi = vcsr[d][0].tolist(), vcsr[d][1].tolist()
    hom = P.hom
    cent = []
    for a, b in zip(vp[:-1], vp[1:]):
        acc = [0.0] * d
        for v in vi[a:b]:
            h = hom[v]
            w = h[-1]
            for i in range(d):
                acc[i] += h[i] / w
        cent.append([x / (b - a) for x in acc])
    weight = [float(v) for v in region_volumes(d, P.hom, P.fp, P.fi, vcsr, list(range(n)))]
    out = []

    def bisect(items, t):
        if t == 1 or len(items) == 1:
            out.append(sorted(items))
            return
        spread = [max(cent[i][a] for i in items) - min(cent[i][a] for i in items)
                  for a in range(d)]
        axis = spread.index(max(spread))
        items = sorted(items, key=lambda i: (cent[i][axis], i))
        t1 = t // 2
        target = sum(weight[i] for i in items) * t1 / t
        acc, cut = 0.0, 0
        while cut < len(items) - 1 and (cut == 0 or acc + weight[items[cut]] / 2 <= target):
            acc += weight[items[cut]]
            cut += 1
        cut = max(1, min(cut, len(items) - 1))
        bisect(items[:cut], t1)
        bisect(items[cut:], t - t1)

    bisect(list(range(n)), T)
    return out


def _closure(P, batch):
    """Sorted cell ids per dimension of the closure of a batch of top cells."""
    d = P.d
    marks = [np.zeros(_count(P, k), dtype=bool) for k in range(d + 1)]
    marks[d][batch] = True
    for k in range(d, 0, -1):
        rows = np.flatnonzero(marks[k])
        _, facets = _finished.rows_of(P.fp[k], P.fi[k], rows)
        marks[k - 1][facets] = True
    return [np.flatnonzero(m) for m in marks]


def _shared(P, closures):
    """Per dimension, a mask of the prefix cells lying in more than one batch's closure."""
    out = []
    for k in range(P.d + 1):
        count = np.zeros(_count(P, k), dtype=np.int32)
        for cl in closures:
            count[cl[k]] += 1
        out.append(count > 1)
    return out


def _payload(P, cl, layers, plan, t0, total, max_regions, groups=()):
    """Compact data of one task: the closure of its batch, renumbered locally."""
    d = P.d
    hom = as_matrix([P.hom[v] for v in cl[0].tolist()], d + 1)
    L = np.zeros((len(cl[0]), _labels.n_label_bytes(total)), dtype=np.uint8)
    L0 = P.lab[0][cl[0]]
    L[:, :L0.shape[1]] = L0
    fac = [None]
    for k in range(1, d + 1):
        local = np.full(_count(P, k - 1), -1, dtype=np.int64)
        local[cl[k - 1]] = np.arange(len(cl[k - 1]), dtype=np.int64)
        ptr, idx = _finished.rows_of(P.fp[k], P.fi[k], cl[k])
        fac.append((ptr, local[idx]))
    return {"d": d, "layers": layers, "plan": plan, "t0": t0, "total": total,
            "hom": hom, "labels": L, "facets": fac, "max_regions": max_regions,
            "groups": groups}


def _collect(futures, batches, t0, total, progress, max_regions):
    """Results in batch order; progress and the region limit while they arrive."""
    index = {f: i for i, f in enumerate(futures)}
    results = [None] * len(futures)
    pending = set(futures)
    found = 0
    waiting = sum(len(b) for b in batches)  # every prefix region gives >= 1 region
    while pending:
        # wake up now and then even when no task finishes, so that progress is redrawn
        # and a caller's deadline (checked in ``progress``) is noticed
        done, pending = cf.wait(pending, timeout=PROGRESS_EVERY,
                                return_when=cf.FIRST_COMPLETED)
        for f in done:
            i = index[f]
            results[i] = f.result()
            found += results[i]["n_top"]
            waiting -= len(batches[i])
        finished = len(futures) - len(pending)
        n = found + waiting
        if progress is not None:
            progress(t0 + (total - t0) * finished // len(futures), total, n)
        if max_regions is not None and n > max_regions:
            raise LimitExceeded(f"more than {max_regions} regions")
    return results


def _glue(d, results, closures, shared):
    """One complex from the tasks' pieces (see the module doc): vertex rows, vertex labels,
    facet CSR per dimension and the labels of the cells of each dimension ``k >= 1``,
    numbered in order of first appearance."""
    n_new = [0] * (d + 1)
    seen = [dict() for _ in range(d + 1)]
    rows, labs = [], []
    parts = [[] for _ in range(d + 1)]  # per dimension: (lengths, facet ids) of new cells
    cell_labs = [[] for _ in range(d + 1)]  # per dimension k >= 1: labels of the new cells
    for r, cl in zip(results, closures):
        maps = []
        for k in range(d + 1):
            code = r["carriers"][k]
            level, local = code % (d + 1), code // (d + 1)
            gid = np.empty(len(code), dtype=np.int64)
            for lv in range(d + 1):
                pick = level == lv
                if pick.any():
                    gid[pick] = cl[lv][local[pick]]
            is_shared = np.zeros(len(code), dtype=bool)
            for lv in range(d + 1):
                pick = level == lv
                if pick.any():
                    is_shared[pick] = shared[lv][gid[pick]]
            m = np.empty(len(code), dtype=np.int64)
            own = np.flatnonzero(~is_shared)
            m[own] = n_new[k] + np.arange(len(own), dtype=np.int64)
            n_new[k] += len(own)
            keep = own.tolist()
            if k == 0:
                H = r["hom"]
                gl = {}
                for i in np.flatnonzero(is_shared).tolist():
                    key = tuple(H[i].tolist())
                    g = seen[0].get(key)
                    if g is None:
                        g = seen[0][key] = n_new[0]
                        n_new[0] += 1
                        keep.append(i)
                    gl[i] = g
                if gl:
                    m[list(gl)] = list(gl.values())
                keep.sort(key=m.__getitem__)
                rows.append(H[keep])
                labs.append(r["labels"][keep])
            else:
                ptr, idx = r["facets"][k]
                gf = maps[k - 1][idx]
                sh = np.flatnonzero(is_shared).tolist()
                if sh:
                    pl, gfl = ptr.tolist(), gf.tolist()
                    for i in sh:
                        key = tuple(sorted(gfl[pl[i]:pl[i + 1]]))
                        g = seen[k].get(key)
                        if g is None:
                            g = seen[k][key] = n_new[k]
                            n_new[k] += 1
                            keep.append(i)
                        m[i] = g
                keep = np.array(sorted(keep, key=m.__getitem__), dtype=np.int64)
                kp, ki = _finished.rows_of(ptr, gf, keep)
                parts[k].append((np.diff(kp), ki))
                cell_labs[k].append(r["cell_labels"][k - 1][keep])
            maps.append(m)
    H = rows[0] if len(rows) == 1 else _concat(rows)
    L = np.concatenate(labs)
    fac = [None]
    for k in range(1, d + 1):
        lengths = np.concatenate([p[0] for p in parts[k]])
        ptr = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=ptr[1:])
        fac.append((ptr, np.concatenate([p[1] for p in parts[k]])))
    return H, L, fac, [np.concatenate(cell_labs[k]) for k in range(1, d + 1)]


def _concat(mats):
    if any(m.dtype == object for m in mats):
        return np.concatenate([to_object(m) for m in mats])
    return np.concatenate(mats)


# ---------------------------------------------------------------------------------------
# the task (runs in a worker)
# ---------------------------------------------------------------------------------------
def carry_before(H, layers, plan, t0):
    """The carry the builder holds before inserting ``plan[t0]``: the carry of its layer
    if it is not the layer's first function, of the layer of ``plan[t0 − 1]`` otherwise."""
    d = H.shape[1] - 1
    li, j, _ = plan[t0]
    last = li if j > 0 else (plan[t0 - 1][0] if t0 > 0 else -1)
    if last < 0:
        return None
    Z, w = H[:, :d], H[:, d]
    for layer in range(last + 1):
        Z = _plan.carry_values(layers, layer, Z, w)
    return Z


def refine_batch(payload):
    """Refine one batch's closure by ``plan[t0:]``; every cell with its carrier code
    ``local id * (d + 1) + dimension`` of the prefix cell it lies in."""
    with _engine.no_gc():
        d, plan, t0, total = payload["d"], payload["plan"], payload["t0"], payload["total"]
        layers, H, L = payload["layers"], payload["hom"], payload["labels"]
        max_regions = payload["max_regions"]
        fac = [None]
        for k in range(1, d + 1):
            ptr, idx = payload["facets"][k]
            flat, pl = idx.tolist(), ptr.tolist()
            if k == 1:
                fac.append(list(zip(flat[0::2], flat[1::2])))
            else:
                fac.append([tuple(flat[a:b]) for a, b in zip(pl[:-1], pl[1:])])
        counts = [len(H)] + [len(fac[k]) for k in range(1, d + 1)]
        carriers = [list(range(k, (d + 1) * n + k, d + 1)) if n else [] for k, n in
                    enumerate(counts)]
        C = carry_before(H, layers, plan, t0)
        M = H
        if C is not None:
            M = np.empty((len(H), d + 1 + C.shape[1]),
                         dtype=object if (H.dtype == object or C.dtype == object) else np.int64)
            M[:, :d + 1] = H
            M[:, d + 1:] = C
            M = shrink(reduce_rows(M)) if M.dtype == object else reduce_rows(M)
        builder = _engine.builder_from_lists(d, M, L, fac, t0, carriers)

        def step(done):
            if max_regions is not None and builder.n_top > max_regions:
                raise LimitExceeded(f"more than {max_regions} regions after inserting "
                                    f"{done} of {total} neurons")

        _plan.run_plan(builder, layers, plan, t0, total, step)
        b = builder
        hom = reduce_rows(b.M[:b.nv, :d + 1])
        facets = [None] + [_finished.csr(b.fac[k]) for k in range(1, d + 1)]
        L = np.ascontiguousarray(b.L[:b.nv, :_labels.n_label_bytes(total)])
        lab = _finished.cell_labels(d, L, [None] + [f[0] for f in facets[1:]],
                                    [None] + [f[1] for f in facets[1:]],
                                    payload.get("groups", ()))
        return {"hom": hom, "labels": np.ascontiguousarray(b.L[:b.nv]),
                "facets": facets, "cell_labels": lab[1:],
                "carriers": [np.array(c, dtype=np.int64) for c in b.carriers],
                "n_top": b.n_top}
