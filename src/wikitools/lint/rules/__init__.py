"""The rule families; importing this package registers every rule (see ``registry.register``)."""

from . import headings, links, seealso, targets

__all__ = ["headings", "links", "seealso", "targets"]
