"""tf.print of a lone scalar string tensor prints raw text (TF 2.21 behaviour)."""

import sys

import tork as tf


def _printed(capsys, *args):
    tf.print(*args, output_stream=sys.stdout)
    return capsys.readouterr().out


def test_lone_scalar_string_has_no_quotes(capsys):
    # TF 2.21: `a`, `1:a`, `5`
    assert _printed(capsys, tf.constant("a")) == "a\n"
    joined = tf.strings.join([tf.constant("1"), tf.constant("a")], separator=":")
    assert _printed(capsys, joined) == "1:a\n"
    assert _printed(capsys, tf.strings.format("{}", tf.constant(5))) == "5\n"


def test_strings_keep_quotes_otherwise(capsys):
    # TF 2.21: `"a" 1`, `["a" "b"]`, `x "a"`
    assert _printed(capsys, tf.constant("a"), 1) == '"a" 1\n'
    assert _printed(capsys, tf.constant(["a", "b"])) == '["a" "b"]\n'
    assert _printed(capsys, "x", tf.constant("a")) == 'x "a"\n'


def test_saved_model_save_of_function_that_prints(tmp_path, capsys):
    # eat_tensorflow2 4-5: a tf.Module method with tf.print used to fail in
    # tf.saved_model.save (torch.export cannot read values to print).
    class DemoModule(tf.Module):
        def __init__(self):
            super().__init__()
            self.x = tf.Variable(1.0)

        @tf.function(input_signature=[tf.TensorSpec(shape=[], dtype=tf.float32)])
        def addprint(self, a):
            self.x.assign_add(a)
            tf.print(self.x, output_stream=sys.stdout)
            return self.x

    demo = DemoModule()
    assert float(demo.addprint(tf.constant(5.0))) == 6.0
    assert capsys.readouterr().out == "6\n"
    tf.saved_model.save(demo, str(tmp_path / "demo"))
    loaded = tf.saved_model.load(str(tmp_path / "demo"))
    # TF 2.21 gives 11.0 here (6 + 5).
    assert float(loaded.addprint(tf.constant(5.0))) == 11.0
