"""Sync a directory of ``.wiki`` files with a wiki: state, three-way merge, pull, push, status."""
