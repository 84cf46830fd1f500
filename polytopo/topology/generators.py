"""Generators of integral homology: an explicit basis of every ``H_k`` as integer cycles.

For a chain complex ``C``, ``H_k = Z_k / B_k ≅ Z^{b_k} ⊕ Z/t_1 ⊕ … ⊕ Z/t_m`` (invariant
factors ``t_i | t_{i+1}``). A *basis* of ``H_k`` is a list of k-cycles ``z_1, …, z_{b_k}``
(free) and ``w_1, …, w_m`` (torsion, ``w_i`` of order ``t_i``) such that
``Z^{b_k} ⊕ ⨁ Z/t_i → H_k``, sending the unit vectors to their classes, is an isomorphism.
:func:`homology_generators` computes one from the Smith normal form with its transformations
and :func:`check_generators` proves it is one, both exactly over Z. :func:`subcomplex_generators`
does the same for a subcomplex ``X`` or a pair ``(X, A)`` (relative cycles: chains of ``X``
outside ``A`` whose boundary lies in ``A``), and in a 2-disk it picks for ``H_1`` the outer
boundary loops of the holes (:func:`planar_hole_cycles`).
"""

__all__ = ["Generator", "homology_generators", "check_generators", "subcomplex_generators",
           "planar_hole_cycles", "edge_walks", "walks_of_arcs"]

from dataclasses import dataclass

import numpy as np

from .snf import kernel_tracked, reduce_with_chains, smith_form_tracked, span_invariants

#: ``planar_hole_cycles`` fills the holes that need it while their total work (cells and
#: incidences searched) stays below this
FILL_MAX_WORK = 20_000_000


@dataclass(frozen=True)
class Generator:
    """One generator of ``H_k``: an integer k-cycle (or relative cycle) and its order.

    Attributes
    ----------
    dim : int
        ``k``.
    chain : tuple of (int, int)
        ``(cell index, coefficient)`` pairs, sorted by cell, coefficients nonzero.
    order : int or None
        ``None`` for a free generator (infinite order), else the torsion order ``t > 1``.

    Examples
    --------
    >>> Generator(1, ((0, 1), (3, -1)), 2)
    Generator(dim=1, order=2, 2 cells)
    """

    dim: int
    chain: tuple
    order: int | None = None

    def __repr__(self):
        return (f"Generator(dim={self.dim}, order={'∞' if self.order is None else self.order}"
                f", {len(self.chain)} cells)")

    def as_dict(self):
        """The chain as ``{cell: coefficient}``."""
        return dict(self.chain)


def _generator(k, chain, order=None):
    return Generator(k, tuple(sorted((c, v) for c, v in chain.items() if v)), order)


# ---------------------------------------------------------------------------------------
# generators of a chain complex
# ---------------------------------------------------------------------------------------
def homology_generators(cc, *, check=True):
    """A basis of ``H_k`` over Z for every ``k``: free cycles, and torsion cycles with their orders.

    Parameters
    ----------
    cc : ChainComplex
    check : bool
        Prove the answer with :func:`check_generators` (raises when it fails).

    Returns
    -------
    list of list of Generator
        Index ``k``: first the ``b_k`` free generators, then one generator per invariant
        factor ``t > 1`` of ``∂_{k+1}``, in divisibility order (``order = t``). Chains are in
        the cell indices of ``cc``.

    Raises
    ------
    RuntimeError
        If the check fails (a bug, never expected).

    Examples
    --------
    The minimal triangulation of the projective plane: ``H_1 = Z/2``.

    >>> from polytopo.topology.homology import simplicial_complex
    >>> RP2 = simplicial_complex([(1, 2, 4), (1, 2, 6), (1, 3, 5), (1, 3, 6), (1, 4, 5),
    ...                           (2, 3, 4), (2, 3, 5), (2, 5, 6), (3, 4, 6), (4, 5, 6)])
    >>> gens = homology_generators(RP2)
    >>> [[g.order for g in level] for level in gens]
    [[None], [2], []]

    Notes
    -----
    The complex is first reduced as for the Betti numbers, top-down by unit pivots
    (:func:`polytopo.topology.snf.reduce_with_chains`), recording for each surviving cell
    the chain of ``cc`` it stands for; on cell complexes almost everything is reduced here
    and the recorded chains are all the work. On the small complex ``C'`` that is left,
    ``H_k(C') = ker R_k / im R_{k+1}``: a kernel basis ``K`` of ``R_k`` (column reduction,
    with the inverse transformation), the matrix ``W`` of ``R_{k+1}`` in that basis, and
    the Smith form ``P W Q = diag(d_i)`` with the row operations ``P`` applied to ``K``
    (:func:`polytopo.topology.snf.smith_form_tracked`): the columns of ``K P^{-1}`` with
    ``d_i > 1`` generate the torsion, those past the rank of ``W`` the free part. The
    recorded chains carry them back to ``cc``. See Kaczynski, Mischaikow and Mrozek,
    *Computational Homology* (2004), §3.4 and §4.
    """
    d = cc.dimension
    n = cc.n_cells
    levels = [None] + [cc.boundary_arrays(k) for k in range(1, d + 1)]
    surv, rest, chains = reduce_with_chains(levels, n)
    out = [_level_generators(k, surv, rest, chains, d) for k in range(d + 1)]
    if check:
        failures = check_generators(cc, out)
        if failures:
            raise RuntimeError("homology generators failed their check: " + "; ".join(failures))
    return out


