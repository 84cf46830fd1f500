"""The networks polytopo reads: the exact :class:`Network` (:mod:`.model`) and the readers
of network, domain and manifold files (:mod:`.io`)."""

from .io import load_network
from .model import Network

__all__ = ["Network", "load_network"]
