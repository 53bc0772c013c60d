"""AutoAugment, RandAugment and AugMix on PIL images, configured by the ecosystem's strings.

- AutoAugment (Cubuk et al., https://arxiv.org/abs/1805.09501): ``original`` is the paper's ImageNet
  policy, ``v0`` the one TensorFlow's EfficientNet code uses; the ``r`` variants (``originalr``,
  ``v0r``) swap Posterize for the increasing form; ``3a`` is DeiT III's three-augment choice.
  Config: ``<policy>[-mstd<float>]``.
- RandAugment (Cubuk et al., https://arxiv.org/abs/1909.13719): ``rand-m9-n2-mstd0.5-inc1``:
  ``m`` magnitude (0..10), ``n`` ops per image, ``p`` probability per op, ``mstd`` magnitude noise
  (> 100: uniform in [0, m]), ``mmax`` magnitude cap, ``inc1`` ops whose strength grows with the
  magnitude, ``t<name>`` op set (``weights``, ``3a``, ``3aw``).
- AugMix (Hendrycks et al., https://arxiv.org/abs/1912.02781): ``augmix-m3-w3-d-1-a1-b0-mstd0``:
  severity, chain width, chain depth (-1: random 1..3), Dirichlet/Beta alpha, blended mode.

Random draws match the reference library's order: op choice and AugMix weights from numpy, op
probability, magnitude noise and sign flips from Python's ``random``.
"""
from __future__ import annotations

import random
import re
from functools import partial
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from PIL import Image, ImageEnhance, ImageFilter, ImageOps

__all__ = [
    "AugmentOp", "AutoAugment", "RandAugment", "AugMixAugment", "auto_augment_policy", "auto_augment_transform",
    "rand_augment_transform", "augment_and_mix_transform", "rand_augment_ops", "augmix_ops",
    "augment_transform_from_string",
]

_LEVEL_DENOM = 10.0  # magnitudes are on a 0..10 scale
_FILL = (128, 128, 128)
_RANDOM_INTERPOLATION = (Image.Resampling.BILINEAR, Image.Resampling.BICUBIC)
_HPARAMS_DEFAULT = dict(translate_const=250, img_mean=_FILL)


# --- the image operations --------------------------------------------------------------------

def _affine(img, matrix, fillcolor=_FILL, resample=_RANDOM_INTERPOLATION):
    if isinstance(resample, (tuple, list)):
        resample = random.choice(resample)
    return img.transform(img.size, Image.Transform.AFFINE, matrix, fillcolor=fillcolor, resample=resample)


def _rotate(img, degrees, fillcolor=_FILL, resample=_RANDOM_INTERPOLATION):
    if isinstance(resample, (tuple, list)):
        resample = random.choice(resample)
    return img.rotate(degrees, fillcolor=fillcolor, resample=resample)


def _solarize_add(img, add, thresh=128, **_):
    """Brighten the pixels below ``thresh`` by ``add`` (clipped at 255)."""
    if img.mode not in ("L", "RGB"):
        return img
    table = [min(255, v + add) if v < thresh else v for v in range(256)]
    return img.point(table * (3 if img.mode == "RGB" else 1))


def _posterize(img, bits, **_):
    if bits >= 8:
        return img
    if bits <= 0:
        # keeping no bits is black; Pillow >= 9 rejects bits=0 (which magnitude 10 of the increasing form asks for)
        return ImageOps.posterize(img, 1).point(lambda _v: 0)
    return ImageOps.posterize(img, bits)


def _enhance(kind):
    return lambda img, factor, **_: kind(img).enhance(factor)


def _desaturate(img, factor, **_):
    return ImageEnhance.Color(img).enhance(min(1.0, max(0.0, 1.0 - factor)))


def _blur_rand(img, factor, **_):
    return img.filter(ImageFilter.GaussianBlur(radius=random.uniform(0.1, 2.0 * factor)))