def _level_generators(k, surv, rest, chains, d):
    S = surv[k]
    Rk = rest[k] if k >= 1 else {}
    Rk1 = rest[k + 1] if k < d else {}
    row_hits = {}
    for c1, col in Rk1.items():
        for r in col:
            row_hits.setdefault(r, []).append(c1)
    N = [c for c in S if c in Rk]
    plain = [c for c in S if c not in Rk and c not in row_hits]   # free at once
    basis = [{c: 1} for c in S if c not in Rk and c in row_hits]
    n_plain_rows = len(basis)
    r, V, Vi = 0, [], []
    if N:
        rows = sorted({x for c in N for x in Rk[c]})
        where = {x: i for i, x in enumerate(rows)}
        A = [[0] * len(N) for _ in rows]
        for j, c in enumerate(N):
            for x, v in Rk[c].items():
                A[where[x]][j] = v
        r, V, Vi = kernel_tracked(A, len(N))
        for j in range(r, len(N)):
            basis.append({N[i]: V[i][j] for i in range(len(N)) if V[i][j]})
    cols = sorted(Rk1)
    W = [[0] * len(cols) for _ in basis]
    posN = {c: i for i, c in enumerate(N)}
    for j, c1 in enumerate(cols):
        col = Rk1[c1]
        for i, b in enumerate(basis[:n_plain_rows]):
            (c,) = b
            W[i][j] = col.get(c, 0)
        if N:
            y = [0] * len(N)
            for x, v in col.items():
                if x in posN:
                    y[posN[x]] = v
            coords = [sum(a * b for a, b in zip(row, y)) for row in Vi]
            if any(coords[:r]):
                raise RuntimeError(f"a boundary of dimension {k} is not a cycle of the "
                                   f"reduced complex")
            for i, x in enumerate(coords[r:]):
                W[n_plain_rows + i][j] = x
    diag = smith_form_tracked(W, basis)
    free = [{c: 1} for c in plain] + basis[len(diag):]
    torsion = [(basis[t], x) for t, x in enumerate(diag) if x > 1]

    def lift(z):
        out = {}
        for c, x in z.items():
            for c0, y in chains[k].get(c, {c: 1}).items():
                out[c0] = out.get(c0, 0) + x * y
        return out

    gens = [_generator(k, lift(z)) for z in free]
    gens += [_generator(k, lift(z), t) for z, t in torsion]
    return gens


