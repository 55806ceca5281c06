"""Jeugdmonitor: reproducible annual progress reports on Dutch youth care (jeugdhulp)."""

__version__ = "0.1.0"
