"""`imagemodels predict` / `infer` and the `imagemodels.pipeline` one-liner."""
import csv
import io
import json

import pytest
from PIL import Image

import imagemodels
from imagemodels.data.imagenet_info import class_names_for, imagenet1k_class_names
from tools_helpers import ARCH, assert_one_line_error, biased_model, cli, save_training_checkpoint

DIGITS = [f"digit{i}" for i in range(10)]


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    folder = tmp_path_factory.mktemp("images")
    (folder / "sub").mkdir()
    for i, where in enumerate(["a.png", "b.jpg", "sub/c.png"]):
        Image.new("RGB", (40, 30), (40 * i, 100, 200)).save(folder / where)
    (folder / "notes.txt").write_text("not an image")
    return folder


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    path = tmp_path_factory.mktemp("ckpt") / "best.pth.tar"
    return save_training_checkpoint(path, biased_model(), label_names=DIGITS)


def test_predict_folder_table_uses_checkpoint_class_names(capsys, images, checkpoint):
    rc, out, err = cli(capsys, "predict", images, "--checkpoint", checkpoint, "--topk", 2, "--img-size", 32)
    assert rc == 0, err
    assert out.count("digit3") == 3 and out.count("digit7") == 3  # three images, the head ranks 3 then 7
    assert "notes.txt" not in out  # a folder yields its images only


def test_predict_json_and_csv_with_label_map(capsys, tmp_path, images, checkpoint):
    label_map = tmp_path / "labels.txt"
    label_map.write_text("\n".join(f"class {i}" for i in range(10)))
    rc, out, err = cli(capsys, "infer", images / "a.png", str(images / "*.jpg"), "--checkpoint", checkpoint,
                       "--label-map", label_map, "--results-format", "json", "--topk", 3, "--img-size", 32)
    assert rc == 0, err
    rows = json.loads(out)
    assert [r["image"].rsplit("/", 1)[-1] for r in rows] == ["a.png", "b.jpg"]
    assert [rows[0][f"label_{k}"] for k in (1, 2, 3)] == ["class 3", "class 7", "class 1"]
    assert rows[0]["prob_1"] > rows[0]["prob_2"] > rows[0]["prob_3"] > 0
    out_csv = tmp_path / "preds.csv"
    rc, _, err = cli(capsys, "predict", images, "--model", ARCH, "--checkpoint", checkpoint, "--topk", 1,
                     "--results-file", out_csv, "--img-size", 32)
    assert rc == 0, err
    table = list(csv.DictReader(io.StringIO(out_csv.read_text())))
    assert len(table) == 3 and {r["index_1"] for r in table} == {"3"}


def test_predict_imagenet_names_for_a_1000_class_head(capsys, images):
    rc, out, err = cli(capsys, "predict", images / "a.png", "--model", ARCH, "--img-size", 32, "--topk", 5)
    assert rc == 0, err
    names = set(imagenet1k_class_names())
    shown = [line.split("%", 1)[1].strip() for line in out.splitlines() if "%" in line]
    assert len(shown) == 5 and all(name in names for name in shown)


def test_predict_a_file_that_is_not_an_image(capsys, images):
    assert_one_line_error(cli(capsys, "predict", images / "notes.txt", "--model", ARCH), 2,
                          "cannot read", "notes.txt", "as an image")


def test_predict_missing_image_and_empty_glob(capsys, tmp_path):
    assert_one_line_error(cli(capsys, "predict", tmp_path / "nope.jpg", "--model", ARCH), 2, "image not found")
    assert_one_line_error(cli(capsys, "predict", str(tmp_path / "*.png"), "--model", ARCH), 2, "no images match")


def test_predict_checkpoint_of_another_architecture(capsys, tmp_path, images):
    other = save_training_checkpoint(tmp_path / "r18.pth.tar", biased_model(arch="resnet18"), arch="resnet18")
    assert_one_line_error(cli(capsys, "predict", images / "a.png", "--model", ARCH, "--checkpoint", other), 2,
                          "does not fit resnet10t", "pass --model resnet18")


def test_predict_label_map_of_wrong_length(capsys, tmp_path, images, checkpoint):
    label_map = tmp_path / "labels.txt"
    label_map.write_text("a\nb\n")
    assert_one_line_error(cli(capsys, "predict", images / "a.png", "--checkpoint", checkpoint, "--label-map", label_map),
                          2, "2 label names for a head of 10 classes")


def test_pipeline_one_liner_on_a_checkpoint(images, checkpoint):
    classify = imagemodels.pipeline(checkpoint, topk=2, img_size=32)
    top = classify(images / "a.png")
    assert [label for label, _ in top] == ["digit3", "digit7"]
    assert 0 < top[1][1] < top[0][1] <= 1
    batch = classify([Image.open(images / "b.jpg"), str(images / "sub" / "c.png")])
    assert len(batch) == 2 and all(row[0][0] == "digit3" for row in batch)
    assert classify.data_config["input_size"] == (3, 32, 32)


def test_pipeline_plain_weights_file_with_model_name(tmp_path, images):
    from imagemodels.engine.checkpoints import save_weights

    path = save_weights(biased_model().state_dict(), tmp_path / "weights.safetensors")  # no arch recorded
    classify = imagemodels.pipeline(ARCH, checkpoint=path, topk=1, label_names=DIGITS, img_size=32)
    assert classify(images / "a.png") == [("digit3", pytest.approx(classify(images / "a.png")[0][1]))]
    with pytest.raises(ValueError, match="pass the model name"):
        imagemodels.pipeline(str(path))


def test_pipeline_is_the_function_after_the_module_loads():
    import imagemodels.pipeline  # noqa: F401  binding the submodule must not shadow the function

    assert callable(imagemodels.pipeline) and imagemodels.pipeline.__name__ == "pipeline"


def test_imagenet_names_ship_with_the_package():
    names = imagenet1k_class_names()
    assert len(names) == 1000 and names[0] == "tench" and names[281] == "tabby"
    assert class_names_for(1001, label_offset=1)[0] == "background"
    assert class_names_for(10) is None


def test_pipeline_module_imported_by_name_is_callable_too():
    import importlib

    module = importlib.import_module("imagemodels.pipeline")
    assert callable(module)


@pytest.mark.slow  # imports the reference library
def test_pipeline_probabilities_equal_the_reference_preprocessing(tmp_path):
    """The one-liner applies exactly the weights' eval preprocessing: the reference's transform for the
    same model config gives the same top-5 probabilities."""
    import torch

    timm = pytest.importorskip("timm")
    from timm.data import create_transform, resolve_data_config

    from imagemodels.utils import sample_image_path

    torch.manual_seed(0)
    classify = imagemodels.pipeline(ARCH, pretrained=False, topk=5)
    ref = timm.create_model(ARCH)
    ref.load_state_dict(classify.model.state_dict())
    ref.eval()
    transform = create_transform(**resolve_data_config({}, model=ref))
    with torch.no_grad():
        probs = ref(transform(Image.open(sample_image_path()).convert("RGB")).unsqueeze(0)).softmax(-1)[0]
    top = probs.topk(5)
    names = imagenet1k_class_names()
    got = classify(sample_image_path())
    assert [label for label, _ in got] == [names[i] for i in top.indices.tolist()]
    assert [p for _, p in got] == pytest.approx(top.values.tolist(), abs=1e-6)