# ---------------------------------------------------------------------------------------
# the proof
# ---------------------------------------------------------------------------------------
def check_generators(cc, generators):
    """Prove that ``generators`` is a basis of ``H_k(cc)`` for every ``k``; return what fails.

    For every ``k``, with ``B = im ∂_{k+1}``, ``z_i`` the free and ``w_j`` the torsion
    generators (orders ``t_j``):

    1. the numbers: ``b_k`` free generators, and the orders ``t_j`` are the invariant
       factors ``> 1`` of ``∂_{k+1}`` (the torsion of ``H_k``), in order;
    2. every generator is a cycle, ``∂_k z = 0``, exactly;
    3. ``t_j w_j ∈ B``: the lattice spanned by ``B`` and the ``t_j w_j`` has the invariant
       factors of ``B`` (a lattice containing ``B`` with the same rank and the same factors
       is ``B``);
    4. the generators and ``B`` span ``Z_k``: the Smith form of ``[∂_{k+1} | z | w]`` has
       ``rank Z_k = b_k + rank ∂_{k+1}`` factors, all 1 (a saturated sublattice of ``Z_k``
       of full rank is ``Z_k``).

    By 2–3 the map ``Z^{b_k} ⊕ ⨁ Z/t_j → H_k`` is well defined, by 4 onto, and by 1 its
    source is isomorphic to ``H_k``; a finitely generated abelian group is Hopfian, so it
    is an isomorphism.

    Returns
    -------
    list of str
        Empty when every check passes.

    Examples
    --------
    >>> from polytopo.topology.homology import simplicial_complex
    >>> S1 = simplicial_complex([(0, 1), (1, 2), (0, 2)])
    >>> check_generators(S1, homology_generators(S1))
    []
    >>> check_generators(S1, [[Generator(0, ((0, 1),))], [Generator(1, ((0, 2),))]])
    ['H_1: generator 0 is not a cycle', 'H_1: the generators and the boundaries do not span the cycles']
    """
    groups = cc.homology()
    d = cc.dimension
    n = cc.n_cells
    levels = [None] + [cc.boundary_arrays(k) for k in range(1, d + 1)]
    fails = []
    if len(generators) != d + 1:
        return [f"{len(generators)} levels of generators for a complex of dimension {d}"]
    for k, gens in enumerate(generators):
        g = groups[k]
        free = [x for x in gens if x.order is None]
        tors = [x for x in gens if x.order is not None]
        if len(free) != g.rank or tuple(x.order for x in tors) != g.torsion:
            fails.append(f"H_{k}: {len(free)} free generators and orders "
                         f"{[x.order for x in tors]}, but H_{k} = {g}")
            continue
        chains = [x.as_dict() for x in gens]
        if any(x.dim != k or not all(0 <= c < n[k] for c in z)
               for x, z in zip(gens, chains)):
            fails.append(f"H_{k}: a generator is not a chain of {k}-cells")
            continue
        for i in _not_cycles(cc, k, chains):
            fails.append(f"H_{k}: generator {i} is not a cycle")
        rank_b = cc.boundary_rank(k + 1)
        if tors:
            got = span_invariants(levels, n, k + 1, [{c: x.order * v for c, v in z.items()}
                                                     for x, z in zip(gens, chains) if x.order])
            if got != (rank_b - len(g.torsion), g.torsion):
                fails.append(f"H_{k}: a torsion generator times its order is not a boundary")
        if gens or rank_b < n[k] - cc.boundary_rank(k):
            got = span_invariants(levels, n, k + 1, chains)
            if got != (rank_b + g.rank, ()):
                fails.append(f"H_{k}: the generators and the boundaries do not span the cycles")
    return fails


def _not_cycles(cc, k, chains):
    """Indices of the chains with nonzero boundary (one sparse product when int64 allows)."""
    if k == 0 or not chains:
        return []
    indptr, indices, data = cc.boundary_arrays(k)
    big = any(abs(v) >= 1 << 20 for z in chains for v in z.values())
    if data.dtype == object or big or (data.size and np.abs(data).max() >= 1 << 20):
        return [i for i, z in enumerate(chains) if cc.boundary_of(k, z)]
    from scipy import sparse

    D = sparse.csc_matrix((data, indices, indptr), shape=(cc.n_cells[k - 1], cc.n_cells[k]))
    rows = [c for z in chains for c in z]
    cols = [i for i, z in enumerate(chains) for _ in z]
    vals = [v for z in chains for v in z.values()]
    G = sparse.csc_matrix((np.array(vals, dtype=np.int64), (rows, cols)),
                          shape=(cc.n_cells[k], len(chains)))
    P = (D @ G).tocsc()
    P.eliminate_zeros()
    return np.flatnonzero(np.diff(P.indptr)).tolist()


