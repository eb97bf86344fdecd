"""``wikitools dev-wiki start|stop``: a throwaway local MediaWiki to rehearse a push on."""

from __future__ import annotations

from pathlib import Path

import click

from ..devwiki import DevWiki
from .app import main


@main.group("dev-wiki")
def dev_wiki() -> None:
    """Run a throwaway MediaWiki on 127.0.0.1 (needs the Debian mediawiki and php packages)."""


@dev_wiki.command("start")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--port", type=click.IntRange(1, 65535), help="TCP port on 127.0.0.1 (default: a free one).")
@click.option("--lang", default="en", show_default=True,
              help="Content language when first installed (de, fr: localized namespace names).")  # fmt: skip
def start(directory: Path, port: int | None, lang: str) -> None:
    """Install (first time) and start the wiki in DIRECTORY; print its URL and a bot login."""
    wiki = DevWiki(directory, port, lang=lang)
    was_running = wiki.is_running() and port in (None, wiki.port)
    wiki.start()
    click.echo(f"Dev wiki {'already running' if was_running else 'running'} at {wiki.url}/")
    click.echo(f"API: {wiki.api_url}")
    click.echo(f"Bot login: {wiki.bot_username} / {wiki.bot_password}")
    click.echo("To use it from this shell:")
    click.echo(
        f"  export WIKITOOLS_WIKI={wiki.api_url} WIKITOOLS_USERNAME={wiki.bot_username}"
        f" WIKITOOLS_PASSWORD={wiki.bot_password}"
    )
    click.echo(f"Stop it with: wikitools dev-wiki stop {directory}")


@dev_wiki.command("stop")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def stop(directory: Path) -> None:
    """Stop the wiki started in DIRECTORY (its files stay; start it again any time)."""
    if DevWiki(directory).stop():
        click.echo(f"Stopped the dev wiki in {directory}")
    else:
        click.echo(f"No dev wiki was running in {directory}")
