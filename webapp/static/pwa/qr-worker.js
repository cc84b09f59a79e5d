// Classic worker: decodes QR codes off the main thread, so the camera preview stays smooth on a
// cheap phone. zxing-wasm (zxing-cpp in WebAssembly, vendored, its .wasm served by the app and
// cached by the service worker) reads far more worn, dim and glared slips than jsQR at a sixth
// of its time (docs/benchmarks.md); jsQR stays as the fallback if the WebAssembly cannot start.
/* global jsQR, ZXingWASM */
// Relative to this worker's own URL: they stay under its versioned prefix (/static/v/<version>/,
// webapp/ops/assets.py), cached for a year and by the service worker.
importScripts("../vendor/zxing-wasm/zxing-reader.js", "../vendor/jsqr/jsQR.js");

const WASM_URL = new URL("../vendor/zxing-wasm/zxing_reader.wasm", self.location.href).href;

// Successive frames take turns with a different binarisation: a local threshold copes with
// shadow, a global histogram with blur and faint print, and a local contrast stretch first
// (`stretch`) with glare and the soft edge of a shadow, where zxing's own binariser sees too
// little contrast; every fourth frame goes to jsQR. A slip held in view for about 0.7 s has
// been tried with each.
const PASSES = [
  { binarizer: "LocalAverage" },
  { binarizer: "GlobalHistogram" },
  { binarizer: "FixedThreshold", stretch: true },
  { jsqr: true }, // jsQR samples a wavy (folded) slip's grid better than zxing does
];
const STRETCH_RADIUS = 12; // pixels: a few modules of a slip held at arm's length
const BASE = { formats: ["QRCode"], tryHarder: true, tryRotate: true, tryInvert: false, tryDownscale: true,
  maxNumberOfSymbols: 1 };

let zxing = null; // a promise of true once the module is ready, false if it failed
function zxingReady() {
  if (!zxing) {
    zxing = (async () => {
      try {
        await ZXingWASM.prepareZXingModule({
          overrides: { locateFile: (path, prefix) => (path.endsWith(".wasm") ? WASM_URL : prefix + path) },
          fireImmediately: true,
        });
        return true;
      } catch {
        return false;
      }
    })();
  }
  return zxing;
}

/** Grey levels stretched around their local mean by their local spread (integral images), so
 * faint modules under glare or in a shadow's edge come out black and white. In place, RGBA. */
function stretch(pixels, width, height, r = STRETCH_RADIUS) {
  const n = width * height;
  const grey = new Float32Array(n);
  for (let i = 0; i < n; i++) grey[i] = (pixels[4 * i] * 299 + pixels[4 * i + 1] * 587 + pixels[4 * i + 2] * 114) / 1000;
  const w1 = width + 1;
  const sum = new Float64Array(w1 * (height + 1));
  const sq = new Float64Array(w1 * (height + 1));
  for (let y = 0; y < height; y++) {
    let rowSum = 0;
    let rowSq = 0;
    for (let x = 0; x < width; x++) {
      const v = grey[y * width + x];
      rowSum += v;
      rowSq += v * v;
      sum[(y + 1) * w1 + x + 1] = sum[y * w1 + x + 1] + rowSum;
      sq[(y + 1) * w1 + x + 1] = sq[y * w1 + x + 1] + rowSq;
    }
  }
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(height, y + r + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(width, x + r + 1);
      const count = (y1 - y0) * (x1 - x0);
      const s = sum[y1 * w1 + x1] - sum[y0 * w1 + x1] - sum[y1 * w1 + x0] + sum[y0 * w1 + x0];
      const q = sq[y1 * w1 + x1] - sq[y0 * w1 + x1] - sq[y1 * w1 + x0] + sq[y0 * w1 + x0];
      const mean = s / count;
      const spread = Math.sqrt(Math.max(0, q / count - mean * mean));
      const i = y * width + x;
      // A floor on the spread keeps flat paper flat instead of blowing its noise up.
      const v = 128 + (96 * (grey[i] - mean)) / Math.max(spread, 6);
      pixels[4 * i] = pixels[4 * i + 1] = pixels[4 * i + 2] = v;
    }
  }
  return pixels;
}

async function readZxing(pixels, width, height, attempt) {
  const { stretch: wantStretch, jsqr, ...pass } = PASSES[attempt % PASSES.length];
  if (jsqr) return readJsqr(pixels, width, height);
  const options = { ...BASE, ...pass };
  if (wantStretch) stretch(pixels, width, height);
  const results = await ZXingWASM.readBarcodes(new ImageData(pixels, width, height), options);
  const hit = results.find((r) => r.isValid && r.text);
  return hit ? hit.text : null;
}

function readJsqr(pixels, width, height) {
  const code = jsQR(pixels, width, height, { inversionAttempts: "dontInvert" });
  return code ? code.data : null;
}

self.onmessage = async (e) => {
  const { id, buffer, width, height, attempt = 0, engine: wanted } = e.data;
  const pixels = new Uint8ClampedArray(buffer);
  let text;
  let engine = "jsqr";
  try {
    if (wanted !== "jsqr" && (await zxingReady())) {
      engine = "zxing";
      text = await readZxing(pixels, width, height, attempt);
    } else {
      text = readJsqr(pixels, width, height);
    }
  } catch {
    text = null;
  }
  self.postMessage({ id, text, engine, passes: PASSES.length });
};

// Start loading the WebAssembly at once: the first frame should not wait for it.
zxingReady();
