"""Keras 2's node API of layers: the calls of a layer on symbolic tensors.

Every call of a layer on KerasTensors (a functional model, a Sequential's graph) records a
`Node` in the layer's `inbound_nodes`; the layers that take its outputs record theirs in
its `outbound_nodes`. Code that walks a model graph reads them, e.g.
`for layer in model.layers: for node in layer.inbound_nodes: ...`, and feature extractors
use `model.layers[3].get_output_at(0)`. The error types and messages are Keras 2's.

`NodeAPI` is a mixin of `Layer`.
"""

from __future__ import annotations


def _unwrap(value):
    # Keras 2 hands out a one-item list's item (a layer called on `[x]` gives x).
    if isinstance(value, list) and len(value) == 1:
        return value[0]
    return value


def _mask_of(value):
    if isinstance(value, list):
        return [getattr(v, "_keras_mask", None) for v in value]
    return getattr(value, "_keras_mask", None)


class NodeAPI:
    """The functional-API connectivity of a layer (`inbound_nodes`, `get_output_at`...)."""

    # Models report their own declared inputs and outputs (`model.input_shape` is the
    # shape of `model.input`), not those of their calls in other models.
    _tork_shapes_from_nodes = True

    @property
    def _inbound_nodes(self) -> list:
        nodes = self.__dict__.get("_tork_inbound_nodes")
        if nodes is None:
            nodes = self.__dict__["_tork_inbound_nodes"] = []
        return nodes

    @_inbound_nodes.setter
    def _inbound_nodes(self, value) -> None:
        self.__dict__["_tork_inbound_nodes"] = list(value)

    @property
    def _outbound_nodes(self) -> list:
        consumers = []
        for node in self._inbound_nodes:
            for consumer in node.__dict__.get("_tork_consumers", ()):
                # A node dropped from its layer (a Sequential rebuilding its graph) is gone.
                if any(n is consumer for n in consumer.layer.__dict__["_tork_inbound_nodes"]):
                    consumers.append(consumer)
        consumers.sort(key=lambda n: n._tork_order)
        return consumers

    @property
    def inbound_nodes(self) -> list:
        """The nodes of this layer's calls on symbolic tensors, in call order."""
        return self._inbound_nodes

    @property
    def outbound_nodes(self) -> list:
        """The nodes of the calls that take this layer's outputs, in creation order."""
        return self._outbound_nodes

    def _get_node_attribute_at_index(self, node_index: int, attr: str, attr_name: str):
        nodes = self._inbound_nodes
        if not nodes:
            raise RuntimeError(
                f"The layer {self.name} has never been called and thus has no defined {attr_name}."
            )
        if not len(nodes) > node_index:
            raise ValueError(
                f"Asked to get {attr_name} at node {node_index}, but the layer has only "
                f"{len(nodes)} inbound nodes."
            )
        return _unwrap(getattr(nodes[node_index], attr))

    def get_input_at(self, node_index: int):
        """Returns the input tensor(s) of the layer's call number `node_index`.

        Args:
            node_index: the index of the call (0 for the first).

        Returns:
            A KerasTensor, or a list of them for several inputs.

        Raises:
            RuntimeError: if the layer was never called on symbolic inputs.
            ValueError: if it was called fewer than `node_index + 1` times.
        """
        return self._get_node_attribute_at_index(node_index, "input_tensors", "input")

    def get_output_at(self, node_index: int):
        """Returns the output tensor(s) of the layer's call number `node_index`.

        Args:
            node_index: the index of the call (0 for the first).

        Returns:
            A KerasTensor, or a list of them for several outputs.
        """
        return self._get_node_attribute_at_index(node_index, "output_tensors", "output")

    def get_input_shape_at(self, node_index: int):
        """Returns the input shape(s) of the layer's call number `node_index`.

        Args:
            node_index: the index of the call (0 for the first).

        Returns:
            A shape tuple, or a list of them for several inputs.
        """
        return self._get_node_attribute_at_index(node_index, "input_shapes", "input shape")

    def get_output_shape_at(self, node_index: int):
        """Returns the output shape(s) of the layer's call number `node_index`.

        Args:
            node_index: the index of the call (0 for the first).

        Returns:
            A shape tuple, or a list of them for several outputs.
        """
        return self._get_node_attribute_at_index(node_index, "output_shapes", "output shape")

    def get_input_mask_at(self, node_index: int):
        """Returns the input mask(s) of the layer's call number `node_index` (or None)."""
        return _mask_of(self.get_input_at(node_index))

    def get_output_mask_at(self, node_index: int):
        """Returns the output mask(s) of the layer's call number `node_index` (or None)."""
        return _mask_of(self.get_output_at(node_index))

    @property
    def input(self):
        """The input tensor(s) of the layer's first call on symbolic tensors.

        Raises:
            AttributeError: if the layer was never called on symbolic tensors.
        """
        if not self._inbound_nodes:
            raise AttributeError(
                f"Layer {self.name} is not connected, no input to return. It has never been "
                "called on symbolic inputs (keras.Input), so it has no symbolic input."
            )
        return self._get_node_attribute_at_index(0, "input_tensors", "input")

    @property
    def output(self):
        """The output tensor(s) of the layer's first call on symbolic tensors.

        Raises:
            AttributeError: if the layer was never called on symbolic tensors.
        """
        if not self._inbound_nodes:
            # Keras 2's text first; the rest says what it means.
            raise AttributeError(
                f"Layer {self.name} has no inbound nodes. It has never been called on symbolic "
                "inputs (keras.Input), so it has no symbolic output."
            )
        return self._get_node_attribute_at_index(0, "output_tensors", "output")

    @property
    def input_mask(self):
        """The mask(s) of `layer.input` (None where there is none)."""
        return _mask_of(self.input)

    @property
    def output_mask(self):
        """The mask(s) of `layer.output` (None where there is none)."""
        return _mask_of(self.output)

    @property
    def input_shape(self):
        """The input shape of the layer's calls (batch size first).

        For a layer called several times with different input shapes, use
        `get_input_shape_at(node_index)`.

        Raises:
            AttributeError: if the layer was never called, or its calls' input shapes
                differ.
        """
        nodes = self._inbound_nodes if self._tork_shapes_from_nodes else ()
        if nodes:
            return _shared_node_shape(self, nodes, "input")
        if self._build_shapes is not None:
            # Called on data only (Keras 2 knows no shape then): the shape it was built
            # with, so that eagerly built layers and models still report one.
            from tork.keras.layers.layer import _plain_shape

            return _plain_shape(self._build_shapes)
        raise AttributeError(
            f'The layer "{self.name}" has never been called and thus has no defined input '
            "shape. Note that the `input_shape` property is only available for Functional "
            "and Sequential models."
        )

    @property
    def output_shape(self):
        """The output shape of the layer's calls (batch size first, None if unknown).

        For a layer called several times with different output shapes, use
        `get_output_shape_at(node_index)`.

        Raises:
            AttributeError: if the layer was never called, or its calls' output shapes
                differ.
        """
        nodes = self._inbound_nodes if self._tork_shapes_from_nodes else ()
        if nodes:
            return _shared_node_shape(self, nodes, "output")
        shape = self.__dict__.get("_tork_out_shape")
        if shape is not None:
            return shape  # from a call on data (see `input_shape`)
        raise AttributeError(
            f'The layer "{self.name}" has never been called and thus has no defined output shape.'
        )


def _shared_node_shape(layer, nodes, kind: str):
    """The `kind` ('input' or 'output') shape all of `layer`'s calls agree on (Keras 2)."""
    shapes = {str(getattr(node, f"{kind}_shapes")) for node in nodes}
    if len(shapes) > 1:
        raise AttributeError(
            f'The layer "{layer.name}" has multiple inbound nodes, with different {kind} '
            f'shapes. Hence the notion of "{kind} shape" is ill-defined for the layer. '
            f"Use `get_{kind}_shape_at(node_index)` instead."
        )
    return getattr(nodes[0], f"{kind}_shapes")