# ---------------------------------------------------------------------------------------
# subcomplexes and pairs
# ---------------------------------------------------------------------------------------
def subcomplex_generators(ambient, subcomplex=None, *, relative_to=None, planar=True,
                          check=True):
    """Generators of ``H(X)`` or ``H(X, A)`` for subcomplexes of a chain complex, in its indices.

    Parameters
    ----------
    ambient : ChainComplex
    subcomplex : list of iterables of int, optional
        ``X`` (cell indices per dimension); default the whole complex.
    relative_to : list of iterables of int, optional
        ``A``: then the generators are relative cycles of ``(X, A ∩ X)``, chains of cells of
        ``X`` not in ``A`` whose boundary (in ``ambient``) lies in ``A`` (checked).
    planar : bool
        When ``ambient`` is a 2-dimensional cellulation of a disk (checked by
        :func:`planar_hole_cycles`) and there is no ``A``, take for ``H_1`` the outer
        boundary loops of the holes of ``X``, checked like any other generators (kept only
        when they pass).
    check : bool
        Prove the answer (:func:`check_generators`, in the chain complex of ``X`` or of the
        pair) and raise ``RuntimeError`` when it fails.

    Returns
    -------
    list of list of Generator
        Chains in the cell indices of ``ambient``.

    Examples
    --------
    A square's boundary is a circle; modulo one vertex, its 0-th homology vanishes.

    >>> from polytopo.topology.homology import ChainComplex
    >>> sq = ChainComplex([[{}] * 4, [{0: -1, 1: 1}, {1: -1, 2: 1}, {2: -1, 3: 1}, {3: -1, 0: 1}]])
    >>> [[g.chain for g in level] for level in subcomplex_generators(sq, relative_to=[[0]])]
    [[], [((0, 1), (1, 1), (2, 1), (3, 1))]]
    """
    d = ambient.dimension
    n = ambient.n_cells
    if subcomplex is None:
        subcomplex = [range(m) for m in n]
    idx = [sorted({int(c) for c in subcomplex[k]}) if k < len(subcomplex) else []
           for k in range(d + 1)]
    X = ambient.restrict(idx)
    if relative_to is None:
        cc, where = X, idx
    else:
        pos = [{c: i for i, c in enumerate(level)} for level in idx]
        inA = [{pos[k][int(c)] for c in (relative_to[k] if k < len(relative_to) else ())
                if int(c) in pos[k]} for k in range(d + 1)]
        cc = X.relative([sorted(s) for s in inA])
        where = [[c for i, c in enumerate(idx[k]) if i not in inA[k]] for k in range(d + 1)]
    try_loops = planar and relative_to is None and d == 2 and cc.homology()[1].rank > 0
    gens = homology_generators(cc, check=check and not try_loops)
    if try_loops:
        gens = _with_hole_loops(ambient, idx, cc, gens, check)
    out = [[Generator(k, tuple((where[k][c], v) for c, v in g.chain), g.order) for g in level]
           for k, level in enumerate(gens)]
    if check and relative_to is not None:
        A = [set(int(c) for c in relative_to[k]) if k < len(relative_to) else set()
             for k in range(d + 1)]
        for k, level in enumerate(out):
            for i, g in enumerate(level):
                z = g.as_dict()
                if any(c in A[k] for c in z):
                    raise RuntimeError(f"relative generator {i} of H_{k} has a cell in A")
                if any(c not in A[k - 1] for c in ambient.boundary_of(k, z)):
                    raise RuntimeError(f"the boundary of relative generator {i} of H_{k} "
                                       f"leaves A")
    return out


def _with_hole_loops(ambient, idx, cc, gens, check):
    """``gens`` with the hole loops of :func:`planar_hole_cycles` for ``H_1`` when they are
    a basis (one proof either way: the loops', or the Smith form generators')."""
    loops = planar_hole_cycles(ambient, idx)
    if loops is not None and len(loops) == len(gens[1]) and not cc.homology()[1].torsion:
        pos1 = {c: i for i, c in enumerate(idx[1])}
        if all(e in pos1 for z in loops for e in z):  # they lie in X by construction
            trial = list(gens)
            trial[1] = [_generator(1, {pos1[e]: v for e, v in z.items()}) for z in loops]
            if not check_generators(cc, trial):
                return trial
    if check:
        failures = check_generators(cc, gens)
        if failures:
            raise RuntimeError("homology generators failed their check: " + "; ".join(failures))
    return gens


