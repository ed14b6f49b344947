"""Sweep usersweep22: `ImageDataGenerator.apply_transform`'s `tx`/`ty` as in tf_keras.

Keras documents `tx` as the shift in the x direction (columns) and tf_keras 2.21 applies it
so; tork moved rows. The expected arrays were printed by tf_keras 2.21 (fill_mode
'nearest', order 1) for a 6x6 ramp. tork still draws `height_shift_range` as a vertical
shift (`ty`), its documented departure from Keras's swapped axes.
"""

import numpy as np

from tork import keras

IMG = np.arange(36, dtype="float32").reshape(6, 6, 1)


def test_tx_moves_columns_ty_moves_rows():
    gen = keras.preprocessing.image.ImageDataGenerator()
    # tf_keras 2.21: apply_transform(x, {"tx": 1}) gives each row shifted left by one.
    expected_tx = np.array([[r * 6 + c + 1 for c in range(5)] + [r * 6 + 5] for r in range(6)])
    np.testing.assert_allclose(gen.apply_transform(IMG, {"tx": 1})[..., 0], expected_tx)
    # {"ty": 1}: rows 1..5, then row 5 again.
    expected_ty = np.vstack([IMG[1:, :, 0], IMG[5:, :, 0]])
    np.testing.assert_allclose(gen.apply_transform(IMG, {"ty": 1})[..., 0], expected_ty)
    # {"tx": 1, "ty": 2}: first row [13, 14, 15, 16, 17, 17], last three rows equal.
    both = gen.apply_transform(IMG, {"tx": 1, "ty": 2})[..., 0]
    np.testing.assert_allclose(both[0], [13, 14, 15, 16, 17, 17])
    np.testing.assert_allclose(both[3:], np.tile([31, 32, 33, 34, 35, 35], (3, 1)))


def test_shift_ranges_keep_their_axes():
    heights = keras.preprocessing.image.ImageDataGenerator(height_shift_range=2.0)
    widths = keras.preprocessing.image.ImageDataGenerator(width_shift_range=[3])
    for seed in range(5):
        p = heights.get_random_transform((8, 8, 1), seed=seed)
        assert p["tx"] == 0 and abs(p["ty"]) <= 2.0
        q = widths.get_random_transform((8, 8, 1), seed=seed)
        assert abs(q["tx"]) == 3 and q["ty"] == 0
    # A vertical shift from height_shift_range moves rows, never columns.
    ramp = np.repeat(np.arange(8.0)[:, None, None], 8, axis=1)
    params = heights.get_random_transform((8, 8, 1), seed=1)
    moved = heights.apply_transform(ramp, params)[..., 0]
    assert np.allclose(moved, moved[:, :1])  # each row stays constant
