"""The ``polytopo`` command line (:func:`main`)."""

from .app import main

__all__ = ["main"]
