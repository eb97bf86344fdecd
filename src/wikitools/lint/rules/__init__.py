"""The rule families; importing this package registers every rule (see ``registry.register``)."""

from . import (
    categories, characters, external, formatting, headings, identifiers, links, linkstyle, outline,
    references, seealso, tables, tags, targets, templates,
)

__all__ = [
    "categories", "characters", "external", "formatting", "headings", "identifiers", "links", "linkstyle",
    "outline", "references", "seealso", "tables", "tags", "targets", "templates",
]
