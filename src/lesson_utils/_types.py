"""The names of methods, edge rules and mappings: defined once, shared by every module.

Each ``Literal`` alias is the type of a parameter; the tuple next to it lists the same
names in the same order (``typing.get_args`` of the alias, so the two cannot drift
apart) and is what the validators and the widgets' menus use.

Edge rules. The book has one set of names for what a tap outside the signal reads
(``edge`` in :mod:`lesson_utils.interp1d`, :mod:`lesson_utils.interp2d`):

=========  ==================================  =============================
``edge``   a tap outside reads                 torch ``grid_sample``
=========  ==================================  =============================
"clamp"    the nearest end sample (replicate)  ``padding_mode="border"``
"zeros"    0                                   ``padding_mode="zeros"``
=========  ==================================  =============================

:mod:`lesson_utils.stn` mirrors torch and keeps torch's parameter ``padding_mode``
with torch's names ("zeros", "border", "reflection"); :data:`EDGE_TO_PADDING_MODE`
is the mapping between the two vocabularies.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = [
    "Method1D",
    "Method2D",
    "Edge",
    "PaddingMode",
    "SampleMethod",
    "Mapping",
    "Normalization",
    "METHODS_1D",
    "METHODS_2D",
    "EDGES",
    "PADDING_MODES",
    "SAMPLE_METHODS",
    "MAPPINGS",
    "NORMALIZATIONS",
    "METHOD_2D_TO_1D",
    "EDGE_TO_PADDING_MODE",
]

#: 1-D interpolation methods (Chapter 1; "cubic" is Keys, Chapter 4).
Method1D = Literal["nearest", "linear", "cubic"]
#: 2-D methods: the 1-D method applied once per axis (Chapters 2-5).
Method2D = Literal["nearest", "bilinear", "bicubic"]
#: What a tap outside the signal or image reads (the book's names).
Edge = Literal["clamp", "zeros"]
#: torch's names for the same idea, used where :mod:`lesson_utils.stn` mirrors torch.
PaddingMode = Literal["zeros", "border", "reflection"]
#: The methods of torch's ``grid_sample`` that :mod:`lesson_utils.stn` implements.
SampleMethod = Literal["bilinear", "nearest"]
#: Source-coordinate mappings of a resize (Chapter 3).
Mapping = Literal["half_pixel", "align_corners", "top_left"]
#: When a heat map is min-max normalised: after or before upsampling (Chapter 5).
Normalization = Literal["after", "before"]

METHODS_1D: tuple[Method1D, ...] = get_args(Method1D)
METHODS_2D: tuple[Method2D, ...] = get_args(Method2D)
EDGES: tuple[Edge, ...] = get_args(Edge)
PADDING_MODES: tuple[PaddingMode, ...] = get_args(PaddingMode)
SAMPLE_METHODS: tuple[SampleMethod, ...] = get_args(SampleMethod)
MAPPINGS: tuple[Mapping, ...] = get_args(Mapping)
NORMALIZATIONS: tuple[Normalization, ...] = get_args(Normalization)

#: The 1-D method each 2-D method applies along each axis.
METHOD_2D_TO_1D: dict[Method2D, Method1D] = {
    "nearest": "nearest",
    "bilinear": "linear",
    "bicubic": "cubic",
}
#: The book's edge rule -> torch ``grid_sample``'s ``padding_mode`` that equals it.
EDGE_TO_PADDING_MODE: dict[Edge, PaddingMode] = {"clamp": "border", "zeros": "zeros"}
