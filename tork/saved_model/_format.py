"""What tork's SavedModel directory holds, and the argument templates both sides share.

A directory written by `tf.saved_model.save` holds:

- `tork_saved_model.json`: the object graph (each saved object's attributes:
  variables, nested objects, functions), the concrete functions of each function
  (argument templates, input specs, output structure, which program inputs are
  which variables) and the signatures.
- `variables.pt`: the variables' values (`torch.save` of a dict of tensors,
  read back with `weights_only=True`).
- `functions/<n>.pt2`: one `torch.export` program per concrete function. The
  programs take the variables as inputs (their own copies of the values are
  one-element stand-ins), so every function reads and writes the same restored
  variables.

It is tork's format, not TensorFlow's: TensorFlow, TF Serving and TFLite cannot
read it, and tork cannot read TensorFlow's `saved_model.pb`.
"""

from __future__ import annotations

import torch

METADATA_NAME = "tork_saved_model.json"
VARIABLES_NAME = "variables.pt"
FUNCTIONS_DIR = "functions"
FORMAT = "tork.saved_model"
VERSION = 1

NOT_TENSORFLOW = (
    "tork's SavedModel directory (tork_saved_model.json, variables.pt, torch.export "
    "programs) is not TensorFlow's format: TensorFlow, TF Serving and TFLite cannot read it."
)

# JSON-able Python values a template may hold as constants.
_CONSTANTS = (bool, int, float, str, type(None))


def dtype_to_name(dtype) -> str:
    return str(dtype).removeprefix("torch.")


def name_to_dtype(name: str):
    dtype = getattr(torch, name, None)
    if not isinstance(dtype, torch.dtype):
        raise ValueError(f"Unknown dtype {name!r} in a tork SavedModel.")
    return dtype


def unflatten(template, flat):
    """The nested value `template` describes, tensors taken from `flat` by index."""
    if "tensor" in template:
        return flat[template["tensor"]]
    if "const" in template:
        return template["const"]
    if "list" in template:
        return [unflatten(t, flat) for t in template["list"]]
    if "tuple" in template:
        return tuple(unflatten(t, flat) for t in template["tuple"])
    if "dict" in template:
        return {key: unflatten(t, flat) for key, t in template["dict"]}
    raise ValueError(f"Malformed template {template!r:.100} in a tork SavedModel.")


def flatten_value(value, flat: list, where: str):
    """The template of `value` (tensors appended to `flat`), or raises naming `where`."""
    if isinstance(value, torch.Tensor):
        flat.append(value)
        return {"tensor": len(flat) - 1}
    if isinstance(value, _CONSTANTS):
        return {"const": value}
    if isinstance(value, list):
        return {"list": [flatten_value(v, flat, where) for v in value]}
    if isinstance(value, tuple):
        return {"tuple": [flatten_value(v, flat, where) for v in value]}
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise ValueError(f"{where}: dict keys must be strings, got {list(value)!r:.100}.")
        return {"dict": [[k, flatten_value(v, flat, where)] for k, v in value.items()]}
    import numpy as np

    if isinstance(value, np.generic):
        return {"const": value.item()}
    raise ValueError(
        f"{where}: cannot save a value of type {type(value).__name__} ({value!r:.80}); a "
        "saved function's arguments and results must be tensors, Python numbers, strings, "
        "None, or lists, tuples and dicts of them."
    )


def spec_to_json(shape, dtype, name) -> dict:
    return {
        "shape": None if shape is None else [None if d is None else int(d) for d in shape],
        "dtype": dtype_to_name(dtype),
        "name": name,
    }


def tensor_spec(entry: dict):
    from tork.data.tensor_spec import TensorSpec

    return TensorSpec(entry["shape"], name_to_dtype(entry["dtype"]), name=entry.get("name"))
