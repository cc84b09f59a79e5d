// Classic worker: decodes QR codes off the main thread, so the camera preview stays smooth on a
// cheap phone. zxing-wasm (zxing-cpp in WebAssembly, vendored, its .wasm served by the app and
// cached by the service worker) reads far more worn, dim and glared slips than jsQR at a sixth
// of its time (docs/benchmarks.md); jsQR stays as the fallback if the WebAssembly cannot start.
/* global jsQR, ZXingWASM */
importScripts("/static/vendor/zxing-wasm/zxing-reader.js", "/static/vendor/jsqr/jsQR.js");

const WASM_URL = "/static/vendor/zxing-wasm/zxing_reader.wasm";

// Successive frames take turns with a different binarisation: a local threshold copes with
// shadow and glare, a global histogram with blur and faint print. A slip held in view for
// half a second has been tried with each.
const PASSES = [
  { binarizer: "LocalAverage" },
  { binarizer: "GlobalHistogram" },
  { binarizer: "LocalAverage", tryDenoise: true },
];
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

async function readZxing(pixels, width, height, attempt) {
  const options = { ...BASE, ...PASSES[attempt % PASSES.length] };
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
  let text = null;
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
