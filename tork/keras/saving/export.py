"""`model.export(...)`: hands a model to the world outside tork, for inference.

- `format='tf_saved_model'` (the default): tork's SavedModel directory (see
  `tork.saved_model`) with the endpoint `serve` and the signatures `serve` and
  `serving_default`, which `tf.saved_model.load` reads in any process without the
  model's classes. It is not TensorFlow's format: TF Serving cannot read it.
- `format='onnx'`: an ONNX file through `torch.onnx` (torch.export based),
  runnable with onnxruntime and other ONNX runtimes.
- `format='torch'`: a `torch.export` program (`.pt2`), loadable with
  `torch.export.load` and runnable without tork.

Sizes that are None in the model's input shapes (the batch size) stay dynamic.
OpenVINO and LiteRT need TensorFlow and are not written.
"""

from __future__ import annotations

import contextlib
import os

import torch
from torch.fx.experimental.symbolic_shapes import GuardOnDataDependentSymNode

from tork._backend.string_tensor import StringDType
from tork.keras.layers import _training_flag

_TENSORFLOW_FORMATS = ("openvino", "litert", "tflite")


class _Inference(torch.nn.Module):
    """Calls the model in inference mode on positional inputs (one per model input)."""

    def __init__(self, model, structure):
        super().__init__()
        self.model = model
        self._structure = structure

    def forward(self, *inputs):
        structure = self._structure
        if structure == "single":
            return self.model(inputs[0], training=False)
        if isinstance(structure, list) and structure and isinstance(structure[0], str):
            return self.model(dict(zip(structure, inputs)), training=False)
        return self.model(list(inputs), training=False)


def _specs_from_model(model) -> tuple[list, object, list]:
    """`(shapes, structure, names)` of the model's inputs (None for unknown sizes)."""
    from tork.keras.models.functional.functional import Functional
    from tork.keras.models.sequential import Sequential

    if isinstance(model, Functional):
        tensors = model.inputs
        struct = model._tork_input_struct
        if isinstance(struct, dict):
            return (
                [(tuple(struct[k].shape), struct[k].dtype) for k in struct],
                list(struct),
                list(struct),
            )
        structure = "single" if len(tensors) == 1 and not isinstance(struct, list) else "list"
        names = [t.name for t in tensors]
        return [(tuple(t.shape), t.dtype) for t in tensors], structure, names
    shape = None
    if isinstance(model, Sequential):
        shape = model._tork_known_input_shape()
    if shape is None:
        shape = model._build_shapes
    dict_specs = model.__dict__.get("_tork_dict_input_specs")
    if shape is None and dict_specs:
        # A Sequential model called on a dict of features (DenseFeatures first).
        keys = list(dict_specs)
        return [dict_specs[k] for k in keys], keys, keys
    if shape is None:
        raise ValueError(
            f"Cannot export model '{model.name}': its input shape is unknown. Call the model on a "
            "batch of data (or model.build(input_shape)) first, or pass "
            "input_signature=[keras.InputSpec(shape=(None, ...), dtype='float32')]."
        )
    # The dtypes the model was first called with (None: floatx; tf.string is refused
    # with its own message by the SavedModel writer).
    dtypes = model.__dict__.get("_tork_input_dtypes")
    if isinstance(shape, dict):
        keys = list(shape)
        found = dtypes if isinstance(dtypes, dict) else {}
        return [(tuple(shape[k]), found.get(k)) for k in keys], keys, keys
    if isinstance(shape, list) and shape and isinstance(shape[0], (list, tuple)):
        found = dtypes if isinstance(dtypes, list) and len(dtypes) == len(shape) else []
        found = found or [None] * len(shape)
        return (
            [(tuple(s), d) for s, d in zip(shape, found)],
            "list",
            [f"input_{i}" for i in range(len(shape))],
        )
    return (
        [(tuple(shape), dtypes if isinstance(dtypes, (torch.dtype, StringDType)) else None)],
        "single",
        ["inputs"],
    )


def _specs_from_signature(input_signature) -> list:
    from tork._backend import dtypes

    if not isinstance(input_signature, (list, tuple)):
        input_signature = [input_signature]
    specs = []
    for spec in input_signature:
        if isinstance(spec, torch.Tensor):
            specs.append(((None, *spec.shape[1:]), spec.dtype))
            continue
        shape = getattr(spec, "shape", spec)
        if hasattr(shape, "as_list"):
            shape = shape.as_list()
        if shape is None or not isinstance(shape, (list, tuple)):
            raise ValueError(
                f"export: each entry of input_signature needs a shape, got {spec!r:.100}. Pass "
                "keras.InputSpec(shape=(None, 8), dtype='float32') or a shape tuple."
            )
        dtype = getattr(spec, "dtype", None)
        specs.append((tuple(shape), dtypes.as_dtype(dtype) if dtype is not None else None))
    return specs


def _example(shape, dtype):
    from tork._backend.dtypes import floatx_dtype

    dtype = dtype or floatx_dtype()
    # Unknown sizes get 3: not 1 (which torch.export would specialize) and not 2.
    concrete = tuple(3 if d is None else int(d) for d in shape)
    if dtype.is_floating_point:
        return torch.randn(concrete, generator=torch.Generator().manual_seed(0)).to(dtype)
    return torch.zeros(concrete, dtype=dtype)