_OPS = {
    "AutoContrast": lambda img, **_: ImageOps.autocontrast(img),
    "Equalize": lambda img, **_: ImageOps.equalize(img),
    "Invert": lambda img, **_: ImageOps.invert(img),
    "Rotate": _rotate,
    "Posterize": _posterize,
    "Solarize": lambda img, thresh, **_: ImageOps.solarize(img, thresh),
    "SolarizeAdd": _solarize_add,
    "Color": _enhance(ImageEnhance.Color),
    "Contrast": _enhance(ImageEnhance.Contrast),
    "Brightness": _enhance(ImageEnhance.Brightness),
    "Sharpness": _enhance(ImageEnhance.Sharpness),
    "ShearX": lambda img, f, **kw: _affine(img, (1, f, 0, 0, 1, 0), **kw),
    "ShearY": lambda img, f, **kw: _affine(img, (1, 0, 0, f, 1, 0), **kw),
    "TranslateX": lambda img, px, **kw: _affine(img, (1, 0, px, 0, 1, 0), **kw),
    "TranslateY": lambda img, px, **kw: _affine(img, (1, 0, 0, 0, 1, px), **kw),
    "TranslateXRel": lambda img, pct, **kw: _affine(img, (1, 0, pct * img.size[0], 0, 1, 0), **kw),
    "TranslateYRel": lambda img, pct, **kw: _affine(img, (1, 0, 0, 0, 1, pct * img.size[1]), **kw),
    "Desaturate": _desaturate,
    "GaussianBlur": lambda img, radius, **_: img.filter(ImageFilter.GaussianBlur(radius=radius)),
    "GaussianBlurRand": _blur_rand,
}
for _name in ("Posterize", "Solarize", "Color", "Contrast", "Brightness", "Sharpness"):
    _OPS[f"{_name}Increasing"] = _OPS[_name]
_OPS["PosterizeOriginal"] = _OPS["Posterize"]


# --- magnitude (0..10) -> op arguments ---------------------------------------------------------

def _signed(value):
    """Half the time, the opposite direction."""
    return -value if random.random() > 0.5 else value


def _frac(m):
    return m / _LEVEL_DENOM


def _minmax(m, _h, lo=0.0, hi=1.0):
    return (max(lo, min(hi, lo + (hi - lo) * _frac(m))),)


_LEVELS = {
    "AutoContrast": None, "Equalize": None, "Invert": None,
    "Rotate": lambda m, _h: (_signed(_frac(m) * 30.0),),
    "Posterize": lambda m, _h: (int(_frac(m) * 4),),
    "PosterizeIncreasing": lambda m, _h: (4 - int(_frac(m) * 4),),
    "PosterizeOriginal": lambda m, _h: (int(_frac(m) * 4) + 4,),
    "Solarize": lambda m, _h: (min(256, int(_frac(m) * 256)),),
    "SolarizeIncreasing": lambda m, _h: (256 - min(256, int(_frac(m) * 256)),),
    "SolarizeAdd": lambda m, _h: (min(128, int(_frac(m) * 110)),),
    "ShearX": lambda m, _h: (_signed(_frac(m) * 0.3),),
    "ShearY": lambda m, _h: (_signed(_frac(m) * 0.3),),
    "TranslateX": lambda m, h: (_signed(_frac(m) * float(h["translate_const"])),),
    "TranslateY": lambda m, h: (_signed(_frac(m) * float(h["translate_const"])),),
    "TranslateXRel": lambda m, h: (_signed(_frac(m) * h.get("translate_pct", 0.45)),),
    "TranslateYRel": lambda m, h: (_signed(_frac(m) * h.get("translate_pct", 0.45)),),
    "Desaturate": partial(_minmax, lo=0.5, hi=1.0),
    "GaussianBlur": partial(_minmax, lo=0.1, hi=2.0),
    "GaussianBlurRand": _minmax,
}
for _name in ("Color", "Contrast", "Brightness", "Sharpness"):
    # the classic form: 0.1 .. 1.9, so magnitude 5 is the identity
    _LEVELS[_name] = lambda m, _h: (_frac(m) * 1.8 + 0.1,)
    # increasing form: further from the identity as the magnitude grows, either direction
    _LEVELS[f"{_name}Increasing"] = lambda m, _h: (max(0.1, 1.0 + _signed(_frac(m) * 0.9)),)


