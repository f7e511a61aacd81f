"""Scan degradations: one small pure function per effect, composed by `degrade_scan`.

Every function takes an RGB uint8 image and returns a new one; randomness comes only from a
`numpy.random.Generator` passed in, so a seed reproduces a page exactly. Effects mimic what the
real scans in `shared/realdocs/scans/` show: slight skew, soft focus, grey paper, speckle, JPEG;
the harder ones (quarter-turns, low dpi, photocopy margins, phone perspective and shadow, blue
tint) are here for the OCR benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

REF_WIDTH = 2480  # A4 width at 300 dpi: pixel-sized effects scale with the page


def _u8(img: np.ndarray) -> np.ndarray:
    return np.clip(img, 0, 255).astype(np.uint8)


def _scale(img: np.ndarray) -> float:
    return img.shape[1] / REF_WIDTH


def skew(img: np.ndarray, angle_deg: float, fill: int = 255) -> np.ndarray:
    """Rotate about the centre by `angle_deg` (counter-clockwise), same canvas, paper-coloured corners."""
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle_deg, 1.0)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(fill, fill, fill))


def blur(img: np.ndarray, sigma: float) -> np.ndarray:
    if sigma <= 0:
        return img.copy()
    return cv2.GaussianBlur(img, (0, 0), sigma)


def paper_tone(
    img: np.ndarray, level: float, rng: np.random.Generator, unevenness: float = 6.0
) -> np.ndarray:
    """Multiply by a grey paper of brightness ~`level` (0-255) with slow, uneven shading."""
    h, w = img.shape[:2]
    coarse = rng.normal(0, unevenness, (8, 6)).astype(np.float32)
    shade = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC)
    paper = np.clip(level + shade, 0, 255)[..., None] / 255.0
    return _u8(img.astype(np.float32) * paper)


def contrast_loss(img: np.ndarray, amount: float) -> np.ndarray:
    """Pull every value toward mid-grey by `amount` (0: none, 1: flat grey): faded toner."""
    return _u8(128 + (img.astype(np.float32) - 128) * (1 - amount))


def gaussian_noise(img: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    noise = rng.normal(0, sigma, img.shape[:2]).astype(np.float32)[..., None]
    return _u8(img.astype(np.float32) + noise)


def speckle(img: np.ndarray, amount: float, rng: np.random.Generator) -> np.ndarray:
    """Salt-and-pepper dust: a share `amount` of pixels turned dark or white, in 1-2 px specks."""
    h, w = img.shape[:2]
    out = img.copy()
    n = int(amount * h * w)
    ys, xs = rng.integers(0, h, n), rng.integers(0, w, n)
    dark = rng.random(n) < 0.6
    size = max(1, round(_scale(img) * 2))
    for dy in range(size):
        for dx in range(size):
            yy, xx = np.minimum(ys + dy, h - 1), np.minimum(xs + dx, w - 1)
            out[yy[dark], xx[dark]] = rng.integers(20, 90)
            out[yy[~dark], xx[~dark]] = 255
    return out


def jpeg_roundtrip(img: np.ndarray, quality: int) -> np.ndarray:
    ok, buf = cv2.imencode(".jpg", img[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:  # pragma: no cover - cv2 encodes any uint8 image
        raise ValueError("JPEG encoding failed")
    decoded = np.asarray(cv2.imdecode(buf, cv2.IMREAD_COLOR))
    return decoded[..., ::-1].copy()


def rotate_quadrant(img: np.ndarray, k: int) -> np.ndarray:
    """Rotate by k * 90 degrees counter-clockwise (a page fed sideways or upside down)."""
    return np.ascontiguousarray(np.rot90(img, k % 4))


def downsample(img: np.ndarray, factor: float) -> np.ndarray:
    """A lower-dpi scan of the same page: `factor` 0.5 turns 300 dpi into 150 dpi."""
    h, w = img.shape[:2]
    size = (max(1, round(w * factor)), max(1, round(h * factor)))
    return cv2.resize(img, size, interpolation=cv2.INTER_AREA)


def blue_tint(img: np.ndarray, amount: float) -> np.ndarray:
    """A blue-tinted copy (as S31): paper turns pale blue, ink dark blue."""
    tint = np.array([1 - 0.35 * amount, 1 - 0.15 * amount, 1.0], dtype=np.float32)
    return _u8(img.astype(np.float32) * tint)


def dark_margins(
    img: np.ndarray, rng: np.random.Generator, width_share: float = 0.03
) -> np.ndarray:
    """Black bands where the copier lid did not cover the glass, ragged along their inner edge."""
    h, w = img.shape[:2]

    def ragged(n: int, size: int) -> np.ndarray:
        depth = max(2.0, size * width_share * rng.uniform(0.3, 1.0))
        walk = np.cumsum(rng.normal(0, depth * 0.02, n))
        return np.clip(depth + walk, 1, depth * 2)

    rows, cols = np.arange(h)[:, None], np.arange(w)[None, :]
    mask = (cols < ragged(h, w)[:, None]) | (cols >= w - ragged(h, w)[:, None])
    mask |= (rows < ragged(w, h)[None, :]) | (rows >= h - ragged(w, h)[None, :])
    out = img.copy()
    out[mask] = 15
    return out


def photocopy(img: np.ndarray, rng: np.random.Generator, strength: float = 1.0) -> np.ndarray:
    """Toner copy: harder contrast, grey noise, dust, dark margins."""
    g = img.astype(np.float32)
    g = _u8((g - 40 * strength) * (1 + 0.25 * strength))
    g = gaussian_noise(g, 10 * strength, rng)
    g = speckle(g, 0.002 * strength, rng)
    return dark_margins(g, rng, 0.02 + 0.02 * strength)


def punch_holes(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Two filing holes (ISO 838: 6 mm, 80 mm apart, centred, 12 mm in from the left edge) with
    the scanner lid dark through them."""
    out = img.copy()
    mm = _px_per_mm(img)
    h = img.shape[0]
    x = int((12 + rng.uniform(-1.5, 1.5)) * mm)
    r = int(3 * mm)
    tone = tuple(int(v) for v in rng.integers(25, 60, size=3))
    for dy in (-40, 40):
        cv2.circle(out, (x, int(h / 2 + dy * mm)), r, tone, thickness=-1, lineType=cv2.LINE_AA)
    return out


