"""`imagemodels benchmark`: a CSV row per model with throughput, memory, size and cost; OOM halving."""
import csv
import json

import pytest
import torch

from imagemodels.engine.benchmark import PeakMemory, is_oom, run_with_batch_retry
from tools_helpers import ARCH, assert_one_line_error, cli


def test_benchmark_train_writes_csv(capsys, tmp_path):
    results = tmp_path / "bench.csv"
    rc, out, err = cli(capsys, "benchmark", "--model", ARCH, "--bench", "train", "-b", 2, "--img-size", 32,
                       "--num-warm-iter", 0, "--num-bench-iter", 1, "--num-classes", 10, "--results-file", results)
    assert rc == 0, err
    (row,) = list(csv.DictReader(results.open()))
    assert row["model"] == ARCH
    assert float(row["train_samples_per_sec"]) > 0 and float(row["train_step_time"]) > 0
    assert row["train_batch_size"] == "2" and row["train_img_size"] == "32"
    assert float(row["param_count"]) == pytest.approx(4.93, abs=0.01)  # resnet10t with a 10-way head, millions
    assert float(row["gmacs"]) > 0
    assert float(row["train_peak_mem_mb"]) > 0
    assert "infer_samples_per_sec" not in row
    assert ARCH in out


@pytest.mark.slow  # both benchmarks: ~16 s on a loaded 2-core machine
def test_benchmark_both_json(capsys, tmp_path):
    results = tmp_path / "bench.json"
    rc, _, err = cli(capsys, "benchmark", "--model", ARCH, "-b", 2, "--img-size", 32, "--num-warm-iter", 0,
                     "--num-bench-iter", 1, "--results-file", results)
    assert rc == 0, err
    (row,) = json.loads(results.read_text())
    assert row["infer_samples_per_sec"] > 0 and row["train_samples_per_sec"] > 0


def test_benchmark_infer_only_channels_last(capsys):
    rc, out, err = cli(capsys, "benchmark", "--model", ARCH, "--bench", "infer", "-b", 2, "--img-size", 32,
                       "--num-warm-iter", 0, "--num-bench-iter", 1, "--channels-last")
    assert rc == 0, err
    assert "infer_samples_per_sec" in out and "infer_peak_mem_mb" in out and "train_samples_per_sec" not in out


def test_batch_halves_until_it_fits():
    tried = []

    def step(batch_size):
        tried.append(batch_size)
        if batch_size > 5:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return "ok"

    assert run_with_batch_retry(step, 32) == ("ok", 4)
    assert tried == [32, 16, 8, 4]
    with pytest.raises(torch.OutOfMemoryError):
        run_with_batch_retry(step, 32, retry=False)
    with pytest.raises(ValueError):  # anything that is not out-of-memory is not retried
        run_with_batch_retry(lambda b: (_ for _ in ()).throw(ValueError("bad")), 8)


def test_is_oom_recognises_cpu_and_cuda_messages():
    assert is_oom(RuntimeError("[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: can't allocate memory"))
    assert is_oom(RuntimeError("CUDA error: out of memory"))
    assert not is_oom(RuntimeError("shape mismatch"))


def test_cpu_peak_memory_sees_a_large_allocation():
    with PeakMemory(torch.device("cpu")) as before:
        pass
    with PeakMemory(torch.device("cpu")) as peak:
        x = torch.ones(64, 2**20)  # 256 MB
        del x
    if before.mb is None:
        pytest.skip("no way to read the peak resident set on this platform")
    assert peak.mb >= 200


def test_benchmark_unknown_model(capsys):
    assert_one_line_error(cli(capsys, "benchmark", "--model", "resnet10x"), 2, "unknown model 'resnet10x'")
