"""`keras.applications.imagenet_utils`: ImageNet preprocessing and label decoding.

Also the argument checks shared by the application models (input shape,
`weights`, `pooling`, the classifier activation) and the loading of the
pretrained weight files through `keras.utils.get_file`.
"""

from __future__ import annotations

import importlib
import json
import os
import warnings

import numpy as np
import torch

from tork._backend.device import current_device
from tork.keras.models.functional.keras_tensor import KerasTensor

CLASS_INDEX = None
CLASS_INDEX_PATH = (
    "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json"
)
_CLASS_INDEX_HASH = "c2c37ea517e94d9795004a39431a14cb"

# Per-channel ImageNet statistics (RGB order for "torch", BGR order for "caffe").
_CAFFE_MEAN = (103.939, 116.779, 123.68)
_TORCH_MEAN = (0.485, 0.456, 0.406)
_TORCH_STD = (0.229, 0.224, 0.225)
_MODES = ("caffe", "tf", "torch")


def _data_format(data_format: str | None) -> str:
    if data_format is None:
        from tork.keras.backend import image_data_format

        data_format = image_data_format()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            f"data_format must be 'channels_first' or 'channels_last', got {data_format!r}."
        )
    return data_format


def _channel_shape(ndim: int, data_format: str) -> tuple:
    # Broadcast shape of a per-channel vector against an image (3D) or batch (4D).
    if data_format == "channels_last":
        return (1,) * (ndim - 1) + (3,)
    return (3, 1, 1) if ndim == 3 else (1, 3) + (1,) * (ndim - 2)


def _preprocess_numpy(x: np.ndarray, data_format: str, mode: str) -> np.ndarray:
    """Keras's NumPy preprocessing, in place on a float array as Keras does it.

    Keras changes a float input array itself (`x /= 127.5`; in caffe mode it subtracts
    the means through the channel-reversed view, so the caller's array keeps RGB order
    with each channel's mean removed), so code that ignores the return value still sees
    preprocessed data. Other inputs are converted to floatx first, as a new array.
    """
    if not np.issubdtype(x.dtype, np.floating) or not x.flags.writeable:
        from tork._backend.dtypes import floatx

        x = x.astype(floatx() if not np.issubdtype(x.dtype, np.floating) else x.dtype)
    if mode == "tf":
        x /= x.dtype.type(127.5)
        x -= x.dtype.type(1.0)
        return x
    axis = -1 if data_format == "channels_last" else (0 if x.ndim == 3 else 1)
    shape = _channel_shape(x.ndim, data_format)
    if mode == "torch":
        x /= x.dtype.type(255.0)
        x -= np.asarray(_TORCH_MEAN, x.dtype).reshape(shape)
        x /= np.asarray(_TORCH_STD, x.dtype).reshape(shape)
        return x
    x = np.flip(x, axis=axis)
    x -= np.asarray(_CAFFE_MEAN, x.dtype).reshape(shape)
    return x


def _preprocess_tensor(x, data_format: str, mode: str):
    if not x.dtype.is_floating_point:
        from tork._backend.dtypes import floatx_dtype

        x = (
            x.to(floatx_dtype())
            if isinstance(x, torch.Tensor)
            else torch.Tensor.to(x, floatx_dtype())
        )
    if mode == "tf":
        return x / 127.5 - 1.0
    ndim = len(x.shape)
    if isinstance(x, KerasTensor) and (data_format == "channels_last" or ndim == 4):
        return _preprocess_symbolic(x, data_format, mode, ndim)
    axis = -1 if data_format == "channels_last" else (0 if ndim == 3 else 1)
    shape = _channel_shape(ndim, data_format)
    # Symbolic inputs (keras.Input) live on the default device, like the model's weights.
    device = x.device if isinstance(x, torch.Tensor) else current_device()
    if mode == "torch":
        mean = torch.tensor(_TORCH_MEAN, dtype=x.dtype, device=device).reshape(shape)
        std = torch.tensor(_TORCH_STD, dtype=x.dtype, device=device).reshape(shape)
        return (x / 255.0 - mean) / std
    mean = torch.tensor(_CAFFE_MEAN, dtype=x.dtype, device=device).reshape(shape)
    return torch.flip(x, dims=[axis]) - mean


def _preprocess_symbolic(x, data_format: str, mode: str, ndim: int):
    # The same arithmetic written with the ops Keras 2 uses (a reversing slice, then
    # `bias_add`), so a functional model records the layers tf_keras shows in summary():
    # `tf.__operators__.getitem` and `tf.nn.bias_add` (not `torch.flip`).
    from tork.ops.nn import bias_add

    channels_last = data_format == "channels_last"
    if mode == "torch":
        x = x / 255.0
        mean, std = _TORCH_MEAN, _TORCH_STD
    else:
        reverse = slice(None, None, -1)
        x = x[(slice(None),) * (ndim - 1) + (reverse,)] if channels_last else x[:, reverse]
        mean, std = _CAFFE_MEAN, None
    device = current_device()
    negative_mean = torch.tensor([-m for m in mean], dtype=x.dtype, device=device)
    x = bias_add(x, negative_mean, data_format="NHWC" if channels_last else "NCHW")
    if std is not None:
        shape = _channel_shape(ndim, data_format)
        x = x / torch.tensor(std, dtype=x.dtype, device=device).reshape(shape)
    return x


