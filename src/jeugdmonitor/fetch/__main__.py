"""`python -m jeugdmonitor.fetch`: see jeugdmonitor.fetch.cli."""

from jeugdmonitor.fetch.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
