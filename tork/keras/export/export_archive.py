"""`keras.export.ExportArchive` (Keras 3): a SavedModel with the endpoints you choose.

It writes tork's SavedModel directory (see `tork.saved_model`), which
`tf.saved_model.load` and `keras.layers.TFSMLayer` read in any process; TensorFlow
and TF Serving cannot read it.
"""

from __future__ import annotations

import os

import torch

_SIGNATURE_HELP = """Example:

export_archive.add_endpoint(
    name='call',
    fn=model.call,
    input_signature=[
        keras.InputSpec(
            shape=(None, 224, 224, 3),
            dtype='float32',
        )
    ],
)"""


class ExportArchive:
    """Builds a SavedModel from tracked layers/models and named endpoints, as Keras 3.

    Example:
    >>> archive = keras.export.ExportArchive()  # doctest: +SKIP
    >>> archive.track(model)  # doctest: +SKIP
    >>> archive.add_endpoint(
    ...     name="serve",
    ...     fn=model.call,
    ...     input_signature=[keras.InputSpec(shape=(None, 3), dtype="float32")],
    ... )  # doctest: +SKIP
    >>> archive.write_out("path/to/location")  # doctest: +SKIP
    """

    def __init__(self):
        self._tracked: list = []
        self._endpoints: dict = {}
        self._collections: dict = {}

    def track(self, resource) -> None:
        """Tracks a layer, model or `tf.Module` whose variables the endpoints use."""
        if not isinstance(resource, torch.nn.Module):
            raise ValueError(
                "Invalid resource type. Expected a Keras `Layer` or `Module` instance. "
                f"Received instead: {resource} (of type {type(resource)})"
            )
        if isinstance(resource, torch.nn.Module) and getattr(resource, "built", True) is False:
            raise ValueError(
                "The layer provided has not yet been built. It must be built before export."
            )
        if not any(r is resource for r in self._tracked):
            self._tracked.append(resource)

    def add_endpoint(self, name, fn, input_signature=None, **kwargs):
        """Adds the endpoint `name`: `fn` traced for `input_signature`.

        Args:
            name: the endpoint's name (an attribute of the reloaded object, and a
                signature key).
            fn: a callable using tracked resources, e.g. `model.call` or a lambda;
                a `tf.function` with an `input_signature` needs no `input_signature`.
            input_signature: a list of `keras.InputSpec` / `tf.TensorSpec`, one per
                argument of `fn`.

        Returns:
            `fn`.
        """
        if name in self._endpoints:
            raise ValueError(f"Endpoint name '{name}' is already taken.")
        if input_signature is None and getattr(fn, "_input_signature", None) is None:
            raise ValueError(
                "If the `fn` argument provided is not a `tf.function`, you must provide an "
                "`input_signature` argument to specify the shape and dtype of the function "
                f"arguments. {_SIGNATURE_HELP}"
            )
        if input_signature is not None:
            input_signature = [_spec(s) for s in input_signature]
        self._endpoints[name] = (fn, input_signature)
        return fn

    def track_and_add_endpoint(self, name, resource, input_signature, **kwargs):
        """Tracks `resource` and adds an endpoint calling it."""
        self.track(resource)
        return self.add_endpoint(name, resource.__call__, input_signature, **kwargs)

    def add_variable_collection(self, name, variables) -> None:
        """Saves `variables` (a list of variables) as the attribute `name` of the archive."""
        if not isinstance(variables, (list, tuple, set)):
            raise ValueError(
                "Expected `variables` to be a list/tuple/set. "
                f"Received instead object of type '{type(variables)}'."
            )
        variables = list(variables)
        if not all(isinstance(v, torch.Tensor) for v in variables):
            raise ValueError(
                "Expected all elements in `variables` to be `tf.Variable` instances. Found "
                f"instead the following types: {sorted({type(v).__name__ for v in variables})}"
            )
        self._collections[name] = variables

    def write_out(self, filepath, options=None, verbose=True) -> None:
        """Writes the archive to the directory `filepath` (tork's SavedModel format)."""
        from tork.saved_model import _save

        if not self._endpoints:
            raise ValueError("No endpoints have been set yet. Call add_endpoint().")
        holder = torch.nn.ModuleList(self._tracked)
        saver = _save._Saver(holder)
        variables = []
        for resource in self._tracked:
            variables.extend(getattr(resource, "variables", None) or list(resource.parameters()))
        for collection in self._collections.values():
            variables.extend(collection)
        entry = {
            "class": "ExportArchive",
            "children": {
                name: {"list": [{"variable": saver._variable_index(v)} for v in collection]}
                for name, collection in self._collections.items()
            },
            "functions": {},
            "variables": _unique([saver._variable_index(v) for v in variables]),
        }
        saver.nodes.append(entry)
        signatures = {}
        for name, (fn, input_signature) in self._endpoints.items():
            where = f"endpoint '{name}'"
            records = _save.endpoint_records(saver, fn, input_signature, where)
            saver.functions.append({"name": name, "concrete": records})
            entry["functions"][name] = len(saver.functions) - 1
            signatures[name] = {"concrete": [_save.signature_from(r, where) for r in records]}
        if "serving_default" not in signatures:
            first = "serve" if "serve" in signatures else next(iter(signatures))
            signatures["serving_default"] = signatures[first]
        path = os.fspath(filepath)
        _save.write(path, saver, 0, signatures)
        if verbose:
            lines = [f"Saved artifact at '{path}'. The following endpoints are available:"]
            for name in self._endpoints:
                record = saver.functions[entry["functions"][name]]["concrete"][0]
                lines += ["", f"* Endpoint '{name}'"]
                for param, spec in zip(record["names"], record["template"]):
                    if "tensor" in spec:
                        s = record["specs"][spec["tensor"]]
                        shape = "<unknown>" if s["shape"] is None else tuple(s["shape"])
                        lines.append(f"  {param}: TensorSpec(shape={shape}, dtype=tf.{s['dtype']})")
            print("\n".join(lines))


def _spec(spec):
    """A `keras.InputSpec` (shape and dtype) as a `tf.TensorSpec`; others unchanged."""
    from tork.data.tensor_spec import TensorSpec

    if isinstance(spec, (list, tuple)):
        return type(spec)(_spec(s) for s in spec)
    if isinstance(spec, dict):
        return {k: _spec(v) for k, v in spec.items()}
    if type(spec).__name__ == "InputSpec":
        shape = getattr(spec, "shape", None)
        dtype = getattr(spec, "dtype", None) or "float32"
        return TensorSpec(shape, dtype, name=getattr(spec, "name", None))
    return spec


def _unique(indices: list) -> list:
    seen: set = set()
    return [i for i in indices if not (i in seen or seen.add(i))]
