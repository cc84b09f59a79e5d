// Classic worker: decodes QR codes with the vendored jsQR (it reads the whole frame) off the
// main thread, so the camera preview stays smooth on a cheap phone.
/* global jsQR */
importScripts("/static/vendor/jsqr/jsQR.js");

self.onmessage = (e) => {
  const { id, buffer, width, height } = e.data;
  let text;
  try {
    const code = jsQR(new Uint8ClampedArray(buffer), width, height, { inversionAttempts: "dontInvert" });
    text = code ? code.data : null;
  } catch {
    text = null;
  }
  self.postMessage({ id, text });
};
