"""The camera's decode pipeline: a decoder, and preprocessing retries for frames it cannot read.

zxing-cpp is the decoder when it is installed, pyzbar otherwise: on the QR corpus zxing-cpp reads
90 % of the images against pyzbar's 69 %, and restricted to the kiosk's symbologies it takes about
3 ms a 1280x720 frame on one core against pyzbar's 7. A frame goes to the decoder as it is; when
nothing is found and some part of the frame has a code's contrast (an empty counter has not), the
retries follow, cheapest first, each aimed at what real kiosk frames suffer from, and the first
that finds a code ends the frame. The camera gives each frame a time budget:
retries left over when it runs out are the first ones tried on the next frame, so a slow machine
still tries every retry within a few frames while a code is held up, and the camera loop keeps its
frame rate. bench.qr measures all of this.
"""
from __future__ import annotations

import dataclasses
import functools
import logging
import time
from collections.abc import Callable
from typing import Any, Protocol

from devices.scanner.charset import declared_text
from devices.scanner.payload import Symbology

log = logging.getLogger(__name__)

Image = Any     # a numpy uint8 array; numpy and OpenCV are imported only where a frame is decoded

# enlarging a frame bigger than this costs more than a camera frame's whole budget
_ENLARGE_MAX_PIXELS = 1280 * 720
# the neighbourhood an adaptive threshold compares a pixel with: a few modules at 3-6 pixels each
_THRESHOLD_BLOCK = 25
# a spot the decoder could not read is cropped with this share of its side around it; the two
# largest are tried
_SPOT_MARGIN = 0.2
_SPOTS = 2
# a code's modules, even blurred, dimmed or under glare, spread by at least this share of their
# mean grey level (plus a dark floor) in some block of a few modules; an empty counter's lit texture
# by much less. Frames below it get no retries. Measured with the standard deviation: every frame a
# retry reads in the camera-fault sets (seeds 15-18), the synthetic set and the corpus (as it is and
# as camera frames) is at 0.13 or more, 300 empty counters at 0.055 or less
_CODE_CONTRAST = 0.08
_CONTRAST_FLOOR = 16.0
_CONTRAST_BLOCK = 16        # pixels of the half-size frame: 32 of the frame, a few modules
# moiré stripes this many pixels apart (a screen's pixel grid beating with the sensor's, near the
# sensor's own resolution), and the width in frequency steps of the notch that cuts them out
_MOIRE_PERIOD_PX = (2.8, 7.5)
_MOIRE_NOTCH = 3.0
# the largest spot the moiré is cut from, each way: twice that enlarged is a 640-pixel square, about
# 10 ms through the Fourier transform and back on one core
_MOIRE_SPOT_PX = 320
# moiré with defocus: the defocus undone with the stripes, and the spot it is undone in, wider
# (width, noise-to-signal, smoothing: _moire_removed); the harder one for defocus past 2 px
_MOIRE_DEFOCUS = (1.6, 0.01, 0.0)
_MOIRE_DEFOCUS_HARDER = (2.2, 0.001, 1.0)
_MOIRE_DEFOCUS_SPOT_PX = 480
# tilts within this many degrees of 0 or 90 decoders read by themselves
_SKEW_TOLERANCE = 10.0
# the defocus the deconvolution undoes (a Gaussian of this many pixels: a code held too close) and
# the noise it must not amplify (Wiener's noise-to-signal ratio); chosen on the camera-fault set
# (seed 15) and checked on another seed (docs/qr.md)
_DEFOCUS_PX = 1.8
_DEFOCUS_NOISE = 0.05
# the same for deconvolved_thresholded: a wider defocus undone harder, which the threshold against
# the neighbourhood's mean tolerates (its ringing stays under the local mean); chosen on the failing
# frames of seeds 15-18 among 1.6-2.4 px and 0.02-0.1, checked on seeds 19 and 20
_THRESHOLDED_DEFOCUS_PX = 2.0
_THRESHOLDED_DEFOCUS_NOISE = 0.02


