"""Exact integer matrix kernels: numpy ``int64`` where magnitude bounds prove it exact,
Python integers (numpy ``object`` arrays) otherwise.

Every function here gives the exact integer answer whatever the size of its entries; the
fast ``int64`` (or float64 BLAS) path runs only on the rows whose float bound on every
value computed is safely below ``2**62`` (``2**53`` for floats). The refinement engine,
the orientations and volumes of the cell complex, and the rank analyses all use them:

- :func:`integer_layers`: a network's rational weights scaled to integers, one positive
  factor per layer (signs, zero sets and ranks unchanged);
- :func:`as_matrix`, :func:`shrink`, :func:`to_object`, :func:`reduce_rows`: integer
  matrices as ``int64`` or ``object``;
- :func:`det` and :func:`batched_det`: exact determinants, one or a stack at once;
- :func:`int_rank`, :func:`gram_rank` and :func:`psd_ranks`: exact ranks, the last of a
  stack of positive semidefinite Gram matrices at once.
"""

__all__ = ["LIMIT", "FLOAT_LIMIT", "integer_layers", "as_matrix", "shrink", "to_object",
           "reduce_rows", "row_bounds", "float_bound", "by_rows", "wedge_tables", "det",
           "batched_det", "exact_product", "int_rank", "gram_rank", "psd_ranks", "PRIME",
           "residues", "modular_ranks", "independent_rows", "primes_below", "PRIMES",
           "WIDE_PRIMES", "product_ranks"]

import itertools
import math
from fractions import Fraction

import numpy as np

#: int64 storage holds entries of absolute value below this
LIMIT = 1 << 62
#: bound on float estimates of the values of an int64 computation (safety margin 4)
FLOAT_LIMIT = float(1 << 61)


