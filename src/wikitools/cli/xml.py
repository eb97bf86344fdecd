"""``wikitools export`` and ``wikitools unpack``: between a folder of ``.wiki`` files and MediaWiki XML."""

from __future__ import annotations

import sys

import click

from ..errors import ExitCode, InputError
from ..fileio import STDIO
from ..formats.xml_write import write_pages
from ..sync.folder_xml import export_files, pages_from_files, unpack
from .app import main


def _warn(message: str) -> None:
    click.echo(f"wikitools: warning: {message}", err=True)


@main.command("export")
@click.argument("paths", metavar="DIR|FILE...", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    default=STDIO,
    show_default=True,
    help="Export file (.xml, or .xml.gz/.bz2/.xz to compress), or - for stdout.",
)
@click.option(
    "--multistream", is_flag=True, help="Write a multistream .xml.bz2 and its index, as Wikimedia does."
)
def export_command(paths: tuple[str, ...], output: str, multistream: bool) -> None:
    """Write .wiki files (or every .wiki file in a folder) as MediaWiki export XML (schema 0.11).

    The result imports with MediaWiki's importDump.php or Special:Import. Files still in step with
    their pulled revision keep its id and timestamp; edited or new files become new revisions.
    """
    if output == STDIO and multistream:
        raise InputError("--multistream writes a file and its index", hint="name them with -o FILE.xml.bz2")
    if output == STDIO:
        count = write_pages(pages_from_files(paths), sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        count = export_files(paths, output, multistream=multistream)
    click.echo(f"exported {count} page{'s' if count != 1 else ''} to {output}", err=True)


@main.command("unpack")
@click.argument("xml_path", metavar="FILE")
@click.option(
    "-d",
    "--directory",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder to write the .wiki files and their sync state into.",
)
@click.option(
    "--namespace",
    "namespaces",
    type=int,
    multiple=True,
    metavar="N",
    help="Only pages in namespace N (repeatable; default: all).",
)
def unpack_command(xml_path: str, directory: str, namespaces: tuple[int, ...]) -> ExitCode:
    """Write each page of a MediaWiki export (FILE, or - for stdin) as a .wiki file, as pull does.

    The latest revision of each page is written and recorded as the file's base revision. A file edited
    since its base is never overwritten: it is reported and the exit code is 1.
    """
    result = unpack(xml_path, directory, namespaces=namespaces, on_warning=_warn)
    for title in result.conflicts:
        click.echo(f"not overwritten (edited locally): {title}", err=True)
    click.echo(f"{xml_path}: {result.summary()}")
    return ExitCode.FINDINGS if result.conflicts else ExitCode.OK
