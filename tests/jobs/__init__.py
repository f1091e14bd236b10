"""Tests of the huey tasks: inline (immediate mode) and with real worker processes."""
