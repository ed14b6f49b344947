"""Loss base class: reductions, sample weights, masks, rank alignment, configs."""

import numpy as np
import pytest
import torch

from tork.keras import losses

rng = np.random.default_rng(0)


def _np_sq(y, p):
    return ((p - y) ** 2).mean(axis=-1)


def test_default_reduction_is_mean_over_elements():
    y = rng.normal(size=(6, 3)).astype(np.float32)
    p = rng.normal(size=(6, 3)).astype(np.float32)
    out = losses.MeanSquaredError()(y, p)
    assert out.shape == ()
    np.testing.assert_allclose(out.numpy(), _np_sq(y, p).mean(), rtol=1e-6)


def test_sample_weight_divides_by_element_count_not_weight_sum():
    y = rng.normal(size=(4, 2)).astype(np.float32)
    p = rng.normal(size=(4, 2)).astype(np.float32)
    w = np.array([1.0, 0.0, 2.0, 0.0], np.float32)
    per = _np_sq(y, p)
    out = losses.MeanSquaredError()(y, p, sample_weight=w)
    np.testing.assert_allclose(out.numpy(), (per * w).sum() / 4, rtol=1e-6)


@pytest.mark.parametrize("w_shape", [(4,), (4, 1)])
def test_sample_weight_rank_alignment(w_shape):
    y = rng.normal(size=(4, 3)).astype(np.float32)
    p = rng.normal(size=(4, 3)).astype(np.float32)
    w = np.arange(1, 5, dtype=np.float32).reshape(w_shape)
    per = _np_sq(y, p)
    out = losses.MeanSquaredError()(y, p, sample_weight=w)
    np.testing.assert_allclose(out.numpy(), (per * w.reshape(4)).sum() / 4, rtol=1e-6)


def test_scalar_sample_weight():
    y = np.zeros((3, 1), np.float32)
    p = np.ones((3, 1), np.float32)
    np.testing.assert_allclose(losses.MeanSquaredError()(y, p, sample_weight=2.5).numpy(), 2.5)


def test_temporal_sample_weight_on_per_timestep_losses():
    # per-sample losses (N, T) with weights (N,) weight every step of a row
    y = rng.normal(size=(3, 5, 2)).astype(np.float32)
    p = rng.normal(size=(3, 5, 2)).astype(np.float32)
    w = np.array([1.0, 2.0, 0.0], np.float32)
    per = _np_sq(y, p)  # (3, 5)
    out = losses.MeanSquaredError()(y, p, sample_weight=w)
    np.testing.assert_allclose(out.numpy(), (per * w[:, None]).sum() / per.size, rtol=1e-6)


@pytest.mark.parametrize(
    "reduction",
    [
        "sum",
        losses.Reduction.SUM,
        "none",
        losses.Reduction.NONE,
        None,
        "auto",
        "mean_with_sample_weight",
    ],
)
def test_reductions(reduction):
    y = rng.normal(size=(5, 2)).astype(np.float32)
    p = rng.normal(size=(5, 2)).astype(np.float32)
    w = np.array([1.0, 2.0, 0.0, 1.0, 3.0], np.float32)
    per = _np_sq(y, p)
    out = losses.MeanSquaredError(reduction=reduction)(y, p, sample_weight=w).numpy()
    expected = {
        "sum": (per * w).sum(),
        "none": per * w,
        None: per * w,
        "auto": (per * w).sum() / 5,
        "mean_with_sample_weight": (per * w).sum() / w.sum(),
    }[reduction]
    np.testing.assert_allclose(out, expected, rtol=1e-6)


def test_reduction_constants_are_keras_names():
    assert losses.Reduction.AUTO == "auto"
    assert losses.Reduction.SUM_OVER_BATCH_SIZE == "sum_over_batch_size"
    assert set(losses.Reduction.all()) == {"auto", "none", "sum", "sum_over_batch_size"}


def test_invalid_reduction_message():
    with pytest.raises(
        ValueError, match=r"Invalid loss reduction 'average'.*'sum_over_batch_size'"
    ):
        losses.MeanSquaredError(reduction="average")


def test_reduction_can_be_changed_after_construction():
    loss = losses.MeanAbsoluteError()
    loss.reduction = losses.Reduction.SUM
    np.testing.assert_allclose(loss([[0.0], [0.0]], [[1.0], [2.0]]).numpy(), 3.0)


def test_rank_mismatch_n_vs_n1_is_squeezed_not_broadcast():
    y = np.array([0.0, 1.0, 2.0], np.float32)
    p = np.array([[1.0], [1.0], [1.0]], np.float32)
    out = losses.MeanSquaredError()(y, p)
    np.testing.assert_allclose(out.numpy(), np.mean((y - p[:, 0]) ** 2), rtol=1e-6)
    out2 = losses.MeanSquaredError()(p, y)
    np.testing.assert_allclose(out2.numpy(), out.numpy())