def perspective(img: np.ndarray, rng: np.random.Generator, amount: float = 0.04) -> np.ndarray:
    """A phone photo: the page's corners pulled in by up to `amount` of its size, on a dark table."""
    h, w = img.shape[:2]
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    jitter = rng.uniform(0, amount, (4, 2)) * np.array([w, h], dtype=np.float32)
    signs = np.array([[1, 1], [-1, 1], [-1, -1], [1, -1]], dtype=np.float32)
    dst = (src + jitter * signs).astype(np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(60, 55, 50))


def shadow(img: np.ndarray, rng: np.random.Generator, depth: float = 0.45) -> np.ndarray:
    """A soft shadow (hand or phone) darkening one side of the page by up to `depth`."""
    h, w = img.shape[:2]
    angle = rng.uniform(0, 2 * np.pi)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    t = ((xx / w - 0.5) * np.cos(angle) + (yy / h - 0.5) * np.sin(angle)) + rng.uniform(-0.2, 0.2)
    light = 1 - depth / (1 + np.exp(-t * 8))
    return _u8(img.astype(np.float32) * light[..., None])


@dataclass(frozen=True)
class ScanParams:
    """What `degrade_scan` applied, so a test or benchmark can assert on it (e.g. the skew)."""

    angle: float
    blur_sigma: float
    paper: float
    contrast: float
    noise_sigma: float
    speckle: float
    jpeg_quality: int
    seed: int