@dataclasses.dataclass(frozen=True)
class Symbol:
    """raw is the payload's bytes; declared its text when the code names its character set by ECI
    (None otherwise: the gate then guesses it from raw)."""

    raw: bytes
    format: Symbology
    declared: str | None = None


class Decoder(Protocol):
    name: str

    def read(self, gray: Image) -> list[Symbol]: ...

    def unread(self, gray: Image) -> list[Image]:
        """Crops of gray around QR codes the decoder found but could not read, largest first."""
        ...


class ZxingDecoder:
    """zxing-cpp for QR, CODE 128 and EAN-13; it also tries rotated and inverted codes itself. Its
    text comes in the ECI protocol's form (as hex, the one lossless form it offers) so the declared
    character sets are honoured; its own guess for codes without one is not used (charset.py)."""

    name = "zxing-cpp"

    def __init__(self) -> None:
        import zxingcpp
        self._zxing = zxingcpp
        self._formats = {zxingcpp.BarcodeFormat.QRCode: Symbology.QR,
                         zxingcpp.BarcodeFormat.Code128: Symbology.CODE128,
                         zxingcpp.BarcodeFormat.EAN13: Symbology.EAN13}

    def read(self, gray: Image) -> list[Symbol]:
        """QR codes, or when there are none the linear codes: a frame holding both gives its QR
        codes only. The linear readers scan every row both ways, 80 % of a 1280x720 frame's read
        (11 ms of 13 at load 8); a frame a QR code is read in no longer pays for them."""
        qr, *linear = self._formats
        return self._read(gray, [qr]) or self._read(gray, linear)

    def _read(self, gray: Image, formats: list[Any]) -> list[Symbol]:
        # zxing-cpp 3 takes a list (its `|` of formats is deprecated); its type stubs still ask for the `|`
        found = self._zxing.read_barcodes(gray, formats=formats,  # type: ignore[arg-type]
                                          text_mode=self._zxing.TextMode.HexECI)
        return [Symbol(code.bytes, self._formats.get(code.format, Symbology.UNKNOWN),
                       declared_text(bytes.fromhex(code.text))) for code in found]

    def unread(self, gray: Image) -> list[Image]:
        found = self._zxing.read_barcodes(gray, formats=[self._zxing.BarcodeFormat.QRCode],  # type: ignore[arg-type]
                                          return_errors=True)
        spots = []
        for code in found:
            if code.valid:
                continue
            corners = code.position
            xs = [corners.top_left.x, corners.top_right.x, corners.bottom_right.x, corners.bottom_left.x]
            ys = [corners.top_left.y, corners.top_right.y, corners.bottom_right.y, corners.bottom_left.y]
            margin = int(_SPOT_MARGIN * max(max(xs) - min(xs), max(ys) - min(ys)))
            spots.append(gray[max(0, min(ys) - margin):max(ys) + margin, max(0, min(xs) - margin):max(xs) + margin])
        return sorted(spots, key=lambda spot: -spot.size)[:_SPOTS]


class ZbarDecoder:
    """pyzbar for QR, CODE-128 and EAN-13, the image and its inverse (zbar reads no light-on-dark
    code). zbar hands over text it has already transcoded by its own charset guess, so Chinese
    codes without an ECI header may come out garbled: one more reason zxing-cpp comes first."""

    name = "pyzbar"

    def __init__(self) -> None:
        from pyzbar import pyzbar
        self._pyzbar = pyzbar
        self._formats = {pyzbar.ZBarSymbol.QRCODE: Symbology.QR, pyzbar.ZBarSymbol.CODE128: Symbology.CODE128,
                         pyzbar.ZBarSymbol.EAN13: Symbology.EAN13}
        self._by_name = {symbol.name: symbology for symbol, symbology in self._formats.items()}

    def read(self, gray: Image) -> list[Symbol]:
        found = self._pyzbar.decode(gray, symbols=list(self._formats)) \
            or self._pyzbar.decode(255 - gray, symbols=list(self._formats))
        return [Symbol(code.data, self._by_name.get(code.type, Symbology.UNKNOWN)) for code in found]

    def unread(self, gray: Image) -> list[Image]:
        return []           # zbar tells nothing of codes it cannot read


