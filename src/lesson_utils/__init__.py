"""Tested implementations behind the book *Interpolating Attention*."""

__version__ = "0.1.0"
