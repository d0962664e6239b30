"""Widgets of the chapters, one module per chapter, in three layers (frame, draw, controls)."""