class AugmentOp:
    """One named op applied with probability ``prob`` at ``magnitude`` (0..10), optionally noisy."""

    def __init__(self, name: str, prob: float = 0.5, magnitude: float = 10, hparams: Optional[dict] = None):
        if name not in _OPS:
            raise ValueError(f"unknown augmentation op {name!r}; known: {', '.join(sorted(_OPS))}")
        hparams = dict(hparams or _HPARAMS_DEFAULT)
        self.name = name
        self.aug_fn = _OPS[name]
        self.level_fn = _LEVELS[name]
        self.prob = prob
        self.magnitude = magnitude
        self.hparams = hparams
        self.kwargs = dict(fillcolor=hparams.get("img_mean", _FILL), resample=hparams.get("interpolation", _RANDOM_INTERPOLATION))
        self.magnitude_std = hparams.get("magnitude_std", 0)
        self.magnitude_max = hparams.get("magnitude_max", None)

    def __call__(self, img):
        if self.prob < 1.0 and random.random() > self.prob:
            return img
        magnitude = self.magnitude
        if self.magnitude_std == float("inf"):
            magnitude = random.uniform(0, magnitude)
        elif self.magnitude_std > 0:
            magnitude = random.gauss(magnitude, self.magnitude_std)
        magnitude = max(0.0, min(magnitude, self.magnitude_max or _LEVEL_DENOM))
        args = self.level_fn(magnitude, self.hparams) if self.level_fn is not None else ()
        return self.aug_fn(img, *args, **self.kwargs)

    def __repr__(self):
        return (f"{type(self).__name__}(name={self.name}, p={self.prob}, m={self.magnitude}, mstd={self.magnitude_std}"
                + (f", mmax={self.magnitude_max})" if self.magnitude_max is not None else ")"))


# --- config strings ----------------------------------------------------------------------------

_SECTION = re.compile(r"^([a-z]+)(\d.*)?$")


def _sections(config_str: str, kind: str) -> List[Tuple[str, str, str]]:
    """``'rand-m9-mstd0.5'`` -> ``[('m', '9', 'm9'), ('mstd', '0.5', 'mstd0.5')]``; a malformed section is named."""
    if not isinstance(config_str, str) or not config_str:
        raise ValueError(f"{kind} config must be a non-empty string, got {config_str!r}")
    out = []
    for token in config_str.split("-")[1:]:
        if out and out[-1][1] == "" and re.fullmatch(r"\d.*", token):
            # a negative value, as in 'd-1': the dash belongs to the number
            key, _, prev = out.pop()
            out.append((key, "-" + token, f"{prev}-{token}"))
            continue
        match = _SECTION.match(token)
        if match is None:
            raise ValueError(f"bad section {token!r} in {kind} config {config_str!r}: expected a name then a number, e.g. 'm9'")
        out.append((match.group(1), match.group(2) or "", token))
    return out


def _number(convert, key, val, token, config_str, kind):
    try:
        return convert(val)
    except ValueError:
        raise ValueError(f"bad value in section {token!r} of {kind} config {config_str!r}: "
                         f"{key!r} needs a{'n integer' if convert is int else ' number'}") from None


def _unknown(token, config_str, kind, known):
    return ValueError(f"unknown section {token!r} in {kind} config {config_str!r}; known: {', '.join(known)}")


