"""`python -m spelltune` runs the command line."""

from spelltune.cli import main

main()
