"""`tf.io`: reading and writing files, decoding and encoding images (with Pillow).

File contents are Python `bytes` (TensorFlow's scalar string tensors); any
argument that takes contents or a file name also accepts `str`, `bytes`,
`os.PathLike` or an object whose `.numpy()` returns bytes (a scalar string
tensor). Decoded images are uint8 `(height, width, channels)` CPU tensors
(`(frames, height, width, 3)` for GIFs), as TensorFlow's decoders return.
"""

from __future__ import annotations

import io as _pyio
import os

import numpy as np
import torch

from tork._backend import string_tensor
from tork._backend.dtypes import as_dtype, dtype_name
from tork._backend.errors import NotFoundError, module_getattr
from tork.ops import _gfile as gfile
from tork.ops import _tfrecord
from tork.ops._parse_example import (
    FixedLenFeature,
    FixedLenSequenceFeature,
    RaggedFeature,
    SparseFeature,
    VarLenFeature,
    parse_example,
    parse_single_example,
)
from tork.ops._parse_sequence_example import (
    parse_sequence_example,
    parse_single_sequence_example,
)
from tork.ops._serialize_tensor import parse_tensor, serialize_tensor

__all__ = [
    "FixedLenFeature",
    "FixedLenSequenceFeature",
    "RaggedFeature",
    "SparseFeature",
    "TFRecordOptions",
    "TFRecordWriter",
    "VarLenFeature",
    "parse_example",
    "parse_sequence_example",
    "parse_single_example",
    "parse_single_sequence_example",
    "parse_tensor",
    "serialize_tensor",
    "decode_and_crop_jpeg",
    "decode_bmp",
    "decode_csv",
    "decode_raw",
    "decode_gif",
    "decode_image",
    "decode_jpeg",
    "decode_png",
    "encode_jpeg",
    "encode_png",
    "extract_jpeg_shape",
    "gfile",
    "is_jpeg",
    "matching_files",
    "read_file",
    "write_file",
]

__getattr__ = module_getattr("tf.io")

_JPEG_MAGIC = b"\xff\xd8\xff"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _pil():
    try:
        from PIL import Image
    except ImportError:
        raise ImportError(
            "tf.io image decoding and encoding use Pillow: pip install pillow."
        ) from None
    return Image


def _as_bytes(value, what: str, op: str) -> bytes:
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    raise TypeError(
        f"tf.io.{op}: `{what}` must be a scalar string (bytes, str or a string tensor), got "
        f"{type(value).__name__}."
    )


def _as_path(filename, op: str) -> str:
    if isinstance(filename, os.PathLike):
        return os.fspath(filename)
    return os.fsdecode(_as_bytes(filename, "filename", op))


def read_file(filename, name: str | None = None):
    """Reads a whole file.

    Args:
        filename: the path (str, bytes, `os.PathLike` or a scalar string tensor).
        name: unused.

    Returns:
        The file's contents as a scalar `tf.string` tensor (`.numpy()` gives the bytes).

    Raises:
        NotFoundError: the file does not exist.

    Example:
    >>> tf.io.write_file("/tmp/tork_io_example.txt", b"hi")
    >>> tf.io.read_file("/tmp/tork_io_example.txt").numpy()
    b'hi'
    """
    del name
    path = _as_path(filename, "read_file")
    try:
        with open(path, "rb") as f:
            return string_tensor.make(f.read())
    except FileNotFoundError:
        raise NotFoundError(f"tf.io.read_file: {path}: No such file or directory.") from None


def write_file(filename, contents, name: str | None = None) -> None:
    """Writes `contents` to a file, creating missing parent directories.

    Args:
        filename: the path (str, bytes, `os.PathLike` or a scalar string tensor).
        contents: the bytes to write: a scalar string tensor, bytes or `str` (written
            as UTF-8).
        name: unused.

    Example:
    >>> tf.io.write_file("/tmp/tork_io_example.txt", b"hi")
    """
    del name
    path = _as_path(filename, "write_file")
    data = _as_bytes(contents, "contents", "write_file")
    parent = os.path.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def matching_files(pattern, name: str | None = None):
    """Returns the names of the files that match a glob pattern (or any of several), sorted.

    Args:
        pattern: a glob pattern (str, bytes or a scalar string tensor) or a list /
            1-D string tensor of patterns; see `tf.io.gfile.glob` for the syntax.
        name: unused.

    Returns:
        A 1-D string tensor of the matching paths (as bytes), sorted; empty when
        nothing matches.

    Example:
    >>> tf.io.matching_files("/tmp/data/*.txt")
    tf.Tensor([b'/tmp/data/a.txt' b'/tmp/data/b.txt'], shape=(2,), dtype=string)
    """
    del name
    return _matching_files(gfile._patterns(pattern, "tf.io.matching_files"))


