"""Mixup (Zhang et al., https://arxiv.org/abs/1710.09412) and CutMix (Yun et al., https://arxiv.org/abs/1905.04899).

Each sample is mixed with its mirror in the batch (sample ``i`` with ``N - 1 - i``): Mixup blends the
images, CutMix pastes a box of the partner; targets become the same blend of (label-smoothed) one-hot
vectors. ``lam`` is drawn from Beta(alpha, alpha); for CutMix it is then corrected to the pasted box's
true area. ``mode``: 'batch' draws one ``lam`` for the batch, 'pair' one per mirrored pair, 'elem'
one per sample. Draws use numpy's global generator.

:class:`Mixup` mixes a float batch after collation; :class:`FastCollateMixup` is a ``collate_fn`` that
mixes the uint8 images while collating (for the prefetcher).
"""
from __future__ import annotations

from typing import Optional, Sequence, Tuple

import numpy as np
import torch
import torch.utils.data

__all__ = ["Mixup", "FastCollateMixup", "mixup_target", "one_hot", "rand_bbox", "rand_bbox_minmax", "cutmix_bbox_and_lam"]

_MODES = ("batch", "pair", "elem", "half")


def one_hot(x: torch.Tensor, num_classes: int, on_value: float = 1.0, off_value: float = 0.0) -> torch.Tensor:
    x = x.long().view(-1, 1)
    return torch.full((x.size(0), num_classes), off_value, device=x.device).scatter_(1, x, on_value)


def mixup_target(target: torch.Tensor, num_classes: int, lam=1.0, smoothing: float = 0.0,
                 multi_label: bool = False) -> torch.Tensor:
    """``lam * smoothed(target) + (1 - lam) * smoothed(target mirrored)``.

    Class indices become label-smoothed one-hot rows (each row sums to 1); with ``multi_label`` the
    targets are already dense ``(batch, num_classes)`` and each label is smoothed towards 0.5.
    """
    if multi_label:
        if target.ndim != 2 or target.shape[1] != num_classes:
            raise ValueError(f"multi_label mixup needs dense targets of shape (batch, {num_classes}), got {tuple(target.shape)}")
        y1 = target.float() * (1.0 - smoothing) + 0.5 * smoothing
    else:
        off_value = smoothing / num_classes
        y1 = one_hot(target, num_classes, 1.0 - smoothing + off_value, off_value)
    return y1 * lam + y1.flip(0) * (1.0 - lam)


