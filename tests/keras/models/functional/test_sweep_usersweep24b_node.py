"""Sweep usersweep24b: Lambda losses over fixed-size heads and unknown-size targets.

From david8862/keras-YOLOv3-model-set (and user forks of it): a YOLO loss in a
`Lambda` called on `[*model_body.output, *y_true]`, the heads of a fixed-size image
input (13 and 26 cells) and the targets `Input(shape=(None, None, 3, 85))`. The loss
reads `K.shape(feats)[1:3]` for `K.arange`, so tork runs it on real stand-ins; each
target must get the size of its own head, not the first head's.
"""

import numpy as np

import tork as tf

K = tf.keras.backend
L = tf.keras.layers


def _grid_loss(args):
    # The shape of david8862's `yolo_head` + `yolo_loss`, cut down: a grid built from the
    # head's runtime size meets the target of that head.
    heads, targets = args[:2], args[2:]
    loss = 0.0
    for feats, y_true in zip(heads, targets):
        grid_shape = K.shape(feats)[1:3]
        grid_y = tf.tile(
            K.reshape(K.arange(0, stop=grid_shape[0]), [-1, 1, 1]), [1, grid_shape[1], 1]
        )
        grid_x = tf.tile(
            K.reshape(K.arange(0, stop=grid_shape[1]), [1, -1, 1]), [grid_shape[0], 1, 1]
        )
        grid = K.cast(K.concatenate([grid_x, grid_y]), K.dtype(feats))
        raw_true = y_true[..., :2] * K.cast(grid_shape[::-1], K.dtype(feats)) - grid
        loss += K.sum(K.square(raw_true - feats[..., :2])) / K.cast(K.shape(feats)[0], "float32")
    return loss


def _model():
    image = L.Input(shape=(8, 8, 1))
    head_small = L.Conv2D(2, 1, strides=4, use_bias=False, kernel_initializer="ones")(image)
    head_large = L.Conv2D(2, 1, strides=2, use_bias=False, kernel_initializer="ones")(image)
    body = tf.keras.Model(image, [head_small, head_large])
    y_true = [L.Input(shape=(None, None, 2), name=f"y_true_{i}") for i in range(2)]
    loss = L.Lambda(_grid_loss, name="grid_loss")([*body.output, *y_true])
    return tf.keras.Model([body.input, *y_true], loss)


def _numpy_loss(x, targets):
    total = 0.0
    for stride, y in zip((4, 2), targets):
        feats = np.repeat(x[:, ::stride, ::stride, :], 2, axis=-1)
        g = feats.shape[1]
        gy, gx = np.meshgrid(np.arange(g), np.arange(g), indexing="ij")
        grid = np.stack([gx, gy], -1)
        raw = y * g - grid
        total += np.sum((raw - feats) ** 2) / x.shape[0]
    return total


def test_lambda_loss_pairs_unknown_targets_with_their_heads():
    # TF 2.21/tf_keras builds this model (the loss is a scalar); tork raised "Cannot
    # infer the output shape" because both targets got the first head's 2 cells.
    model = _model()
    assert tuple(model.output_shape) == ()
    rng = np.random.RandomState(0)
    x = rng.rand(2, 8, 8, 1).astype("float32")
    targets = [rng.rand(2, 2, 2, 2).astype("float32"), rng.rand(2, 4, 4, 2).astype("float32")]
    out = model.predict([x, *targets], verbose=0)
    np.testing.assert_allclose(out, _numpy_loss(x, targets), rtol=1e-5)


def test_lambda_loss_model_trains_with_identity_loss():
    model = _model()
    model.compile(optimizer="sgd", loss={"grid_loss": lambda y_true, y_pred: y_pred})
    rng = np.random.RandomState(1)
    x = rng.rand(2, 8, 8, 1).astype("float32")
    targets = [rng.rand(2, 2, 2, 2).astype("float32"), rng.rand(2, 4, 4, 2).astype("float32")]
    history = model.fit([x, *targets], np.zeros(2), batch_size=2, epochs=1, verbose=0)
    np.testing.assert_allclose(history.history["loss"][0], _numpy_loss(x, targets), rtol=1e-5)
