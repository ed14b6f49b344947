"""`transformer`: a Transformer encoder text classifier (Keras's example), batch 32, `fit`.

The tork side is written as Keras's "Text classification with Transformer" example: a
`TokenAndPositionEmbedding` layer (token and position `Embedding`s, the positions from
`tf.range(tf.shape(x)[-1])`), a `TransformerBlock` layer (`MultiHeadAttention(4 heads,
key_dim 32)`, `Dropout`, residual + `LayerNormalization(epsilon=1e-6)`, a Dense FFN), then
GlobalAveragePooling1D, Dropout, Dense(20, relu), Dropout, Dense(2), in a functional model,
on sequences of 64 tokens. The PyTorch side is the same network as an `nn.Module` with
`nn.MultiheadAttention(batch_first=True)` called with `need_weights=False` (its fused path).

Copying the weights: Keras's per-head query/key/value kernels `(128, heads, key_dim)` are
the rows of torch's packed `in_proj_weight` after a reshape to `(128, 128)` and a
transpose (heads are contiguous blocks of `key_dim` features in both), the output kernel
`(heads, key_dim, 128)` likewise becomes `out_proj.weight`.
"""

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

import tork as tf
from bench.workloads._common import (
    FitWorkload,
    bag_of_tokens_labels,
    copy_dense,
    keras,
    token_sequences,
)

layers = keras.layers

VOCAB = 2000
SEQ_LEN = 64
EMBED = 128
HEADS = 4
KEY_DIM = 32
FF_DIM = 256
DROPOUT = 0.1


class TokenAndPositionEmbedding(layers.Layer):
    """Token embedding plus a learned embedding of each position (Keras's example)."""

    def __init__(self, maxlen, vocab_size, embed_dim, **kwargs):
        super().__init__(**kwargs)
        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

    def call(self, x):
        maxlen = tf.shape(x)[-1]
        positions = tf.range(start=0, limit=maxlen, delta=1)
        return self.token_emb(x) + self.pos_emb(positions)


class TransformerBlock(layers.Layer):
    """Self-attention and a feed-forward network, each with dropout, residual and LayerNorm."""

    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=KEY_DIM)
        self.ffn = keras.Sequential(
            [layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)]
        )
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)

    def call(self, inputs, training=None):
        attn_output = self.att(inputs, inputs)
        attn_output = self.dropout1(attn_output, training=training)
        out1 = self.layernorm1(inputs + attn_output)
        ffn_output = self.ffn(out1)
        ffn_output = self.dropout2(ffn_output, training=training)
        return self.layernorm2(out1 + ffn_output)


def build_keras_transformer(num_classes: int = 2):
    inputs = keras.Input(shape=(SEQ_LEN,))
    x = TokenAndPositionEmbedding(SEQ_LEN, VOCAB, EMBED, name="embedding")(inputs)
    x = TransformerBlock(EMBED, HEADS, FF_DIM, DROPOUT, name="block")(x)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dropout(DROPOUT)(x)
    x = layers.Dense(20, activation="relu", name="hidden")(x)
    x = layers.Dropout(DROPOUT)(x)
    outputs = layers.Dense(num_classes, name="classifier")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


class TorchTransformer(nn.Module):
    """The same network as a PyTorch user writes it."""

    def __init__(self, num_classes: int = 2):
        super().__init__()
        self.token_emb = nn.Embedding(VOCAB, EMBED)
        self.pos_emb = nn.Embedding(SEQ_LEN, EMBED)
        self.att = nn.MultiheadAttention(EMBED, HEADS, batch_first=True)
        self.ffn1 = nn.Linear(EMBED, FF_DIM)
        self.ffn2 = nn.Linear(FF_DIM, EMBED)
        self.norm1 = nn.LayerNorm(EMBED, eps=1e-6)
        self.norm2 = nn.LayerNorm(EMBED, eps=1e-6)
        self.dropout = nn.Dropout(DROPOUT)
        self.hidden = nn.Linear(EMBED, 20)
        self.classifier = nn.Linear(20, num_classes)

    def forward(self, tokens):
        positions = torch.arange(tokens.shape[1], device=tokens.device)
        x = self.token_emb(tokens) + self.pos_emb(positions)
        attn, _ = self.att(x, x, x, need_weights=False)
        x = self.norm1(x + self.dropout(attn))
        x = self.norm2(x + self.dropout(self.ffn2(F.relu(self.ffn1(x)))))
        x = self.dropout(x.mean(dim=1))
        x = self.dropout(F.relu(self.hidden(x)))
        return self.classifier(x)