def test_keras_mask_divides_by_valid_count():
    y = rng.normal(size=(2, 4, 3)).astype(np.float32)
    p = torch.tensor(rng.normal(size=(2, 4, 3)).astype(np.float32))
    mask = np.array([[True, True, False, False], [True, False, False, False]])
    p._keras_mask = torch.tensor(mask)
    per = _np_sq(y, p.numpy())
    out = losses.MeanSquaredError()(y, p)
    np.testing.assert_allclose(out.numpy(), (per * mask).sum() / mask.sum(), rtol=1e-6)
    w = np.array([2.0, 1.0], np.float32)
    out_w = losses.MeanSquaredError()(y, p, sample_weight=w)
    expected = (per * mask * w[:, None]).sum() / mask.sum()
    np.testing.assert_allclose(out_w.numpy(), expected, rtol=1e-6)
    summed = losses.MeanSquaredError(reduction="sum")(y, p)
    np.testing.assert_allclose(summed.numpy(), (per * mask).sum(), rtol=1e-6)


def test_fully_masked_batch_gives_zero_not_nan():
    p = torch.ones(2, 3, 1)
    p._keras_mask = torch.zeros(2, 3, dtype=torch.bool)
    assert losses.MeanSquaredError()(torch.zeros(2, 3, 1), p).item() == 0.0


def test_incompatible_sample_weight_message():
    with pytest.raises(ValueError, match=r"sample_weight of shape \(3,\).*values of shape \(4,\)"):
        losses.MeanSquaredError()(np.zeros((4, 1)), np.zeros((4, 1)), sample_weight=np.ones(3))


def test_gradients_flow_to_predictions():
    p = torch.tensor([[0.2, 0.7]], requires_grad=True)
    losses.MeanSquaredError()(torch.tensor([[0.0, 1.0]]), p).backward()
    np.testing.assert_allclose(p.grad.numpy(), [[2 * 0.2 / 2, 2 * (0.7 - 1) / 2]], rtol=1e-6)


def test_loss_dtype_float32_by_default_and_for_half_inputs():
    p = torch.tensor([[0.5]], dtype=torch.float16)
    out = losses.MeanSquaredError()(torch.tensor([[0.0]]), p)
    assert out.dtype == torch.float32
    out64 = losses.MeanSquaredError(dtype="float64")(np.zeros((1, 1)), np.ones((1, 1)))
    assert out64.dtype == torch.float64


def test_custom_loss_subclass_and_keras2_positional_reduction():
    class Quartic(losses.Loss):
        def call(self, y_true, y_pred):
            return ((y_pred - y_true) ** 4).mean(dim=-1)

    q = Quartic()
    assert q.name is None  # tf_keras 2.21 leaves a defaulted subclass name None
    np.testing.assert_allclose(q([[0.0, 0.0]], [[1.0, 2.0]]).numpy(), 8.5)
    q2 = Quartic(losses.Reduction.SUM)  # Keras 2 signature: Loss(reduction, name)
    assert q2.reduction == "sum"
    np.testing.assert_allclose(q2([[0.0], [0.0]], [[1.0], [2.0]]).numpy(), 17.0)


def test_loss_without_call_says_what_to_implement():
    with pytest.raises(NotImplementedError, match=r"must implement `call\(self, y_true, y_pred\)`"):
        losses.Loss()([[0.0]], [[0.0]])


def test_loss_function_wrapper_passes_kwargs_and_round_trips():
    loss = losses.LossFunctionWrapper(losses.huber, delta=2.0)
    assert loss.name == "huber"
    d = np.array([[3.0]], np.float32)
    np.testing.assert_allclose(loss(np.zeros_like(d), d).numpy(), 2.0 * (3.0 - 1.0))
    config = loss.get_config()
    # tf_keras 2.21 writes the function by name, last: {'reduction': 'auto', 'name': None,
    # 'delta': 2.0, 'fn': 'huber'}.
    assert config == {"reduction": "auto", "name": None, "delta": 2.0, "fn": "huber"}
    clone = losses.LossFunctionWrapper.from_config(config)
    np.testing.assert_allclose(clone(np.zeros_like(d), d).numpy(), 4.0)


def test_builtin_get_config_from_config():
    loss = losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1, reduction="sum")
    config = loss.get_config()
    # tf_keras 2.21's config, key order included.
    assert list(config.items()) == [
        ("reduction", "sum"),
        ("name", "binary_crossentropy"),
        ("from_logits", True),
        ("label_smoothing", 0.1),
        ("axis", -1),
        ("fn", "binary_crossentropy"),
    ]
    clone = losses.BinaryCrossentropy.from_config(config)
    y, z = np.array([[1.0, 0.0]], np.float32), np.array([[0.3, -2.0]], np.float32)
    np.testing.assert_allclose(clone(y, z).numpy(), loss(y, z).numpy())


def test_subclass_overriding_call_of_a_builtin_is_used():
    class Doubled(losses.MeanSquaredError):
        def call(self, y_true, y_pred):
            return 2.0 * super().call(y_true, y_pred)

    np.testing.assert_allclose(Doubled()([[0.0]], [[1.0]]).numpy(), 2.0)

    class Renamed(losses.MeanSquaredError):
        pass

    np.testing.assert_allclose(Renamed()([[0.0, 0.0]], [[1.0, 3.0]]).numpy(), 5.0)


def test_half_precision_loss_keeps_ignore_class_mask():
    z = torch.tensor([[2.0, 0.0], [0.0, 2.0]], dtype=torch.float16)
    loss = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=1, dtype="float16")
    expected = np.log1p(np.exp(-2.0))  # only the first label counts
    np.testing.assert_allclose(
        loss([0, 1], z, sample_weight=[1.0, 1.0]).float().numpy(), expected, rtol=1e-2
    )