def default_decoder() -> Decoder:
    try:
        return ZxingDecoder()
    except ImportError:
        log.warning("zxing-cpp is not installed: decoding with pyzbar, which reads fewer codes")
        return ZbarDecoder()


def _block_contrast(gray: Image) -> Image:
    """Each block's standard deviation over its mean grey level (plus a dark floor), on the
    half-size frame: well under a millisecond at 1280x720."""
    import cv2
    import numpy as np
    small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA).astype(np.float32)
    rows, cols = max(1, small.shape[0] // _CONTRAST_BLOCK), max(1, small.shape[1] // _CONTRAST_BLOCK)
    # whole blocks only: OpenCV averages a whole number of pixels a block far faster
    small = small[:rows * _CONTRAST_BLOCK, :cols * _CONTRAST_BLOCK]
    mean = cv2.resize(small, (cols, rows), interpolation=cv2.INTER_AREA)
    square = cv2.resize(small * small, (cols, rows), interpolation=cv2.INTER_AREA)
    return np.sqrt(np.maximum(square - mean * mean, 0)) / (mean + _CONTRAST_FLOOR)


def likely_code(gray: Image) -> bool:
    """Whether any part of gray has a code's local contrast, so that retries are worth their time:
    an empty counter, what the camera sees most of the time, would otherwise take the whole frame
    budget in retries."""
    return bool(_block_contrast(gray).max() >= _CODE_CONTRAST)


def _contrast_spot(gray: Image, most: int) -> tuple[slice, slice]:
    """Rows and columns of gray around the blocks with at least half the frame's highest contrast
    (a code's, where there is one), a block's margin each side; at most `most` pixels each way,
    from half of that before the block of highest contrast."""
    import numpy as np
    contrast = _block_contrast(gray)
    rows, cols = np.nonzero(contrast >= contrast.max() / 2)
    peak_row, peak_col = np.unravel_index(np.argmax(contrast), contrast.shape)
    side = 2 * _CONTRAST_BLOCK

    def span(first: int, last: int, peak: int) -> slice:
        start = max(0, (first - 1) * side, peak * side - most // 2)
        return slice(start, min((last + 2) * side, start + most))

    return span(int(rows.min()), int(rows.max()), int(peak_row)), span(int(cols.min()), int(cols.max()), int(peak_col))


# -- retries: each returns the image to decode again, or None when it has nothing to add -----------

def _smoothed(gray: Image) -> Image:
    """Moiré from phone screens and sensor noise: blur away the pixel grid, then binarise (Otsu)."""
    import cv2
    return cv2.threshold(cv2.GaussianBlur(gray, (0, 0), 1.5), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]


def _equalised(gray: Image) -> Image:
    """Dim halls and washed-out screens: spread a narrow range of grey over the whole range."""
    import cv2
    return cv2.equalizeHist(gray)


def _thresholded(gray: Image) -> Image:
    """Glare and over-exposure: a lamp's reflection leaves the dark modules under it a few grey
    levels below the clipped white ones, too few for the decoder's own threshold; each pixel
    against its neighbourhood's mean (a module's few widths) brings them back."""
    import cv2
    return cv2.adaptiveThreshold(cv2.GaussianBlur(gray, (0, 0), 1.0), 255, cv2.ADAPTIVE_THRESH_MEAN_C,
                                 cv2.THRESH_BINARY, _THRESHOLD_BLOCK, 2)


def _sharpened(gray: Image) -> Image:
    """Out of focus (a code held too close): an unsharp mask steepens the blurred module edges."""
    import cv2
    return cv2.addWeighted(gray, 2.5, cv2.GaussianBlur(gray, (0, 0), 2.5), -1.5, 0)


@functools.cache
def _deconvolution_kernel(defocus_px: float, noise: float) -> Image:
    """One axis of a Wiener filter for a Gaussian defocus, as a short spatial kernel (three times the
    defocus each side): the Gaussian is separable, so two passes of 11-13 taps take about a
    millisecond a 1280x720 frame where filtering the whole frame through a Fourier transform took
    30-80 ms."""
    import numpy as np
    size, taps = 256, int(6 * defocus_px) | 1
    blur = np.exp(-2 * np.pi ** 2 * defocus_px ** 2 * np.fft.fftfreq(size) ** 2)
    response = np.fft.fftshift(np.real(np.fft.ifft(blur / (blur ** 2 + noise))))
    kernel = response[size // 2 - taps // 2:size // 2 + taps // 2 + 1].astype(np.float32)
    return kernel / kernel.sum()


def _deconvolved(gray: Image, defocus_px: float = _DEFOCUS_PX, noise: float = _DEFOCUS_NOISE) -> Image:
    """Defocus under glare or moiré, where an unsharp mask steepens the edges too little: undoing
    the blur itself (Wiener deconvolution) brings back modules a pixel or two wide."""
    import cv2
    kernel = _deconvolution_kernel(defocus_px, noise)
    return cv2.sepFilter2D(gray, cv2.CV_8U, kernel, kernel, borderType=cv2.BORDER_REPLICATE)


def _deconvolved_thresholded(gray: Image) -> Image:
    """Defocus with glare, both at once: the deconvolved frame against its neighbourhood's mean, as
    `thresholded` does for glare alone (no blur first: it would undo the deconvolution)."""
    import cv2
    deconvolved = _deconvolved(gray, _THRESHOLDED_DEFOCUS_PX, _THRESHOLDED_DEFOCUS_NOISE)
    return cv2.adaptiveThreshold(deconvolved, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY,
                                 _THRESHOLD_BLOCK, 2)


def _moire_removed(gray: Image, spot_px: int = _MOIRE_SPOT_PX,
                   defocus: tuple[float, float, float] | None = None) -> Image:
    """A screen's pixel grid beating with the sensor's leaves stripes a few pixels apart over the
    code, too close to its modules' size for smoothing to part them: around the part of the frame
    with the most contrast, enlarged twice, the strongest frequency with such a period is cut out
    of its Fourier transform (the whole frame took 30-80 ms). With defocus_px, the blur is undone
    in the same transform: defocus is its width in pixels, the noise-to-signal ratio of the Wiener
filter that undoes it (as `deconvolved` does with a short kernel) and the width of a Gaussian
that smooths what the filter amplified (in pixels of the enlarged spot)."""
    import cv2
    import numpy as np
    rows, cols = _contrast_spot(gray, spot_px)
    spot = cv2.resize(gray[rows, cols], None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC).astype(np.float32)
    spectrum = np.fft.rfft2(spot)
    fy = np.fft.fftfreq(spot.shape[0])[:, None]
    fx = np.fft.rfftfreq(spot.shape[1])[None, :]
    radius = np.sqrt(fx ** 2 + fy ** 2)
    shortest, longest = 2 * _MOIRE_PERIOD_PX[0], 2 * _MOIRE_PERIOD_PX[1]      # in the enlarged spot
    band = (radius >= 1 / longest) & (radius <= 1 / shortest)
    peak = np.unravel_index(np.argmax(np.where(band, np.abs(spectrum), 0)), spectrum.shape)
    peak_y, peak_x = fy[peak[0], 0], fx[0, peak[1]]
    for sign in (1, -1):        # the peak and its mirror image (in the half-plane where it falls there)
        distance = ((fy - sign * peak_y) * spot.shape[0]) ** 2 + ((fx - sign * peak_x) * spot.shape[1]) ** 2
        spectrum *= 1 - np.exp(-distance / (2 * _MOIRE_NOTCH ** 2))
    if defocus is not None:
        defocus_px, noise, smoothing_px = defocus
        blur = np.exp(-2 * np.pi ** 2 * (2 * defocus_px) ** 2 * radius ** 2)    # twice as wide enlarged
        spectrum *= blur / (blur ** 2 + noise) * np.exp(-2 * np.pi ** 2 * smoothing_px ** 2 * radius ** 2)
    stripped = np.fft.irfft2(spectrum, s=spot.shape)
    return cv2.normalize(stripped, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)


def _moire_deconvolved(gray: Image) -> Image:
    """Moiré, defocus and glare together: the stripes and the blur both stand between the decoder
    and the modules (each of the two retries alone reads few such frames), so both are undone in
    one Fourier transform of a wider spot."""
    return _moire_removed(gray, _MOIRE_DEFOCUS_SPOT_PX, _MOIRE_DEFOCUS)


def _moire_deconvolved_harder(gray: Image) -> Image:
    """The same for a wider defocus, undone with almost no regard for noise and then smoothed."""
    return _moire_removed(gray, _MOIRE_DEFOCUS_SPOT_PX, _MOIRE_DEFOCUS_HARDER)


def _deskewed(gray: Image) -> Image | None:
    """Tilted receipts: a linear barcode reads only near 0° or 90°, so turn the frame by the
    dominant edge direction (bars and the receipt's print share it)."""
    import cv2
    import numpy as np
    small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    magnitude, angle = cv2.cartToPolar(cv2.Sobel(small, cv2.CV_32F, 1, 0), cv2.Sobel(small, cv2.CV_32F, 0, 1),
                                       angleInDegrees=True)
    bins = (angle.ravel() % 180 // 5).astype(np.int64)
    peak = float(np.argmax(np.bincount(bins, weights=magnitude.ravel(), minlength=36))) * 5 + 2.5
    skew = (peak + 45) % 90 - 45                     # the tilt away from the nearest right angle
    if abs(skew) < _SKEW_TOLERANCE:
        return None
    height, width = gray.shape[:2]
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), skew, 1.0)
    cos, sin = abs(turn[0, 0]), abs(turn[0, 1])
    size = (int(width * cos + height * sin), int(width * sin + height * cos))
    turn[0, 2] += (size[0] - width) / 2
    turn[1, 2] += (size[1] - height) / 2
    return cv2.warpAffine(gray, turn, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def _enlarged(gray: Image) -> Image | None:
    """Small codes (a phone held far away, a code on an ID-sized card): twice the pixels per module."""
    import cv2
    if gray.shape[0] * gray.shape[1] > _ENLARGE_MAX_PIXELS:
        return None
    return cv2.resize(gray, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)


# cheapest first; each reads frames on the corpus, the hard set (devices/scanner/synthetic.py) or the
# camera-fault set (degraded.py) that the decoder alone and the retries before it cannot. The
# deconvolutions come last although they are cheap: they read only camera-fault frames, and ahead
# of deskewing and enlarging they left the camera's budget too short, on the first frame, for
# corpus frames that read later in the round (128 of 137 read instead of 130 in bench.qr). The two
# moiré deconvolutions, the slowest (8.5 ms of CPU each), come last for the same reason;
# even there a frame cut off in them starts the next frame's retries in them (docs/qr.md).
RETRIES: tuple[tuple[str, Callable[[Image], Image | None]], ...] = (
    ("smoothed", _smoothed),
    ("equalised", _equalised),
    ("thresholded", _thresholded),
    ("sharpened", _sharpened),
    ("deskewed", _deskewed),
    ("enlarged", _enlarged),
    ("deconvolved", _deconvolved),
    ("deconvolved_thresholded", _deconvolved_thresholded),
    ("moire_removed", _moire_removed),
    ("moire_deconvolved", _moire_deconvolved),
    ("moire_deconvolved_harder", _moire_deconvolved_harder),
)


def second_opinion(spot: Image) -> list[Symbol]:
    """Labels wrapped round a curved or wrinkled surface, whose module grid no longer follows a
    perspective: where zxing-cpp found a code it could not read, OpenCV's curved-surface decoder
    and zbar try that spot alone (each reads codes of the corpus that the other and zxing-cpp do
    not; on the whole frame OpenCV's costs about 250 ms, on the spot 20-40). Their text is
    already transcoded by their own charset rules, so it is passed on as declared."""
    import cv2
    try:
        text = cv2.QRCodeDetector().detectAndDecodeCurved(spot)[0]
    except cv2.error:           # it gives up on some spots by raising (a flood fill seeded outside)
        text = ""
    if text:
        return [Symbol(text.encode("utf-8"), Symbology.QR, text)]
    try:
        from pyzbar import pyzbar
    except ImportError:         # libzbar missing: OpenCV's opinion alone
        return []
    return [Symbol(code.data, Symbology.QR, code.data.decode("utf-8", "replace"))
            for code in pyzbar.decode(spot, symbols=[pyzbar.ZBarSymbol.QRCODE])]


@dataclasses.dataclass(frozen=True)
class Decoded:
    symbols: list[Symbol]
    step: str | None        # what found them: "plain" or a retry's name; None when nothing did
    seconds: float


def to_gray(image: Image) -> Image:
    """Camera frames are BGR; files are read as grey already."""
    import cv2
    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


class Pipeline:
    """Decodes one frame: the decoder on it as it is, then, when something in it looks like a code,
    retries until one finds a code, the last of them second opinions on codes the decoder saw but
    could not read.

    Keeps where the last over-budget frame stopped, so use one pipeline per camera.
    """

    def __init__(self, decoder: Decoder | None = None,
                 retries: tuple[tuple[str, Callable[[Image], Image | None]], ...] | None = None,
                 second_opinions: bool = True) -> None:
        self.decoder = decoder or default_decoder()
        # other retries and no second opinions: the pipeline before issue 15, in bench.qr
        self.retries = RETRIES if retries is None else retries
        self.second_opinions = second_opinions
        self._next_retry = 0

    def decode(self, image: Image, budget_s: float | None = None) -> Decoded:
        """Every retry when budget_s is None; else no retry starts once budget_s has passed, but
        one always runs, so retries go round even where the decoder alone takes the whole budget."""
        started = time.perf_counter()
        gray = to_gray(image)
        symbols = self.decoder.read(gray)
        if symbols:
            return Decoded(symbols, "plain", time.perf_counter() - started)
        if not likely_code(gray):
            return Decoded([], None, time.perf_counter() - started)
        if budget_s is None:
            self._next_retry = 0
        steps = len(self.retries) + self.second_opinions      # the second opinion goes round last
        for _ in range(steps):
            at, self._next_retry = self._next_retry, (self._next_retry + 1) % steps
            name, symbols = self._step(at, gray)
            if symbols:
                self._next_retry = 0
                return Decoded(symbols, name, time.perf_counter() - started)
            if budget_s is not None and time.perf_counter() - started > budget_s:
                break
        return Decoded([], None, time.perf_counter() - started)

    def _step(self, at: int, gray: Image) -> tuple[str, list[Symbol]]:
        if at == len(self.retries):
            for spot in self.decoder.unread(gray):
                symbols = second_opinion(spot)
                if symbols:
                    return "second_opinion", symbols
            return "second_opinion", []
        name, retry = self.retries[at]
        prepared = retry(gray)
        return name, self.decoder.read(prepared) if prepared is not None else []