class TransformerWorkload(FitWorkload):
    name = "transformer"
    summary = (
        f"Keras's Transformer text classifier: token+position Embedding({VOCAB}, {EMBED}), "
        f"MultiHeadAttention({HEADS} heads, key_dim {KEY_DIM}), LayerNormalization, Dense FFN "
        f"({FF_DIM}), Dropout, GlobalAveragePooling1D, Dense(20) -> Dense(2) on {SEQ_LEN} "
        "tokens; Adam, sparse CE, fit"
    )
    num_classes = 2
    full_samples = 1_024
    batch_size = 32
    quick_steps = 2

    def required_layers(self) -> tuple:
        return (
            "Embedding",
            "MultiHeadAttention",
            "LayerNormalization",
            "GlobalAveragePooling1D",
            "Dropout",
        )

    def make_x(self, num_samples: int) -> np.ndarray:
        return token_sequences(self.cfg.seed, num_samples, VOCAB, SEQ_LEN)

    def make_y(self, x: np.ndarray) -> np.ndarray:
        return bag_of_tokens_labels(x, self.cfg.seed + 1, VOCAB, self.num_classes)

    def build_keras(self):
        return build_keras_transformer(self.num_classes)

    def build_torch(self) -> nn.Module:
        return TorchTransformer(self.num_classes)

    def keras_layer_weights(self, model) -> list:
        embedding, block = model.get_layer("embedding"), model.get_layer("block")
        att = block.att
        return [
            embedding.token_emb.get_weights()[0],
            embedding.pos_emb.get_weights()[0],
            [dense.get_weights() for dense in (att._query_dense, att._key_dense, att._value_dense)],
            att._output_dense.get_weights(),
            [dense.get_weights() for dense in block.ffn.layers],
            block.layernorm1.get_weights(),
            block.layernorm2.get_weights(),
            model.get_layer("hidden").get_weights(),
            model.get_layer("classifier").get_weights(),
        ]

    def load_torch(self, module: nn.Module, layer_weights: list) -> None:
        token, position, qkv, output, ffn, norm1, norm2, hidden, classifier = layer_weights
        with torch.no_grad():
            module.token_emb.weight.copy_(torch.from_numpy(token))
            module.pos_emb.weight.copy_(torch.from_numpy(position))
            kernels = [k.reshape(EMBED, -1).T for k, _ in qkv]
            biases = [b.reshape(-1) for _, b in qkv]
            module.att.in_proj_weight.copy_(torch.from_numpy(np.concatenate(kernels, axis=0)))
            module.att.in_proj_bias.copy_(torch.from_numpy(np.concatenate(biases)))
            module.att.out_proj.weight.copy_(torch.from_numpy(output[0].reshape(-1, EMBED).T))
            module.att.out_proj.bias.copy_(torch.from_numpy(output[1]))
            for norm, (gamma, beta) in ((module.norm1, norm1), (module.norm2, norm2)):
                norm.weight.copy_(torch.from_numpy(gamma))
                norm.bias.copy_(torch.from_numpy(beta))
        copy_dense(module.ffn1, ffn[0])
        copy_dense(module.ffn2, ffn[1])
        copy_dense(module.hidden, hidden)
        copy_dense(module.classifier, classifier)
