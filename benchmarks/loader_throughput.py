"""Data-loading throughput of imagemodels next to timm: images per second through ``create_loader``.

Both libraries read the same generated image folder (JPEG crops of the bundled photos, one folder
per class) with the same settings: ``create_dataset('', root)`` then ``create_loader(...)`` with the
prefetcher on the CPU, for the eval pipeline and for the train pipeline (random resized crop, flip,
colour jitter, and optionally an auto-augment string and random erasing). Libraries alternate round
by round, and which goes first swaps every round, so drift in machine load hits both; medians of ``--repeat`` passes over the data are
reported. The first batch of each pass (worker start-up) is not timed.

    python benchmarks/loader_throughput.py                              # 512 images, 2 workers, 224px
    python benchmarks/loader_throughput.py --images 2048 --workers 4 --auto-augment rand-m9-mstd0.5-inc1 --re-prob 0.25
    python benchmarks/loader_throughput.py --workers 0 --size 160 --repeat 6
"""
from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def make_folder(root: Path, images: int, classes: int) -> None:
    """``images`` JPEGs of 320x256 cut at varied places from the bundled photos, spread over ``classes`` folders."""
    import skimage.data
    from PIL import Image

    from imagemodels.utils import sample_image_path

    sources = [Image.open(sample_image_path()).convert("RGB"), Image.fromarray(skimage.data.astronaut()),
               Image.fromarray(skimage.data.coffee())]
    for i in range(images):
        src = sources[i % len(sources)]
        left, top = (i * 7) % (src.width - 200), (i * 13) % (src.height - 160)
        crop = src.crop((left, top, left + 200, top + 160)).resize((320, 256))
        folder = root / f"class{i % classes}"
        folder.mkdir(parents=True, exist_ok=True)
        crop.save(folder / f"{i:05d}.jpg", quality=90)


def one_pass(lib, root, args, training: bool) -> float:
    import torch

    dataset = lib.data.create_dataset("", root=str(root), split="train", is_training=training)
    kwargs = dict(batch_size=args.batch_size, is_training=training, num_workers=args.workers,
                  use_prefetcher=True, device=torch.device("cpu"), persistent_workers=False)
    if training:
        kwargs.update(auto_augment=args.auto_augment, re_prob=args.re_prob)
    loader = lib.data.create_loader(dataset, (3, args.size, args.size), **kwargs)
    it = iter(loader)
    next(it)  # worker start-up is not throughput
    count, start = 0, time.perf_counter()
    for images, _ in it:
        count += images.shape[0]
    return count / (time.perf_counter() - start)


def _let_reference_posterize_to_zero_bits(timm) -> None:
    """Benchmark-only shim: with Pillow >= 11 the reference's RandAugment crashes on ``mstd0.5``.

    Magnitude noise can reach 10, where ``PosterizeIncreasing`` keeps 0 bits, and Pillow now refuses
    ``posterize(img, 0)`` (older Pillow returned a black image, which is what imagemodels does). The
    reference looks its op functions up in ``NAME_TO_OP`` when an op is built, so swapping the entry
    before ``create_loader`` lets its loader run the issue's transform; workers inherit it by fork.
    """
    import timm.data.auto_augment as aa
    from PIL import ImageOps

    original = aa.posterize

    def posterize(img, bits_to_keep, **kwargs):
        if bits_to_keep <= 0:
            return ImageOps.posterize(img, 1).point(lambda _v: 0)
        return original(img, bits_to_keep, **kwargs)

    for key, fn in list(aa.NAME_TO_OP.items()):
        if fn is original:
            aa.NAME_TO_OP[key] = posterize


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=512)
    parser.add_argument("--classes", type=int, default=8)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=4)
    parser.add_argument("--auto-augment", default=None)
    parser.add_argument("--re-prob", type=float, default=0.0)
    args = parser.parse_args(argv)

    import timm
    import timm.data
    import torch

    import imagemodels
    import imagemodels.data  # noqa: F401

    _let_reference_posterize_to_zero_bits(timm)
    libs = {"imagemodels": imagemodels, "timm": timm}
    results = {(name, mode): [] for name in libs for mode in ("eval", "train")}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_folder(root, args.images, args.classes)
        for round_index in range(args.repeat):
            # who goes first swaps every round: the first run after a switch measured slower in trials
            order = list(libs.items())[:: 1 if round_index % 2 == 0 else -1]
            for mode in ("eval", "train"):
                for name, lib in order:
                    torch.manual_seed(0)
                    results[(name, mode)].append(one_pass(lib, root, args, mode == "train"))

    print(f"# loader throughput, images/s (median of {args.repeat}); {args.images} JPEGs 320x256 -> {args.size}px, "
          f"batch {args.batch_size}, {args.workers} workers, prefetcher on CPU")
    print(f"# {platform.processor() or platform.machine()}, torch {torch.__version__}, timm {timm.__version__}"
          + (f", auto_augment={args.auto_augment}" if args.auto_augment else "") + (f", re_prob={args.re_prob}" if args.re_prob else ""))
    print("| pipeline | imagemodels | timm | ratio |")
    print("|---|---:|---:|---:|")
    for mode in ("eval", "train"):
        ours, ref = statistics.median(results[("imagemodels", mode)]), statistics.median(results[("timm", mode)])
        print(f"| {mode} | {ours:.0f} | {ref:.0f} | {ours / ref:.2f} |")


if __name__ == "__main__":
    main()
