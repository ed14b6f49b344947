"""Keras 2's `model.save("dir")` SavedModel, as tork writes and reads it.

Keras 2 wrote a TensorFlow SavedModel for a path without '.keras' or '.h5'. tork
writes the Keras format there as a directory (config.json, model.weights.h5),
which `keras.models.load_model` reads and `tf.saved_model.load` sees as Keras 2's
SavedModel would be: its `serving_default` calls the recreated model. This module
holds what is particular to that directory:

- the check Keras 2 makes before writing it (the model's input shape must be known);
- `model.save("dir", signatures=...)`, and any subclassed model: its functions are
  saved as `tf.saved_model.save` saves them (tork's SavedModel files in the same
  directory, next to the Keras files), so `tf.saved_model.load` returns them and
  needs no class, as with Keras 2's SavedModel;
- the `serving_default` of a subclassed model recreated from the Keras files
  (`tf.saved_model.load` prefers it where the class is available, and it is the only
  one where the call could not be saved), named by Keras 2's rules: inputs
  `input_1`, `input_2`... (a dict's keys), outputs `output_1`, `output_2`... (a
  dict's keys), from the shapes the model was built with.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import warnings

import torch

from tork.saved_model import _format

# Keras 2's errors for a model saved as a SavedModel before its input shape is known.
_SEQUENTIAL_UNBUILT = (
    "Model '{name}' ({cls}) cannot be saved because the input shape is not available. "
    "Please specify an input shape either by calling `build(input_shape)` directly, or by "
    "calling the model on actual data using `Model()`, `Model.fit()`, or `Model.predict()`."
)
_SUBCLASSED_UNBUILT = (
    "Model '{name}' ({cls}) cannot be saved either because the input shape is not available "
    "or because the forward pass of the model is not defined. To define a forward pass, "
    "please override `Model.call()`. To specify an input shape, either call "
    "`build(input_shape)` directly, or call the model on actual data using `Model()`, "
    "`Model.fit()`, or `Model.predict()`. If you have a custom training step, please make "
    "sure to invoke the forward pass in train step through `Model.__call__`, i.e. "
    "`model(inputs)`, as opposed to `model.call()`."
)


def check_savable(model) -> None:
    """Raises Keras 2's ValueError if `model`'s input shape is unknown (never called or built)."""
    from tork.keras.models.functional.functional import Functional
    from tork.keras.models.model import Model
    from tork.keras.models.sequential import Sequential

    if not isinstance(model, Model) or isinstance(model, Functional) or model.built:
        return
    template = _SEQUENTIAL_UNBUILT if isinstance(model, Sequential) else _SUBCLASSED_UNBUILT
    raise ValueError(template.format(name=model.name, cls=type(model).__name__))


def write_signatures(model, path: str, signatures=None, options=None) -> None:
    """Writes tork's SavedModel files (as `tf.saved_model.save`) into the Keras directory.

    With `signatures`, those are saved. Without, a subclassed model gets its call and
    `serving_default` saved, so `tf.saved_model.load` needs no class (as Keras 2's
    SavedModel); a model whose call cannot be captured is saved with a warning, its
    Keras files alone. Files of an earlier SavedModel there are removed first.
    """
    _remove_saved_model_files(path)
    from tork.saved_model import _save

    if signatures is not None:
        _save.save(model, path, signatures=signatures, options=options)
        return
    if not _is_subclassed(model):
        return  # load recreates Functional/Sequential models from their built-in layers
    # Keras 2's SavedModel loads without the model's class (a serving process that never
    # defines it): save the model's call and serving_default as tf.saved_model.save does.
    try:
        _save.save(model, path, options=options)
    except Exception as error:  # noqa: BLE001 - the Keras files are written; warn instead
        _remove_saved_model_files(path)
        if type(model) in _WARNED:
            return  # once per class: ModelCheckpoint saves every epoch
        _WARNED.add(type(model))
        reason = str(error).strip().splitlines()[0][:300] if str(error).strip() else ""
        warnings.warn(
            f"model.save({path!r}): the model's serving function could not be saved for "
            f"tf.saved_model.load ({type(error).__name__}: {reason}). The directory holds the "
            "Keras files only: tf.saved_model.load(path) and load_model(path) recreate the "
            f"model from them, which needs its class ('{type(model).__name__}': register it "
            "with @keras.saving.register_keras_serializable() or pass custom_objects).",
            stacklevel=3,
        )
        return
    _mark_keras_default(path)


# Model classes already warned about (their call could not be saved).
_WARNED: set = set()
_KERAS_DEFAULT = "keras_directory_default"


def _mark_keras_default(path: str) -> None:
    """Marks the SavedModel files as the model's own default (not user `signatures`)."""
    file = os.path.join(path, _format.METADATA_NAME)
    with open(file) as f:
        metadata = json.load(f)
    metadata[_KERAS_DEFAULT] = True
    with open(file, "w") as f:
        json.dump(metadata, f, indent=1)