# AutoAugment policies: sub-policies of (op, probability, magnitude), applied one sub-policy per image
_POLICY_V0 = """
Equalize 0.8 1, ShearY 0.8 4 | Color 0.4 9, Equalize 0.6 3 | Color 0.4 1, Rotate 0.6 8 | Solarize 0.8 3, Equalize 0.4 7
Solarize 0.4 2, Solarize 0.6 2 | Color 0.2 0, Equalize 0.8 8 | Equalize 0.4 8, SolarizeAdd 0.8 3 | ShearX 0.2 9, Rotate 0.6 8
Color 0.6 1, Equalize 1.0 2 | Invert 0.4 9, Rotate 0.6 0 | Equalize 1.0 9, ShearY 0.6 3 | Color 0.4 7, Equalize 0.6 0
Posterize 0.4 6, AutoContrast 0.4 7 | Solarize 0.6 8, Color 0.6 9 | Solarize 0.2 4, Rotate 0.8 9
Rotate 1.0 7, TranslateYRel 0.8 9 | ShearX 0.0 0, Solarize 0.8 4 | ShearY 0.8 0, Color 0.6 4 | Color 1.0 0, Rotate 0.6 2
Equalize 0.8 4, Equalize 0.0 8 | Equalize 1.0 4, AutoContrast 0.6 2 | ShearY 0.4 7, SolarizeAdd 0.6 7
Posterize 0.8 2, Solarize 0.6 10 | Solarize 0.6 8, Equalize 0.6 1 | Color 0.8 6, Rotate 0.4 5
"""
_POLICY_ORIGINAL = """
PosterizeOriginal 0.4 8, Rotate 0.6 9 | Solarize 0.6 5, AutoContrast 0.6 5 | Equalize 0.8 8, Equalize 0.6 3
PosterizeOriginal 0.6 7, PosterizeOriginal 0.6 6 | Equalize 0.4 7, Solarize 0.2 4 | Equalize 0.4 4, Rotate 0.8 8
Solarize 0.6 3, Equalize 0.6 7 | PosterizeOriginal 0.8 5, Equalize 1.0 2 | Rotate 0.2 3, Solarize 0.6 8
Equalize 0.6 8, PosterizeOriginal 0.4 6 | Rotate 0.8 8, Color 0.4 0 | Rotate 0.4 9, Equalize 0.6 2
Equalize 0.0 7, Equalize 0.8 8 | Invert 0.6 4, Equalize 1.0 8 | Color 0.6 4, Contrast 1.0 8 | Rotate 0.8 8, Color 1.0 2
Color 0.8 8, Solarize 0.8 7 | Sharpness 0.4 7, Invert 0.6 8 | ShearX 0.6 5, Equalize 1.0 9 | Color 0.4 0, Equalize 0.6 3
Equalize 0.4 7, Solarize 0.2 4 | Solarize 0.6 5, AutoContrast 0.6 5 | Invert 0.6 4, Equalize 1.0 8
Color 0.6 4, Contrast 1.0 8 | Equalize 0.8 8, Equalize 0.6 3
"""
_POLICY_3A = "Solarize 1.0 5 | Desaturate 1.0 10 | GaussianBlurRand 1.0 10"


def _parse_policy(text: str, rename: Optional[Dict[str, str]] = None):
    policy = []
    for sub in " | ".join(text.strip().splitlines()).split("|"):
        ops = []
        for op in sub.split(","):
            name, prob, magnitude = op.split()
            ops.append(((rename or {}).get(name, name), float(prob), int(magnitude)))
        policy.append(ops)
    return policy


_POLICIES = {
    "v0": _parse_policy(_POLICY_V0),
    "v0r": _parse_policy(_POLICY_V0, rename={"Posterize": "PosterizeIncreasing"}),
    "original": _parse_policy(_POLICY_ORIGINAL),
    "originalr": _parse_policy(_POLICY_ORIGINAL, rename={"PosterizeOriginal": "PosterizeIncreasing"}),
    "3a": _parse_policy(_POLICY_3A),
}


