"""Cell labels of the refinement engine (private): 2 bits per inserted function (``01`` = +,
``10`` = −, ``00`` = 0), function ``j`` in byte ``j // 4`` at bit ``2 (j % 4)``; a cell's
label is the bitwise OR of its vertices' labels."""

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


def sort_keys(lab):
    """Byte-string keys of packed label rows that sort like the label strings."""
    n, nb = lab.shape
    return np.ascontiguousarray(_KEY[lab]).view(f"S{nb}").reshape(n)
