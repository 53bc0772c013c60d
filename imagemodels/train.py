"""``python -m imagemodels.train ...`` (also under ``torchrun``): the same as ``imagemodels train ...``."""
import sys


def main(argv=None) -> int:
    from .cli.main import main as cli_main

    return cli_main(["train", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