def auto_augment_policy(name: str = "v0", hparams: Optional[dict] = None) -> List[List[AugmentOp]]:
    if name not in _POLICIES:
        raise ValueError(f"unknown AutoAugment policy {name!r}; known: {', '.join(_POLICIES)}")
    hparams = hparams or _HPARAMS_DEFAULT
    return [[AugmentOp(op, prob, magnitude, hparams=hparams) for op, prob, magnitude in sub] for sub in _POLICIES[name]]


class AutoAugment:
    """Apply one randomly chosen sub-policy per image."""

    def __init__(self, policy):
        self.policy = policy

    def __call__(self, img):
        for op in random.choice(self.policy):
            img = op(img)
        return img

    def __repr__(self):
        return f"{type(self).__name__}({len(self.policy)} sub-policies)"


def auto_augment_transform(config_str: str, hparams: Optional[dict] = None) -> AutoAugment:
    """``'original'``, ``'v0'``, ``'originalr'``, ``'v0r'``, ``'3a'``, optionally ``-mstd<float>``."""
    hparams = dict(hparams or _HPARAMS_DEFAULT)
    policy = config_str.split("-")[0] if isinstance(config_str, str) else config_str
    for key, val, token in _sections(config_str, "AutoAugment"):
        if key == "mstd" and val:
            hparams.setdefault("magnitude_std", _number(float, key, val, token, config_str, "AutoAugment"))
        else:
            raise _unknown(token, config_str, "AutoAugment", ["mstd<float>"])
    return AutoAugment(auto_augment_policy(policy, hparams))


_RAND_TRANSFORMS = (
    "AutoContrast", "Equalize", "Invert", "Rotate", "Posterize", "Solarize", "SolarizeAdd", "Color", "Contrast",
    "Brightness", "Sharpness", "ShearX", "ShearY", "TranslateXRel", "TranslateYRel",
)
# the same set with every op that has one in its 'stronger with magnitude' form
_RAND_INCREASING_TRANSFORMS = tuple(
    f"{n}Increasing" if n in ("Posterize", "Solarize", "Color", "Contrast", "Brightness", "Sharpness") else n
    for n in _RAND_TRANSFORMS
)
_RAND_CHOICES = {
    "3a": ("SolarizeIncreasing", "Desaturate", "GaussianBlur"),
    "3aw": {
        "SolarizeIncreasing": 6, "Desaturate": 6, "GaussianBlur": 6, "Rotate": 3, "ShearX": 2, "ShearY": 2,
        "PosterizeIncreasing": 1, "AutoContrast": 1, "ColorIncreasing": 1, "SharpnessIncreasing": 1,
        "ContrastIncreasing": 1, "BrightnessIncreasing": 1, "Equalize": 1, "Invert": 1,
    },
    "weights": {
        "Rotate": 3, "ShearX": 2, "ShearY": 2, "TranslateXRel": 1, "TranslateYRel": 1, "ColorIncreasing": 0.25,
        "SharpnessIncreasing": 0.25, "AutoContrast": 0.25, "SolarizeIncreasing": 0.05, "SolarizeAdd": 0.05,
        "ContrastIncreasing": 0.05, "BrightnessIncreasing": 0.05, "Equalize": 0.05, "PosterizeIncreasing": 0.05,
        "Invert": 0.05,
    },
}


def rand_augment_ops(magnitude: float = 10, prob: float = 0.5, hparams: Optional[dict] = None, transforms=None):
    hparams = hparams or _HPARAMS_DEFAULT
    return [AugmentOp(name, prob=prob, magnitude=magnitude, hparams=hparams) for name in (transforms or _RAND_TRANSFORMS)]


class RandAugment:
    """Apply ``num_layers`` ops drawn from ``ops`` (uniformly with replacement, or by ``choice_weights`` without)."""

    def __init__(self, ops, num_layers: int = 2, choice_weights=None):
        self.ops = ops
        self.num_layers = num_layers
        self.choice_weights = choice_weights

    def __call__(self, img):
        chosen = np.random.choice(self.ops, self.num_layers, replace=self.choice_weights is None, p=self.choice_weights)
        for op in chosen:
            img = op(img)
        return img

    def __repr__(self):
        return f"{type(self).__name__}(n={self.num_layers}, ops={[op.name for op in self.ops]})"