def saved_input_shapes(path: str) -> list | None:
    """The input shapes of the `serving_default` saved in `path` (None if there is none)."""
    try:
        with open(os.path.join(path, _format.METADATA_NAME)) as f:
            metadata = json.load(f)
        specs = metadata["signatures"]["serving_default"]["concrete"][0]["specs"]
        return [spec["shape"] for spec in specs]
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return None


def is_keras_default(path: str) -> bool:
    """Whether `path`'s SavedModel files are a subclassed model's default ones (see above).

    `tf.saved_model.load` then prefers the model recreated from the Keras files (its
    serving_default runs the model itself, any size its call takes), and reads the
    saved programs where the class is not available.
    """
    try:
        with open(os.path.join(path, _format.METADATA_NAME)) as f:
            return bool(json.load(f).get(_KERAS_DEFAULT))
    except (OSError, ValueError):
        return False


def _is_subclassed(model) -> bool:
    from tork.keras.models.functional.functional import Functional
    from tork.keras.models.model import Model
    from tork.keras.models.sequential import Sequential

    return isinstance(model, Model) and not isinstance(model, (Functional, Sequential))


def _remove_saved_model_files(path: str) -> None:
    """Removes the files tf.saved_model.save writes from a Keras directory (if there)."""
    metadata = os.path.join(path, _format.METADATA_NAME)
    if os.path.isfile(metadata):
        os.remove(metadata)
        shutil.rmtree(os.path.join(path, _format.FUNCTIONS_DIR), ignore_errors=True)
        variables = os.path.join(path, _format.VARIABLES_NAME)
        if os.path.isfile(variables):
            os.remove(variables)


class SubclassedSignature:
    """`serving_default` of a subclassed model loaded from a `model.save(dir)` directory.

    Called with tensors by input name (or positionally, in order), it runs the model in
    inference mode and returns a dict of its outputs by output name.
    """

    def __init__(self, model, structure, input_specs: dict, output_specs: dict):
        self._model = model
        self._structure = structure
        self._input_names = list(input_specs)
        self.structured_input_signature = ((), input_specs)
        self.structured_outputs = output_specs
        self.inputs = list(input_specs.values())
        self.outputs = list(output_specs.values())

    def __call__(self, *args, **kwargs):
        names = self._input_names
        if len(args) > len(names):
            raise TypeError(
                f"signature 'serving_default' takes {len(names)} input(s) ({', '.join(names)}), "
                f"got {len(args)} positional argument(s)."
            )
        given = dict(zip(names, args))
        overlap = set(given) & set(kwargs)
        if overlap:
            raise TypeError(
                f"signature 'serving_default' got multiple values for {sorted(overlap)}."
            )
        given.update(kwargs)
        if sorted(given) != sorted(names):
            raise TypeError(
                f"signature 'serving_default' takes the inputs {names}, got {sorted(given)}. "
                f"Call it with keyword arguments, e.g. serving_default({names[0]}=x)."
            )
        return _name_outputs(self._model(self._pack(given), training=False))

    def _pack(self, given: dict):
        if self._structure == "single":
            return given[self._input_names[0]]
        if self._structure == "list":
            return [given[n] for n in self._input_names]
        return {k: given[k] for k in self._structure}

    def __repr__(self) -> str:
        inputs = ", ".join(f"{k}: {v!r}" for k, v in self.structured_input_signature[1].items())
        outputs = ", ".join(f"[{k!r}, {v!r}]" for k, v in self.structured_outputs.items())
        return f"<ConcreteFunction (*, {inputs}) -> Dict[{outputs}] at {id(self):#X}>"


