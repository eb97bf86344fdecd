from wikitools.cli import main

main(prog_name="wikitools")
