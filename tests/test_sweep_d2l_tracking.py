"""`.layers` on lists/dicts held by layers (Keras 2's ListWrapper/_DictWrapper).

Expected values follow tf_keras 2.21 (checked by running it): the layers held in the
structure, nested lists flattened, non-layers dropped, each layer once, in order.
"""

import tork as tf


class _Block(tf.keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.bn = tf.keras.layers.BatchNormalization()
        self.relu = tf.keras.layers.ReLU()
        self.conv = tf.keras.layers.Conv2D(4, 3, padding="same")
        self.listLayers = [self.bn, self.relu, self.conv]

    def call(self, x):
        y = x
        for layer in self.listLayers.layers:
            y = layer(y)
        return tf.keras.layers.concatenate([x, y], axis=-1)


def test_d2l_densenet_conv_block_iterates_list_layers():
    block = _Block()
    assert block.listLayers.layers == [block.bn, block.relu, block.conv]
    out = block(tf.ones((2, 5, 5, 3)))
    assert tuple(out.shape) == (2, 5, 5, 7)
    # BN gamma/beta + conv kernel/bias, as in tf_keras.
    assert len(block.trainable_variables) == 4


def test_layers_flattens_nested_skips_non_layers_and_duplicates():
    holder = tf.keras.layers.Layer()
    d1, d2, relu = tf.keras.layers.Dense(2), tf.keras.layers.Dense(3), tf.keras.layers.ReLU()
    holder.items = [d1, [relu, d2], 5, d1]
    assert holder.items.layers == [d1, relu, d2]
    holder.table = {"a": d2, "b": 2}
    assert holder.table.layers == [d2]
    holder.empty = []
    assert holder.empty.layers == []
    holder.empty.append(d1)
    assert holder.empty.layers == [d1]
    # Still a plain list for everything else.
    assert holder.items[2] == 5 and len(holder.items) == 4


def test_layers_on_tf_module_list():
    module = tf.Module()
    dense = tf.keras.layers.Dense(1)
    module.parts = [dense]
    assert module.parts.layers == [dense]