@contextlib.contextmanager
def _resolvable_paths(module):
    """Lets torch reach every submodule by attribute path while exporting.

    tork keeps a layer list attribute (`model.layers`, `self.blocks`) as the
    Python list and a hidden torch container under the same name; torch's
    parameter swapping walks attribute paths and would meet the list. The
    containers are re-keyed under unshadowed names for the duration.
    """
    changed = []
    for owner in list(module.modules()):
        items = list(owner._modules.items())
        if not any(_shadowed(owner, key, child) for key, child in items):
            continue
        renamed = {}
        for key, child in items:
            new_key = key
            if _shadowed(owner, key, child):
                new_key = f"{key}_tork"
                while (
                    new_key in owner._modules or new_key in renamed or hasattr(type(owner), new_key)
                ):
                    new_key += "_"
            renamed[new_key] = child
        changed.append((owner, dict(owner._modules)))
        owner._modules.clear()
        owner._modules.update(renamed)
    try:
        yield
    finally:
        for owner, original in changed:
            owner._modules.clear()
            owner._modules.update(original)


def _shadowed(owner, key, child) -> bool:
    try:
        return getattr(owner, key) is not child
    except Exception:
        return True


def _dynamic_size_message(model, specs) -> str:
    """The error for a model that reads a dynamic (None) size as a value while exporting."""
    fixed = []
    for shape, dtype in specs:
        concrete = tuple(32 if d is None else int(d) for d in shape)
        name = str(dtype or torch.get_default_dtype()).removeprefix("torch.")
        fixed.append(f"keras.InputSpec(shape={concrete}, dtype='{name}')")
    return (
        f"Cannot export model '{getattr(model, 'name', type(model).__name__)}' with dynamic "
        f"sizes (None in its input shapes {[tuple(shape) for shape, _ in specs]}): the model "
        "reads such a size as a value and builds a tensor of that size from it (e.g. "
        "`tf.zeros((tf.shape(x)[0], 4))`, `tf.range(tf.shape(x)[0])`, "
        "`tf.eye(tf.shape(x)[0])`, `tf.random.normal(tf.shape(x))`), which torch.export "
        "cannot keep symbolic. Either export for a fixed size with "
        f"input_signature=[{', '.join(fixed)}], or build such tensors from the input itself "
        "(tf.zeros_like(x), tf.ones_like(x), broadcasting) instead of from tf.shape."
    )


def export_program(model, input_signature=None):
    """Returns `(ExportedProgram, input names, output names)` for `model` in inference mode."""
    if input_signature is not None:
        specs = _specs_from_signature(input_signature)
        structure = "single" if len(specs) == 1 else "list"
        names = ["inputs"] if len(specs) == 1 else [f"input_{i}" for i in range(len(specs))]
    else:
        specs, structure, names = _specs_from_model(model)
    device = next((p.device for p in model.parameters()), torch.device("cpu"))
    examples = tuple(_example(shape, dtype).to(device) for shape, dtype in specs)
    dynamic = tuple(
        {axis: torch.export.Dim.AUTO for axis, d in enumerate(shape) if d is None} or None
        for shape, _ in specs
    )
    wrapper = _Inference(model, structure)
    was_training = _training_flag.torch_mode(model)  # not a user-assigned `training`
    wrapper.eval()
    try:
        with _resolvable_paths(wrapper), torch.no_grad():
            program = torch.export.export(
                wrapper, examples, dynamic_shapes=(dynamic,), strict=False
            )
    except GuardOnDataDependentSymNode as error:
        if not any(dynamic):
            raise
        raise ValueError(_dynamic_size_message(model, specs)) from error
    finally:
        model.train(was_training)
    with torch.no_grad():
        outputs = wrapper(*examples)
    count = len(outputs) if isinstance(outputs, (list, tuple)) else 1
    output_names = list(getattr(model, "output_names", None) or [])
    if len(output_names) != count or len(set(output_names)) != count:
        output_names = ["output_0"] if count == 1 else [f"output_{i}" for i in range(count)]
    return program, names, output_names


def export_model(
    model, filepath, format="tf_saved_model", verbose=None, input_signature=None, **kwargs
):
    """Exports `model` for inference (see `Model.export`)."""
    from tork.keras.saving._atomic import atomic_path

    if format == "tf_saved_model":
        from tork.saved_model._save import export_keras_model

        export_keras_model(model, os.fspath(filepath), input_signature, verbose)
        return
    if format in _TENSORFLOW_FORMATS:
        raise ValueError(
            f"tork cannot export format={format!r}: it needs TensorFlow. Use format='onnx' (an "
            "ONNX file for onnxruntime, TensorRT, OpenVINO...), format='torch' (a "
            "torch.export program, .pt2) or format='tf_saved_model' (tork's SavedModel, for "
            "tf.saved_model.load)."
        )
    if format not in ("onnx", "torch"):
        raise ValueError(
            f"Unknown export format {format!r}. Use 'tf_saved_model', 'onnx' or 'torch'."
        )
    path = os.fspath(filepath)
    program, input_names, output_names = export_program(model, input_signature)
    if format == "torch":
        with atomic_path(path) as tmp:
            torch.export.save(program, tmp)
        return
    try:
        import onnxscript  # noqa: F401 - torch.onnx needs it
    except ImportError:
        raise ImportError(
            "model.export(format='onnx') needs the `onnx` and `onnxscript` packages: "
            "pip install onnx onnxscript"
        ) from None
    # torch.onnx reads parameter values through numpy(force=True): hand it plain tensors.
    for key, value in list(program.state_dict.items()):
        plain = value.detach().clone()
        program.state_dict[key] = (
            torch.nn.Parameter(plain, requires_grad=False)
            if isinstance(value, torch.nn.Parameter)
            else plain
        )
    with atomic_path(path) as tmp:
        torch.onnx.export(
            program,
            f=tmp,
            input_names=input_names,
            output_names=output_names,
            verbose=bool(verbose),
            **kwargs,
        )