def _name_outputs(outputs) -> dict:
    """Keras 2's names for a subclassed model's outputs: a dict's keys, else output_1..."""
    if isinstance(outputs, dict):
        return dict(outputs)
    if isinstance(outputs, (list, tuple)):
        return {f"output_{i + 1}": t for i, t in enumerate(outputs)}
    return {"output_1": outputs}


def subclassed_signature(model, saved_shapes: list | None = None):
    """The `serving_default` Keras 2 gives `model` (no `Input`s), or None.

    The inputs are the shapes the model was built with (the batch size left free), or
    `saved_shapes` (those of the signature saved beside it, which keep the sizes a
    dataset left free). The outputs' names and specs come from calls on zeros of those
    shapes; a model that cannot run on zeros (string inputs, sizes it needs fixed) gets
    no signature, as though its input shape were unknown.
    """
    from tork.data.tensor_spec import TensorSpec
    from tork.keras.saving import export as keras_export
    from tork.saved_model import _input_spec

    try:
        specs, structure, _ = keras_export._specs_from_model(model)
    except ValueError:
        return None
    if saved_shapes is not None and len(saved_shapes) == len(specs):
        specs = [
            (tuple(saved) if saved is not None and shape and len(saved) == len(shape) else shape, d)
            for (shape, d), saved in zip(specs, saved_shapes)
        ]
    specs = [((None, *shape[1:]) if shape else shape, dtype) for shape, dtype in specs]
    # A stateful RNN runs on the batch size of its states only (Keras 2's signature still
    # takes any batch size, and its outputs have that one).
    batch = _input_spec.stateful_batch_size(model)
    if any(shape is None for shape, _ in specs):
        return None
    if structure in ("single", "list"):
        names = [f"input_{i + 1}" for i in range(len(specs))]
    else:
        names = list(structure)
    floatx = _floatx()
    input_specs = {
        n: TensorSpec(shape, dtype or floatx, name=n) for n, (shape, dtype) in zip(names, specs)
    }
    signature = SubclassedSignature(model, structure, input_specs, {})
    # Two calls, with the free sizes (the batch's included) 2 then 3: an output size that
    # changes with them is free (None) too, as in the signature Keras 2 traced.
    with _state_kept(model):
        first = _probe(signature, input_specs, 2, batch)
        second = None if first is None else _probe(signature, input_specs, 3, batch)
    if first is None:
        return None
    output_specs = {}
    for name, tensor in first.items():
        shape = tuple(tensor.shape)
        other = None if second is None else second.get(name)
        if other is not None and other.dim() == len(shape):
            shape = tuple(d if d == o else None for d, o in zip(shape, other.shape))
        elif shape:
            shape = (None, *shape[1:])
        output_specs[name] = TensorSpec(shape, tensor.dtype, name=name)
    signature.structured_outputs = output_specs
    signature.outputs = list(output_specs.values())
    return signature


@contextlib.contextmanager
def _state_kept(model):
    """Puts back what the probing calls may change: non-trainable variables, RNN states."""
    kept = [(v, v.detach().clone()) for v in model.non_trainable_variables]
    try:
        yield
    finally:
        with torch.no_grad():
            for variable, value in kept:
                variable.copy_(value)
        if any(getattr(layer, "stateful", False) for layer in model._flatten_layers()):
            model.reset_states()  # a stateful RNN starts from zeros, as the loaded model did


def _probe(signature, input_specs: dict, size: int, batch: int | None = None):
    """The signature's outputs on zeros, `size` for each free input size; None if it fails.

    `batch`: the batch size to use instead (a stateful RNN's).
    """

    def probe_shape(shape):
        sizes = [size if d is None else d for d in shape]
        if batch is not None and sizes and shape[0] is None:
            sizes[0] = batch
        return tuple(sizes)

    zeros = {
        n: torch.zeros(probe_shape(tuple(s.shape)), dtype=s.dtype) for n, s in input_specs.items()
    }
    try:
        with torch.no_grad():
            outputs = signature(**zeros)
    except Exception:  # noqa: BLE001 - a model that cannot run on zeros gets no signature
        return None
    if not all(isinstance(t, torch.Tensor) for t in outputs.values()):
        return None
    return outputs


def _floatx():
    from tork._backend.dtypes import floatx_dtype

    return floatx_dtype()