def preprocess_input(x, data_format: str | None = None, mode: str = "caffe"):
    """Preprocesses a batch of images for an ImageNet model.

    Args:
        x: images as a NumPy array, a tensor or a symbolic `keras.Input`
            tensor, 3D (one image) or 4D (a batch), with 3 color channels in
            RGB order and values in `[0, 255]`.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `keras.backend.image_data_format()`.
        mode: `"caffe"` (RGB to BGR, then subtract the ImageNet channel
            means, no scaling), `"tf"` (scale to `[-1, 1]`) or `"torch"`
            (scale to `[0, 1]`, then normalize with the ImageNet mean and
            standard deviation).

    Returns:
        The preprocessed images, a NumPy array for NumPy input and a tensor
        otherwise. Integer input becomes float32. As in Keras, a float NumPy
        input is modified in place (use the return value: in caffe mode it is
        the channel-reversed view).

    Example:
    >>> x = np.full((1, 2, 2, 3), 255.0, "float32")
    >>> keras.applications.imagenet_utils.preprocess_input(x, mode="tf")[0, 0, 0]
    array([1., 1., 1.], dtype=float32)
    """
    if mode not in _MODES:
        raise ValueError(f"Expected mode to be one of 'caffe', 'tf' or 'torch'. Received: {mode!r}")
    data_format = _data_format(data_format)
    if isinstance(x, (torch.Tensor, KerasTensor)):
        return _preprocess_tensor(x, data_format, mode)
    return _preprocess_numpy(np.asarray(x), data_format, mode)


def decode_predictions(preds, top: int = 5) -> list:
    """Decodes the predictions of an ImageNet model into class names.

    The class index (`imagenet_class_index.json`) is downloaded once into the
    Keras cache (`~/.keras/models/`) with `keras.utils.get_file`.

    Args:
        preds: predictions of shape `(samples, 1000)` (NumPy array or tensor).
        top: how many of the top classes to return per sample.

    Returns:
        One list per sample of `(class_name, class_description, score)`
        tuples, highest score first.

    Raises:
        ValueError: if `preds` is not of shape `(samples, 1000)`.

    Example:
    >>> preds = model.predict(x)  # doctest: +SKIP
    >>> keras.applications.imagenet_utils.decode_predictions(preds, top=3)  # doctest: +SKIP
    [[('n02123045', 'tabby', 0.61), ...]]
    """
    global CLASS_INDEX
    if isinstance(preds, torch.Tensor):
        preds = preds.detach().cpu().numpy()
    preds = np.asarray(preds)
    if preds.ndim != 2 or preds.shape[1] != 1000:
        raise ValueError(
            "decode_predictions expects a batch of predictions (i.e. a 2D array of shape "
            f"(samples, 1000)). Received array with shape: {preds.shape}. Pass the output "
            "of an ImageNet model with include_top=True and classes=1000."
        )
    if CLASS_INDEX is None:
        fpath = _get_file(
            "imagenet_class_index.json",
            CLASS_INDEX_PATH,
            cache_subdir="models",
            file_hash=_CLASS_INDEX_HASH,
        )
        with open(fpath) as f:
            CLASS_INDEX = json.load(f)
    results = []
    for pred in preds:
        top_indices = np.argsort(pred, kind="stable")[::-1][:top]
        results.append([(*CLASS_INDEX[str(i)], pred[i]) for i in top_indices])
    return results


def _get_file(fname: str, origin: str, **kwargs) -> str:
    # Looked up at call time: `tork.keras.utils.get_file` (the attribute) is the function,
    # and tests replace the module's downloader.
    return importlib.import_module("tork.keras.utils.get_file").get_file(fname, origin, **kwargs)


# ---- shared by the application models ----------------------------------------------------


