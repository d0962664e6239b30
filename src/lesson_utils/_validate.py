"""Private validators shared by every public function of :mod:`lesson_utils`.

Each validator checks one kind of argument and raises ``TypeError`` or
``ValueError`` with a message of the form::

    `method` must be one of 'nearest', 'linear'; got 'cubic'

that is: the parameter's name, what is allowed, and what was received.
Public functions call these at their boundary and never mutate their inputs.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: A string type, usually a ``Literal`` alias of :mod:`lesson_utils._types`.
S = TypeVar("S", bound=str)


def _describe(value: Any) -> str:
    """Short, readable description of a received value for error messages."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return text


def as_float_array(
    value: ArrayLike,
    name: str,
    *,
    ndim: int | Iterable[int] | None = None,
    min_ndim: int | None = None,
    min_size: int = 1,
    allow_nonfinite: bool = False,
    dtype: type[np.floating[Any]] | None = None,
    copy: bool = True,
) -> np.ndarray:
    """Return ``value`` as a new floating-point array, after checking it.

    Parameters
    ----------
    value : array_like
        What the caller received.
    name : str
        The parameter's name, used in error messages.
    ndim : int or iterable of int, optional
        Allowed numbers of dimensions.
    min_ndim : int, optional
        Smallest allowed number of dimensions.
    min_size : int
        Smallest allowed number of elements (1 rejects empty arrays).
    allow_nonfinite : bool
        If False (default), NaN and infinity are rejected.
    dtype : numpy float type, optional
        Output dtype. By default float32 input stays float32 and everything
        else becomes float64.
    copy : bool
        True (default): always a copy. False: the caller's array itself when it
        already has the output dtype (no copy), for callers that only read the
        result (large inputs: no time or memory spent on a copy).

    Returns
    -------
    numpy.ndarray
        A copy (unless ``copy=False``): the caller's array is never modified.
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(f"`{name}` must be a numeric array; got {_describe(value)}")
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged lists and the like
        raise TypeError(
            f"`{name}` must be a numeric array; got {_describe(value)}"
        ) from exc
    if arr.dtype == bool or not (
        np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
    ):
        raise TypeError(
            f"`{name}` must be a numeric array of integers or floats; "
            f"got dtype {arr.dtype}"
        )
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            shown = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(
                f"`{name}` must be {shown}; got {arr.ndim}-D with shape {arr.shape}"
            )
    if min_ndim is not None and arr.ndim < min_ndim:
        raise ValueError(
            f"`{name}` must have at least {min_ndim} dimensions; "
            f"got {arr.ndim}-D with shape {arr.shape}"
        )
    if arr.size < min_size:
        raise ValueError(
            f"`{name}` must have at least {min_size} element(s); got shape {arr.shape}"
        )
    if dtype is None:
        dtype = np.float32 if arr.dtype == np.float32 else np.float64
    out: np.ndarray = np.array(arr, dtype=dtype, copy=True) if copy else arr
    if not copy and out.dtype != dtype:
        out = out.astype(dtype)
    if not allow_nonfinite and not np.all(np.isfinite(out)):
        bad = "NaN" if np.any(np.isnan(out)) else "infinity"
        raise ValueError(f"`{name}` must contain only finite numbers; got {bad}")
    return out


def check_choice(value: object, name: str, choices: Iterable[S]) -> S:
    """Check that ``value`` is one of the allowed strings and return it.

    The return type is the type of the choices: with ``choices`` typed as a tuple of
    a ``Literal`` alias (:data:`lesson_utils._types.METHODS_2D`), the checked value
    keeps that ``Literal`` type, so callers need no cast.
    """
    allowed_values = tuple(choices)
    for choice in allowed_values:
        if isinstance(value, str) and value == choice:
            return choice
    allowed = ", ".join(repr(c) for c in allowed_values)
    raise ValueError(f"`{name}` must be one of {allowed}; got {_describe(value)}")


def check_bool(value: Any, name: str) -> bool:
    """Check that ``value`` is a bool (True or False) and return it."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"`{name}` must be True or False; got {_describe(value)}")
    return bool(value)


