"""`python -m checker` is `numcheck`."""

from checker.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