def sample_scan_params(seed: int, strength: float = 1.0, width: int = REF_WIDTH) -> ScanParams:
    """Parameters of a mild office scan; `strength` 0 is clean, 1 typical, 2 poor."""
    rng = np.random.default_rng(seed)
    s, px = max(strength, 0.0), width / REF_WIDTH
    return ScanParams(
        angle=float(rng.uniform(-1, 1) * min(s, 1.0)),
        blur_sigma=float(rng.uniform(0.5, 0.9) * s * px),
        paper=float(255 - rng.uniform(8, 22) * s),
        contrast=float(min(rng.uniform(0.05, 0.15) * s, 0.6)),
        noise_sigma=float(rng.uniform(3, 6) * s),
        speckle=float(rng.uniform(0.00001, 0.00003) * s),
        jpeg_quality=int(np.clip(90 - rng.uniform(5, 20) * s, 30, 95)),
        seed=seed,
    )


def apply_scan(img: np.ndarray, p: ScanParams) -> np.ndarray:
    rng = np.random.default_rng([p.seed, 1])
    out = skew(img, p.angle)
    out = blur(out, p.blur_sigma)
    out = paper_tone(out, p.paper, rng)
    out = contrast_loss(out, p.contrast)
    out = gaussian_noise(out, p.noise_sigma, rng)
    out = speckle(out, p.speckle, rng)
    return jpeg_roundtrip(out, p.jpeg_quality)


def degrade_scan(image: np.ndarray, *, seed: int, strength: float = 1.0) -> np.ndarray:
    """A mild office-scanner look (skew within ±1°, blur, grey paper, noise, speckle, JPEG);
    the same seed gives the same pixels."""
    if image.ndim == 2:
        image = np.repeat(image[..., None], 3, axis=2)
    return apply_scan(image, sample_scan_params(seed, strength, image.shape[1]))


def _px_per_mm(img: np.ndarray) -> float:
    return img.shape[1] / 210.0  # an A4 page fills the width


def seal_over_text(
    img: np.ndarray,
    rng: np.random.Generator,
    centre: tuple[float, float] | None = None,
    text: str = "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A red round seal stamped over the text at `centre` (random if None), as on S07; returns
    the page and the seal's box (x0, y0, x1, y1) so a benchmark can check seal detection."""
    from pipeline.synth.seal import SEAL_RED, blend_ink, seal_mask

    h, w = img.shape[:2]
    d = round(_px_per_mm(img) * rng.uniform(32, 40))
    cx, cy = centre or (rng.uniform(0.12, 0.88) * w, rng.uniform(0.25, 0.8) * h)
    x, y = int(cx - d / 2), int(cy - d / 2)
    dpi = round(w / (210 / 25.4))
    out = img.copy()
    blend_ink(out, seal_mask(d, text, dpi, seed=int(rng.integers(1 << 30))), x, y, SEAL_RED, 0.85)
    return out, (max(x, 0), max(y, 0), min(x + d, w), min(y + d, h))


def signature_over_text(
    img: np.ndarray, rng: np.random.Generator, centre: tuple[float, float] | None = None
) -> np.ndarray:
    """A blue-ink scribble crossing printed lines (a signature that strayed over the text)."""
    from pipeline.synth.seal import SIGNATURE_BLUE, blend_ink, signature_mask

    h, w = img.shape[:2]
    mm = _px_per_mm(img)
    sw, sh = round(mm * rng.uniform(35, 50)), round(mm * rng.uniform(15, 22))
    cx, cy = centre or (rng.uniform(0.25, 0.75) * w, rng.uniform(0.25, 0.8) * h)
    x, y = int(cx - sw / 2), int(cy - sh / 2)
    dpi = round(w / (210 / 25.4))
    out = img.copy()
    name = f"sig-{int(rng.integers(1 << 30))}"
    blend_ink(out, signature_mask(sw, sh, name, dpi), x, y, SIGNATURE_BLUE, 0.9)
    return out


def phone_photo(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A phone capture (as S29): perspective on a dark table, a soft shadow, focus blur, JPEG."""
    out = perspective(img, rng, amount=rng.uniform(0.03, 0.06))
    out = shadow(out, rng, depth=rng.uniform(0.3, 0.5))
    out = blur(out, rng.uniform(0.6, 1.1) * _scale(img))
    out = gaussian_noise(out, 4, rng)
    return jpeg_roundtrip(out, int(rng.integers(60, 80)))