def check_positive_int(value: Any, name: str, *, minimum: int = 1) -> int:
    """Check that ``value`` is an integer >= ``minimum`` and return it."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"`{name}` must be an integer >= {minimum}; got {_describe(value)}"
        )
    if value < minimum:
        raise ValueError(
            f"`{name}` must be an integer >= {minimum}; got {_describe(value)}"
        )
    return int(value)


def check_finite_float(value: Any, name: str) -> float:
    """Check that ``value`` is a finite real number and return it as float."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"`{name}` must be a finite real number; got {_describe(value)}"
        )
    if not np.isfinite(float(value)):
        raise ValueError(f"`{name}` must be a finite real number; got {value!r}")
    return float(value)


def ordered_items(
    value: Any, message: str, *, lengths: Iterable[int] | None = None
) -> tuple[Any, ...]:
    """The items of an ordered sequence: a tuple, a list, a 1-D array, a ``torch.Size``.

    Anything else raises ``TypeError(f"{message}; got ...")``: unordered containers
    (``set``, ``dict``) too, because their order is not the order the caller typed
    (``{7, 4}`` iterates as 4, 7). With ``lengths``, a number of items not in it
    raises ``ValueError`` with the same message.
    """
    ordered = isinstance(value, Sequence) and not isinstance(value, (str, bytes))
    if not (ordered or (isinstance(value, np.ndarray) and value.ndim == 1)):
        raise TypeError(f"{message}; got {_describe(value)}")
    items = tuple(value)
    if lengths is not None and len(items) not in tuple(lengths):
        raise ValueError(f"{message}; got {_describe(value)}")
    return items


def check_shape(value: Any, name: str, *, length: int) -> tuple[int, ...]:
    """Check a shape such as ``output_shape``: ``length`` integers >= 1.

    A shape is ordered (:func:`ordered_items`).
    """
    items = ordered_items(
        value,
        f"`{name}` must be a tuple of {length} integers >= 1 (an ordered sequence)",
    )
    if len(items) != length:
        raise ValueError(
            f"`{name}` must be a tuple of {length} integers >= 1; got {_describe(value)}"
        )
    return tuple(check_positive_int(v, f"{name}[{i}]") for i, v in enumerate(items))


def check_shape_2d(value: Any, name: str) -> tuple[int, int]:
    """:func:`check_shape` for the ``(H, W)`` of an image."""
    height, width = check_shape(value, name, length=2)
    return height, width


def check_class_indices(
    value: Any, name: str, n: int, *, n_classes: int | None = None
) -> NDArray[np.int64]:
    """One class index per image: an integer (the same for all ``n``) or ``n`` of them.

    With ``n_classes``, every index must lie in ``0 .. n_classes - 1``. Returns a new
    int64 array of shape ``(n,)``.
    """
    arr = np.asarray(value)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(
            f"`{name}` must be an integer or an array of N integers; "
            f"got {_describe(value)}"
        )
    if arr.ndim == 0:
        arr = np.full(n, int(arr))
    if arr.shape != (n,):
        raise ValueError(
            f"`{name}` must be an integer or have shape ({n},); got shape {arr.shape}"
        )
    if n_classes is not None and (arr.min() < 0 or arr.max() >= n_classes):
        raise ValueError(
            f"`{name}` must lie in 0 .. {n_classes - 1}; got {_describe(value)}"
        )
    return arr.astype(np.int64)


def check_finite_result(value: NDArray[Any], function: str, inputs: str) -> None:
    """Raise ``ValueError`` if a result computed from finite inputs overflowed.

    Finite inputs can still give a result beyond the largest float (values near
    1e308 times weights larger than 1, or a Keys parameter near 1e308); returning
    infinity or NaN would hide that.
    """
    if not np.all(np.isfinite(value)):
        raise ValueError(
            f"{function} overflowed: the result is larger than the largest float64 "
            f"(about 1.8e308) for these {inputs}; scale them down"
        )