# ---------------------------------------------------------------------------------------
# loops around the holes of a planar set
# ---------------------------------------------------------------------------------------
def planar_hole_cycles(ambient, subcomplex):
    """One 1-cycle per hole of a subcomplex ``X`` of a cellulated disk: the hole's outer boundary.

    ``ambient`` must be the chain complex of a 2-dimensional polyhedral complex subdividing
    a disk (a convex polygon), with every 2-cell oriented alike: checked here, as every
    edge lying in one or two 2-cells and ``∂(Σ σ)`` vanishing on the edges inside. A *hole*
    is a bounded component ``Q`` of ``R² ∖ X``: a component of the cells not in ``X`` (open
    cells, joined to their faces) that meets no cell of the disk's boundary. Its loop is
    ``∂ F``, ``F`` the sum of the 2-cells of ``Q̄`` and of everything ``Q̄`` encloses (the
    cells not reachable from outside without crossing ``Q̄``): a closed edge walk in ``X``
    going once counterclockwise around ``Q`` (Alexander duality: these loops form a basis
    of ``H_1(X)``, the matrix of their winding numbers around the holes being unitriangular
    by nesting). ``∂ Q̄``, the boundary of the hole's own 2-cells, is computed for all holes
    at once; it is already the outer loop when it is one simple closed loop, and only the
    other holes (islands of ``X`` inside, or a pinch) are filled, one search over the cells
    each, while that work stays below :data:`FILL_MAX_WORK`; past it the loop is ``∂ Q̄``
    (the outer loop minus the loops around the islands: still a basis).

    Returns
    -------
    list of dict or None
        The loops as ``{edge index: ±1}`` in ``ambient``'s indices, holes in the order of
        their first 2-cell; ``None`` when ``ambient`` is not such a complex.

    Examples
    --------
    The 2 × 2 grid of unit squares with ``X`` its 1-skeleton: four holes, four loops of
    four edges.

    >>> from polytopo.topology.cubical import CubicalComplex
    >>> grid = CubicalComplex([[1, 1], [1, 1]]).chain_complex(reduced=False)
    >>> n0, n1, n2 = grid.n_cells
    >>> [len(z) for z in planar_hole_cycles(grid, [range(n0), range(n1), []])]
    [4, 4, 4, 4]
    """
    from scipy import sparse
    from scipy.sparse import csgraph

    if ambient.dimension != 2:
        return None
    n0, n1, n2 = ambient.n_cells
    if n2 == 0:
        return None
    try:
        D1 = ambient.boundary_matrix(1, "scipy").tocsc()
        D2 = ambient.boundary_matrix(2, "scipy").tocsc()
    except Exception:  # coefficients past int64: not a polyhedral disk
        return None
    cof = np.diff(D2.tocsr().indptr)
    if cof.min() < 1 or cof.max() > 2:
        return None
    s = D2 @ np.ones(n2, dtype=np.int64)
    if np.any(s[cof == 2] != 0) or np.any(np.abs(s[cof == 1]) != 1):
        return None
    masks = [np.zeros(m, dtype=bool) for m in (n0, n1, n2)]
    for k in range(3):
        if k < len(subcomplex):
            masks[k][np.asarray(list(subcomplex[k]), dtype=np.int64)] = True
    inX = np.concatenate(masks + [np.zeros(1, dtype=bool)])
    N = n0 + n1 + n2
    c2 = D2.tocoo()
    c1 = D1.tocoo()
    bedge = np.flatnonzero(cof == 1)
    bvert = np.unique(D1[:, bedge].tocoo().row)
    a = np.concatenate([n0 + c2.row, c1.row, np.full(len(bedge), N), np.full(len(bvert), N)])
    b = np.concatenate([n0 + n1 + c2.col, n0 + c1.col, n0 + bedge, bvert])

    def components(blocked):
        keep = ~blocked[a] & ~blocked[b]
        g = sparse.coo_matrix((np.ones(int(keep.sum()), dtype=np.int8), (a[keep], b[keep])),
                              shape=(N + 1, N + 1))
        return csgraph.connected_components(g, directed=False)[1]

    lab = components(inX)
    faces = np.arange(n2)
    free = faces[~masks[2] & (lab[n0 + n1 + faces] != lab[N])]
    if not len(free):
        return []
    hole_of = lab[n0 + n1 + free]
    ids, hole_of = np.unique(hole_of, return_inverse=True)
    first = np.full(len(ids), n2)
    np.minimum.at(first, hole_of, free)
    rank = np.empty(len(ids), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(ids))
    hole_of = rank[hole_of]  # holes numbered in the order of their first 2-cell
    H = sparse.csc_matrix((np.ones(len(free), dtype=np.int64), (free, hole_of)),
                          shape=(n2, len(ids)))
    Z = (D2 @ H).tocsc()  # column h: ∂ of the closure of hole h
    Z.eliminate_zeros()
    loops = [dict(zip(Z.indices[Z.indptr[h]:Z.indptr[h + 1]].tolist(),
                      Z.data[Z.indptr[h]:Z.indptr[h + 1]].tolist())) for h in range(len(ids))]
    budget = FILL_MAX_WORK
    ends = D1.tocsc()
    for h, z in enumerate(loops):
        if _simple_loop(z, ends) or budget < len(a) + N:
            continue
        budget -= len(a) + N  # islands inside the hole, or a pinch: fill it
        Q = free[hole_of == h]
        closed = np.zeros(N + 1, dtype=bool)
        closed[n0 + n1 + Q] = True
        edges = np.unique(D2[:, Q].tocoo().row)
        closed[n0 + edges] = True
        closed[np.unique(D1[:, edges].tocoo().row)] = True
        lab2 = components(closed)
        F = (lab2[n0 + n1 + faces] != lab2[N]).astype(np.int64)
        zf = D2.tocsr() @ F
        loops[h] = {int(e): int(zf[e]) for e in np.flatnonzero(zf)}
    return loops


