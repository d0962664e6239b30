"""One place for the resizing calls of the libraries a reader would use.

Introduced in Chapter 3 ("Grids and conventions: resizing an image"), where every
function below is one row of the library table; Chapters 4 and 5, the tests and
``benchmarks/bench_resize.py`` call the same functions.

Every function speaks the book's language and nothing else:

* ``image`` is a numpy array (H, W) or (..., H, W) of finite numbers, in
  (row, col) = (y, x) axes; leading axes (batch, channels) are kept;
* ``output_shape`` is ``(H_out, W_out)``; the (width, height) order of Pillow and
  OpenCV, and the (N, H, W, C) layout of TensorFlow, appear only inside the call;
* the result is a new numpy array (..., H_out, W_out): float32 if ``image`` is
  float32, else float64 (the library may compute in float32: Pillow mode "F",
  TensorFlow and JAX do); the input is never modified;
* each keyword keeps the library's own name and **default**, so a call without
  options computes what the library computes by default (``jax_resize``
  antialiases by default because ``jax.image.resize`` does).

The libraries are imported inside each function, when it is first called. torch,
Pillow, OpenCV and scipy come with the book's requirements; TensorFlow and JAX
are large and optional for a reader: without them, only the calls that need them
fail, with a one-line :class:`ModuleNotFoundError` that says what to install.
TensorFlow is imported with its start-up log messages silenced
(``TF_CPP_MIN_LOG_LEVEL=3`` unless already set, Python log level ERROR), and JAX
on the CPU (``JAX_PLATFORMS=cpu`` unless already set).

What each call computes, in ``lesson_utils.resize.resize`` terms, is measured in
Chapters 3 and 4 and asserted in ``tests/test_libraries.py``.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType
from typing import Any, Literal, get_args

import numpy as np
from numpy.typing import ArrayLike

from ._validate import (
    as_float_array,
    check_bool,
    check_choice,
    check_positive_int,
    check_shape,
)

__all__ = [
    "PINS",
    "require",
    "torch_resize",
    "pil_resize",
    "cv2_resize",
    "zoom_resize",
    "tf_resize",
    "tf1_resize",
    "jax_resize",
]

TorchMode = Literal["nearest", "nearest-exact", "bilinear", "bicubic", "area"]
PilResample = Literal["nearest", "box", "bilinear", "hamming", "bicubic", "lanczos"]
PilMode = Literal["F", "L", "RGB"]
Cv2Interpolation = Literal[
    "nearest", "nearest_exact", "linear", "cubic", "area", "lanczos4"
]
ZoomMode = Literal[
    "constant",
    "nearest",
    "reflect",
    "mirror",
    "wrap",
    "grid-constant",
    "grid-mirror",
    "grid-wrap",
]
TfMethod = Literal[
    "nearest",
    "bilinear",
    "bicubic",
    "area",
    "lanczos3",
    "lanczos5",
    "gaussian",
    "mitchellcubic",
]
Tf1Method = Literal["nearest", "bilinear", "bicubic"]
JaxMethod = Literal[
    "nearest", "linear", "cubic", "cubic-pytorch", "lanczos3", "lanczos5", "area"
]

#: import name -> (what a reader installs, pinned as in requirements.txt)
PINS: dict[str, str] = {
    "torch": "torch==2.13.0",
    "PIL": "pillow",
    "cv2": "opencv-python-headless",
    "scipy": "scipy",
    "tensorflow": "tensorflow-cpu==2.21.0",
    "jax": "jax==0.10.2 jaxlib==0.10.2",
}
_NAMES = {
    "torch": "torch",
    "PIL": "Pillow",
    "cv2": "OpenCV",
    "scipy": "scipy",
    "tensorflow": "TensorFlow",
    "jax": "JAX",
}


def require(module: str) -> ModuleType:
    """Import one of the libraries the book compares with, or say what to install.

    Parameters
    ----------
    module : {"torch", "PIL", "cv2", "scipy", "tensorflow", "jax"}
        The import name (submodules such as ``"scipy.ndimage"`` are allowed; the
        part before the first dot chooses the message).

    Returns
    -------
    module
        The imported module. TensorFlow is imported with its C++ start-up
        messages and Python warnings silenced; JAX on the CPU.

    Raises
    ------
    ValueError
        If ``module`` is not one of the libraries above.
    ModuleNotFoundError
        If the library is not installed; the one-line message names the package
        to install and its pin.

    Examples
    --------
    >>> require("scipy.ndimage").__name__
    'scipy.ndimage'
    """
    if not isinstance(module, str):
        raise TypeError(f"`module` must be a module name (str); got {module!r}")
    top = check_choice(module.split(".")[0], "module", tuple(PINS))
    if top == "tensorflow":
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # read at import time
    elif top == "jax":
        os.environ.setdefault("JAX_PLATFORMS", "cpu")  # no probing for GPUs
    try:
        lib = importlib.import_module(module)
    except ImportError:
        raise ModuleNotFoundError(
            f"{_NAMES[top]} is not installed: run `pip install {PINS[top]}` "
            "(pinned in requirements.txt) and restart the kernel",
            name=top,
        ) from None  # the reader needs the one line, not the import machinery
    if top == "tensorflow":
        lib.get_logger().setLevel("ERROR")  # deprecation notices of tf.compat.v1
    return lib


# ---------------------------------------------------------------- shared checks


def _start(
    module: str, image: ArrayLike, output_shape: Any
) -> tuple[ModuleType, np.ndarray, tuple[int, int]]:
    """What every call starts with: the library, the image (float, >= 2-D), the size."""
    lib = require(module)
    img = as_float_array(image, "image", min_ndim=2)
    h, w = check_shape(output_shape, "output_shape", length=2)
    return lib, img, (h, w)


def _out_dtype(image: np.ndarray) -> type:
    return np.float32 if image.dtype == np.float32 else np.float64


def _planes(image: np.ndarray) -> np.ndarray:
    """(..., H, W) -> (N, H, W), for the libraries that take one plane a call."""
    return image.reshape(-1, *image.shape[-2:])


def _check_8bit(image: np.ndarray, setting: str) -> np.ndarray:
    """Whole numbers in [0, 255] as uint8; the caller quantises, never this module."""
    if np.any(image < 0) or np.any(image > 255) or np.any(image != np.round(image)):
        raise ValueError(
            f"`image` must hold whole numbers in [0, 255] for {setting} (round and "
            f"clip it first); got values in [{image.min():g}, {image.max():g}]"
        )
    return image.astype(np.uint8)


# ---------------------------------------------------------------- torch


def torch_resize(
    image: ArrayLike,
    output_shape: tuple[int, int],
    *,
    mode: TorchMode = "nearest",
    align_corners: bool | None = None,
    antialias: bool = False,
) -> np.ndarray:
    """``torch.nn.functional.interpolate`` on a numpy image.

    Parameters
    ----------
    image : array_like, shape (H, W) or (..., H, W)
        Finite values; float32 is passed as float32, anything else as float64.
    output_shape : tuple of two int
        ``(H_out, W_out)``, each >= 1 (torch's ``size``).
    mode : {"nearest", "nearest-exact", "bilinear", "bicubic", "area"}
        torch's ``mode``; its default is ``"nearest"`` (the top-left rule).
    align_corners : bool or None
        torch's ``align_corners`` (None: torch's default, False, for the modes
        that take it; it must stay None for nearest and area).
    antialias : bool
        torch's ``antialias`` (bilinear and bicubic only).

    Returns
    -------
    numpy.ndarray, shape (..., H_out, W_out)
        torch's result (computed in the dtype passed to torch).

    Raises
    ------
    TypeError, ValueError
        For an image, size or option that is not valid (named in the message).

    Notes
    -----
    The image is viewed as (N, 1, H, W): every leading axis becomes a batch item,
    so each plane is resized on its own. torch computes in the input's dtype.

    Examples
    --------
    >>> torch_resize([[0.0, 1.0]], (1, 4), mode="bilinear")
    array([[0.  , 0.25, 0.75, 1.  ]])
    """
    torch, img, shape = _start("torch", image, output_shape)
    mode_ = check_choice(mode, "mode", get_args(TorchMode))
    if align_corners is not None:
        align_corners = check_bool(align_corners, "align_corners")
    antialias = check_bool(antialias, "antialias")
    tensor = torch.from_numpy(np.ascontiguousarray(_planes(img)))[:, None]
    out = torch.nn.functional.interpolate(
        tensor, size=shape, mode=mode_, align_corners=align_corners, antialias=antialias
    )
    result: np.ndarray = out[:, 0].numpy().reshape(*img.shape[:-2], *shape)
    return result.astype(_out_dtype(img), copy=False)


# ---------------------------------------------------------------- Pillow


def pil_resize(
    image: ArrayLike,
    output_shape: tuple[int, int],
    *,
    resample: PilResample = "bicubic",
    mode: PilMode = "F",
) -> np.ndarray:
    """``PIL.Image.resize`` on a numpy image, in 32-bit float or 8-bit modes.

    Parameters
    ----------
    image : array_like, shape (H, W) or (..., H, W); (..., 3, H, W) for "RGB"
        Finite values. For modes "L" and "RGB" they must already be whole numbers
        in [0, 255] (quantising is the caller's visible step, never a hidden one).
    output_shape : tuple of two int
        ``(H_out, W_out)``; Pillow receives ``(W_out, H_out)``.
    resample : {"nearest", "box", "bilinear", "hamming", "bicubic", "lanczos"}
        ``Image.Resampling`` filter; Pillow's default is bicubic.
    mode : {"F", "L", "RGB"}
        "F": 32-bit float, nothing rounded or clipped. "L": 8-bit grey. "RGB":
        8-bit colour; axis -3 of ``image`` holds the 3 channels (our
        channels-first order; Pillow receives (H, W, 3)).

    Returns
    -------
    numpy.ndarray, shape (..., H_out, W_out)
        Pillow's values (0 to 255 whole numbers in the 8-bit modes).

    Raises
    ------
    TypeError, ValueError
        For an invalid image, size or option, and for 8-bit modes when the
        values are not whole numbers in [0, 255] or there are not 3 channels.

    Notes
    -----
    Pillow antialiases whenever it shrinks (the kernel is widened by the scale
    factor) and drops taps outside the image, renormalising the weights. In the
    8-bit modes it resizes the rows first, stores that intermediate picture in 8
    bits (rounded and clipped to [0, 255]), then resizes the columns.

    Examples
    --------
    >>> pil_resize([[0.0, 1.0]], (1, 4), resample="bilinear")
    array([[0.  , 0.25, 0.75, 1.  ]])
    """
    pil, img, (h_out, w_out) = _start("PIL.Image", image, output_shape)
    resample_ = check_choice(resample, "resample", get_args(PilResample))
    mode_ = check_choice(mode, "mode", get_args(PilMode))
    flt = getattr(pil.Resampling, resample_.upper())
    if mode_ == "RGB":
        if img.ndim < 3 or img.shape[-3] != 3:
            raise ValueError(
                "`image` must have 3 channels on axis -3 for mode 'RGB'; "
                f"got shape {img.shape}"
            )
        planes = _check_8bit(img, "mode 'RGB'").reshape(-1, *img.shape[-3:])
        out = np.stack(
            [
                np.moveaxis(
                    np.asarray(
                        pil.fromarray(np.moveaxis(p, 0, -1), mode="RGB").resize(
                            (w_out, h_out), flt
                        )
                    ),
                    -1,
                    0,
                )
                for p in planes
            ]
        )
    else:
        planes = (
            _check_8bit(img, "mode 'L'") if mode_ == "L" else img.astype(np.float32)
        )
        out = np.stack(
            [
                np.asarray(pil.fromarray(p, mode=mode_).resize((w_out, h_out), flt))
                for p in _planes(planes)
            ]
        )
    return out.reshape(*img.shape[:-2], h_out, w_out).astype(_out_dtype(img))


# ---------------------------------------------------------------- OpenCV


def cv2_resize(
    image: ArrayLike,
    output_shape: tuple[int, int],
    *,
    interpolation: Cv2Interpolation = "linear",
    dtype: Literal["float", "uint8"] = "float",
) -> np.ndarray:
    """``cv2.resize`` on a numpy image, in float or on uint8.

    Parameters
    ----------
    image : array_like, shape (H, W) or (..., H, W)
        Finite values; with ``dtype="uint8"`` whole numbers in [0, 255].
    output_shape : tuple of two int
        ``(H_out, W_out)``; OpenCV receives ``(W_out, H_out)``.
    interpolation : {"nearest", "nearest_exact", "linear", "cubic", "area", "lanczos4"}
        The ``cv2.INTER_*`` flag; OpenCV's default is linear.
    dtype : {"float", "uint8"}
        "float": the image's float type (float32 stays float32, else float64).
        "uint8": OpenCV's 8-bit path, which rounds and saturates to [0, 255].

    Returns
    -------
    numpy.ndarray, shape (..., H_out, W_out)
        OpenCV's result (on the uint8 path rounded and saturated to [0, 255]).

    Raises
    ------
    TypeError, ValueError
        For an invalid image, size or option (named in the message).

    Notes
    -----
    Each (H, W) plane is one call (OpenCV's own channels-last layout is not
    used, so the result does not depend on how many planes there are).

    Examples
    --------
    >>> cv2_resize([[0.0, 1.0]], (1, 4))
    array([[0.  , 0.25, 0.75, 1.  ]])
    """
    cv2, img, (h_out, w_out) = _start("cv2", image, output_shape)
    flag = getattr(
        cv2,
        "INTER_"
        + check_choice(
            interpolation, "interpolation", get_args(Cv2Interpolation)
        ).upper(),
    )
    dtype_ = check_choice(dtype, "dtype", ("float", "uint8"))
    planes = _check_8bit(img, "dtype 'uint8'") if dtype_ == "uint8" else img
    out = np.stack(
        [
            cv2.resize(np.ascontiguousarray(p), (w_out, h_out), interpolation=flag)
            for p in _planes(planes)
        ]
    )
    return out.reshape(*img.shape[:-2], h_out, w_out).astype(_out_dtype(img))


# ---------------------------------------------------------------- scipy


def zoom_resize(
    image: ArrayLike,
    output_shape: tuple[int, int],
    *,
    order: int = 3,
    grid_mode: bool = False,
    mode: ZoomMode = "constant",
) -> np.ndarray:
    """``scipy.ndimage.zoom`` to a given ``output_shape``.

    Parameters
    ----------
    image : array_like, shape (H, W) or (..., H, W)
        Finite values.
    output_shape : tuple of two int
        ``(H_out, W_out)``; the zoom factors are ``H_out / H`` and ``W_out / W``
        (1 on leading axes).
    order : int
        Spline order 0 to 5 (scipy's default 3: a prefiltered cubic B-spline).
    grid_mode : bool
        scipy's ``grid_mode``: False (default) is the corner-aligned grid, True
        the half-pixel grid.
    mode : str
        scipy's ``mode`` (what is read outside the image); default "constant".

    Returns
    -------
    numpy.ndarray, shape (..., H_out, W_out)
        scipy's spline values.

    Raises
    ------
    TypeError, ValueError
        For an invalid image, size, ``order`` outside 0 to 5, or other option
        (named in the message).

    Notes
    -----
    scipy's own warnings (for example for ``grid_mode=True`` with
    ``mode="constant"``) are passed on unchanged.

    Examples
    --------
    >>> zoom_resize([[0.0, 1.0]], (1, 4), order=1)
    array([[0.        , 0.33333333, 0.66666667, 1.        ]])
    """
    ndi, img, shape = _start("scipy.ndimage", image, output_shape)
    order = check_positive_int(order, "order", minimum=0)
    if order > 5:
        raise ValueError(f"`order` must be an integer from 0 to 5; got {order}")
    grid_mode = check_bool(grid_mode, "grid_mode")
    mode_ = check_choice(mode, "mode", get_args(ZoomMode))
    factors = (1.0,) * (img.ndim - 2) + (
        shape[0] / img.shape[-2],
        shape[1] / img.shape[-1],
    )
    out: np.ndarray = ndi.zoom(
        img, factors, order=order, grid_mode=grid_mode, mode=mode_
    )
    if out.shape[-2:] != shape:  # cannot happen for factors out/in; kept honest
        raise RuntimeError(f"scipy returned shape {out.shape}, not {shape}")
    return out.astype(_out_dtype(img), copy=False)


# ---------------------------------------------------------------- TensorFlow


def _tf_call(
    img: np.ndarray, shape: tuple[int, int], call: Any, **options: Any
) -> np.ndarray:
    """``call(batch, shape, **options)`` on the planes as one (N, H, W, 1) float32
    batch, back to (..., H_out, W_out) in the image's float type."""
    batch = np.ascontiguousarray(_planes(img).astype(np.float32))[..., None]
    result = np.asarray(call(batch, shape, **options).numpy())[..., 0]
    return result.reshape(*img.shape[:-2], *shape).astype(_out_dtype(img))


def tf_resize(
    image: ArrayLike,
    output_shape: tuple[int, int],
    *,
    method: TfMethod = "bilinear",
    antialias: bool = False,
) -> np.ndarray:
    """``tf.image.resize`` (TensorFlow 2) on a numpy image.

    Parameters
    ----------
    image : array_like, shape (H, W) or (..., H, W)
        Finite values, passed as float32.
    output_shape : tuple of two int
        ``(H_out, W_out)`` (TensorFlow's ``size``).
    method : str
        ``tf.image.ResizeMethod`` value: "nearest", "bilinear" (default),
        "bicubic", "area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic".
    antialias : bool
        TensorFlow's ``antialias`` (default False).

    Returns
    -------
    numpy.ndarray, shape (..., H_out, W_out)
        TensorFlow's float32 values, converted to the output type.

    Raises
    ------
    ModuleNotFoundError
        If TensorFlow is not installed (the message says what to install).
    TypeError, ValueError
        For an invalid image, size or option (named in the message).

    Notes
    -----
    The planes go to TensorFlow as one (N, H, W, 1) batch. TensorFlow 2 uses
    half-pixel centres for every method.

    Examples
    --------
    >>> tf_resize([[0.0, 1.0]], (1, 4))  # doctest: +SKIP
    array([[0.  , 0.25, 0.75, 1.  ]])
    """
    tf, img, shape = _start("tensorflow", image, output_shape)
    method_ = check_choice(method, "method", get_args(TfMethod))
    antialias = check_bool(antialias, "antialias")
    return _tf_call(img, shape, tf.image.resize, method=method_, antialias=antialias)


def tf1_resize(
    image: ArrayLike,
    output_shape: tuple[int, int],
    *,
    method: Tf1Method = "bilinear",
    align_corners: bool = False,
    half_pixel_centers: bool = False,
) -> np.ndarray:
    """TensorFlow 1's resize functions, as ``tf.compat.v1.image`` keeps them.

    Parameters
    ----------
    image : array_like, shape (H, W) or (..., H, W)
        Finite values, passed as float32.
    output_shape : tuple of two int
        ``(H_out, W_out)``.
    method : {"nearest", "bilinear", "bicubic"}
        ``resize_nearest_neighbor``, ``resize_bilinear`` or ``resize_bicubic``.
    align_corners, half_pixel_centers : bool
        TensorFlow 1's two flags, both False by default: neither corner-aligned
        nor half-pixel, but the top-left mapping ``x_i = i * n_in / n_out``.
        They cannot both be True.

    Returns
    -------
    numpy.ndarray, shape (..., H_out, W_out)
        What the chosen ``tf.compat.v1`` function returned (float32), converted.

    Raises
    ------
    ModuleNotFoundError
        If TensorFlow is not installed.
    TypeError, ValueError
        For an invalid image, size or option, or both flags True.

    Examples
    --------
    The default top-left mapping, then TensorFlow 2's half-pixel one:

    >>> tf1_resize([[0.0, 1.0]], (1, 4))  # doctest: +SKIP
    array([[0. , 0.5, 1. , 1. ]])
    >>> tf1_resize([[0.0, 1.0]], (1, 4), half_pixel_centers=True)  # doctest: +SKIP
    array([[0.  , 0.25, 0.75, 1.  ]])
    """
    tf, img, shape = _start("tensorflow", image, output_shape)
    method_ = check_choice(method, "method", get_args(Tf1Method))
    align_corners = check_bool(align_corners, "align_corners")
    half_pixel_centers = check_bool(half_pixel_centers, "half_pixel_centers")
    if align_corners and half_pixel_centers:
        raise ValueError(
            "`align_corners` and `half_pixel_centers` cannot both be True "
            "(TensorFlow refuses the pair); got True and True"
        )
    call = {
        "nearest": tf.compat.v1.image.resize_nearest_neighbor,
        "bilinear": tf.compat.v1.image.resize_bilinear,
        "bicubic": tf.compat.v1.image.resize_bicubic,
    }[method_]
    return _tf_call(
        img,
        shape,
        call,
        align_corners=align_corners,
        half_pixel_centers=half_pixel_centers,
    )


# ---------------------------------------------------------------- JAX


def jax_resize(
    image: ArrayLike,
    output_shape: tuple[int, int],
    *,
    method: JaxMethod = "linear",
    antialias: bool = True,
) -> np.ndarray:
    """``jax.image.resize`` on a numpy image.

    Parameters
    ----------
    image : array_like, shape (H, W) or (..., H, W)
        Finite values, passed as float32 (JAX's default precision).
    output_shape : tuple of two int
        ``(H_out, W_out)``; leading axes keep their length (JAX resizes every
        axis whose length changes).
    method : {"nearest", "linear", "cubic", "cubic-pytorch", "lanczos3", "lanczos5", "area"}
        ``jax.image.ResizeMethod`` name; there is no default in JAX, "linear"
        here.
    antialias : bool
        JAX's ``antialias``, **True by default**, unlike torch and TensorFlow:
        when shrinking, the kernel is widened by the scale factor.

    Returns
    -------
    numpy.ndarray, shape (..., H_out, W_out)
        JAX's result (float32 computation).

    Raises
    ------
    ModuleNotFoundError
        If JAX is not installed.
    TypeError, ValueError
        For an invalid image, size or option (named in the message).

    Notes
    -----
    ``jax.image.resize`` is compiled for every new pair of shapes (the first
    call with a new shape takes a fraction of a second).

    Examples
    --------
    Shrinking by 2 with the default antialiasing mixes more than the two
    nearest samples:

    >>> jax_resize([[0.0, 1.0, 2.0, 3.0]], (1, 2)).round(4)  # doctest: +SKIP
    array([[0.7143, 2.2857]])
    >>> jax_resize([[0.0, 1.0, 2.0, 3.0]], (1, 2), antialias=False)  # doctest: +SKIP
    array([[0.5, 2.5]])
    """
    jax, img, shape = _start("jax", image, output_shape)
    method_ = check_choice(method, "method", get_args(JaxMethod))
    antialias = check_bool(antialias, "antialias")
    full = (*img.shape[:-2], *shape)
    out = jax.image.resize(img.astype(np.float32), full, method_, antialias=antialias)
    return np.asarray(out).astype(_out_dtype(img))