def rand_augment_transform(config_str: str, hparams: Optional[dict] = None, transforms=None) -> RandAugment:
    """``'rand-m9-n2-mstd0.5-inc1'`` and friends (see the module docstring)."""
    kind = "RandAugment"
    if not isinstance(config_str, str) or config_str.split("-")[0] != "rand":
        raise ValueError(f"{kind} config must start with 'rand', got {config_str!r}")
    hparams = dict(hparams or _HPARAMS_DEFAULT)
    magnitude, num_layers, increasing, prob = _LEVEL_DENOM, 2, False, 0.5
    for key, val, token in _sections(config_str, kind):
        if token.startswith("t"):
            # 't<name>': the op set ('tweights', 't3a', 't3aw')
            name = token[1:]
            if name not in _RAND_CHOICES:
                raise ValueError(f"unknown op set {token!r} in {kind} config {config_str!r}; known: "
                                 f"{', '.join('t' + n for n in _RAND_CHOICES)}")
            transforms = transforms or name
            continue
        if not val:
            raise ValueError(f"section {token!r} of {kind} config {config_str!r} has no value")
        if key == "mstd":
            mstd = _number(float, key, val, token, config_str, kind)
            hparams.setdefault("magnitude_std", float("inf") if mstd > 100 else mstd)
        elif key == "mmax":
            hparams.setdefault("magnitude_max", _number(int, key, val, token, config_str, kind))
        elif key == "inc":
            increasing = bool(_number(int, key, val, token, config_str, kind))
        elif key == "m":
            magnitude = _number(int, key, val, token, config_str, kind)
        elif key == "n":
            num_layers = _number(int, key, val, token, config_str, kind)
        elif key == "p":
            prob = _number(float, key, val, token, config_str, kind)
        else:
            raise _unknown(token, config_str, kind, ["m<int>", "n<int>", "p<float>", "mstd<float>", "mmax<int>", "inc<0|1>", "t<set>"])
    if isinstance(transforms, str):
        transforms = _RAND_CHOICES[transforms]
    elif transforms is None:
        transforms = _RAND_INCREASING_TRANSFORMS if increasing else _RAND_TRANSFORMS
    choice_weights = None
    if isinstance(transforms, dict):
        weights = np.array(list(transforms.values()), dtype=np.float64)
        transforms, choice_weights = list(transforms), weights / weights.sum()
    return RandAugment(rand_augment_ops(magnitude, prob, hparams, transforms), num_layers, choice_weights=choice_weights)


_AUGMIX_TRANSFORMS = (
    "AutoContrast", "ColorIncreasing", "ContrastIncreasing", "BrightnessIncreasing", "SharpnessIncreasing",
    "Equalize", "Rotate", "PosterizeIncreasing", "SolarizeIncreasing", "ShearX", "ShearY", "TranslateXRel",
    "TranslateYRel",
)


def augmix_ops(magnitude: float = 10, hparams: Optional[dict] = None, transforms=None):
    hparams = hparams or _HPARAMS_DEFAULT
    return [AugmentOp(name, prob=1.0, magnitude=magnitude, hparams=hparams) for name in (transforms or _AUGMIX_TRANSFORMS)]