# ---------------------------------------------------------------------------------------
# integer weights
# ---------------------------------------------------------------------------------------
def integer_layers(weights, biases=None):
    """The layers of a network scaled to integers by one positive factor each.

    With ``D_0 = 1``, layer ``l`` becomes ``W'_l = W_l D_l / D_{l-1}`` and
    ``b'_l = b_l D_l``, ``D_l`` the smallest positive integer making them integers: fed
    ``D_{l-1}`` times the input of layer ``l`` it computes ``D_l`` times its
    pre-activations. Positive factors change no sign and no rank, so the integer layers
    decide patterns, zero sets and ranks exactly; with homogeneous inputs ``(X, w)``,
    ``W'_l relu(Z_{l-1}) + b'_l w`` stays integral.

    Parameters
    ----------
    weights : sequence of matrices (rows of exact numbers)
    biases : sequence of vectors, optional
        Without biases only the weights are scaled (``b'_l`` is ``None``): what ranks
        need.

    Returns
    -------
    list of (list of list of int, list of int or None, int)
        ``(W'_l, b'_l, D_l)`` per layer.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> integer_layers([[[F(1, 2), 1]], [[F(2, 3)]]], [[0], [F(1, 4)]])
    [([[1, 2]], [0], 2), ([[4]], [3], 12)]
    >>> integer_layers([[[F(1, 2), 1]], [[F(2, 3)]]])
    [([[1, 2]], None, 2), ([[1]], None, 3)]
    """
    out, prev = [], 1
    for li, W in enumerate(weights):
        b = None if biases is None else biases[li]
        values = itertools.chain(itertools.chain.from_iterable(W), b or ())
        if prev == 1 and all(getattr(x, "denominator", None) == 1 for x in values):
            out.append(([[int(x) for x in row] for row in W],
                        None if b is None else [int(x) for x in b], 1))
            continue
        # integer arithmetic on numerators and denominators (this runs over every weight)
        W = [[Fraction(x) for x in row] for row in W]
        b = None if b is None else [Fraction(x) for x in b]
        D = 1
        for row in W:
            for x in row:
                p, q = x.numerator, x.denominator
                if p:
                    q *= prev // math.gcd(p, prev)
                    if D % q:
                        D = D * q // math.gcd(D, q)
        for x in b or ():
            q = x.denominator
            if D % q:
                D = D * q // math.gcd(D, q)
        out.append(([[x.numerator * D // (x.denominator * prev) for x in row] for row in W],
                    None if b is None else [x.numerator * D // x.denominator for x in b], D))
        prev = D
    return out


# ---------------------------------------------------------------------------------------
# int64 or object
# ---------------------------------------------------------------------------------------
def as_matrix(rows, ncols):
    """Integer rows → an ``int64`` matrix when every entry is below ``2**62``, else ``object``.

    Examples
    --------
    >>> as_matrix([(1, 2), (3, 4)], 2).dtype, as_matrix([(1, 2**70)], 2).dtype
    (dtype('int64'), dtype('O'))
    """
    if isinstance(rows, np.ndarray) and rows.dtype != object:
        return rows.astype(np.int64).reshape(-1, ncols)
    rows = list(rows)
    if not rows:
        return np.zeros((0, ncols), dtype=np.int64)
    try:
        A = np.array(rows, dtype=np.int64).reshape(len(rows), ncols)
        if np.abs(A).max(initial=0) < LIMIT:
            return A
    except OverflowError:
        pass
    A = np.empty((len(rows), ncols), dtype=object)
    A[:] = [tuple(int(x) for x in r) for r in rows]
    return shrink(A)


def shrink(A):
    """An ``object`` matrix as ``int64`` when every entry is below ``2**62`` (else itself).

    Examples
    --------
    >>> shrink(np.array([[1, 2]], dtype=object)).dtype
    dtype('int64')
    """
    if A.dtype == object and (A.size == 0 or np.abs(A).max() < LIMIT):
        return A.astype(np.int64)
    return A


def to_object(A):
    """``A`` as an ``object`` array of Python ints (itself if it already is one)."""
    return A if A.dtype == object else A.astype(object)


def reduce_rows(R):
    """Every row divided by the gcd of its entries (rows are never all zero).

    Examples
    --------
    >>> reduce_rows(np.array([[2, 4], [-3, 6]])).tolist()
    [[1, 2], [-1, 2]]
    """
    if len(R) == 0:
        return R
    g = np.gcd.reduce(R, axis=1)
    return R // g[:, None]


def row_bounds(A):
    """A float upper bound on the absolute values in every row of an integer matrix
    (clipped at ``2**1023``: anything that large only has to exceed the int64 bounds)."""
    if A.dtype != object:
        return np.abs(A).max(axis=1, initial=0).astype(float)
    m = np.abs(A).max(axis=1, initial=0).tolist()
    return np.array([math.ldexp(1.0, min(int(x).bit_length(), 1023)) for x in m], dtype=float)


def float_bound(x):
    """A non-negative integer bound as a float, ``inf`` beyond the float range (callers
    then take the Python-int path); ``float()`` would raise OverflowError.

    >>> float_bound(3), float_bound(10 ** 400)
    (3.0, inf)
    """
    try:
        return float(x)
    except OverflowError:
        return math.inf


def by_rows(bound, f, *arrays):
    """``f(*arrays)``, a row-wise integer computation, exact: int64 on the rows whose
    float ``bound`` (on every value computed, and ``>=`` every input) is safely below
    ``2**62``, Python ints on the others."""
    ok = bound < FLOAT_LIMIT
    if ok.all():
        return f(*(a.astype(np.int64, copy=False) for a in arrays))
    if not ok.any():
        return f(*(to_object(a) for a in arrays))
    good = f(*(a[ok].astype(np.int64) for a in arrays))
    bad = f(*(to_object(a[~ok]) for a in arrays))
    if bad.dtype == object:   # int64 again where the results fit (so the rest stays int64)
        bad = shrink(bad)
    out = np.empty((len(ok),) + good.shape[1:],
                   dtype=object if object in (good.dtype, bad.dtype) else good.dtype)
    out[ok], out[~ok] = good, bad
    return out


# ---------------------------------------------------------------------------------------
# determinants
# ---------------------------------------------------------------------------------------
def wedge_tables(d, k):
    """For the k-subsets ``T`` of ``range(d)`` (in ``itertools.combinations`` order):
    ``col[t, j] = T_j`` and ``minor[t, j]`` = the index of ``T ∖ T_j`` among the
    (k−1)-subsets, and the signs ``alt[j] = (−1)^j``, so that the Laplace expansion
    along a row ``n`` reads ``det_T [n; B] = Σ_j alt[j] n[T_j] det_{T∖T_j} B``."""
    index = {c: i for i, c in enumerate(itertools.combinations(range(d), k - 1))}
    subsets = list(itertools.combinations(range(d), k))
    col = np.array(subsets, dtype=np.int64).reshape(len(subsets), k)
    minor = np.array([[index[T[:j] + T[j + 1:]] for j in range(k)] for T in subsets],
                     dtype=np.int64).reshape(len(subsets), k)
    alt = np.array([(-1) ** j for j in range(k)], dtype=np.int64)
    return col, minor, alt


def det(m):
    """Exact determinant of a square integer matrix (closed forms up to 3×3, else Bareiss).

    Examples
    --------
    >>> det([[2, 1], [1, 1]]), det([[1, 2, 3, 4], [0, 1, 2, 3], [0, 0, 1, 2], [1, 0, 0, 1]])
    (1, 1)
    """
    n = len(m)
    if n == 0:
        return 1
    if n == 1:
        return m[0][0]
    if n == 2:
        return m[0][0] * m[1][1] - m[0][1] * m[1][0]
    if n == 3:
        (a, b, c), (d, e, f), (g, h, i) = m
        return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)
    m = [list(r) for r in m]
    sign, prev = 1, 1
    for c in range(n):
        p = next((i for i in range(c, n) if m[i][c]), None)
        if p is None:
            return 0
        if p != c:
            m[c], m[p] = m[p], m[c]
            sign = -sign
        for i in range(c + 1, n):
            for j in range(c + 1, n):
                m[i][j] = (m[i][j] * m[c][c] - m[i][c] * m[c][j]) // prev
        prev = m[c][c]
    return sign * m[n - 1][n - 1]


def batched_det(M):
    """Exact determinants of a stack of square integer matrices, vectorized.

    Laplace expansion row by row: the ``k × k`` minors of the first ``k`` rows, over the
    k-subsets of the columns, from those of the first ``k − 1`` rows (the tables of
    :func:`wedge_tables`). Every value computed is bounded by ``n! Π_i max_j |M_ij|``;
    matrices whose bound is safely below ``2**62`` are computed in int64, the others in
    Python ints (:func:`by_rows`), so the result is exact either way.

    Parameters
    ----------
    M : ndarray, shape (N, n, n), integer or object (Python ints)

    Returns
    -------
    ndarray, shape (N,), int64 or object

    Examples
    --------
    >>> batched_det(np.array([[[2, 1], [1, 1]], [[0, 1], [1, 0]]])).tolist()
    [1, -1]
    """
    M = np.asarray(M)
    N, n = M.shape[0], M.shape[1]
    if n == 0:
        return np.ones(N, dtype=np.int64)
    rows = row_bounds(M.reshape(N * n, n)).reshape(N, n)
    with np.errstate(over="ignore"):
        bound = float(math.factorial(n)) * np.prod(np.maximum(rows, 1.0), axis=1)
    return by_rows(bound, _laplace, M)


def _laplace(M):
    n = M.shape[1]
    minors = M[:, 0, :]
    for k in range(2, n + 1):
        col, minor, alt = wedge_tables(n, k)
        alt = alt * (-1) ** (k - 1)
        minors = (M[:, k - 1, :][:, col] * minors[:, minor] * alt.astype(M.dtype)).sum(axis=-1)
    return minors[:, 0]


# ---------------------------------------------------------------------------------------
# products and ranks
# ---------------------------------------------------------------------------------------
def exact_product(A, B):
    """``A @ B`` of integer matrices, in int64 when it cannot overflow, else Python ints.

    >>> exact_product(np.array([[2**40]]), np.array([[2**40]])).tolist()
    [[1208925819614629174706176]]
    """
    if A.dtype != object and B.dtype != object and A.size and B.size and \
            float_bound(np.abs(A).max()) * float_bound(np.abs(B).max()) * A.shape[1] \
            < 2.0 ** 62:
        return A @ B
    return A.astype(object).dot(B.astype(object))


def int_rank(rows):
    """Exact rank of an integer matrix (a list of rows) by fraction-free elimination,
    rows divided by their gcd to keep the entries small.

    >>> int_rank([[1, 2], [2, 4], [0, 1]])
    2
    """
    m = [list(r) for r in rows if any(r)]
    r = 0
    n_cols = len(m[0]) if m else 0
    for c in range(n_cols):
        p = next((i for i in range(r, len(m)) if m[i][c]), None)
        if p is None:
            continue
        m[r], m[p] = m[p], m[r]
        pr, pc = m[r], m[r][c]
        for i in range(r + 1, len(m)):
            x = m[i][c]
            if x:
                row = [pc * a - x * b for a, b in zip(m[i], pr)]
                g = math.gcd(*row)
                m[i] = [a // g for a in row] if g > 1 else row
        r += 1
        if r == len(m):
            break
    return r


def gram_rank(A):
    """Exact rank of an integer matrix (numpy, int64 or object): the rank of its smaller
    Gram matrix ``AᵀA`` or ``AAᵀ`` (equal over Q), by fraction-free elimination.

    >>> gram_rank(np.array([[1, 2, 3], [2, 4, 6]]))
    1
    """
    if A.size == 0:
        return 0
    T = A.T if A.shape[0] > A.shape[1] else A
    if A.dtype != object and float_bound(np.abs(A).max()) ** 2 * A.size < 2.0 ** 62:
        G = T @ T.T
    else:
        T = T.astype(object)
        G = T.dot(T.T)
    return int_rank(G.tolist())


def psd_ranks(G):
    """Exact ranks of a stack of positive semidefinite integer matrices (Gram matrices).

    The rank of a positive semidefinite matrix is the largest size of a nonzero principal
    minor; the minors are exact batched determinants (:func:`batched_det`), tried from
    size ``n`` down and only for the matrices still undecided.

    Parameters
    ----------
    G : ndarray, shape (N, n, n), int64 or object; each ``G[i]`` positive semidefinite

    Returns
    -------
    ndarray of int64, shape (N,)

    Examples
    --------
    >>> J = np.array([[[1, 0], [0, 1]], [[1, 1], [2, 2]], [[0, 0], [0, 0]]])
    >>> psd_ranks(np.einsum("nik,nil->nkl", J, J)).tolist()
    [2, 1, 0]
    """
    G = np.asarray(G)
    N, n = G.shape[0], G.shape[1]
    rank = np.zeros(N, dtype=np.int64)
    todo = np.arange(N)
    for size in range(n, 0, -1):
        if not len(todo):
            break
        hit = np.zeros(len(todo), dtype=bool)
        Gt = G[todo]
        for S in itertools.combinations(range(n), size):
            S = list(S)
            hit |= batched_det(Gt[:, S][:, :, S]) != 0
        rank[todo[hit]] = size
        todo = todo[~hit]
    return rank


# ---------------------------------------------------------------------------------------
# ranks modulo a prime (certified lower bounds)
# ---------------------------------------------------------------------------------------
#: a prime below 2**26: products of two residues and sums of 64 of them stay below 2**62
PRIME = 67108859


def residues(A, p=PRIME):
    """``A mod p`` as an ``int64`` array, for ``int64`` or ``object`` (Python int) ``A``."""
    A = np.asarray(A)
    if A.dtype == object:
        return np.array(np.mod(A, p).tolist(), dtype=np.int64).reshape(A.shape)
    return np.mod(A.astype(np.int64, copy=False), p)


def modular_ranks(M, p=PRIME):
    """Ranks over ``GF(p)`` of a stack of residue matrices, by one vectorized Gaussian
    elimination for the whole stack.

    The rank modulo ``p`` of an integer matrix is at most its rank over Q (a minor nonzero
    mod p is nonzero), so the result is a certified lower bound of the exact rank; it is
    exact unless ``p`` divides every maximal nonzero minor.

    Parameters
    ----------
    M : ndarray of int64, shape (N, r, c), entries in ``[0, p)``
    p : int, a prime below ``2**31`` (products of two residues stay below ``2**62``)

    Returns
    -------
    ndarray of int64, shape (N,)

    Examples
    --------
    >>> M = np.array([[[1, 2], [2, 4]], [[1, 0], [0, 1]], [[0, 0], [0, 0]]])
    >>> modular_ranks(M).tolist()
    [1, 2, 0]
    """
    M = np.array(M, dtype=np.int64, copy=True)
    if M.shape[2] > M.shape[1]:   # eliminate along the shorter side: rank Mᵀ = rank M
        M = np.ascontiguousarray(M.transpose(0, 2, 1))
    N, r, c = M.shape
    rank = np.zeros(N, dtype=np.int64)
    if not N or not r or not c:
        return rank
    rows = np.arange(r)
    every = np.arange(N)
    for j in range(c):
        if j and rank.min() == r:   # every row a pivot row already: full rank
            break
        col = M[:, :, j]
        candidate = (col != 0) & (rows[None, :] >= rank[:, None])
        has = candidate.any(axis=1)
        if not has.any():
            continue
        b = every[has]
        piv = candidate[b].argmax(axis=1)
        at = rank[b]
        # swap the pivot row into position rank[b]
        pivot_rows = M[b, piv].copy()
        M[b, piv] = M[b, at]
        M[b, at] = pivot_rows
        # row ← pivot·row − row[j]·(pivot row) on the rows under the pivot, fraction-free:
        # scaling a row by the unit ``pivot`` keeps the rank (the rows above it, scaled too,
        # are never used again), and every product stays below p² < 2**62. Columns up to
        # ``j`` are zero under the pivots from here on, so only the later ones are updated.
        if j + 1 < c:
            sel = slice(None) if len(b) == N else b
            factor = M[sel, :, j] * (rows[None, :] > at[:, None])
            M[sel, :, j + 1:] = (M[sel, :, j + 1:] * pivot_rows[:, None, j, None]
                                 - factor[:, :, None] * pivot_rows[:, None, j + 1:]) % p
        rank[b] += 1
    return rank


def independent_rows(M, k, p=PRIME):
    """For each integer matrix of a stack ``(N, m, n)``, the indices of its first ``k``
    rows (greedily, in order) that are linearly independent modulo the prime ``p``:
    ``(N, k)`` int64, rows of ``-1`` where fewer than ``k`` are. Rows independent modulo
    ``p`` are independent over Q (a nonzero minor modulo ``p`` is nonzero).

    Fraction-free elimination modulo ``p < 2**31``: a new row is reduced against the
    chosen ones in the order they were chosen, each of which is zero at the pivot
    columns of those before it (it was reduced against them), so the result is zero at
    every pivot column, and nonzero exactly when the row is independent of them.

    >>> independent_rows(np.array([[[1, 2], [2, 4], [0, 1]], [[0, 0], [1, 1], [2, 2]]]), 2).tolist()
    [[0, 2], [-1, -1]]
    """
    M = np.asarray(M)
    N, m, n = M.shape
    chosen = np.full((N, k), -1, dtype=np.int64)
    if not N or not k:
        return chosen
    R = residues(M, p)
    basis = np.zeros((N, k, n), dtype=np.int64)
    piv = np.zeros((N, k), dtype=np.int64)
    count = np.zeros(N, dtype=np.int64)
    every = np.arange(N)
    for t in range(m):
        live = every[count < k]
        if not len(live):
            break
        v = R[live, t].copy()
        c = count[live]
        for j in range(k):
            has = c > j
            if not has.any():
                break
            b, pj = basis[live, j], piv[live, j]
            pv = np.where(has, b[np.arange(len(live)), pj], 1)
            x = np.where(has, v[np.arange(len(live)), pj], 0)
            v = (v * pv[:, None] - x[:, None] * b) % p
        new = v.any(axis=1)
        if not new.any():
            continue
        rows, v, c = live[new], v[new], c[new]
        pc = np.argmax(v != 0, axis=1)
        basis[rows, c] = v
        piv[rows, c] = pc
        chosen[rows, c] = t
        count[rows] = c + 1
    chosen[count < k] = -1
    return chosen


def _is_prime(n):
    """Deterministic Miller-Rabin for ``n < 3.4 * 10**14`` (bases 2, 3, 5, 7, 11, 13, 17)."""
    if n < 2:
        return False
    for q in (2, 3, 5, 7, 11, 13, 17):
        if n % q == 0:
            return n == q
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for a in (2, 3, 5, 7, 11, 13, 17):
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def primes_below(limit, count):
    """The ``count`` largest primes below ``limit``, largest first.

    >>> primes_below(2 ** 26, 3)
    [67108859, 67108837, 67108819]
    """
    out, n = [], limit - 1
    while len(out) < count and n > 1:
        if _is_prime(n):
            out.append(n)
        n -= 1
    return out


#: primes for the multi-modular ranks: 40 of them certify minors of up to 1000 bits
PRIMES = tuple(primes_below(2 ** 26, 40))
#: larger primes for products of at most 7 terms (``7 p² < 2**63``): fewer of them certify
#: the same minors
WIDE_PRIMES = tuple(primes_below(2 ** 30, 34))


def _log2_abs_bound(A):
    """Float array of upper bounds on ``|A|`` entrywise (``inf`` beyond float range)."""
    A = np.asarray(A)
    if A.dtype != object:
        return np.abs(A.astype(np.float64))
    flat = [float(abs(x)) if abs(x) < 2 ** 1000 else math.inf for x in A.ravel().tolist()]
    return np.array(flat, dtype=np.float64).reshape(A.shape)


def product_ranks(J, B, upper=None, primes=None):
    """Exact ranks of the products ``J[i] @ B[i].T`` of a stack of integer matrices.

    Each product's rank is bounded below by its rank modulo any prime
    (:func:`modular_ranks`). A rank ``s`` is certified when it reaches ``upper[i]`` (a
    known upper bound), or when the primes used so far multiply to more than twice the
    Hadamard bound ``H`` on every ``(s+1)``-minor (the product of the ``s+1`` largest row
    norms, from ``|J| @ |B|ᵀ`` in floating point with a safety margin): an integer
    ``|m| ≤ H`` divisible by ``Π p > 2H`` is ``0``, so every ``(s+1)``-minor vanishes over
    Q, and the rank is ``s``. Products left undecided when the primes run out are ranked
    by exact elimination (:func:`gram_rank`).

    Parameters
    ----------
    J : ndarray, shape (N, r, d), int64 or object
    B : ndarray, shape (N, c, d), int64 or object
    upper : array of int, optional
        Upper bounds on the ranks (default ``min(r, c)``).
    primes : sequence of int, optional
        Distinct primes below ``2**31`` (default :data:`WIDE_PRIMES` when ``d ≤ 7``, so
        that a product's ``d`` terms sum below ``2**63`` in one reduction, else
        :data:`PRIMES`).

    Returns
    -------
    ndarray of int64, shape (N,)

    Examples
    --------
    >>> J = np.array([[[1, 0], [0, 1]], [[1, 1], [2, 2]]])
    >>> B = np.array([[[3, 0], [0, 5]], [[1, 0], [0, 1]]])
    >>> product_ranks(J, B).tolist()
    [2, 1]
    """
    J, B = np.asarray(J), np.asarray(B)
    N, r, d = J.shape
    c = B.shape[1]
    top = min(r, c)
    upper = (np.full(N, top, dtype=np.int64) if upper is None else
             np.minimum(np.asarray(upper, dtype=np.int64), top))
    rank = np.zeros(N, dtype=np.int64)
    if not N or not top or not d:
        return rank
    if primes is None:
        primes = WIDE_PRIMES if d <= 7 else PRIMES
    # log2 of Hadamard bounds on m-minors, m = 1..top, with a margin of one bit
    with np.errstate(invalid="ignore", over="ignore"):   # 0 · inf: nan, undecided below
        Mabs = np.matmul(_log2_abs_bound(J), _log2_abs_bound(B).transpose(0, 2, 1))
    with np.errstate(divide="ignore", over="ignore"):
        rows = np.log2(np.sqrt((Mabs * Mabs).sum(axis=2)))        # (N, r)
        cols = np.log2(np.sqrt((Mabs * Mabs).sum(axis=1)))        # (N, c)
    with np.errstate(invalid="ignore"):   # inf + (-inf) (a huge row, a zero row): nan
        rows = np.cumsum(-np.sort(-rows, axis=1), axis=1)[:, :top]
        cols = np.cumsum(-np.sort(-cols, axis=1), axis=1)[:, :top]
    # nan (undecided) counts as an infinite bound: never certified by primes, ranked exactly
    rows[np.isnan(rows)] = np.inf
    cols[np.isnan(cols)] = np.inf
    hadamard = np.minimum(rows, cols) * (1 + 1e-9) + 2.0        # H_m <= 2**hadamard[:, m-1]
    todo = np.arange(N)
    bits = np.zeros(N)
    for p in primes:
        if not len(todo):
            break
        Jp, Bp = residues(J[todo], p), residues(B[todo], p)
        if d * (p - 1) ** 2 < 1 << 63:   # the products' sums fit in int64: one reduction
            M = np.matmul(Jp, Bp.transpose(0, 2, 1)) % p
        else:
            M = np.zeros((len(todo), r, c), dtype=np.int64)
            for t in range(d):
                M = (M + Jp[:, :, t, None] * Bp[:, None, :, t]) % p
        rank[todo] = np.maximum(rank[todo], modular_ranks(M, p))
        bits[todo] += math.log2(p)
        s = rank[todo]
        need = hadamard[todo, np.minimum(s, top - 1)]   # bound on the (s+1)-minors
        done = (s >= upper[todo]) | (bits[todo] > need + 1)
        todo = todo[~done]
    for i in todo.tolist():   # out of primes: exact elimination
        rank[i] = gram_rank(exact_product(np.asarray(J[i]), np.asarray(B[i]).T))
    return rank
