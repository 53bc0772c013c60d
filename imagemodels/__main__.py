"""``python -m imagemodels`` runs the command-line interface (see ``imagemodels.cli``)."""
from .cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
