"""The packaged app's entry point (packaging/memex.spec): the same `memex` as the console
script, so `memex`, `memex FILE`, `memex ask …` and `memex --selftest` all work from the
bundle."""
import sys

from app.launcher import main

if __name__ == "__main__":
    sys.exit(main())
