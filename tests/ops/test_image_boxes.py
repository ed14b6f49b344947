"""Tests for tf.image's box ops (tork/ops/_image_boxes.py) against TensorFlow 2.21 values."""

import numpy as np
import pytest
import torch

import tork as tf
from tork._backend.errors import InvalidArgumentError, OutOfRangeError

# Expected values printed by TensorFlow 2.21 (see the test docstrings for the inputs).
TF_NMS_RANDOM = [
    46,
    30,
    58,
    18,
    33,
    35,
    36,
    11,
    14,
    31,
    39,
    57,
    41,
    25,
    13,
    24,
    42,
    17,
    6,
    16,
    54,
    48,
    9,
    29,
    10,
    44,
    40,
    26,
    45,
    8,
    51,
    3,
    56,
    15,
    28,
]
TF_SOFT_IDX = [
    46,
    30,
    58,
    33,
    35,
    18,
    11,
    39,
    57,
    31,
    36,
    14,
    13,
    41,
    25,
    59,
    52,
    24,
    23,
    0,
    42,
    4,
    17,
    16,
    37,
    6,
    54,
    48,
    9,
    29,
    27,
    12,
    47,
    2,
    10,
    44,
    50,
    26,
    32,
    38,
]
TF_SOFT_SCORES = [
    0.9818294048309326,
    0.9774951338768005,
    0.9729194641113281,
    0.961570143699646,
    0.9409302473068237,
    0.9406558871269226,
    0.9363890886306763,
    0.8717144727706909,
    0.8587449789047241,
    0.8278248906135559,
    0.8119703531265259,
    0.8092717528343201,
    0.748663604259491,
    0.7442134022712708,
    0.7141854763031006,
    0.7085447311401367,
    0.6864265203475952,
    0.6595465540885925,
    0.642167329788208,
    0.6400142312049866,
    0.6170628666877747,
    0.6018243432044983,
    0.5413389205932617,
    0.5237752199172974,
    0.5137782692909241,
    0.49919694662094116,
    0.47988036274909973,
    0.4723164439201355,
    0.4518686532974243,
    0.4276430308818817,
    0.40478453040122986,
    0.34737926721572876,
    0.33749672770500183,
    0.3265061676502228,
    0.30131369829177856,
    0.2942134737968445,
    0.2737722098827362,
    0.27116385102272034,
    0.27024710178375244,
    0.26102831959724426,
]
TF_PADDED_RANDOM = [
    46,
    30,
    58,
    18,
    33,
    35,
    36,
    11,
    14,
    31,
    39,
    57,
    41,
    25,
    13,
    24,
    42,
    17,
    6,
    16,
    54,
    48,
    9,
    29,
    10,
    44,
    40,
    26,
    45,
    8,
    51,
    3,
    56,
    15,
    28,
    0,
    0,
    0,
    0,
    0,
]
TF_CROP_BILINEAR = [
    [[[0.0, 1.0], [8.0, 9.0]], [[15.0, 16.0], [23.0, 24.0]], [[30.0, 31.0], [38.0, 39.0]]],
    [
        [[44.599998474121094, 45.599998474121094], [50.20000076293945, 51.20000076293945]],
        [[53.599998474121094, 54.599998474121094], [59.20000076293945, 60.20000076293945]],
        [[62.599998474121094, 63.599998474121094], [68.19999694824219, 69.19999694824219]],
    ],
    [[[38.0, 39.0], [30.0, 31.0]], [[23.0, 24.0], [15.0, 16.0]], [[8.0, 9.0], [0.0, 1.0]]],
    [
        [[0.0, 0.0], [0.0, 0.0]],
        [[42.400001525878906, 43.400001525878906], [0.0, 0.0]],
        [[57.400001525878906, 58.400001525878906], [0.0, 0.0]],
    ],
    [[[19.0, 20.0], [19.0, 20.0]], [[19.0, 20.0], [19.0, 20.0]], [[19.0, 20.0], [19.0, 20.0]]],
]
TF_CROP_NEAREST = [
    [[[0.0, 1.0], [8.0, 9.0]], [[20.0, 21.0], [28.0, 29.0]], [[30.0, 31.0], [38.0, 39.0]]],
    [[[42.0, 43.0], [48.0, 49.0]], [[52.0, 53.0], [58.0, 59.0]], [[62.0, 63.0], [68.0, 69.0]]],
    [[[38.0, 39.0], [30.0, 31.0]], [[28.0, 29.0], [20.0, 21.0]], [[8.0, 9.0], [0.0, 1.0]]],
    [[[-1.0, -1.0], [-1.0, -1.0]], [[42.0, 43.0], [-1.0, -1.0]], [[62.0, 63.0], [-1.0, -1.0]]],
    [[[24.0, 25.0], [24.0, 25.0]], [[24.0, 25.0], [24.0, 25.0]], [[24.0, 25.0], [24.0, 25.0]]],
]
TF_CROP_1X1 = [
    [[[19.0, 20.0]]],
    [[[56.400001525878906, 57.400001525878906]]],
    [[[19.0, 20.0]]],
    [[[47.20000076293945, 48.20000076293945]]],
    [[[19.0, 20.0]]],
]
TF_CROP_GRAD = [
    [
        [[34.0, 36.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [34.0, 36.0]],
        [[17.0, 18.0], [0.0, 0.0], [159.0, 162.0], [0.0, 0.0], [17.0, 18.0]],
        [[17.0, 18.0], [0.0, 0.0], [159.0, 162.0], [0.0, 0.0], [17.0, 18.0]],
        [[34.0, 36.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [34.0, 36.0]],
    ],
    [
        [
            [1.6799999475479126, 1.8200000524520874],
            [38.720001220703125, 40.08000183105469],
            [8.0, 8.199999809265137],
            [3.9200000762939453, 4.199999809265137],
            [5.880000114440918, 6.300000190734863],
        ],
        [
            [3.2799999713897705, 3.5],
            [30.719999313354492, 32.0],
            [4.400000095367432, 4.5],
            [7.440000057220459, 7.880000114440918],
            [11.15999984741211, 11.819999694824219],
        ],
        [
            [4.239999771118164, 4.460000038146973],
            [34.560001373291016, 35.84000015258789],
            [4.400000095367432, 4.5],
            [9.359999656677246, 9.800000190734863],
            [14.039999961853027, 14.699999809265137],
        ],
        [
            [0.4000000059604645, 0.41999998688697815],
            [1.600000023841858, 1.6799999475479126],
            [0.0, 0.0],
            [0.8799999952316284, 0.9200000166893005],
            [1.3200000524520874, 1.3799999952316284],
        ],
    ],
]
TF_CNMS_BOXES = [
    [
        [0.8877469897270203, 0.6229820251464844, 1.0, 0.954367995262146],
        [0.4081040024757385, 0.7262340188026428, 0.5596380233764648, 0.7795060276985168],
        [0.0, 0.07083199918270111, 0.0766180008649826, 0.3624120056629181],
        [0.6260370016098022, 0.183788001537323, 0.8645560145378113, 0.23484399914741516],
        [0.8536779880523682, 0.38648200035095215, 1.0, 0.4461440145969391],
        [0.7994549870491028, 0.12297599762678146, 0.9269570112228394, 0.26645100116729736],
        [0.0, 0.01791200041770935, 0.24625499546527863, 0.13393500447273254],
        [0.0, 0.38948601484298706, 0.06545300036668777, 0.4791559875011444],
        [0.14909900724887848, 0.8874779939651489, 0.5404710173606873, 0.9962720274925232],
    ],
    [
        [0.8810989856719971, 0.0, 1.0, 0.11613599956035614],
        [0.2416280061006546, 0.14912199974060059, 0.3950459957122803, 0.4551849961280823],
        [0.6795769929885864, 0.0, 0.8505709767341614, 0.12426800280809402],
        [0.4841110110282898, 0.27327200770378113, 0.86496901512146, 0.47221800684928894],
        [0.08634699881076813, 0.685230016708374, 0.18452900648117065, 0.7390409708023071],
        [0.17695799469947815, 0.0, 0.5719559788703918, 0.0],
        [0.305867999792099, 0.40098199248313904, 0.46389299631118774, 0.7076169848442078],
        [0.6250240206718445, 0.7441449761390686, 0.7263870239257812, 1.0],
        [0.42973700165748596, 0.606456995010376, 0.657509982585907, 0.7479990124702454],
    ],
]
TF_CNMS_SCORES = [
    [
        0.9893400073051453,
        0.9824910163879395,
        0.9752219915390015,
        0.9649890065193176,
        0.9488360285758972,
        0.9461519718170166,
        0.9427629709243774,
        0.9278489947319031,
        0.9218680262565613,
    ],
    [
        0.9913470149040222,
        0.9865729808807373,
        0.9794830083847046,
        0.948298990726471,
        0.9384819865226746,
        0.9247040152549744,
        0.8753330111503601,
        0.8596510291099548,
        0.8499699831008911,
    ],
]
TF_CNMS_CLASSES = [
    [2.0, 0.0, 1.0, 2.0, 1.0, 2.0, 0.0, 2.0, 1.0],
    [2.0, 0.0, 0.0, 1.0, 2.0, 0.0, 1.0, 1.0, 0.0],
]
TF_CNMS_VALID = [9, 9]


def _random_boxes():
    rng = np.random.RandomState(0)
    yx = rng.uniform(0, 10, (60, 2)).astype(np.float32)
    hw = rng.uniform(1, 4, (60, 2)).astype(np.float32)
    return np.concatenate([yx, yx + hw], 1), rng.uniform(0, 1, 60).astype(np.float32)


BOXES = [
    [0, 0, 1, 1],
    [0, 0.1, 1, 1.1],
    [0, -0.1, 1, 0.9],
    [0, 10, 1, 11],
    [0, 10.1, 1, 11.1],
    [0, 100, 1, 101],
]
SCORES = [0.9, 0.75, 0.6, 0.95, 0.5, 0.3]


def _b():
    return tf.constant(BOXES, tf.float32), tf.constant(SCORES)


# ---------------------------------------------------------------- non_max_suppression


def test_nms_basic_and_thresholds():
    b, s = _b()
    out = tf.image.non_max_suppression(b, s, 3, 0.5)
    assert out.dtype == torch.int32
    assert out.tolist() == [3, 0, 5]
    # score_threshold is strict: 0.5 and 0.3 are not above 0.5.
    assert tf.image.non_max_suppression(b, s, 10, 0.5, score_threshold=0.5).tolist() == [3, 0]
    assert tf.image.non_max_suppression(b, s, 10, 0.5, score_threshold=0.3).tolist() == [3, 0]
    assert tf.image.non_max_suppression(b, s, 0).tolist() == []
    empty = tf.image.non_max_suppression(tf.zeros([0, 4]), tf.zeros([0]), 3)
    assert empty.shape == (0,) and empty.dtype == torch.int32


def test_nms_edge_rules():
    nms = tf.image.non_max_suppression
    # Equal scores: lower index first.
    assert nms([[0, 0, 1, 1], [2, 2, 3, 3], [0, 0, 1, 1.0]], [0.5, 0.5, 0.5], 10).tolist() == [0, 1]
    # IoU exactly the threshold (0.5) does not suppress; IoU 1 with threshold 1 neither.
    assert nms([[0, 0, 1, 1], [0, 0, 1, 2.0]], [0.9, 0.8], 10, 0.5).tolist() == [0, 1]
    assert nms([[0, 0, 1, 1], [0, 0, 1, 1.0]], [0.9, 0.8], 10, 1.0).tolist() == [0, 1]
    # Any corner order.
    assert nms([[1, 1, 0, 0], [0, 0, 1, 1.0]], [0.9, 0.8], 10, 0.5).tolist() == [0]
    # Boxes without area overlap nothing, even at threshold 0.
    assert nms([[0, 0, 0, 0], [0, 0, 0, 0.0]], [0.9, 0.8], 10, 0.0).tolist() == [0, 1]
    half = nms(tf.constant(BOXES, tf.float16), tf.constant(SCORES, tf.float16), 3)
    assert half.tolist() == [3, 0, 5]


def test_nms_random_matches_tf():
    b, s = _random_boxes()
    assert tf.image.non_max_suppression(b, s, 40, 0.3).tolist() == TF_NMS_RANDOM


def test_nms_errors():
    b, s = _b()
    with pytest.raises(InvalidArgumentError, match=r"iou_threshold must be in \[0, 1\]"):
        tf.image.non_max_suppression(b, s, 3, iou_threshold=1.5)
    with pytest.raises(InvalidArgumentError, match="output size must be non-negative"):
        tf.image.non_max_suppression(b, s, -1)
    with pytest.raises(InvalidArgumentError, match=r"boxes must have 4 columns \(Dimension"):
        tf.image.non_max_suppression(b[:, :3], s, 3)
    with pytest.raises(InvalidArgumentError, match="boxes must be 2-D"):
        tf.image.non_max_suppression(b[None], s, 3)
    with pytest.raises(InvalidArgumentError, match="scores must be 1-D"):
        tf.image.non_max_suppression(b, s[None], 3)
    with pytest.raises(InvalidArgumentError, match="but are 6 and 3"):
        tf.image.non_max_suppression(b, s[:3], 3)
    with pytest.raises(InvalidArgumentError, match="attr 'T' of double is not in the list"):
        tf.image.non_max_suppression(b.double(), s.double(), 3)
    with pytest.raises(InvalidArgumentError, match="expected to be a float tensor but is a double"):
        tf.image.non_max_suppression(b, s.double(), 3)


def test_nms_with_scores_soft():
    b, s = _b()
    idx, sc = tf.image.non_max_suppression_with_scores(b, s, 10, 0.5, soft_nms_sigma=0.5)
    assert idx.tolist() == [3, 0, 1, 5, 4, 2]
    # Hand check: box 1 decays by exp(-iou^2 / (2 * 0.5)) with iou(0, 1) = 0.9 / 1.1.
    hand = 0.75 * np.exp(-((0.9 / 1.1) ** 2))
    np.testing.assert_allclose(sc.numpy(), [0.95, 0.9, hand, 0.3, 0.2560026, 0.19697244], 1e-5)
    # iou_threshold is ignored in Soft-NMS mode.
    idx0, sc0 = tf.image.non_max_suppression_with_scores(b, s, 10, 0.0, soft_nms_sigma=0.5)
    assert idx0.tolist() == idx.tolist() and torch.equal(sc0, sc)
    idx, sc = tf.image.non_max_suppression_with_scores(
        b, s, 10, 0.5, score_threshold=0.3, soft_nms_sigma=0.5
    )
    assert idx.tolist() == [3, 0, 1]
    idx, sc = tf.image.non_max_suppression_with_scores(b, s, 10, 0.5)
    assert idx.tolist() == [3, 0, 5]
    np.testing.assert_allclose(sc.numpy(), [0.95, 0.9, 0.3])
    with pytest.raises(InvalidArgumentError, match="soft_nms_sigma_val must be >= 0"):
        tf.image.non_max_suppression_with_scores(b, s, 10, soft_nms_sigma=-0.5)


def test_soft_nms_random_matches_tf():
    b, s = _random_boxes()
    idx, sc = tf.image.non_max_suppression_with_scores(
        b, s, 40, 0.3, score_threshold=0.2, soft_nms_sigma=0.3
    )
    assert idx.tolist() == TF_SOFT_IDX
    np.testing.assert_allclose(sc.numpy(), TF_SOFT_SCORES, rtol=1e-6)


def test_nms_padded():
    b, s = _b()
    idx, n = tf.image.non_max_suppression_padded(b, s, 4, 0.5)
    assert idx.tolist() == [3, 0, 5] and int(n) == 3 and n.dtype == torch.int32
    idx, n = tf.image.non_max_suppression_padded(b, s, 4, 0.5, pad_to_max_output_size=True)
    assert idx.tolist() == [3, 0, 5, 0] and int(n) == 3
    idx, n = tf.image.non_max_suppression_padded(b[1:], s[1:], 4, 0.5, pad_to_max_output_size=True)
    assert idx.tolist() == [2, 0, 4, 0] and int(n) == 3
    bb = torch.stack([b, b.flip(0)])
    ss = torch.stack([s, s.flip(0)])
    idx, n = tf.image.non_max_suppression_padded(bb, ss, 4, 0.5, pad_to_max_output_size=True)
    assert idx.tolist() == [[3, 0, 5, 0], [2, 5, 0, 0]] and n.tolist() == [3, 3]
    idx, n = tf.image.non_max_suppression_padded(
        b, s, 4, 0.5, score_threshold=0.5, pad_to_max_output_size=True
    )
    assert idx.tolist() == [3, 0, 0, 0] and int(n) == 2
    idx, n = tf.image.non_max_suppression_padded(
        b, s, 3, 0.5, pad_to_max_output_size=True, sorted_input=True
    )
    assert idx.tolist() == [0, 3, 5]
    with pytest.raises(ValueError, match="must be True for batched input"):
        tf.image.non_max_suppression_padded(bb, ss, 4, 0.5)


def test_nms_padded_edges():
    pad = tf.image.non_max_suppression_padded
    # The padded algorithm suppresses at IoU >= threshold (TF's tiled kernel).
    idx, n = pad([[0, 0, 1, 1], [0, 0, 1, 2.0]], [0.9, 0.8], 3, 0.5, pad_to_max_output_size=True)
    assert idx.tolist() == [0, 0, 0] and int(n) == 1
    # Corner order taken from the first box only.
    idx, n = pad([[1, 1, 0, 0], [0, 0, 1, 1.0]], [0.9, 0.9], 3, 0.5, pad_to_max_output_size=True)
    assert idx.tolist() == [0, 1, 0] and int(n) == 2
    b, s = _random_boxes()
    idx, n = pad(b, s, 40, 0.3, pad_to_max_output_size=True)
    assert idx.tolist() == TF_PADDED_RANDOM and int(n) == 35


def test_nms_overlaps():
    ov = [[1, 0.2, 0.8], [0.2, 1, 0.1], [0.8, 0.1, 1.0]]
    nmo = tf.image.non_max_suppression_overlaps
    assert nmo(ov, [0.5, 0.9, 0.7], 3).tolist() == [1, 2]
    assert nmo(ov, [0.5, 0.9, 0.7], 3, overlap_threshold=0.8).tolist() == [1, 2, 0]
    out = nmo(ov, [0.5, 0.9, 0.7], 3, overlap_threshold=0.79, score_threshold=0.6)
    assert out.tolist() == [1, 2]
    with pytest.raises(InvalidArgumentError, match=r"overlaps must be square\[2,3\]"):
        nmo(ov[:2], [0.5, 0.9, 0.7], 3)
    with pytest.raises(InvalidArgumentError, match="but are 3 and 2"):
        nmo(ov, [0.5, 0.9], 3)
    with pytest.raises(InvalidArgumentError, match="output size must be non-negative"):
        nmo(ov, [0.5, 0.9, 0.7], -3)


# ---------------------------------------------------------------- combined_non_max_suppression

CB = [
    [
        [[0, 0, 1, 1], [0, 0, 1, 1]],
        [[0, 0.1, 1, 1.1], [0, 0.1, 1, 1.1]],
        [[0, -0.1, 0.9, 0.5], [0, 10, 1, 11]],
        [[0.2, 0.2, 0.6, 1.2], [0, 10.1, 1, 11.1]],
    ]
]
CS = [[[0.9, 0.1], [0.75, 0.8], [0.6, 0.7], [0.95, 0.2]]]


def test_combined_nms():
    r = tf.image.combined_non_max_suppression(tf.constant(CB), tf.constant(CS), 2, 5)
    assert r.nmsed_boxes.shape == (1, 5, 4)
    np.testing.assert_allclose(
        r.nmsed_boxes[0].numpy(),
        [[0.2, 0.2, 0.6, 1], [0, 0, 1, 1], [0, 0.1, 1, 1], [0, 1, 1, 1], [0, 0, 0, 0]],
        rtol=1e-6,
    )
    np.testing.assert_allclose(r.nmsed_scores.numpy(), [[0.95, 0.9, 0.8, 0.7, 0]])
    assert r.nmsed_classes.tolist() == [[0, 0, 1, 1, 0]]
    assert r.nmsed_classes.dtype == torch.float32
    assert r.valid_detections.tolist() == [4] and r.valid_detections.dtype == torch.int32
    r = tf.image.combined_non_max_suppression(
        tf.constant(CB), tf.constant(CS), 2, 5, clip_boxes=False
    )
    np.testing.assert_allclose(r.nmsed_boxes[0, 3].numpy(), [0, 10, 1, 11])
    r = tf.image.combined_non_max_suppression(
        tf.constant(CB), tf.constant(CS), 1, 5, pad_per_class=True
    )
    assert r.nmsed_scores.shape == (1, 2)
    np.testing.assert_allclose(r.nmsed_scores.numpy(), [[0.95, 0.8]])
    r = tf.image.combined_non_max_suppression(
        tf.constant(CB)[:, :, :1],
        tf.constant(CS)[:, :, :1],
        3,
        4,
        score_threshold=0.5,
        iou_threshold=0.9,
    )
    np.testing.assert_allclose(r.nmsed_scores.numpy(), [[0.95, 0.9, 0.75, 0]])
    assert r.valid_detections.tolist() == [3]


def test_combined_nms_edges():
    cn = tf.image.combined_non_max_suppression
    # Equal scores across classes: class order.
    r = cn([[[[0, 0, 1, 1.0]], [[0, 0, 1, 1.0]]]], [[[0.5, 0.5], [0.5, 0.5]]], 3, 4)
    assert r.nmsed_classes.tolist() == [[0, 1, 0, 0]] and r.valid_detections.tolist() == [2]
    # IoU 0.5 at threshold 0.5 keeps both; corners in any order; strict score threshold.
    assert cn(
        [[[[0, 0, 1, 1.0]], [[0, 0, 1, 2.0]]]], [[[0.5], [0.6]]], 3, 4
    ).valid_detections.tolist() == [2]
    assert cn(
        [[[[1, 1, 0, 0.0]], [[0, 0, 1, 1.0]]]], [[[0.5], [0.6]]], 3, 4
    ).valid_detections.tolist() == [1]
    r = cn([[[[0, 0, 1, 1.0]], [[0, 0, 1, 2.0]]]], [[[0.5], [0.6]]], 3, 4, score_threshold=0.5)
    assert r.valid_detections.tolist() == [1]


def test_combined_nms_random_matches_tf():
    rng = np.random.RandomState(1)
    yx = rng.uniform(-0.2, 0.9, (2, 30, 3, 2)).astype(np.float32)
    hw = rng.uniform(0.05, 0.4, (2, 30, 3, 2)).astype(np.float32)
    boxes = np.concatenate([yx, yx + hw], -1)
    scores = rng.uniform(0, 1, (2, 30, 3)).astype(np.float32)
    r = tf.image.combined_non_max_suppression(
        boxes, scores, 4, 9, iou_threshold=0.3, score_threshold=0.2
    )
    np.testing.assert_allclose(r.nmsed_boxes.numpy(), TF_CNMS_BOXES, atol=1e-6)
    np.testing.assert_allclose(r.nmsed_scores.numpy(), TF_CNMS_SCORES, atol=1e-6)
    assert r.nmsed_classes.tolist() == TF_CNMS_CLASSES
    assert r.valid_detections.tolist() == TF_CNMS_VALID


def test_combined_nms_errors():
    cn = tf.image.combined_non_max_suppression
    b = [[[[0, 0, 1, 1.0]], [[0, 0, 1, 2.0]]]]
    s = [[[0.5], [0.6]]]
    with pytest.raises(InvalidArgumentError, match="max_size_per_class must be positive"):
        cn(b, s, 0, 4)
    with pytest.raises(InvalidArgumentError, match="max_total_size must be > 0"):
        cn(b, s, 3, 0)
    with pytest.raises(InvalidArgumentError, match=r"iou_threshold must be in \[0, 1\]"):
        cn(b, s, 3, 4, iou_threshold=1.9)
    with pytest.raises(
        InvalidArgumentError, match="third dimension of boxes must be either 1 or num"
    ):
        cn(tf.constant(CB), tf.constant(CS)[:, :, :1], 3, 4)
    with pytest.raises(InvalidArgumentError, match="boxes must be 4-D"):
        cn(b[0], s, 3, 4)
    with pytest.raises(InvalidArgumentError, match="scores must be 3-D"):
        cn(b, s[0], 3, 4)
    with pytest.raises(InvalidArgumentError, match="boxes and scores must have same batch size"):
        cn(b + b, s, 3, 4)
    with pytest.raises(InvalidArgumentError, match="same number of boxes, got 2 and 3"):
        cn(b, [[[0.5], [0.6], [0.1]]], 3, 4)
    with pytest.raises(InvalidArgumentError, match="last dimension of boxes must be 4"):
        cn([[[[0, 0, 1.0]], [[0, 0, 1.0]]]], s, 3, 4)
    with pytest.raises(InvalidArgumentError, match="expected to be a float tensor but is a double"):
        cn(tf.constant(b, tf.float64), tf.constant(s, tf.float64), 3, 4)


# ---------------------------------------------------------------- crop_and_resize

CR_BOXES = [
    [0, 0, 1, 1],
    [0.1, 0.2, 0.7, 0.9],
    [1, 1, 0, 0],
    [-0.5, 0.3, 0.5, 1.5],
    [0.5, 0.5, 0.5, 0.5],
]
CR_IND = [0, 1, 0, 1, 0]


def _img():
    return tf.reshape(tf.range(2 * 4 * 5 * 2, dtype=tf.float32), [2, 4, 5, 2])


def test_crop_and_resize_matches_tf():
    img = _img()
    out = tf.image.crop_and_resize(img, CR_BOXES, CR_IND, [3, 2])
    assert out.shape == (5, 3, 2, 2) and out.dtype == torch.float32
    np.testing.assert_allclose(out.numpy(), TF_CROP_BILINEAR, rtol=1e-5, atol=1e-5)
    out = tf.image.crop_and_resize(
        img, CR_BOXES, CR_IND, [3, 2], method="nearest", extrapolation_value=-1
    )
    np.testing.assert_array_equal(out.numpy(), TF_CROP_NEAREST)
    out = tf.image.crop_and_resize(img, CR_BOXES, CR_IND, [1, 1])
    np.testing.assert_allclose(out.numpy(), TF_CROP_1X1, rtol=1e-5)
    # Integer images: float32 crops.
    out = tf.image.crop_and_resize(tf.cast(img, tf.uint8), CR_BOXES[:2], CR_IND[:2], [2, 2])
    assert out.dtype == torch.float32
    np.testing.assert_allclose(out[1, :, :, 0].numpy(), [[44.6, 50.2], [62.6, 68.2]], rtol=1e-5)
    empty = tf.image.crop_and_resize(img, tf.zeros([0, 4]), tf.zeros([0], tf.int32), [3, 2])
    assert empty.shape == (0, 3, 2, 2)


def test_crop_and_resize_hand_values():
    img = tf.reshape(tf.range(16, dtype=tf.float32), [1, 4, 4, 1])
    # y from 0.5 to 2.5, x from 0 to 3: bilinear in the ramp 4 * y + x.
    out = tf.image.crop_and_resize(img, [[1 / 6, 0.0, 5 / 6, 1.0]], [0], [3, 4])
    expected = [[4 * y + x for x in (0, 1, 2, 3)] for y in (0.5, 1.5, 2.5)]
    np.testing.assert_allclose(out[0, :, :, 0].numpy(), expected, rtol=1e-5)


def test_crop_and_resize_gradient():
    img = _img().clone().requires_grad_(True)
    out = tf.image.crop_and_resize(img, CR_BOXES, CR_IND, [3, 2])
    weights = tf.reshape(tf.range(5 * 3 * 2 * 2, dtype=tf.float32), [5, 3, 2, 2])
    (out * weights).sum().backward()
    np.testing.assert_allclose(img.grad.numpy(), TF_CROP_GRAD, rtol=1e-4, atol=1e-3)
    # Finite differences in float64 on the bilinear samples (linear in the image).
    x = torch.rand(1, 3, 4, 1, dtype=torch.float64, requires_grad=True)
    boxes = [[0.1, 0.15, 0.8, 0.9]]

    def f(im):
        return tf.image.crop_and_resize(im, boxes, [0], [2, 3]).double().square().sum()

    f(x).backward()
    eps = 1e-3
    numeric = torch.zeros_like(x)
    with torch.no_grad():
        for i in range(x.numel()):
            d = torch.zeros_like(x).view(-1)
            d[i] = eps
            d = d.view_as(x)
            numeric.view(-1)[i] = (f(x + d) - f(x - d)) / (2 * eps)
    np.testing.assert_allclose(x.grad.numpy(), numeric.numpy(), rtol=1e-3, atol=1e-4)


def test_crop_and_resize_errors():
    img = _img()
    cr = tf.image.crop_and_resize
    with pytest.raises(InvalidArgumentError, match="'method' of \"bicubic\" is not in the list"):
        cr(img, CR_BOXES, CR_IND, [3, 2], method="bicubic")
    with pytest.raises(InvalidArgumentError, match="box_index has incompatible shape"):
        cr(img, CR_BOXES, CR_IND[:2], [3, 2])
    with pytest.raises(OutOfRangeError, match=r"box_index has values outside \[0, batch_size\)"):
        cr(img, CR_BOXES, [i + 1 for i in CR_IND], [3, 2])
    with pytest.raises(InvalidArgumentError, match="crop dimensions must be positive"):
        cr(img, CR_BOXES, CR_IND, [0, 2])
    with pytest.raises(InvalidArgumentError, match=r"crop_size must have two elements\[1\]"):
        cr(img, CR_BOXES, CR_IND, [3])
    with pytest.raises(InvalidArgumentError, match=r"input image must be 4-D\[4,5,2\]"):
        cr(img[0], CR_BOXES, CR_IND, [3, 2])
    with pytest.raises(InvalidArgumentError, match="boxes must have 4 columns"):
        cr(img, [b[:3] for b in CR_BOXES], CR_IND, [3, 2])
    with pytest.raises(ValueError, match="requested dtype float32 for Tensor with dtype float64"):
        cr(img, tf.constant(CR_BOXES, tf.float64), CR_IND, [3, 2])
    with pytest.raises(ValueError, match="requested dtype int32 for Tensor with dtype int64"):
        cr(img, CR_BOXES, tf.constant(CR_IND, tf.int64), [3, 2])
    with pytest.raises(InvalidArgumentError, match="does not support images of dtype bool"):
        cr(img > 1, CR_BOXES, CR_IND, [3, 2])


# ---------------------------------------------------------------- draw_bounding_boxes

DRAW_BOXES = [[[0.2, 0.2, 0.8, 0.8], [0, 0, 1, 1], [0.5, 0.9, 0.1, 0.3]]]


def test_draw_bounding_boxes():
    out = tf.image.draw_bounding_boxes(
        tf.zeros([1, 5, 6, 3]), DRAW_BOXES, [[1.0, 0, 0], [0, 1, 0], [0, 0, 1.0]]
    )
    # Box 0 (red) rows 0..3, cols 1..4; box 1 (green) the border drawn over it; box 2 skipped.
    red = [[0, 0, 0, 0, 0, 0], [0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 1, 0], [0, 1, 1, 1, 1, 0], [0] * 6]
    green = [[1] * 6, [1, 0, 0, 0, 0, 1], [1, 0, 0, 0, 0, 1], [1, 0, 0, 0, 0, 1], [1] * 6]
    np.testing.assert_array_equal(out[0, :, :, 0].numpy(), red)
    np.testing.assert_array_equal(out[0, :, :, 1].numpy(), green)
    assert out[0, :, :, 2].sum() == 0
    # One colour for all boxes; extra colour channels are ignored.
    out = tf.image.draw_bounding_boxes(tf.zeros([1, 5, 6, 3]), DRAW_BOXES, [[1.0, 0.5, 0.25, 1]])
    assert out[0, 0, 0].tolist() == [1.0, 0.5, 0.25]
    # Default palette: yellow then blue.
    out = tf.image.draw_bounding_boxes(tf.zeros([1, 5, 6, 3]), DRAW_BOXES, None)
    assert out[0, 1, 1].tolist() == [1, 1, 0] and out[0, 0, 0].tolist() == [0, 0, 1]
    gray = tf.image.draw_bounding_boxes(tf.zeros([1, 5, 6, 1]), DRAW_BOXES, [[1.0, 0.5, 0.25]])
    assert gray[0, 0, :, 0].tolist() == [1] * 6
    half = tf.image.draw_bounding_boxes(tf.zeros([1, 5, 6, 3], tf.float16), DRAW_BOXES, None)
    assert half.dtype == torch.float16
    # Outside the image: clipped edges; corners truncate toward zero (-0.4 -> row 0).
    out = tf.image.draw_bounding_boxes(
        tf.zeros([1, 5, 6, 3]), [[[-0.5, 0.5, 0.6, 2.0], [-0.1, -0.2, 0.3, 0.1]]], [[1.0, 0.5, 0.3]]
    )
    np.testing.assert_array_equal(
        out[0, :, :, 0].numpy(),
        [[1, 0, 1, 0, 0, 0], [1, 0, 1, 0, 0, 0], [0, 0, 1, 1, 1, 1], [0] * 6, [0] * 6],
    )


def test_draw_bounding_boxes_errors():
    db = tf.image.draw_bounding_boxes
    img = tf.zeros([1, 5, 6, 3])
    with pytest.raises(
        InvalidArgumentError, match=r"equal or more channels than the image provided: \[1,3\]"
    ):
        db(tf.zeros([1, 5, 6, 4]), DRAW_BOXES, [[1.0, 0.5, 0.25]])
    with pytest.raises(InvalidArgumentError, match=r"either 1 \(GRY\), 3 \(RGB\), or 4 \(RGBA\)"):
        db(tf.zeros([1, 5, 6, 2]), DRAW_BOXES, [[1.0, 0.5, 0.25]])
    with pytest.raises(InvalidArgumentError, match="attr 'T' of uint8 is not in the list"):
        db(tf.zeros([1, 5, 6, 3], tf.uint8), DRAW_BOXES, [[1.0, 0.5, 0.25]])
    with pytest.raises(InvalidArgumentError, match="The rank of the images should be 4"):
        db(img[0], DRAW_BOXES, None)
    with pytest.raises(InvalidArgumentError, match="The rank of the boxes should be 3"):
        db(img, DRAW_BOXES[0], None)
    with pytest.raises(InvalidArgumentError, match="The batch sizes should be the same"):
        db(tf.zeros([2, 5, 6, 3]), DRAW_BOXES, None)
    with pytest.raises(
        InvalidArgumentError, match="third dimension of the box must be 4. Received: 3"
    ):
        db(img, [[b[:3] for b in DRAW_BOXES[0]]], None)
    with pytest.raises(InvalidArgumentError, match="colors must not be empty"):
        db(img, DRAW_BOXES, tf.zeros([0, 3]))


# ---------------------------------------------------------------- sample_distorted_bounding_box


def _check_window(begin, size, box, height, width, aspect, area, cover, target):
    y, x, _ = begin.tolist()
    h, w, c = size.tolist()
    assert c == -1 and 0 <= y and 0 <= x and y + h <= height and x + w <= width
    np.testing.assert_allclose(
        box[0, 0].numpy(), [y / height, x / width, (y + h) / height, (x + w) / width], rtol=1e-6
    )
    if (h, w) == (height, width):
        return False
    # TF's rounding leaves the ratio within half a pixel of the range.
    assert aspect[0] - 1 / h <= w / h <= aspect[1] + 1 / h
    assert area[0] * height * width <= h * w <= area[1] * height * width
    ty0, tx0, ty1, tx1 = target
    inter = max(min(y + h, ty1) - max(y, ty0), 0) * max(min(x + w, tx1) - max(x, tx0), 0)
    assert inter / ((ty1 - ty0) * (tx1 - tx0)) >= cover
    return True


def test_sample_distorted_bounding_box_constraints():
    tf.random.set_seed(5)
    sampled = 0
    for seed in range(1, 41):
        begin, size, box = tf.image.sample_distorted_bounding_box(
            tf.constant([100, 80, 3]),
            [[[0.1, 0.2, 0.5, 0.6]]],
            seed=seed,
            min_object_covered=0.6,
            aspect_ratio_range=[0.5, 2.0],
            area_range=[0.1, 0.6],
        )
        assert begin.dtype == size.dtype == torch.int32 and box.dtype == torch.float32
        assert box.shape == (1, 1, 4)
        sampled += _check_window(
            begin, size, box, 100, 80, (0.5, 2.0), (0.1, 0.6), 0.6, (10, 16, 50, 48)
        )
    assert sampled > 20
    # Same seed after the same global seed: same window.
    tf.random.set_seed(5)
    a = tf.image.sample_distorted_bounding_box([100, 80, 3], [[[0.1, 0.2, 0.5, 0.6]]], seed=3)
    tf.random.set_seed(5)
    b = tf.image.sample_distorted_bounding_box([100, 80, 3], [[[0.1, 0.2, 0.5, 0.6]]], seed=3)
    assert all(torch.equal(u, v) for u, v in zip(a, b))


def test_sample_distorted_bounding_box_fallbacks_and_dtypes():
    sdb = tf.image.sample_distorted_bounding_box
    begin, size, box = sdb(np.array([100, 80, 3], np.uint8), [[[0.1, 0.2, 0.5, 0.6]]], seed=1)
    assert begin.dtype == torch.uint8 and size.tolist()[2] == 255
    begin, size, box = sdb(tf.constant([100, 80, 3], tf.int64), [[[0.1, 0.2, 0.5, 0.6]]], seed=1)
    assert begin.dtype == torch.int64
    # Impossible constraints: the whole image.
    for kw in (
        dict(min_object_covered=1.5),
        dict(area_range=[0.99, 1.0], aspect_ratio_range=[3, 4], max_attempts=5),
    ):
        begin, size, box = sdb([100, 80, 3], [[[0.1, 0.2, 0.5, 0.6]]], seed=1, **kw)
        assert begin.tolist() == [0, 0, 0] and size.tolist() == [100, 80, -1]
        assert box.tolist() == [[[0.0, 0.0, 1.0, 1.0]]]
    begin, size, box = sdb(
        [100, 80, 3], tf.zeros([1, 0, 4]), seed=1, use_image_if_no_bounding_boxes=True
    )
    assert size.shape == (3,)


def test_sample_distorted_bounding_box_errors():
    sdb = tf.image.sample_distorted_bounding_box
    bb = [[[0.1, 0.2, 0.5, 0.6]]]
    cases = [
        (dict(image_size=[100, 80], bounding_boxes=bb), r"image_size must contain 3 elements\[2\]"),
        (
            dict(image_size=[100, 80, 3], bounding_boxes=tf.zeros([1, 0, 4])),
            "No bounding boxes provided",
        ),
        (
            dict(image_size=[100, 80, 3], bounding_boxes=bb[0]),
            r"must be 3-dimensional \[batch, num_boxes",
        ),
        (
            dict(image_size=[100, 80, 3], bounding_boxes=[[[0.1, 0.2, 0.5]]]),
            r"must have shape \[4\] or \[\*, 4\], got \[1,1,3\]",
        ),
        (
            dict(image_size=[100, 80, 3], bounding_boxes=[[[-0.5, 0.2, 1.1, 0.6]]]),
            r"must be in \[0.0, 1.0\]: -0.5",
        ),
        (
            dict(image_size=[100, 80, 3], bounding_boxes=bb, aspect_ratio_range=[0, 1]),
            r"Aspect ratio range must be non-negative: \[0, 1\]",
        ),
        (
            dict(image_size=[100, 80, 3], bounding_boxes=bb, aspect_ratio_range=[1]),
            "Aspect ratio range field must specify 2 dimensions",
        ),
        (
            dict(image_size=[100, 80, 3], bounding_boxes=bb, area_range=[0.5, 1.5]),
            r"less then or equal to 1.0: \[0.5, 1.5\]",
        ),
        (
            dict(image_size=[100, 80, 3], bounding_boxes=bb, area_range=[0.0, 0.5]),
            r"Area range must be non-negative: \[0, 0.5\]",
        ),
        (
            dict(image_size=[100, 80, 3], bounding_boxes=bb, max_attempts=0),
            "Max attempts must be non-negative: 0",
        ),
        (
            dict(image_size=[100, 80, 3], bounding_boxes=bb, min_object_covered=-1),
            "Min object covered must be non-negative: -1",
        ),
        (
            dict(image_size=[100.0, 80, 3], bounding_boxes=bb),
            "attr 'T' of float is not in the list",
        ),
        (dict(image_size=[0, 80, 3], bounding_boxes=bb), "image height and width must be positive"),
    ]
    for kwargs, message in cases:
        with pytest.raises(InvalidArgumentError, match=message):
            sdb(**kwargs)
    with pytest.raises(ValueError, match="requested dtype float32 for Tensor with dtype float64"):
        sdb([100, 80, 3], tf.constant(bb, tf.float64))


def test_stateless_sample_distorted_bounding_box():
    kw = dict(min_object_covered=0.5, area_range=[0.1, 0.6], aspect_ratio_range=[0.5, 2.0])
    a = tf.image.stateless_sample_distorted_bounding_box(
        [100, 80, 3], [[[0.1, 0.2, 0.5, 0.6]]], seed=[1, 2], **kw
    )
    tf.random.set_seed(123)  # no effect on stateless draws
    b = tf.image.stateless_sample_distorted_bounding_box(
        [100, 80, 3], [[[0.1, 0.2, 0.5, 0.6]]], seed=[1, 2], **kw
    )
    assert all(torch.equal(u, v) for u, v in zip(a, b))
    _check_window(*a, 100, 80, (0.5, 2.0), (0.1, 0.6), 0.5, (10, 16, 50, 48))
    with pytest.raises(InvalidArgumentError, match=r"seed must have shape \[2\], not \[1\]"):
        tf.image.stateless_sample_distorted_bounding_box(
            [100, 80, 3], [[[0.1, 0.2, 0.5, 0.6]]], [1]
        )


def test_crop_and_resize_in_functional_model():
    x = tf.keras.Input((8, 8, 3))
    y = tf.image.crop_and_resize(
        x, [[0.0, 0.0, 1.0, 1.0], [0.25, 0.25, 0.75, 0.75]], [0, 0], [4, 4]
    )
    assert tuple(y.shape) == (2, 4, 4, 3)
    model = tf.keras.Model(x, y)
    data = np.random.RandomState(0).rand(1, 8, 8, 3).astype(np.float32)
    out = model(data)
    expected = tf.image.crop_and_resize(
        data, [[0.0, 0.0, 1.0, 1.0], [0.25, 0.25, 0.75, 0.75]], [0, 0], [4, 4]
    )
    np.testing.assert_allclose(out.numpy(), expected.numpy(), rtol=1e-6)


def test_crop_and_resize_gradient_wrt_boxes_matches_tf():
    img = np.random.RandomState(0).rand(2, 4, 5, 2).astype(np.float32)
    boxes = np.array(
        [
            [0, 0, 1, 1],
            [0.1, 0.2, 0.7, 0.9],
            [1, 1, 0, 0],
            [-0.5, 0.3, 0.5, 1.5],
            [0.5, 0.45, 0.5, 0.5],
        ],
        np.float32,
    )
    weights = np.arange(5 * 3 * 2 * 2, dtype=np.float32).reshape(5, 3, 2, 2)
    # tf.GradientTape gradients of sum(crop_and_resize(...) * weights) w.r.t. boxes, TF 2.21.
    expected = {
        (3, 2): [
            [-3.9396, 0.0, -3.9396, 0.0],
            [15.696, 47.3217, 13.3662, 0.9746],
            [-9.5952, 0.0, -9.5952, 0.0],
            [0.0, 12.1984, -25.8853, 0.0],
            [238.3469, -573.4926, 263.0603, 0.0],
        ],
        (1, 1): [
            [0.8292, 0.0, 0.8292, 0.0],
            [3.0539, 12.0272, 3.0539, 12.0272],
            [22.4303, 0.0, 22.4303, 0.0],
            [0.0, 24.9373, 0.0, 24.9373],
            [37.7947, -88.305, 37.7947, -88.305],
        ],
    }
    for size, grad in expected.items():
        b = torch.tensor(boxes, requires_grad=True)
        out = tf.image.crop_and_resize(img, b, [0, 1, 0, 1, 0], list(size))
        (out * torch.tensor(weights[:, : size[0], : size[1]])).sum().backward()
        np.testing.assert_allclose(b.grad.numpy(), grad, atol=2e-4, rtol=1e-4)
