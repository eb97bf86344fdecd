"""The ``wikitools`` command line: thin click commands over the library.

Each submodule adds its commands to :data:`main`; this package is the only place importing click.
"""

from . import app  # noqa: F401  (command modules are imported below as they land)
from .app import main

__all__ = ["main"]