def _check_weights(weights, include_top: bool, classes: int) -> None:
    if not (weights in ("imagenet", None) or os.path.exists(os.fspath(weights))):
        raise ValueError(
            "The `weights` argument should be either `None` (random initialization), "
            "'imagenet' (pre-training on ImageNet), or the path to the weights file to be "
            f"loaded. Received: weights={weights!r} (no such file)."
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(
            "If using `weights='imagenet'` with `include_top=True`, `classes` should be "
            f"1000. Received classes={classes}. Pass weights=None to train a classifier with "
            "another number of classes, or include_top=False and add your own head."
        )


def _check_pooling(pooling) -> None:
    # Keras ignores unknown values silently; a typo there would drop the pooling unnoticed.
    if pooling not in (None, "avg", "max"):
        raise ValueError(f"pooling must be None, 'avg' or 'max'. Received: pooling={pooling!r}")


def _validate_activation(classifier_activation, weights) -> None:
    if weights is None:
        return
    from tork.keras import activations

    act = activations.get(classifier_activation)
    if act not in (activations.get("softmax"), activations.get(None)):
        raise ValueError(
            "Only `None` and `softmax` activations are allowed for the `classifier_activation` "
            f"argument when using pretrained weights, with `include_top=True`; Received: "
            f"classifier_activation={classifier_activation!r}"
        )


# Marks an argument left out (None is a value callers pass: `require_flatten=include_top or
# weights` with weights=None).
_MISSING = object()


def _obtain_input_shape(
    input_shape,
    default_size: int,
    min_size: int,
    data_format: str,
    require_flatten=_MISSING,
    weights=None,
    include_top=_MISSING,
) -> tuple:
    """Validates `input_shape` (or picks the default) the way Keras's applications do.

    Keras 2.0.0-2.0.7 named the flag `include_top` (`_obtain_input_shape(input_shape,
    default_size=32, min_size=8, data_format=..., include_top=include_top)` in 2017 model
    zoos such as titu1994's DenseNet); it is accepted as `require_flatten`.
    """
    if include_top is not _MISSING:
        if require_flatten is not _MISSING:
            raise TypeError(
                "_obtain_input_shape: pass either `require_flatten` or its old name "
                "`include_top`, not both."
            )
        require_flatten = include_top
    if require_flatten is _MISSING:
        raise TypeError("_obtain_input_shape() missing required argument: 'require_flatten'")
    if input_shape is not None:
        input_shape = tuple(input_shape)
    channels_last = data_format == "channels_last"
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        channels = input_shape[-1] if channels_last else input_shape[0]
        if channels not in (1, 3):
            warnings.warn(
                "This model usually expects 1 or 3 input channels. However, it was passed an "
                f"input_shape with {channels} input channels.",
                stacklevel=3,
            )
        spatial = (default_size, default_size)
        default_shape = spatial + (channels,) if channels_last else (channels,) + spatial
    else:
        default_shape = (
            (default_size, default_size, 3) if channels_last else (3, default_size, default_size)
        )
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and input_shape != default_shape:
            raise ValueError(
                "When setting `include_top=True` and loading `imagenet` weights, "
                f"`input_shape` should be {default_shape}. Received: input_shape={input_shape}. "
                "Use include_top=False for other image sizes."
            )
        return default_shape
    if input_shape:
        if len(input_shape) != 3:
            raise ValueError(
                "`input_shape` must be a tuple of three integers (height, width, channels). "
                f"Received: input_shape={input_shape}"
            )
        rows, cols, channels = (
            input_shape if channels_last else (input_shape[1], input_shape[2], input_shape[0])
        )
        if channels != 3 and weights == "imagenet":
            raise ValueError(
                f"The input must have 3 channels; Received `input_shape={input_shape}`"
            )
        if (rows is not None and rows < min_size) or (cols is not None and cols < min_size):
            raise ValueError(
                f"Input size must be at least {min_size}x{min_size}; Received: "
                f"input_shape={input_shape}"
            )
    elif require_flatten:
        input_shape = default_shape
    else:
        input_shape = (None, None, 3) if channels_last else (3, None, None)
    if require_flatten and None in input_shape:
        raise ValueError(
            "If `include_top` is True, you should specify a static `input_shape`. "
            f"Received: input_shape={input_shape}"
        )
    return input_shape


def _correct_pad(inputs, kernel_size: int) -> tuple:
    """Zero padding that makes a strided 'valid' convolution match TF's 'same' alignment."""
    from tork.keras.backend import image_data_format

    start = 2 if image_data_format() == "channels_first" else 1
    size = tuple(inputs.shape[start : start + 2])
    adjust = (1, 1) if size[0] is None else (1 - size[0] % 2, 1 - size[1] % 2)
    half = kernel_size // 2
    return ((half - adjust[0], half), (half - adjust[1], half))


def _image_input(input_tensor, input_shape):
    from tork.keras.backend import is_keras_tensor
    from tork.keras.models.functional.input_layer import Input

    if input_tensor is None:
        return Input(shape=input_shape)
    if not is_keras_tensor(input_tensor):
        return Input(tensor=input_tensor, shape=input_shape)
    return input_tensor


def _source_inputs(tensor) -> list:
    """The `keras.Input` tensors that `tensor` was computed from (Keras's get_source_inputs)."""
    if not isinstance(tensor, KerasTensor):
        return tensor
    found, seen, stack = [], set(), [tensor]
    while stack:
        t = stack.pop()
        if id(t) in seen:
            continue
        seen.add(id(t))
        node = t._tork_node
        parents = node.inputs if node is not None else []
        if not parents:
            found.append(t)
        else:
            stack.extend(reversed(parents))
    return found[0] if len(found) == 1 else found


def _build_model(input_tensor, img_input, outputs, name: str):
    from tork.keras.models.model import Model

    inputs = _source_inputs(input_tensor) if input_tensor is not None else img_input
    return Model(inputs, outputs, name=name)


def _load_weights(model, weights, fname: str, origin: str, file_hash: str | None = None) -> None:
    """Loads 'imagenet' weights (downloaded once into ~/.keras/models) or a weights file."""
    if weights == "imagenet":
        weights = _get_file(fname, origin, cache_subdir="models", file_hash=file_hash)
    if weights is not None:
        model.load_weights(weights)
