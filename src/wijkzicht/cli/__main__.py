"""``python -m wijkzicht.cli``: the same as the ``wijkzicht`` command."""

from wijkzicht.cli import main

main()