def _matching_files(patterns: list[str]):
    matches = sorted(os.fsencode(m) for p in patterns for m in gfile._match(p))
    out = np.empty(len(matches), dtype=object)
    out[:] = matches
    return string_tensor.wrap(out)


def is_jpeg(contents, name: str | None = None) -> torch.Tensor:
    """Whether `contents` starts like a JPEG file.

    Args:
        contents: encoded image bytes.
        name: unused.

    Returns:
        A scalar bool tensor.

    Example:
    >>> bool(tf.io.is_jpeg(b"\\xff\\xd8\\xff\\xe0"))
    True
    """
    del name
    return torch.tensor(_as_bytes(contents, "contents", "is_jpeg").startswith(_JPEG_MAGIC))


def _open(data: bytes, op: str):
    image_module = _pil()
    try:
        image = image_module.open(_pyio.BytesIO(data))
        image.load()
    except Exception as err:
        from tork._backend.errors import InvalidArgumentError

        raise InvalidArgumentError(f"tf.io.{op}: could not decode the image data: {err}") from None
    return image


def _check_channels(channels, allowed, op: str) -> int:
    channels = 0 if channels is None else int(channels)
    if channels not in allowed:
        raise ValueError(
            f"tf.io.{op}: channels must be one of {', '.join(str(c) for c in allowed)} "
            f"(0 keeps the file's channels), got {channels}."
        )
    return channels


_MODE_FOR_CHANNELS = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}


def _pixels(image, channels: int) -> np.ndarray:
    """(height, width, channels) array of a Pillow image, converted to `channels` if given."""
    mode = image.mode
    if channels == 0:
        if mode == "P":
            mode = "RGBA" if "transparency" in image.info else "RGB"
        elif mode in ("1", "CMYK", "YCbCr", "LAB", "HSV", "RGBX", "PA"):
            mode = {"1": "L", "PA": "RGBA"}.get(mode, "RGB")
        elif mode not in ("L", "LA", "RGB", "RGBA", "I;16", "I;16B", "I;16L", "I", "F"):
            mode = "RGB"
    else:
        if mode in ("I;16", "I;16B", "I;16L") and channels == 1:
            mode = image.mode
        else:
            mode = _MODE_FOR_CHANNELS[channels]
    if mode != image.mode:
        image = image.convert(mode)
    array = np.array(image)
    if array.dtype.byteorder == ">":
        array = array.astype(array.dtype.newbyteorder("="))
    if array.ndim == 2:
        array = array[:, :, None]
    return array


def _to_tensor(array: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(array))


