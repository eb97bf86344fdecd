"""The rule families, one module each. Importing them registers nothing: :mod:`wikitools.lint.codes`
lists every rule explicitly."""
