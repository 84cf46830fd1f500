"""The exceptions polytopo raises: one class per kind of failure the command line reports."""

__all__ = ["PolytopoError", "InputError", "IndexInputError", "LimitExceeded", "PointlessQuestion",
           "first_line"]


def first_line(error):
    """The first non-empty line of an exception's message, or its class name.

    >>> first_line(ValueError("bad\\nmore")), first_line(IndexError())
    ('bad', 'IndexError')
    """
    lines = [x for x in str(error).splitlines() if x.strip()]
    return lines[0].strip() if lines else type(error).__name__


class PolytopoError(Exception):
    """Base class of every error polytopo raises on purpose."""


class InputError(PolytopoError, ValueError):
    """Bad input: names the source (file), the field and what is wrong.

    The command line prints it as one line and exits with status 2.

    Examples
    --------
    >>> str(InputError("weights must be a list", source="net.json", field="layers[0]"))
    'net.json: layers[0]: weights must be a list'
    """

    def __init__(self, message, *, source=None, field=None):
        self.source = source
        self.field = field
        self.problem = message
        parts = [p for p in (source, field, message) if p]
        super().__init__(": ".join(str(p) for p in parts))


class IndexInputError(InputError, IndexError):
    """An index out of range: an :class:`InputError` that is also an :class:`IndexError`.

    Examples
    --------
    >>> isinstance(IndexInputError("no top cell 5: there are 2"), IndexError)
    True
    """


class LimitExceeded(PolytopoError, RuntimeError):
    """A computation passed a user-set limit (``--max-regions``, ``--time-limit``).

    The command line prints it as one line and exits with status 3; no partial
    answer is ever presented as complete.
    """


class PointlessQuestion(PolytopoError, ValueError):
    """A question that has no meaning for the given object (e.g. decision sets of a vector-valued network)."""