class AugMixAugment:
    """Blend ``width`` chains of ``depth`` random ops (Dirichlet weights), then blend with the original (Beta)."""

    def __init__(self, ops, alpha: float = 1.0, width: int = 3, depth: int = -1, blended: bool = False):
        self.ops = ops
        self.alpha = alpha
        self.width = width
        self.depth = depth
        self.blended = blended

    def _chain(self, img):
        depth = self.depth if self.depth > 0 else np.random.randint(1, 4)
        for op in np.random.choice(self.ops, depth, replace=True):
            img = op(img)
        return img

    def _apply_basic(self, img, weights, m):
        mixed = np.zeros_like(img, dtype=np.float32)
        for w in weights:
            mixed += w * np.asarray(self._chain(img), dtype=np.float32)
        np.clip(mixed, 0, 255.0, out=mixed)
        return Image.blend(img, Image.fromarray(mixed.astype(np.uint8)), m)

    def _apply_blended(self, img, weights, m):
        # fold the final blend into a sequence of pairwise blends: cheaper, same expected mix
        scaled = weights * m
        remaining, alphas = 1.0, []
        for w in scaled[::-1]:
            alpha = w / remaining
            remaining *= 1 - alpha
            alphas.append(alpha)
        original = img.copy()
        for alpha in np.array(alphas[::-1], dtype=np.float32):
            img = Image.blend(img, self._chain(original), alpha)
        return img

    def __call__(self, img):
        weights = np.float32(np.random.dirichlet([self.alpha] * self.width))
        m = np.float32(np.random.beta(self.alpha, self.alpha))
        return self._apply_blended(img, weights, m) if self.blended else self._apply_basic(img, weights, m)

    def __repr__(self):
        return f"{type(self).__name__}(alpha={self.alpha}, width={self.width}, depth={self.depth})"


def augment_and_mix_transform(config_str: str, hparams: Optional[dict] = None) -> AugMixAugment:
    """``'augmix-m5-w4-d2'``: severity 5, 4 chains, depth 2 (see the module docstring)."""
    kind = "AugMix"
    if not isinstance(config_str, str) or config_str.split("-")[0] != "augmix":
        raise ValueError(f"{kind} config must start with 'augmix', got {config_str!r}")
    hparams = dict(hparams or _HPARAMS_DEFAULT)
    magnitude, width, depth, alpha, blended = 3, 3, -1, 1.0, False
    for key, val, token in _sections(config_str, kind):
        if not val:
            raise ValueError(f"section {token!r} of {kind} config {config_str!r} has no value")
        if key == "mstd":
            hparams.setdefault("magnitude_std", _number(float, key, val, token, config_str, kind))
        elif key == "m":
            magnitude = _number(int, key, val, token, config_str, kind)
        elif key == "w":
            width = _number(int, key, val, token, config_str, kind)
        elif key == "d":
            depth = _number(int, key, val, token, config_str, kind)
        elif key == "a":
            alpha = _number(float, key, val, token, config_str, kind)
        elif key == "b":
            blended = bool(_number(int, key, val, token, config_str, kind))
        else:
            raise _unknown(token, config_str, kind, ["m<int>", "w<int>", "d<int>", "a<float>", "b<0|1>", "mstd<float>"])
    hparams.setdefault("magnitude_std", float("inf"))  # AugMix samples the severity uniformly by default
    return AugMixAugment(augmix_ops(magnitude, hparams), alpha=alpha, width=width, depth=depth, blended=blended)


def augment_transform_from_string(config_str: str, img_size, mean: Sequence[float], interpolation: str):
    """The auto-augment transform of a training pipeline, with hparams scaled to the image size and mean."""
    size_min = min(img_size) if isinstance(img_size, (tuple, list)) else img_size
    hparams = dict(translate_const=int(size_min * 0.45), img_mean=tuple(min(255, round(255 * x)) for x in mean))
    if interpolation and interpolation != "random":
        from .transforms import str_to_pil_interp

        hparams["interpolation"] = str_to_pil_interp(interpolation)
    if not isinstance(config_str, str):
        raise ValueError(f"auto_augment must be a config string, got {config_str!r}")
    if config_str.startswith("rand"):
        return rand_augment_transform(config_str, hparams)
    if config_str.startswith("augmix"):
        hparams["translate_pct"] = 0.3
        return augment_and_mix_transform(config_str, hparams)
    return auto_augment_transform(config_str, hparams)
