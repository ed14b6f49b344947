"""`tf.compat.v1.distributions` (TF 1's `tf.distributions`), as RL code of that era uses it.

Atienza, "Advanced Deep Learning with Keras", chapter 10 (REINFORCE, A2C): Lambda layers
build `tf.distributions.Normal(loc=mean, scale=stddev)` and call `sample(1)`,
`log_prob(action)` and `entropy()`. Expected values are from TensorFlow 2.21's
`tf.compat.v1.distributions` running the same calls (or closed-form formulas where said).
"""

import math

import numpy as np
import pytest
import torch

import tork as tf
import tork.compat.v1.distributions as D


def test_normal_matches_tensorflow():
    dist = D.Normal(loc=[0.0, 1.0], scale=[1.0, 2.0])
    np.testing.assert_allclose(dist.log_prob([0.5, -1.0]), [-1.0439385, -2.1120858], rtol=1e-6)
    np.testing.assert_allclose(dist.prob([0.5, -1.0]), [0.35206532, 0.12098535], rtol=1e-6)
    np.testing.assert_allclose(dist.entropy(), [1.4189385, 2.1120858], rtol=1e-6)
    np.testing.assert_allclose(dist.cdf([0.5, -1.0]), [0.69146246, 0.15865526], rtol=1e-6)
    np.testing.assert_allclose(dist.stddev(), [1.0, 2.0])
    np.testing.assert_allclose(dist.variance(), [1.0, 4.0])
    np.testing.assert_allclose(dist.mode(), [0.0, 1.0])
    assert dist.batch_shape.as_list() == [2] and dist.event_shape.as_list() == []
    assert dist.dtype == tf.float32
    assert tuple(dist.sample(3).shape) == (3, 2)
    assert tuple(dist.sample().shape) == (2,)
    assert tuple(dist.sample([2, 4]).shape) == (2, 4, 2)
    assert dist.reparameterization_type is D.FULLY_REPARAMETERIZED
    other = D.Normal(loc=0.5, scale=1.5)
    np.testing.assert_allclose(D.kl_divergence(dist, other), [0.18324286, 0.15676236], rtol=1e-5)


def test_normal_samples_carry_gradients_and_follow_seeds():
    loc = tf.Variable([0.3])
    scale = tf.Variable([0.7])
    with tf.GradientTape() as tape:
        log_prob = D.Normal(loc=loc, scale=scale).log_prob([1.0])
    grads = tape.gradient(log_prob, [loc, scale])
    np.testing.assert_allclose(grads[0], [(1.0 - 0.3) / 0.7**2], rtol=1e-5)  # d/dloc
    np.testing.assert_allclose(grads[1], [0.0], atol=1e-6)  # -1/s + (x-m)^2/s^3 = 0 here
    with tf.GradientTape() as tape:
        sample = D.Normal(loc=loc, scale=scale).sample(5)
    assert tape.gradient(sample, loc).numpy() == pytest.approx([5.0])  # loc + scale * eps
    tf.random.set_seed(3)
    first = D.Normal(0.0, 1.0).sample(4, seed=1)
    tf.random.set_seed(3)
    np.testing.assert_array_equal(first, D.Normal(0.0, 1.0).sample(4, seed=1))
    many = np.asarray(D.Normal(2.0, 0.5).sample(20000))
    assert abs(many.mean() - 2.0) < 0.02 and abs(many.std() - 0.5) < 0.02


def test_categorical_and_bernoulli_match_tensorflow():
    cat = D.Categorical(logits=[[1.0, 2.0, 0.5]])
    np.testing.assert_allclose(cat.log_prob([1]), [-0.4643688], rtol=1e-6)
    np.testing.assert_allclose(cat.entropy(), [0.90595925], rtol=1e-6)
    np.testing.assert_allclose(cat.prob([2]), [0.14024438], rtol=1e-6)
    np.testing.assert_allclose(cat.logits, [[1.0, 2.0, 0.5]])  # as given, as TF
    np.testing.assert_allclose(cat.probs, [[0.23122391, 0.6285317, 0.14024438]], rtol=1e-6)
    assert cat.sample(4).dtype == torch.int32 and tuple(cat.sample(4).shape) == (4, 1)
    np.testing.assert_array_equal(cat.mode(), [1])
    from_probs = D.Categorical(probs=[0.2, 0.3, 0.5])
    np.testing.assert_allclose(from_probs.log_prob(2), -0.6931472, rtol=1e-6)
    np.testing.assert_allclose(from_probs.entropy(), 1.0296531, rtol=1e-6)
    np.testing.assert_allclose(from_probs.logits, [-1.609438, -1.2039728, -0.6931472], rtol=1e-6)
    bern = D.Bernoulli(logits=[0.3, -1.0])
    np.testing.assert_allclose(bern.log_prob([1, 0]), [-0.55435526, -0.3132617], rtol=1e-5)
    np.testing.assert_allclose(bern.entropy(), [0.6820225, 0.58220303], rtol=1e-5)
    np.testing.assert_allclose(bern.mean(), [0.57444257, 0.26894143], rtol=1e-6)
    assert bern.sample(2).dtype == torch.int32
    quarter = D.Bernoulli(probs=0.25)
    np.testing.assert_allclose(quarter.log_prob(1), math.log(0.25), rtol=1e-6)
    np.testing.assert_allclose(quarter.prob(0), 0.75, rtol=1e-6)
    np.testing.assert_allclose(quarter.logits, -1.0986123, rtol=1e-6)


