"""The ``wikitools`` command line: thin click commands over the library.

Each submodule adds its commands to :data:`main`; this package is the only place importing click.
"""

from . import (
    convert,  # noqa: F401  (each import registers its commands)
    devwiki,  # noqa: F401
    lint,  # noqa: F401
    lsp,  # noqa: F401
    sync,  # noqa: F401
    xml,  # noqa: F401
)
from .app import main

__all__ = ["main"]
