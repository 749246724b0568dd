#!/usr/bin/python3
"""Writes the SSIM/PSNR reference fixtures seig's metric tests compare against.

Run with the system python, which has scikit-image:  /usr/bin/python3 scripts/ssim-reference.py
It writes small deterministic image pairs (8-bit RGB PNGs, at most 64x64) into
test/fixtures/metrics/ and, for each pair, scikit-image's SSIM and PSNR into
test/fixtures/metrics/ssim-reference.json. The numbers are computed on the PNGs as
written (re-read from disk), so the TypeScript side sees exactly the same pixels.
"""
import json
import os

import numpy as np
import skimage
from skimage.io import imread, imsave
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "metrics")


def scene(h, w, rng):
    """A smooth gradient with a few coloured shapes: structure for SSIM to see."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    img = np.stack([x / max(w - 1, 1), y / max(h - 1, 1), 0.5 + 0.25 * np.sin(x / 5.0) * np.cos(y / 7.0)], axis=-1)
    for _ in range(4):
        cy, cx = rng.integers(0, h), rng.integers(0, w)
        r = rng.integers(4, max(5, min(h, w) // 3))
        mask = (y - cy) ** 2 + (x - cx) ** 2 < r**2
        img[mask] = rng.random(3)
    return np.clip(img, 0, 1)


def box_blur(img, k):
    pad = k // 2
    p = np.pad(img, ((pad, pad), (pad, pad), (0, 0)), mode="edge")
    out = np.zeros_like(img)
    for dy in range(k):
        for dx in range(k):
            out += p[dy : dy + img.shape[0], dx : dx + img.shape[1]]
    return out / (k * k)


def to8(img):
    return np.round(np.clip(img, 0, 1) * 255).astype(np.uint8)


def main():
    rng = np.random.default_rng(20240611)
    base = scene(48, 48, rng)
    wide_a = scene(40, 64, rng)
    pairs = {
        "identical": (base, base.copy()),
        "noise": (base, base + rng.normal(0, 0.08, base.shape)),
        "blur": (base, box_blur(base, 5)),
        "shift": (base, np.roll(base, shift=(2, 3), axis=(0, 1))),
        "colour-shift": (base, base * np.array([1.0, 0.85, 0.7]) + np.array([0.1, 0.0, 0.05])),
        "contrast": (base, 0.5 + 0.55 * (base - 0.5)),
        "non-square": (wide_a, box_blur(wide_a, 3) + rng.normal(0, 0.03, wide_a.shape)),
        "unrelated": (base, scene(48, 48, rng)),
    }
    os.makedirs(OUT, exist_ok=True)
    reference = {
        "generator": "scripts/ssim-reference.py",
        "skimage": skimage.__version__,
        "ssim_call": "structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1, channel_axis=-1)",
        "psnr_call": "peak_signal_noise_ratio(a, b, data_range=1)",
        "pairs": [],
    }
    for name, (a, b) in pairs.items():
        fa, fb = f"{name}-a.png", f"{name}-b.png"
        imsave(os.path.join(OUT, fa), to8(a), check_contrast=False)
        imsave(os.path.join(OUT, fb), to8(b), check_contrast=False)
        ra = imread(os.path.join(OUT, fa)).astype(np.float64) / 255.0
        rb = imread(os.path.join(OUT, fb)).astype(np.float64) / 255.0
        ssim = structural_similarity(
            ra, rb, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1, channel_axis=-1
        )
        mse = float(np.mean((ra - rb) ** 2))
        psnr = None if mse == 0 else float(peak_signal_noise_ratio(ra, rb, data_range=1))
        reference["pairs"].append(
            {"name": name, "a": fa, "b": fb, "width": ra.shape[1], "height": ra.shape[0], "ssim": float(ssim), "mse": mse, "psnr": psnr}
        )
    with open(os.path.join(OUT, "ssim-reference.json"), "w") as f:
        json.dump(reference, f, indent=2)
        f.write("\n")
    for p in reference["pairs"]:
        print(f'{p["name"]:>14}  ssim {p["ssim"]:.6f}  psnr {p["psnr"]}')


if __name__ == "__main__":
    main()
