"""Affine slices of the input space: :class:`polytopo.geometry.slice.Slice`, also importable
from here (where it first lived).

>>> from polytopo.geometry import slice as geometry_slice
>>> Slice is geometry_slice.Slice
True
"""

__all__ = ["Slice"]

from ..geometry.slice import Slice
