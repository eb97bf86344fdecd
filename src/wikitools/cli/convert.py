"""``wikitools convert``."""

from __future__ import annotations

import sys

import click

from ..convert import DEFAULT_TARGET, Conversion, convert_file, format_of, parse_title_list
from ..fileio import STDIO, atomic_write, read_text, require_file
from .app import main


@main.command("convert")
@click.argument("input_path", metavar="INPUT")
@click.option("-o", "--output", default=STDIO, show_default=True, help="Output file, or - for stdout.")
@click.option(
    "--from", "source_format", metavar="FORMAT", help="text, wikitext, json or xml [from INPUT's name]."
)
@click.option(
    "--to", "target_format", metavar="FORMAT", help="wikitext, text, json or xml [from OUTPUT's name]."
)
@click.option("--title", help="Page title [the text's first line; a wikitext file's name].")
@click.option("--titles", "titles_path", metavar="FILE", help="Known page titles, one a line: link them.")
@click.option("--edit-suffix", is_flag=True, help='Write the rendered word "Edit" after the title.')
def convert_command(
    input_path: str,
    output: str,
    source_format: str | None,
    target_format: str | None,
    title: str | None,
    titles_path: str | None,
    edit_suffix: bool,
) -> None:
    """Convert an article between plain text, wikitext, JSON and single-page XML.

    INPUT is a file, or - for stdin (then give --from).
    """
    require_file(input_path)
    source_format = format_of(input_path, source_format)
    if target_format is None and output != STDIO:
        target_format = format_of(output)
    target_format = format_of(output, target_format or DEFAULT_TARGET[source_format])
    known = parse_title_list(read_text(titles_path)) if titles_path else ()
    result = convert_file(input_path, Conversion(source_format, target_format, title, known, edit_suffix))
    if output != STDIO:
        atomic_write(output, result)
        return
    sys.stdout.buffer.write(result)
    if sys.stdout.isatty() and not result.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")