def _simple_loop(z, D1):
    """Whether a 1-chain with coefficients ±1 is one simple closed edge loop."""
    if any(abs(v) != 1 for v in z.values()):
        return False
    adj = {}
    for e in z:
        vs = D1.indices[D1.indptr[e]:D1.indptr[e + 1]].tolist()
        if len(vs) != 2:
            return False
        for v in vs:
            adj.setdefault(v, []).append(e)
    if any(len(x) != 2 for x in adj.values()):
        return False
    start = next(iter(adj))
    seen, v, e = 1, start, adj[start][0]
    while True:
        vs = D1.indices[D1.indptr[e]:D1.indptr[e + 1]].tolist()
        v = vs[0] if vs[1] == v else vs[1]
        if v == start:
            return seen == len(z)
        e = adj[v][0] if adj[v][1] == e else adj[v][1]
        seen += 1


def edge_walks(cc, chain):
    """Split a 1-chain into edge walks: closed ones for a cycle.

    Each edge is traversed ``|c|`` times, from tail to head when its coefficient ``c`` is
    positive (``∂e = head − tail``) and backwards otherwise; walks start where more edges
    leave a vertex than enter it (the ends of a relative cycle), then anywhere.

    Returns
    -------
    list of list of int
        Vertex sequences; a closed walk repeats its first vertex at the end.

    Examples
    --------
    >>> from polytopo.topology.homology import simplicial_complex
    >>> T = simplicial_complex([(0, 1), (1, 2), (0, 2)])
    >>> edge_walks(T, {0: 1, 2: 1, 1: -1})
    [[0, 1, 2, 0]]
    """
    arcs = []
    for e, c in sorted(chain.items()):
        bd = cc.boundary_of(1, {e: 1})
        tail = next(v for v, x in bd.items() if x < 0)
        head = next(v for v, x in bd.items() if x > 0)
        arcs.append((tail, head, c))
    return walks_of_arcs(arcs)


def walks_of_arcs(arcs):
    """Walks through directed arcs ``(tail, head, c)`` (vertices any sortable values), each
    traversed ``|c|`` times, forwards when ``c > 0``: from the vertices where more arcs
    leave than enter first (the ends of a relative cycle), then anywhere; a closed walk
    repeats its first vertex at the end (:func:`edge_walks`).

    >>> walks_of_arcs([(0, 1, 1), (1, 2, 1), (0, 2, -1)])
    [[0, 1, 2, 0]]
    """
    out_edges = {}
    balance = {}
    for tail, head, c in arcs:
        if c < 0:
            tail, head = head, tail
        for _ in range(abs(c)):
            out_edges.setdefault(tail, []).append(head)
            balance[tail] = balance.get(tail, 0) + 1
            balance[head] = balance.get(head, 0) - 1
    for v in out_edges:
        out_edges[v].reverse()
    walks = []
    starts = sorted(v for v, x in balance.items() if x > 0)
    while True:
        start = next((v for v in starts if out_edges.get(v)), None)
        if start is None:
            start = next((v for v in sorted(out_edges) if out_edges[v]), None)
        if start is None:
            break
        walk, v = [start], start
        while out_edges.get(v):
            v = out_edges[v].pop()
            walk.append(v)
            if v == start and start not in starts:
                break
        walks.append(walk)
    return walks
