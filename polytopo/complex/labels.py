"""Cell labels of the refinement engine (private): 2 bits per inserted function (``01`` = +,
``10`` = −, ``00`` = 0), function ``j`` in byte ``j // 4`` at bit ``2 (j % 4)``; a cell's
label is the bitwise OR of its vertices' labels, except for the signs of a max unit of
three or more pieces (:func:`fix_max_signs`)."""

import itertools

import numpy as np


def n_label_bytes(n_functions):
    return max(1, (n_functions + 3) // 4)


def _tables():
    key = np.zeros(256, dtype=np.uint8)
    dec, txt = [], []
    for x in range(256):
        codes = [(x >> (2 * i)) & 3 for i in range(4)]
        r = [(3, 1, 2, 3)[c] for c in codes]   # '+' < '-' < '0', never a 0 byte
        key[x] = (r[0] << 6) | (r[1] << 4) | (r[2] << 2) | r[3]
        dec.append(tuple((0, 1, -1, 0)[c] for c in codes))
        txt.append("".join("0+-?"[c] for c in codes))
    return key, tuple(dec), tuple(txt)


_KEY, _DEC4, _TXT4 = _tables()


def label_tuple(row, n):
    """Packed label row (uint8 array or bytes) → tuple of signs over ``n`` functions."""
    if n == 0:
        return ()
    return tuple(itertools.chain.from_iterable(map(_DEC4.__getitem__, bytes(row))))[:n]


def label_text(row, n):
    """Packed label row → string over ``+ - 0``."""
    if n == 0:
        return ""
    return "".join(map(_TXT4.__getitem__, bytes(row)))[:n]


_ASCII = np.frombuffer(b"0+-?", dtype=np.uint8)


def label_texts(lab, n):
    """Label strings of all packed rows at once (vectorized)."""
    if n == 0:
        return [""] * len(lab)
    codes = (lab[:, :, None] >> np.array([0, 2, 4, 6], dtype=np.uint8)) & 3
    chars = _ASCII[codes.reshape(len(lab), -1)[:, :n]]
    return [x.decode("ascii") for x in np.ascontiguousarray(chars).view(f"S{n}").ravel()]


def function_signs(lab, j):
    """Signs (int8 array) of function ``j`` in packed label rows ``lab``."""
    code = (lab[:, j >> 2] >> (2 * (j & 3))) & 3
    return np.array([0, 1, -1, 0], dtype=np.int8)[code]


def all_function_signs(lab, js):
    """Signs (int8, one column per function) of the functions ``js`` in packed label rows:
    :func:`function_signs` of each, decoded at once.

    Examples
    --------
    >>> lab = np.array([[0b01100001]], dtype=np.uint8)      # + 0 - + in 2-bit codes
    >>> all_function_signs(lab, [0, 1, 2, 3]).tolist(), all_function_signs(lab, [3, 0]).tolist()
    ([[1, 0, -1, 1]], [[1, 1]])
    """
    js = np.asarray(list(js), dtype=np.int64)
    codes = (lab[:, js >> 2] >> (2 * (js & 3)).astype(np.uint8)) & 3
    return np.array([0, 1, -1, 0], dtype=np.int8)[codes]


def sort_keys(lab):
    """Byte-string keys of packed label rows that sort like the label strings."""
    n, nb = lab.shape
    return np.ascontiguousarray(_KEY[lab]).view(f"S{nb}").reshape(n)


def max_groups(funcs, network):
    """``(first column, size)`` of the label columns of every max unit of three or more
    pieces (``("unit", layer, u, piece)`` functions of a max unit)."""
    if network is None or getattr(network, "units", None) is None:
        return []
    from ..network.units import Max

    out, j = [], 0
    funcs = list(funcs)
    while j < len(funcs):
        f = funcs[j]
        if f[0] == "unit":
            u = network.layer_units[f[1] - 1][f[2]]
            if isinstance(u, Max):
                if u.size >= 3:
                    out.append((j, u.size))
                j += u.size
                continue
        j += 1
    return out


def fix_max_signs(lab, groups):
    """Correct, in place, the signs of max units in cell labels that are ORs of their
    vertices' labels. The OR is right for functions affine on the cell, not for
    ``h_i = p_i − max_{j≠i} p_j`` with three or more pieces: a triangle where ``p_3`` is
    the unique maximum can have ``p_3`` tied with another piece at each vertex. The
    argmax set on a cell's relative interior is the intersection of its vertices' argmax
    sets (``max`` is convex and the pieces affine), i.e. the pieces with no ``−`` at any
    vertex: ``+`` when it is one piece, ``0`` for each of several, ``−`` for the rest.

    Examples
    --------
    >>> row = np.array([[0b10_10_11_00]], dtype=np.uint8)   # the OR of 0+--, 0---, --0-...
    >>> label_text(row[0], 4), label_text(fix_max_signs(row, [(0, 4)])[0], 4)
    ('0?--', '+---')
    """
    if not groups or len(lab) == 0:
        return lab
    for start, m in groups:
        cols = range(start, start + m)
        codes = np.stack([(lab[:, j >> 2] >> (2 * (j & 3))) & 3 for j in cols], axis=1)
        member = (codes & 2) == 0
        n = member.sum(axis=1, keepdims=True)
        new = np.where(member, np.where(n == 1, 1, 0), 2).astype(np.uint8)
        for t, j in enumerate(cols):
            b, sh = j >> 2, 2 * (j & 3)
            lab[:, b] = (lab[:, b] & np.uint8(~(3 << sh) & 0xFF)) | (new[:, t] << sh)
    return lab