def rand_bbox(img_shape: Sequence[int], lam: float, margin: float = 0.0, count: Optional[int] = None):
    """A box of area ``(1 - lam)`` of the image at a uniform random center, clipped to the image."""
    ratio = np.sqrt(1 - lam)
    img_h, img_w = img_shape[-2:]
    cut_h, cut_w = int(img_h * ratio), int(img_w * ratio)
    margin_y, margin_x = int(margin * cut_h), int(margin * cut_w)
    cy = np.random.randint(0 + margin_y, img_h - margin_y, size=count)
    cx = np.random.randint(0 + margin_x, img_w - margin_x, size=count)
    # the unclipped box is exactly cut_h x cut_w, odd sizes included
    yl = np.clip(cy - cut_h // 2, 0, img_h)
    yh = np.clip(cy + cut_h - cut_h // 2, 0, img_h)
    xl = np.clip(cx - cut_w // 2, 0, img_w)
    xh = np.clip(cx + cut_w - cut_w // 2, 0, img_w)
    return yl, yh, xl, xh


def rand_bbox_minmax(img_shape: Sequence[int], minmax: Sequence[float], count: Optional[int] = None):
    """A box whose height and width are uniform in ``[min, max)`` of the image's, placed fully inside it."""
    if len(minmax) != 2:
        raise ValueError(f"cutmix_minmax must be (min, max) fractions of the image size, got {minmax}")
    img_h, img_w = img_shape[-2:]
    cut_h = np.random.randint(int(img_h * minmax[0]), int(img_h * minmax[1]), size=count)
    cut_w = np.random.randint(int(img_w * minmax[0]), int(img_w * minmax[1]), size=count)
    yl = np.random.randint(0, img_h - cut_h + 1, size=count)  # every fully-inside position, the last one too
    xl = np.random.randint(0, img_w - cut_w + 1, size=count)
    return yl, yl + cut_h, xl, xl + cut_w


def cutmix_bbox_and_lam(img_shape, lam, ratio_minmax=None, correct_lam: bool = True, count=None):
    """The box and the ``lam`` that matches it (1 - box area / image area) when corrected or min/max sized."""
    if ratio_minmax is not None:
        yl, yu, xl, xu = rand_bbox_minmax(img_shape, ratio_minmax, count=count)
    else:
        yl, yu, xl, xu = rand_bbox(img_shape, lam, count=count)
    if correct_lam or ratio_minmax is not None:
        area = (yu - yl) * (xu - xl)
        lam = 1.0 - area / float(img_shape[-2] * img_shape[-1])
    return (yl, yu, xl, xu), lam


class Mixup:
    """Mixup / CutMix on a collated float batch ``(x, target)`` -> ``(x mixed in place, soft targets)``."""

    def __init__(
        self,
        mixup_alpha: float = 1.0,
        cutmix_alpha: float = 0.0,
        cutmix_minmax: Optional[Tuple[float, float]] = None,
        prob: float = 1.0,
        switch_prob: float = 0.5,
        mode: str = "batch",
        correct_lam: bool = True,
        label_smoothing: float = 0.1,
        num_classes: int = 1000,
        multi_label: bool = False,
    ):
        self.multi_label = multi_label
        self.mixup_alpha = mixup_alpha
        self.cutmix_alpha = cutmix_alpha
        self.cutmix_minmax = cutmix_minmax
        if cutmix_minmax is not None:
            if len(cutmix_minmax) != 2:
                raise ValueError(f"cutmix_minmax must be (min, max), got {cutmix_minmax}")
            self.cutmix_alpha = 1.0  # box size comes from min/max; alpha only has to switch CutMix on
        if mode not in _MODES:
            raise ValueError(f"mixup mode must be one of {', '.join(_MODES)}, got {mode!r}")
        if self.mixup_alpha <= 0 and self.cutmix_alpha <= 0 and cutmix_minmax is None:
            raise ValueError("Mixup needs mixup_alpha > 0 or cutmix_alpha > 0 (or cutmix_minmax)")
        self.mix_prob = prob
        self.switch_prob = switch_prob
        self.label_smoothing = label_smoothing
        self.num_classes = num_classes
        self.mode = mode
        self.correct_lam = correct_lam
        self.mixup_enabled = True  # switched off by the training loop for the last epochs

    def _draw_lam(self, size=None):
        """``(lam, use_cutmix)`` for one draw (``size=None``) or per element."""
        if self.mixup_alpha > 0 and self.cutmix_alpha > 0:
            use_cutmix = np.random.rand(*(() if size is None else (size,))) < self.switch_prob
            if size is None:
                alpha = self.cutmix_alpha if use_cutmix else self.mixup_alpha
                return float(np.random.beta(alpha, alpha)), bool(use_cutmix)
            lam = np.where(use_cutmix, np.random.beta(self.cutmix_alpha, self.cutmix_alpha, size=size),
                           np.random.beta(self.mixup_alpha, self.mixup_alpha, size=size))
            return lam, use_cutmix
        if self.mixup_alpha > 0:
            lam, use_cutmix = np.random.beta(self.mixup_alpha, self.mixup_alpha, size=size), False
        else:
            lam, use_cutmix = np.random.beta(self.cutmix_alpha, self.cutmix_alpha, size=size), True
        if size is None:
            return float(lam), use_cutmix
        return lam, np.full(size, use_cutmix, dtype=bool)

    def _params_per_elem(self, batch_size: int):
        lam = np.ones(batch_size, dtype=np.float32)
        use_cutmix = np.zeros(batch_size, dtype=bool)
        if self.mixup_enabled:
            lam_mix, use_cutmix = self._draw_lam(batch_size)
            lam = np.where(np.random.rand(batch_size) < self.mix_prob, lam_mix.astype(np.float32), lam)
        return lam, use_cutmix

    def _params_per_batch(self):
        if self.mixup_enabled and np.random.rand() < self.mix_prob:
            return self._draw_lam()
        return 1.0, False

    def _box(self, shape, lam):
        return cutmix_bbox_and_lam(shape, lam, ratio_minmax=self.cutmix_minmax, correct_lam=self.correct_lam)

    def _mix_elem(self, x):
        batch_size = len(x)
        lam_batch, use_cutmix = self._params_per_elem(batch_size)
        x_orig = x.clone()  # partners must be read before they are mixed
        for i in range(batch_size):
            j = batch_size - i - 1
            lam = lam_batch[i]
            if lam == 1.0:
                continue
            if use_cutmix[i]:
                (yl, yh, xl, xh), lam = self._box(x[i].shape, lam)
                x[i][:, yl:yh, xl:xh] = x_orig[j][:, yl:yh, xl:xh]
                lam_batch[i] = lam
            else:
                x[i] = x[i] * lam + x_orig[j] * (1 - lam)
        return torch.tensor(lam_batch, device=x.device, dtype=x.dtype).unsqueeze(1)

    def _mix_pair(self, x):
        batch_size = len(x)
        lam_batch, use_cutmix = self._params_per_elem(batch_size // 2)
        x_orig = x.clone()
        for i in range(batch_size // 2):
            j = batch_size - i - 1
            lam = lam_batch[i]
            if lam == 1.0:
                continue
            if use_cutmix[i]:
                (yl, yh, xl, xh), lam = self._box(x[i].shape, lam)
                x[i][:, yl:yh, xl:xh] = x_orig[j][:, yl:yh, xl:xh]
                x[j][:, yl:yh, xl:xh] = x_orig[i][:, yl:yh, xl:xh]
                lam_batch[i] = lam
            else:
                x[i] = x[i] * lam + x_orig[j] * (1 - lam)
                x[j] = x[j] * lam + x_orig[i] * (1 - lam)
        lam_batch = np.concatenate((lam_batch, lam_batch[::-1]))
        return torch.tensor(lam_batch, device=x.device, dtype=x.dtype).unsqueeze(1)

    def _mix_batch(self, x):
        lam, use_cutmix = self._params_per_batch()
        if lam == 1.0:
            return 1.0
        if use_cutmix:
            (yl, yh, xl, xh), lam = self._box(x.shape, lam)
            x[:, :, yl:yh, xl:xh] = x.flip(0)[:, :, yl:yh, xl:xh]
        else:
            x_flipped = x.flip(0).mul_(1.0 - lam)
            x.mul_(lam).add_(x_flipped)
        return lam

    def __call__(self, x: torch.Tensor, target: torch.Tensor):
        if len(x) % 2:
            raise ValueError(f"Mixup pairs samples, so the batch size must be even, got {len(x)} (use drop_last=True)")
        if self.mode == "elem":
            lam = self._mix_elem(x)
        elif self.mode == "pair":
            lam = self._mix_pair(x)
        else:
            lam = self._mix_batch(x)
        return x, mixup_target(target, self.num_classes, lam, self.label_smoothing, self.multi_label)


def _np_image(img) -> np.ndarray:
    return img.numpy() if isinstance(img, torch.Tensor) else np.asarray(img)


class FastCollateMixup(Mixup):
    """A ``collate_fn``: ``[(uint8 image, target), ...]`` -> mixed uint8 batch, soft targets (CPU).

    Blends are rounded to the nearest integer, as the images stay uint8 until the prefetcher.
    ``mode='half'`` mixes the first half of the batch with the second and returns only the first half.
    """

    def _blend(self, a, b, lam):
        mixed = a.astype(np.float32) * lam + b.astype(np.float32) * (1 - lam)
        return np.rint(mixed)

    def _collate_elem(self, output, batch, half=False):
        batch_size = len(batch)
        num_elem = batch_size // 2 if half else batch_size
        lam_batch, use_cutmix = self._params_per_elem(num_elem)
        for i in range(num_elem):
            j = batch_size - i - 1
            lam = lam_batch[i]
            mixed = _np_image(batch[i][0])
            if lam != 1.0:
                if use_cutmix[i]:
                    mixed = mixed.copy()
                    (yl, yh, xl, xh), lam = self._box(output.shape, lam)
                    mixed[:, yl:yh, xl:xh] = _np_image(batch[j][0])[:, yl:yh, xl:xh]
                    lam_batch[i] = lam
                else:
                    mixed = self._blend(mixed, _np_image(batch[j][0]), lam)
            output[i] += torch.from_numpy(mixed.astype(np.uint8))
        if half:
            lam_batch = np.concatenate((lam_batch, np.ones(num_elem)))
        return torch.tensor(lam_batch).unsqueeze(1)

    def _collate_pair(self, output, batch):
        batch_size = len(batch)
        lam_batch, use_cutmix = self._params_per_elem(batch_size // 2)
        for i in range(batch_size // 2):
            j = batch_size - i - 1
            lam = lam_batch[i]
            mixed_i, mixed_j = _np_image(batch[i][0]), _np_image(batch[j][0])
            if lam != 1.0:
                if use_cutmix[i]:
                    (yl, yh, xl, xh), lam = self._box(output.shape, lam)
                    patch_i = mixed_i[:, yl:yh, xl:xh].copy()
                    mixed_i, mixed_j = mixed_i.copy(), mixed_j.copy()
                    mixed_i[:, yl:yh, xl:xh] = mixed_j[:, yl:yh, xl:xh]
                    mixed_j[:, yl:yh, xl:xh] = patch_i
                    lam_batch[i] = lam
                else:
                    mixed_i, mixed_j = self._blend(mixed_i, mixed_j, lam), self._blend(mixed_j, mixed_i, lam)
            output[i] += torch.from_numpy(mixed_i.astype(np.uint8))
            output[j] += torch.from_numpy(mixed_j.astype(np.uint8))
        lam_batch = np.concatenate((lam_batch, lam_batch[::-1]))
        return torch.tensor(lam_batch).unsqueeze(1)

    def _collate_batch(self, output, batch):
        batch_size = len(batch)
        lam, use_cutmix = self._params_per_batch()
        if use_cutmix:
            (yl, yh, xl, xh), lam = self._box(output.shape, lam)
        for i in range(batch_size):
            j = batch_size - i - 1
            mixed = _np_image(batch[i][0])
            if lam != 1.0:
                if use_cutmix:
                    mixed = mixed.copy()
                    mixed[:, yl:yh, xl:xh] = _np_image(batch[j][0])[:, yl:yh, xl:xh]
                else:
                    mixed = self._blend(mixed, _np_image(batch[j][0]), lam)
            output[i] += torch.from_numpy(mixed.astype(np.uint8))
        return lam

    def __call__(self, batch, _=None):
        batch_size = len(batch)
        if batch_size % 2:
            raise ValueError(f"Mixup pairs samples, so the batch size must be even, got {batch_size} (use drop_last=True)")
        half = "half" in self.mode
        out_size = batch_size // 2 if half else batch_size
        output = torch.zeros((out_size, *_np_image(batch[0][0]).shape), dtype=torch.uint8)
        if self.mode == "elem" or half:
            lam = self._collate_elem(output, batch, half=half)
        elif self.mode == "pair":
            lam = self._collate_pair(output, batch)
        else:
            lam = self._collate_batch(output, batch)
        target = torch.utils.data.default_collate([b[1] for b in batch])  # class indices or dense multi-label rows
        target = mixup_target(target, self.num_classes, lam, self.label_smoothing, self.multi_label)
        return output, target[:out_size]