def decode_jpeg(
    contents,
    channels: int = 0,
    ratio: int = 1,
    fancy_upscaling: bool = True,
    try_recover_truncated: bool = False,
    acceptable_fraction: float = 1,
    dct_method: str = "",
    name: str | None = None,
) -> torch.Tensor:
    """Decodes a JPEG image to a uint8 tensor.

    Args:
        contents: the JPEG bytes.
        channels: 0 (as in the file), 1 (grayscale) or 3 (RGB).
        ratio: downscaling ratio during decoding: 1, 2, 4 or 8.
        fancy_upscaling: accepted; the decoder's default upsampling is used.
        try_recover_truncated: accepted; truncated files are decoded as far as possible.
        acceptable_fraction: accepted and unused.
        dct_method: accepted; the decoder's default DCT is used.
        name: unused.

    Returns:
        A uint8 tensor `(height, width, channels)`.

    Example:
    >>> data = tf.io.encode_jpeg(tf.zeros((4, 4, 3), dtype=tf.uint8))
    >>> tf.io.decode_jpeg(data).shape
    torch.Size([4, 4, 3])
    """
    del fancy_upscaling, acceptable_fraction, dct_method, name
    channels = _check_channels(channels, (0, 1, 3), "decode_jpeg")
    if int(ratio) not in (1, 2, 4, 8):
        raise ValueError(f"tf.io.decode_jpeg: ratio must be 1, 2, 4 or 8, got {ratio}.")
    data = _as_bytes(contents, "contents", "decode_jpeg")
    if try_recover_truncated:
        from PIL import ImageFile

        ImageFile.LOAD_TRUNCATED_IMAGES = True
    image_module = _pil()
    try:
        image = image_module.open(_pyio.BytesIO(data))
        if int(ratio) != 1:
            # libjpeg's DCT scaling, as TensorFlow uses.
            image.draft(image.mode, (-(-image.width // ratio), -(-image.height // ratio)))
        image.load()
    except Exception as err:
        from tork._backend.errors import InvalidArgumentError

        raise InvalidArgumentError(f"tf.io.decode_jpeg: could not decode the data: {err}") from None
    return _to_tensor(_pixels(image, channels))


def _jpeg_bytes(contents, op: str) -> bytes:
    """The JPEG file's bytes; TensorFlow's InvalidArgumentError for anything else."""
    from tork._backend.errors import InvalidArgumentError

    data = _as_bytes(contents, "contents", op)
    if data.startswith(b"\xff\xd8\xff"):
        return data
    if data.startswith(b"\x89PNG"):
        found = "PNG"
    elif data.startswith((b"GIF87a", b"GIF89a")):
        found = "GIF"
    elif data.startswith(b"BM"):
        found = "BMP"
    else:
        found = None
    what = f"detected {found}" if found else f"invalid JPEG data, size {len(data)}"
    raise InvalidArgumentError(
        f"tf.io.{op} can run on JPEG only, but {what}: use tf.io.decode_image for other formats."
    )


def extract_jpeg_shape(contents, output_type=torch.int32, name: str | None = None):
    """Reads the shape of a JPEG image from its header, without decoding the pixels.

    Args:
        contents: the JPEG bytes.
        output_type: `tf.int32` (default) or `tf.int64`.
        name: unused.

    Returns:
        A 1-D tensor `[height, width, channels]` of `output_type`.

    Example:
    >>> data = tf.io.encode_jpeg(tf.zeros((6, 8, 3), dtype=tf.uint8))
    >>> tf.io.extract_jpeg_shape(data).tolist()
    [6, 8, 3]
    """
    del name
    dtype = as_dtype(output_type)
    if dtype not in (torch.int32, torch.int64):
        raise ValueError(
            "tf.io.extract_jpeg_shape: output_type must be tf.int32 or tf.int64, got "
            f"{dtype_name(dtype)}."
        )
    data = _jpeg_bytes(contents, "extract_jpeg_shape")
    try:
        # Opening reads the header only; the pixels are never decoded.
        image = _pil().open(_pyio.BytesIO(data))
        width, height = image.size
        channels = len(image.getbands())
    except Exception as err:
        from tork._backend.errors import InvalidArgumentError

        raise InvalidArgumentError(
            f"tf.io.extract_jpeg_shape: could not read the JPEG header: {err}"
        ) from None
    return torch.tensor([height, width, channels], dtype=dtype)


def decode_and_crop_jpeg(
    contents,
    crop_window,
    channels: int = 0,
    ratio: int = 1,
    fancy_upscaling: bool = True,
    try_recover_truncated: bool = False,
    acceptable_fraction: float = 1,
    dct_method: str = "",
    name: str | None = None,
) -> torch.Tensor:
    """Decodes a JPEG image and crops it to a window.

    Args:
        contents: the JPEG bytes.
        crop_window: `[crop_y, crop_x, crop_height, crop_width]`, in pixels of the
            image as decoded (after the `ratio` downscaling); it must lie inside it.
        channels: 0 (as in the file), 1 (grayscale) or 3 (RGB).
        ratio: downscaling ratio during decoding: 1, 2, 4 or 8.
        fancy_upscaling: accepted; the decoder's default upsampling is used.
        try_recover_truncated: accepted; truncated files are decoded as far as possible.
        acceptable_fraction: accepted and unused.
        dct_method: accepted; the decoder's default DCT is used.
        name: unused.

    Returns:
        A uint8 tensor `(crop_height, crop_width, channels)`.

    Example:
    >>> data = tf.io.encode_jpeg(tf.zeros((6, 8, 3), dtype=tf.uint8))
    >>> tf.io.decode_and_crop_jpeg(data, [1, 2, 3, 4]).shape
    torch.Size([3, 4, 3])
    """
    from tork._backend.errors import InvalidArgumentError

    window = crop_window.tolist() if hasattr(crop_window, "tolist") else list(crop_window)
    if len(window) != 4:
        raise InvalidArgumentError(
            "tf.io.decode_and_crop_jpeg: crop_window must have four elements "
            f"[crop_y, crop_x, crop_height, crop_width], got {window}."
        )
    data = _jpeg_bytes(contents, "decode_and_crop_jpeg")
    image = decode_jpeg(
        data,
        channels=channels,
        ratio=ratio,
        fancy_upscaling=fancy_upscaling,
        try_recover_truncated=try_recover_truncated,
        acceptable_fraction=acceptable_fraction,
        dct_method=dct_method,
        name=name,
    )
    y, x, h, w = (int(v) for v in window)
    height, width = image.shape[0], image.shape[1]
    if y < 0 or x < 0 or h <= 0 or w <= 0 or y + h > height or x + w > width:
        raise InvalidArgumentError(
            f"tf.io.decode_and_crop_jpeg: the crop window [{y}, {x}, {h}, {w}] "
            f"([crop_y, crop_x, crop_height, crop_width]) does not lie inside the "
            f"{height}x{width} decoded image: it needs a positive size, and "
            "crop_y + crop_height <= height and crop_x + crop_width <= width."
        )
    return image[y : y + h, x : x + w].contiguous()


def decode_png(contents, channels: int = 0, dtype=torch.uint8, name: str | None = None):
    """Decodes a PNG image to a uint8 or uint16 tensor.

    Args:
        contents: the PNG bytes.
        channels: 0 (as in the file), 1 (grayscale), 3 (RGB) or 4 (RGBA).
        dtype: `tf.uint8` (default) or `tf.uint16`.
        name: unused.

    Returns:
        A tensor `(height, width, channels)` of `dtype`.

    Example:
    >>> data = tf.io.encode_png(tf.zeros((4, 4, 3), dtype=tf.uint8))
    >>> tf.io.decode_png(data).shape
    torch.Size([4, 4, 3])
    """
    del name
    channels = _check_channels(channels, (0, 1, 3, 4), "decode_png")
    target = as_dtype(dtype)
    if target not in (torch.uint8, torch.uint16):
        raise ValueError(
            f"tf.io.decode_png: dtype must be tf.uint8 or tf.uint16, got {dtype_name(target)}."
        )
    image = _open(_as_bytes(contents, "contents", "decode_png"), "decode_png")
    return _to_tensor(_png_pixels(image, channels, target))


def _png_pixels(image, channels: int, target: torch.dtype) -> np.ndarray:
    """The PNG's pixels `(height, width, channels)` as libpng gives them to TensorFlow.

    Channels change at the file's depth: colour to gray with libpng's weights, truncated
    (`(9797 R + 19234 G + 3737 B) >> 15` on 8-bit samples), gray to colour by copying,
    a missing alpha as fully opaque. 16-bit samples keep their high byte for uint8 output
    (libpng's strip), 8-bit ones are scaled by 257 for uint16.
    """
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        array = np.asarray(image).astype(np.uint16)[:, :, None]  # 16-bit gray
    else:
        array = _pixels(image, 0)
        if array.dtype != np.uint8:  # e.g. mode F: not a PNG libpng would give
            array = array.astype(np.uint8)
    array = _png_channels(array, channels)
    if target == torch.uint16:
        return array if array.dtype == np.uint16 else array.astype(np.uint16) * 257
    return (array >> 8).astype(np.uint8) if array.dtype == np.uint16 else array


def _png_channels(array: np.ndarray, channels: int) -> np.ndarray:
    have = array.shape[-1]
    if channels in (0, have):
        return array
    opaque = np.full(array.shape[:2] + (1,), np.iinfo(array.dtype).max, array.dtype)
    color, alpha = (
        (array[..., :1], array[..., 1:]) if have <= 2 else (array[..., :3], array[..., 3:])
    )
    if channels <= 2 and color.shape[-1] == 3:
        return _png_channels(np.concatenate([_libpng_gray(color), alpha], axis=-1), channels)
    if channels >= 3 and color.shape[-1] == 1:
        color = np.repeat(color, 3, axis=-1)
    if channels in (2, 4):
        return np.concatenate([color, alpha if alpha.shape[-1] else opaque], axis=-1)
    return color


def _libpng_gray(rgb: np.ndarray) -> np.ndarray:
    """Gray from `(..., 3)` colour samples as libpng converts them for TensorFlow.

    Args:
        rgb: uint8 or uint16 colour samples.

    Returns:
        The gray samples, `(..., 1)`, of the same dtype.
    """
    wide = rgb.astype(np.int64)
    gray = (wide[..., 0] * 9797 + wide[..., 1] * 19234 + wide[..., 2] * 3737) >> 15
    return gray.astype(rgb.dtype)[..., None]


def decode_bmp(contents, channels: int = 0, name: str | None = None) -> torch.Tensor:
    """Decodes a BMP image to a uint8 tensor.

    Args:
        contents: the BMP bytes.
        channels: 0 (as in the file), 1, 3 or 4.
        name: unused.

    Returns:
        A uint8 tensor `(height, width, channels)`.

    Example:
    >>> import io, PIL.Image
    >>> buf = io.BytesIO(); PIL.Image.new("RGB", (2, 3)).save(buf, "BMP")
    >>> tf.io.decode_bmp(buf.getvalue()).shape
    torch.Size([3, 2, 3])
    """
    del name
    channels = _check_channels(channels, (0, 1, 3, 4), "decode_bmp")
    image = _open(_as_bytes(contents, "contents", "decode_bmp"), "decode_bmp")
    return _to_tensor(_pixels(image, channels))


def decode_gif(contents, name: str | None = None) -> torch.Tensor:
    """Decodes all frames of a GIF to a uint8 tensor `(frames, height, width, 3)`.

    Args:
        contents: the GIF bytes.
        name: unused.

    Returns:
        A uint8 tensor `(num_frames, height, width, 3)`.

    Example:
    >>> import io, PIL.Image
    >>> buf = io.BytesIO(); PIL.Image.new("RGB", (2, 3)).save(buf, "GIF")
    >>> tf.io.decode_gif(buf.getvalue()).shape
    torch.Size([1, 3, 2, 3])
    """
    del name
    image = _open(_as_bytes(contents, "contents", "decode_gif"), "decode_gif")
    frames = []
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        frames.append(np.array(image.convert("RGB")))
    return _to_tensor(np.stack(frames))


def _image_format(data: bytes) -> str | None:
    if data.startswith(_JPEG_MAGIC):
        return "jpeg"
    if data.startswith(_PNG_MAGIC):
        return "png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data.startswith(b"BM"):
        return "bmp"
    return None


def decode_image(
    contents,
    channels: int | None = None,
    dtype=torch.uint8,
    name: str | None = None,
    expand_animations: bool = True,
) -> torch.Tensor:
    """Decodes a BMP, GIF, JPEG or PNG image, detecting the format from its bytes.

    Args:
        contents: the encoded image bytes.
        channels: None or 0 (as in the file), 1, 3 or 4.
        dtype: the result dtype: `tf.uint8` (default), `tf.uint16` or a float
            type (values rescaled like `tf.image.convert_image_dtype`).
        name: unused.
        expand_animations: if True, GIFs give 4-D `(frames, height, width, 3)`
            tensors; if False, every format gives a 3-D tensor (the first frame
            of a GIF).

    Returns:
        A 3-D (or 4-D for GIFs) tensor of `dtype`.

    Example:
    >>> data = tf.io.encode_png(tf.zeros((4, 4, 1), dtype=tf.uint8))
    >>> tf.io.decode_image(data, dtype=tf.float32).dtype
    torch.float32
    """
    del name
    data = _as_bytes(contents, "contents", "decode_image")
    channels = _check_channels(channels, (0, 1, 3, 4), "decode_image")
    target = as_dtype(dtype)
    if not (target in (torch.uint8, torch.uint16) or target.is_floating_point):
        raise ValueError(
            "tf.io.decode_image: dtype must be tf.uint8, tf.uint16 or a float type, got "
            f"{dtype_name(target)}."
        )
    kind = _image_format(data)
    if kind is None:
        from tork._backend.errors import InvalidArgumentError

        raise InvalidArgumentError(
            "tf.io.decode_image: unknown image file format. One of JPEG, PNG, GIF, BMP required."
        )
    if kind == "gif":
        if channels not in (0, 3):
            raise ValueError(
                f"tf.io.decode_image: channels must be None, 0 or 3 for GIF images, got {channels}."
            )
        pixels = decode_gif(data)
        if not expand_animations:
            pixels = pixels[0]
    elif kind == "png":
        pixels = decode_png(data, channels, torch.uint16 if target == torch.uint16 else torch.uint8)
    elif kind == "jpeg":
        if channels == 4:
            raise ValueError("tf.io.decode_image: channels must be 0, 1 or 3 for JPEG images.")
        pixels = decode_jpeg(data, channels)
    else:
        pixels = decode_bmp(data, channels)
    if pixels.dtype == target:
        return pixels
    from tork.ops.image import convert_image_dtype

    return convert_image_dtype(pixels, target)


def _uint_image(image, op: str, allowed_dtypes, allowed_channels) -> np.ndarray:
    x = image if isinstance(image, torch.Tensor) else torch.as_tensor(np.asarray(image))
    if x.dim() != 3:
        raise ValueError(
            f"tf.io.{op} expects a 3-D image (height, width, channels), got shape {tuple(x.shape)}."
        )
    if x.dtype not in allowed_dtypes:
        raise TypeError(
            f"tf.io.{op} expects a {' or '.join(dtype_name(d) for d in allowed_dtypes)} image, "
            f"got {dtype_name(x.dtype)}; convert it with tf.image.convert_image_dtype(image, "
            "tf.uint8, saturate=True)."
        )
    if x.shape[-1] not in allowed_channels:
        raise ValueError(
            f"tf.io.{op}: the image must have {', '.join(str(c) for c in allowed_channels)} "
            f"channels, got {x.shape[-1]}."
        )
    return x.detach().cpu().numpy()


def encode_jpeg(
    image,
    format: str = "",
    quality: int = 95,
    progressive: bool = False,
    optimize_size: bool = False,
    chroma_downsampling: bool = True,
    density_unit: str = "in",
    x_density: int = 300,
    y_density: int = 300,
    xmp_metadata: str = "",
    name: str | None = None,
):
    """Encodes a uint8 image as JPEG.

    Args:
        image: a uint8 tensor `(height, width, channels)` with 1 or 3 channels.
        format: `''` (from the channels), `'grayscale'` or `'rgb'`.
        quality: 0 to 100.
        progressive: whether to write a progressive JPEG.
        optimize_size: whether to optimize the Huffman tables.
        chroma_downsampling: whether to subsample chroma (4:2:0).
        density_unit: `'in'` or `'cm'`.
        x_density: horizontal pixels per density unit.
        y_density: vertical pixels per density unit.
        xmp_metadata: only `''` is supported.
        name: unused.

    Returns:
        The JPEG file as a scalar `tf.string` tensor (`.numpy()` gives the bytes).

    Example:
    >>> tf.io.encode_jpeg(tf.zeros((4, 4, 3), dtype=tf.uint8)).numpy()[:3]
    b'\\xff\\xd8\\xff'
    """
    del name
    if format not in ("", "grayscale", "rgb"):
        raise ValueError(
            f"tf.io.encode_jpeg: format must be '', 'grayscale' or 'rgb', got {format!r}."
        )
    if density_unit not in ("in", "cm"):
        raise ValueError(
            f"tf.io.encode_jpeg: density_unit must be 'in' or 'cm', got {density_unit!r}."
        )
    if xmp_metadata:
        raise NotImplementedError("tork does not implement `tf.io.encode_jpeg(xmp_metadata=...)`.")
    if not 0 <= int(quality) <= 100:
        raise ValueError(f"tf.io.encode_jpeg: quality must be in [0, 100], got {quality}.")
    array = _uint_image(image, "encode_jpeg", (torch.uint8,), (1, 3))
    wanted = {"grayscale": 1, "rgb": 3}.get(format)
    if wanted is not None and array.shape[-1] != wanted:
        raise ValueError(
            f"tf.io.encode_jpeg: format={format!r} needs {wanted} channels, got {array.shape[-1]}."
        )
    scale = 2.54 if density_unit == "cm" else 1.0
    pil = _pil().fromarray(array[:, :, 0] if array.shape[-1] == 1 else array)
    buffer = _pyio.BytesIO()
    pil.save(
        buffer,
        "JPEG",
        quality=int(quality),
        progressive=bool(progressive),
        optimize=bool(optimize_size),
        subsampling=2 if chroma_downsampling else 0,
        dpi=(int(x_density) * scale, int(y_density) * scale),
    )
    return string_tensor.make(buffer.getvalue())


def encode_png(image, compression: int = -1, name: str | None = None):
    """Encodes an image as PNG (lossless).

    Args:
        image: a uint8 tensor `(height, width, channels)` with 1 to 4 channels,
            or a uint16 tensor with 1 channel.
        compression: -1 (default level) or 0 to 9.
        name: unused.

    Returns:
        The PNG file as a scalar `tf.string` tensor (`.numpy()` gives the bytes).

    Example:
    >>> tf.io.encode_png(tf.zeros((4, 4, 3), dtype=tf.uint8)).numpy()[:4]
    b'\\x89PNG'
    """
    del name
    compression = int(compression)
    if not -1 <= compression <= 9:
        raise ValueError(f"tf.io.encode_png: compression must be in [-1, 9], got {compression}.")
    array = _uint_image(image, "encode_png", (torch.uint8, torch.uint16), (1, 2, 3, 4))
    if array.dtype == np.uint16:
        if array.shape[-1] != 1:
            raise NotImplementedError(
                "tork does not implement `tf.io.encode_png` for uint16 images with more than one "
                "channel (Pillow writes 16-bit grayscale only)."
            )
        pil = _pil().fromarray(array[:, :, 0].astype("<u2"))
    else:
        pil = _pil().fromarray(array[:, :, 0] if array.shape[-1] == 1 else array)
    buffer = _pyio.BytesIO()
    pil.save(buffer, "PNG", compress_level=6 if compression == -1 else compression)
    return string_tensor.make(buffer.getvalue())


class TFRecordOptions:
    """Options of TFRecord files: their compression.

    Args:
        compression_type: None or "" (no compression), "GZIP" or "ZLIB".
        flush_mode: unused (zlib's flush mode).
        input_buffer_size: unused.
        output_buffer_size: unused.
        window_bits: unused.
        compression_level: 0 (none) to 9 (best); None for the library default.
        compression_method: unused.
        mem_level: unused.
        compression_strategy: unused.

    Example:
    >>> options = tf.io.TFRecordOptions(compression_type="GZIP")
    >>> writer = tf.io.TFRecordWriter("/tmp/data.tfrecord.gz", options)
    """

    def __init__(
        self,
        compression_type: str | None = None,
        flush_mode=None,
        input_buffer_size=None,
        output_buffer_size=None,
        window_bits=None,
        compression_level: int | None = None,
        compression_method=None,
        mem_level=None,
        compression_strategy=None,
    ):
        del flush_mode, input_buffer_size, output_buffer_size, window_bits
        del compression_method, mem_level, compression_strategy
        self.compression_type = _tfrecord.compression_name(
            compression_type, "tf.io.TFRecordOptions"
        )
        if compression_level is not None and not 0 <= int(compression_level) <= 9:
            raise ValueError(
                f"tf.io.TFRecordOptions: compression_level must be in 0..9, got {compression_level}."
            )
        self.compression_level = compression_level

    @classmethod
    def get_compression_type_string(cls, options) -> str:
        """The compression type ("", "GZIP" or "ZLIB") of options or a compression name."""
        return _tfrecord.compression_name(options, "TFRecordOptions.get_compression_type_string")

    def __repr__(self) -> str:
        return f"TFRecordOptions(compression_type={self.compression_type!r})"


class TFRecordWriter:
    """Writes records (byte strings) to a TFRecord file.

    Each record is framed with its length and masked CRC-32C checksums, as
    TensorFlow writes them; read the file back with `tf.data.TFRecordDataset`.

    Args:
        path: the file to write (created or truncated).
        options: None, a compression type ("", "GZIP", "ZLIB") or a
            `tf.io.TFRecordOptions`.

    Example:
    >>> with tf.io.TFRecordWriter("/tmp/data.tfrecord") as writer:
    ...     writer.write(example.SerializeToString())
    """

    def __init__(self, path, options=None):
        self._path = _as_path(path, "TFRecordWriter")
        self._compression = _tfrecord.compression_name(options, "tf.io.TFRecordWriter")
        level = getattr(options, "compression_level", None)
        parent = os.path.dirname(self._path)
        if parent and not os.path.isdir(parent):
            raise NotFoundError(
                f"tf.io.TFRecordWriter: the directory of {self._path} does not exist. Create "
                "it first (tf.io.gfile.makedirs)."
            )
        self._file = _tfrecord.open_for_writing(self._path, self._compression, level)

    def write(self, record) -> None:
        """Writes one record (bytes, str or a scalar string tensor)."""
        if self._file is None:
            raise ValueError(f"tf.io.TFRecordWriter: write to {self._path} after close().")
        self._file.write(_tfrecord.frame(_as_bytes(record, "record", "TFRecordWriter.write")))

    def flush(self) -> None:
        """Flushes the records written so far to the file."""
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        """Flushes and closes the file; later writes are errors."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> TFRecordWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# The out_type values TensorFlow's DecodeRaw kernel accepts.
_RAW_DTYPES = (
    torch.float16,
    torch.float32,
    torch.float64,
    torch.int32,
    torch.uint16,
    torch.uint8,
    torch.int16,
    torch.int8,
    torch.int64,
    torch.complex64,
    torch.complex128,
    torch.bool,
    torch.bfloat16,
)


def decode_csv(
    records,
    record_defaults,
    field_delim: str = ",",
    use_quote_delim: bool = True,
    name: str | None = None,
    na_value: str = "",
    select_cols=None,
):
    """Splits CSV lines into one tensor per column.

    Args:
        records: a string (or a string tensor or list of any shape) of CSV lines.
        record_defaults: one entry per kept column: a value (`0`, `0.0`, `""`,
            a scalar tensor, or a one-element list) is the column's default and
            sets its type; an empty tensor (`tf.constant([], tf.int64)`) makes
            the column required (a missing field raises `InvalidArgumentError`).
        field_delim: the field separator.
        use_quote_delim: whether double quotes group fields.
        name: unused.
        na_value: the text that marks a missing field.
        select_cols: the (increasing) indices of the columns to keep.

    Returns:
        A list of tensors, one per column, each with the shape of `records`.

    Example:
    >>> tf.io.decode_csv(["1,a", "2,b"], record_defaults=[0, ""])
    [<tf.Tensor: shape=(2,), dtype=int32, ...>, <tf.Tensor: shape=(2,), dtype=string, ...>]
    """
    import csv

    from tork._backend.errors import InvalidArgumentError
    from tork.data.experimental import _csv_field, _csv_record_kinds

    del name
    if select_cols is not None and list(select_cols) != sorted(set(select_cols)):
        raise ValueError(
            f"tf.io.decode_csv: select_cols must be increasing, got {list(select_cols)}."
        )
    if select_cols is not None and len(select_cols) != len(record_defaults):
        raise ValueError(
            f"tf.io.decode_csv: {len(select_cols)} select_cols but {len(record_defaults)} "
            "record_defaults; give one default per selected column."
        )
    kinds, fills = _csv_record_kinds(record_defaults)
    lines = np.asarray(string_tensor.make(records, "tf.io.decode_csv"), dtype=object)
    quoting = csv.QUOTE_MINIMAL if use_quote_delim else csv.QUOTE_NONE
    columns: list = [[] for _ in kinds]
    for number, line in enumerate(lines.reshape(-1)):
        text = bytes(line).decode("utf-8")
        # An empty line is one empty field, as TensorFlow reads it.
        fields = next(csv.reader([text], delimiter=field_delim, quoting=quoting), [""])
        if select_cols is not None:
            if max(select_cols) >= len(fields):
                raise InvalidArgumentError(
                    None,
                    None,
                    f"Expect {max(select_cols) + 1} fields but have {len(fields)} "
                    f"in record {number}",
                )
            fields = [fields[i] for i in select_cols]
        if len(fields) != len(kinds):
            raise InvalidArgumentError(
                None, None, f"Expect {len(kinds)} fields but have {len(fields)} in record {number}"
            )
        for i, field in enumerate(fields):
            value = _csv_field(field, kinds[i], fills[i], na_value, i, number, np)
            if kinds[i] != "string":
                value = value.item()
            columns[i].append(value)
    out = []
    for kind, values in zip(kinds, columns):
        if kind == "string":
            array = np.empty(len(values), dtype=object)
            array[:] = values
            out.append(string_tensor.wrap(array.reshape(lines.shape)))
        else:
            out.append(torch.from_numpy(np.asarray(values, dtype=kind).reshape(lines.shape)))
    return out


def decode_raw(
    input_bytes, out_type, little_endian: bool = True, fixed_length=None, name: str | None = None
) -> torch.Tensor:
    """Reinterprets the bytes of each string as a vector of numbers.

    Args:
        input_bytes: a string tensor (or bytes, or a list of them) of any shape;
            without `fixed_length` every string must have the same length.
        out_type: the numbers' dtype: `tf.uint8`, `tf.int8`, `tf.int16`,
            `tf.uint16`, `tf.int32`, `tf.int64`, `tf.float16`, `tf.bfloat16`,
            `tf.float32`, `tf.float64`, `tf.complex64`, `tf.complex128` or `tf.bool`.
        little_endian: whether the numbers are stored least significant byte first.
        fixed_length: when given, each string is cut or zero-padded to this many
            bytes first (it must be a multiple of the size of `out_type`).
        name: unused.

    Returns:
        A CPU tensor of `out_type` with shape `input_bytes.shape + [length // size]`.

    Raises:
        InvalidArgumentError: the strings have different lengths, a length is not a
            multiple of the size of `out_type`, or `out_type` is not allowed.

    Example:
    >>> tf.io.decode_raw(tf.constant([b"\\x01\\x00\\x02\\x00"]), tf.int16)
    tf.Tensor([[1 2]], shape=(1, 2), dtype=int16)
    """
    from tork._backend.errors import InvalidArgumentError

    dtype = as_dtype(out_type) if out_type is not string_tensor.string else None
    if dtype not in _RAW_DTYPES:
        raise InvalidArgumentError(
            f"tf.io.decode_raw: out_type {out_type!r} is not allowed; use one of float16, "
            "float32, float64, int32, uint16, uint8, int16, int8, int64, complex64, "
            "complex128, bool, bfloat16."
        )
    if isinstance(input_bytes, torch.Tensor):
        raise InvalidArgumentError(
            "tf.io.decode_raw: `input_bytes` must be a string tensor, got a "
            f"{dtype_name(input_bytes.dtype)} tensor."
        )
    strings = np.asarray(string_tensor.make(input_bytes, "tf.io.decode_raw"), dtype=object)
    size = torch.empty((), dtype=dtype).element_size()
    flat = [bytes(b) for b in strings.reshape(-1)]
    if fixed_length is not None:
        length = int(fixed_length)
        if length % size:
            raise InvalidArgumentError(
                f"tf.io.decode_raw: fixed_length ({length}) must be a multiple of the size of "
                f"out_type ({size})."
            )
        flat = [b[:length].ljust(length, b"\x00") for b in flat]
    else:
        length = len(flat[0]) if flat else 0
        for i, b in enumerate(flat):
            if len(b) != length:
                raise InvalidArgumentError(
                    "tf.io.decode_raw requires input strings to all be the same size, but "
                    f"element {i} has size {len(b)} != {length}."
                )
        if length % size:
            raise InvalidArgumentError(
                f"tf.io.decode_raw: input has length {length} that is not a multiple of "
                f"{size}, the size of {dtype_name(dtype)}."
            )
    count = length // size
    if count == 0 or not flat:
        return torch.empty((*strings.shape, count), dtype=dtype)
    raw = np.frombuffer(b"".join(flat), dtype=np.uint8).reshape(len(flat), count, size)
    if bool(little_endian) != np.little_endian:
        raw = raw[..., ::-1]
    raw = torch.from_numpy(np.array(raw))  # a writable copy in the host's byte order
    if dtype == torch.bool:
        values = raw[..., 0] != 0
    else:
        values = raw.view(dtype).reshape(len(flat), count)
    return values.reshape(*strings.shape, count)
