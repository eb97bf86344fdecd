"""``wikitools convert``."""

from __future__ import annotations

import sys

import click

from ..convert import DEFAULT_TARGET, Conversion, convert, format_of, parse_title_list
from ..errors import InputError
from ..fileio import STDIO, atomic_write, read_text
from ..titles import filename_to_title
from .app import main


@main.command("convert")
@click.argument("input_path", metavar="INPUT")
@click.option("-o", "--output", default=STDIO, show_default=True, help="Output file, or - for stdout.")
@click.option(
    "--from",
    "source_format",
    metavar="FORMAT",
    help="text, wikitext or json (default: from INPUT's extension).",
)
@click.option(
    "--to",
    "target_format",
    metavar="FORMAT",
    help="wikitext, text or json (default: from OUTPUT's extension, else the other one).",
)
@click.option("--title", help="Page title (default: the text's first line, or the file name for wikitext).")
@click.option(
    "--titles",
    "titles_path",
    type=click.Path(dir_okay=False),
    help="File of known page titles, one per line: link them.",
)
@click.option(
    "--edit-suffix", is_flag=True, help='Write the rendered word "Edit" after the title (text output).'
)
def convert_command(
    input_path: str,
    output: str,
    source_format: str | None,
    target_format: str | None,
    title: str | None,
    titles_path: str | None,
    edit_suffix: bool,
) -> None:
    """Convert an article between plain text, wikitext and JSON.

    INPUT is a file, or - for stdin (then give --from).
    """
    source = read_text(input_path)
    source_format = format_of(input_path, source_format)
    if target_format is None and output != STDIO:
        target_format = format_of(output)
    target_format = format_of(output, target_format or DEFAULT_TARGET[source_format])
    if title is None and input_path != STDIO and source_format == "wikitext":
        title = filename_to_title(input_path)
    known = parse_title_list(read_text(titles_path)) if titles_path else ()
    try:
        result = convert(source, Conversion(source_format, target_format, title, known, edit_suffix))
    except InputError as error:
        error.subject = error.subject or ("<stdin>" if input_path == STDIO else input_path)
        raise
    if output == STDIO:
        sys.stdout.write(result + ("\n" if sys.stdout.isatty() and not result.endswith("\n") else ""))
    else:
        atomic_write(output, result)