def test_uniform_matches_tensorflow():
    dist = D.Uniform(low=[0.0, -1.0], high=[2.0, 3.0])
    np.testing.assert_allclose(dist.log_prob([1.0, 0.0]), [-0.6931472, -1.3862944], rtol=1e-6)
    np.testing.assert_allclose(dist.prob([3.0, 0.0]), [0.0, 0.25])  # outside the support: 0
    np.testing.assert_allclose(dist.entropy(), [0.6931472, 1.3862944], rtol=1e-6)
    np.testing.assert_allclose(dist.mean(), [1.0, 1.0])
    np.testing.assert_allclose(dist.stddev(), [0.57735026, 1.1547005], rtol=1e-6)
    np.testing.assert_allclose(dist.cdf([1.0, 4.0]), [0.5, 1.0])
    samples = np.asarray(dist.sample(100))
    assert samples.shape == (100, 2) and (samples >= [0, -1]).all() and (samples < [2, 3]).all()


def test_policy_model_lambdas_as_in_the_book():
    # Chapter 10's actor: Lambda layers sample an action and score it; summary shapes and
    # the log-probability are those of tf_keras 2.21 (action output (1, None, 1)).
    inputs = tf.keras.Input(shape=(2,), name="state")
    mean = tf.keras.layers.Dense(1, name="mean")(inputs)
    stddev = tf.keras.layers.Dense(1, activation="softplus", name="stddev")(inputs)

    def action(args):
        mean, stddev = args
        sample = D.Normal(loc=mean, scale=stddev).sample(1)
        return tf.keras.backend.clip(sample, -1.0, 1.0)

    def logp(args):
        mean, stddev, action = args
        return D.Normal(loc=mean, scale=stddev).log_prob(action)

    def entropy(args):
        mean, stddev = args
        return D.Normal(loc=mean, scale=stddev).entropy()

    act = tf.keras.layers.Lambda(action, output_shape=(1,), name="action")([mean, stddev])
    log_p = tf.keras.layers.Lambda(logp, output_shape=(1,), name="logp")([mean, stddev, act])
    ent = tf.keras.layers.Lambda(entropy, output_shape=(1,), name="entropy")([mean, stddev])
    actor = tf.keras.Model(inputs, act)
    assert tuple(actor.output_shape) == (1, None, 1)
    entropy_model = tf.keras.Model(inputs, ent)
    logp_model = tf.keras.Model(inputs, log_p)
    logp_model.compile(
        loss=lambda y_true, y_pred: -tf.reduce_mean(y_pred * y_true), optimizer="adam"
    )
    state = np.array([[0.1, -0.2]], "float32")
    k_mean, k_std = np.array([[0.5], [0.2]], "float32"), np.array([[0.3], [-0.1]], "float32")
    actor.get_layer("mean").set_weights([k_mean, np.zeros(1, "float32")])
    actor.get_layer("stddev").set_weights([k_std, np.zeros(1, "float32")])
    sigma = np.log1p(np.exp(state @ k_std))  # softplus
    np.testing.assert_allclose(
        entropy_model.predict(state, verbose=0),
        0.5 + 0.5 * np.log(2 * np.pi) + np.log(sigma),
        rtol=1e-5,
    )
    assert actor.predict(state, verbose=0).shape == (1, 1, 1)
    history = logp_model.fit(state, np.ones((1, 1)), batch_size=1, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_errors_name_the_distribution_and_the_fix():
    with pytest.raises(ValueError, match=r"Normal: the parameters must have the same float dtype"):
        D.Normal(loc=np.float64(0.0), scale=tf.constant(1.0))
    with pytest.raises(ValueError, match=r"Categorical: pass exactly one of `logits` and `probs`"):
        D.Categorical(logits=[0.0, 1.0], probs=[0.5, 0.5])
    with pytest.raises(ValueError, match=r"Bernoulli: pass exactly one .* \(got neither\)"):
        D.Bernoulli()
    with pytest.raises(ValueError, match=r"Categorical: `logits`/`probs` need at least one axis"):
        D.Categorical(logits=1.0)
    with pytest.raises(NotImplementedError, match=r"tf\.compat\.v1\.distributions\.Gamma"):
        D.Gamma  # noqa: B018
    with pytest.raises(
        NotImplementedError, match=r"no KL divergence between Normal and Categorical"
    ):
        D.kl_divergence(D.Normal(0.0, 1.0), D.Categorical(logits=[0.0, 1.0]))
