"""The canonical polyhedral complex: the :class:`CellComplex` value (:mod:`.cells`), built
for a network by :func:`canonical_complex` (:mod:`.build`) with the exact refinement engine:
the builder (:mod:`.engine`), its label codec (:mod:`.labels`) and integer rows
(:mod:`.values`), finished complexes in canonical order (:mod:`.state`), the insertion plan
(:mod:`.plan`), the parallel build (:mod:`.parallel`); orientations for the chain complex
(:mod:`.orientation`) and exact volumes (:mod:`.volume`)."""

from .cells import Cell, CellComplex, RegionCell
from .build import activation_regions, canonical_complex, regions_from_complex

__all__ = ["Cell", "CellComplex", "RegionCell", "activation_regions", "canonical_complex",
           "regions_from_complex"]
