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
    return _finished.finalize(d, H, L, fac, total, funcs, network, cell_labs=labs,
                              reduced=True)   # the tasks send primitive rows


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
    facet CSR per dimension and the labels of the cells of each dimension ``k >= 1``.

    Dimension by dimension, for all tasks at once: a cell whose carrier is a prefix cell
    of one batch only is the task's own; the others (in shared prefix cells) are merged by
    exact identity, vertices by their primitive homogeneous rows, cells by their sorted
    (already merged) facet ids, with one :func:`numpy.unique` over the rows of all tasks.
    Own cells are numbered first, task after task, then the merged ones; the numbering
    does not matter, the canonical order (:func:`~polytopo.complex.state.finalize`) is
    computed from the cells alone."""
    n_res = len(results)
    maps = [[None] * (d + 1) for _ in range(n_res)]
    H = L = None
    fac, labs = [None], []
    for k in range(d + 1):
        own_idx, sh_idx = [], []
        for t, (r, cl) in enumerate(zip(results, closures)):
            code = r["carriers"][k]
            level, local = code % (d + 1), code // (d + 1)
            is_shared = np.zeros(len(code), dtype=bool)
            for lv in range(d + 1):
                pick = level == lv
                if pick.any():
                    is_shared[pick] = shared[lv][cl[lv][local[pick]]]
            own_idx.append(np.flatnonzero(~is_shared))
            sh_idx.append(np.flatnonzero(is_shared))
        n_own = sum(len(o) for o in own_idx)
        # keys of the shared cells of every task, in task order
        if k == 0:
            keys = [r["hom"][i] for r, i in zip(results, sh_idx)]
        else:
            keys = []
            for t, (r, i) in enumerate(zip(results, sh_idx)):
                ptr, idx = r["facets"][k]
                kp, ki = _finished.rows_of(ptr, maps[t][k - 1][idx], i)
                keys.append((kp, _finished.sort_within_rows(kp, ki)))
        sizes = [len(i) for i in sh_idx]
        first, inverse = _merge_keys(k, keys, sizes)
        n_merged = len(first)
        offsets = np.concatenate(([0], np.cumsum([len(o) for o in own_idx])))
        starts = np.concatenate(([0], np.cumsum(sizes)))
        for t in range(n_res):
            m = np.empty(len(results[t]["carriers"][k]), dtype=np.int64)
            m[own_idx[t]] = offsets[t] + np.arange(len(own_idx[t]), dtype=np.int64)
            m[sh_idx[t]] = n_own + inverse[starts[t]:starts[t + 1]]
            maps[t][k] = m
        # the kept cells in global order: own cells task by task, then merged cells
        task_of = np.searchsorted(starts, first, side="right") - 1   # nondecreasing
        pick_sh = [(t, sh_idx[t][first[task_of == t] - starts[t]]) for t in
                   np.unique(task_of).tolist()]
        if k == 0:
            rows = [r["hom"][o] for r, o in zip(results, own_idx)]
            rows += [results[t]["hom"][i] for t, i in pick_sh]
            H = _concat(rows) if rows else np.zeros((0, d + 1), dtype=np.int64)
            vl = [r["labels"][o] for r, o in zip(results, own_idx)]
            vl += [results[t]["labels"][i] for t, i in pick_sh]
            L = np.concatenate(vl)
            continue
        # the kept cells' facet rows (renumbered) and labels, written straight into the
        # glued arrays (no per-task copies to concatenate)
        picks = [(t, own_idx[t]) for t in range(n_res)] + pick_sh
        lengths = np.concatenate([np.diff(results[t]["facets"][k][0])[i] for t, i in picks])
        assert len(lengths) == n_own + n_merged
        ptr = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=ptr[1:])
        ids = np.empty(int(ptr[-1]), dtype=np.int64)
        nb = results[0]["cell_labels"][k - 1].shape[1]
        cl_labs = np.empty((len(lengths), nb), dtype=np.uint8)
        row = 0
        for t, i in picks:
            r = results[t]
            fptr, idx = r["facets"][k]
            kp, ki = _finished.rows_of(fptr, idx, i)
            np.take(maps[t][k - 1], ki, out=ids[ptr[row]:ptr[row + len(i)]])
            np.take(r["cell_labels"][k - 1], i, axis=0, out=cl_labs[row:row + len(i)])
            row += len(i)
        fac.append((ptr, ids))
        labs.append(cl_labs)
    return H, L, fac, labs


def _merge_keys(k, keys, sizes):
    """First occurrences and inverse ids of the distinct keys of all tasks' shared cells:
    rows of vertex coordinates (``k = 0``) or CSR rows of sorted facet ids."""
    total = sum(sizes)
    if total == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if k == 0:
        M = _concat([np.asarray(x) for x in keys])
        if M.dtype == object:   # Python ints: exact tuples in a dict
            ids, first, inverse = {}, [], np.empty(total, dtype=np.int64)
            for j, row in enumerate(map(tuple, M.tolist())):
                g = ids.get(row)
                if g is None:
                    g = ids[row] = len(first)
                    first.append(j)
                inverse[j] = g
            return np.array(first, dtype=np.int64), inverse
    else:
        lens = np.concatenate([np.diff(kp) for kp, _ in keys])
        width = int(lens.max(initial=0))
        M = np.full((total, width + 1), -1, dtype=np.int64)
        M[:, 0] = lens
        row = np.repeat(np.arange(total, dtype=np.int64), lens)
        col = np.arange(len(row), dtype=np.int64) - np.repeat(np.cumsum(lens) - lens, lens) + 1
        M[row, col] = np.concatenate([ki for _, ki in keys])
    first, inverse = _unique_rows(M)
    # number the distinct keys in order of first appearance
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    return first[order], rank[inverse]


def _unique_rows(M):
    """``np.unique(M, axis=0, return_index=True, return_inverse=True)[1:]`` for an int64
    matrix, by one lexsort of its columns (faster than sorting the rows as records): the
    first occurrence of each distinct row, in the order of the sorted rows, and the index
    of every row's distinct row.

    Examples
    --------
    >>> first, inv = _unique_rows(np.array([[2, 1], [0, 5], [2, 1], [0, 4]]))
    >>> first.tolist(), inv.tolist()
    ([3, 1, 0], [2, 1, 2, 0])
    """
    n = len(M)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    order = np.lexsort(M.T[::-1]) if M.shape[1] else np.arange(n)
    S = M[order]
    new = np.ones(n, dtype=bool)
    if n > 1 and M.shape[1]:
        np.any(S[1:] != S[:-1], axis=1, out=new[1:])
    elif n > 1:
        new[1:] = False
    group = np.cumsum(new) - 1
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = group
    return order[new], inverse


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
        hom = b.M[:b.nv, :d + 1]   # primitive (the engine keeps its rows so)
        facets = [None] + [_finished.csr(b.fac[k]) for k in range(1, d + 1)]
        L = np.ascontiguousarray(b.L[:b.nv, :_labels.n_label_bytes(total)])
        lab = _finished.cell_labels(d, L, [None] + [f[0] for f in facets[1:]],
                                    [None] + [f[1] for f in facets[1:]],
                                    payload.get("groups", ()))
        carriers = [np.array(c, dtype=np.int64) for c in b.carriers]
        return _in_label_order(d, {"hom": hom, "labels": np.ascontiguousarray(b.L[:b.nv]),
                                   "facets": facets, "cell_labels": lab[1:],
                                   "carriers": carriers, "n_top": b.n_top}, lab)


def _in_label_order(d, piece, lab):
    """A task's piece with the cells of every dimension renumbered in the order of their
    labels (stable): the master's canonical sort then merges presorted runs."""
    new = None
    for k in range(d + 1):
        order = np.argsort(_labels.sort_keys(lab[k]), kind="stable")
        inv = np.empty(len(order), dtype=np.int64)
        inv[order] = np.arange(len(order), dtype=np.int64)
        piece["carriers"][k] = piece["carriers"][k][order]
        if k == 0:
            piece["hom"] = piece["hom"][order]
            piece["labels"] = piece["labels"][order]
        else:
            ptr, idx = piece["facets"][k]
            kp, ki = _finished.rows_of(ptr, new[idx], order)
            piece["facets"][k] = (kp, ki)
            piece["cell_labels"][k - 1] = piece["cell_labels"][k - 1][order]
        new = inv
    return piece
