// The camera QR scanner: the native BarcodeDetector where the browser has one (Android Chrome),
// and zxing-wasm in a worker (qr-worker.js) on every frame the native one misses or where there is
// none (jsQR inside the worker if the WebAssembly cannot start). Torch where the camera supports it; a beep and a buzz on each scan.

const FRAME_MS = 160; // ~6 decodes a second: enough at a gate, gentle on a weak CPU
const REPEAT_MS = 2500; // the same slip held in view is reported once
const MAX_WIDTH = 640;

export class Scanner {
  constructor(video, onCode) {
    this.video = video;
    this.onCode = onCode;
    this.stream = null;
    this.track = null;
    this.worker = null;
    this.detector = null;
    this.timer = null;
    this.busy = false;
    this.last = { text: null, at: 0 };
    this.torch = false;
    this.canvas = document.createElement("canvas");
    this.ctx = this.canvas.getContext("2d", { willReadFrequently: true });
    this.pending = new Map();
    this.nextId = 1;
    this.attempt = 0; // successive frames take turns with the worker's binarisations
    this.workerEngine = null; // "zxing" or "jsqr", as the worker answered
  }

  get active() {
    return this.stream !== null;
  }

  /** "native" (BarcodeDetector, with zxing behind it), "zxing" or "jsqr", null when stopped. */
  get engine() {
    if (this.detector) return "native";
    return this.worker ? this.workerEngine || "zxing" : null;
  }

  /** The decoder worker; the benchmark and tests use it without a camera. */
  openWorker() {
    if (this.worker) return this.worker;
    // Beside this module, under the same versioned prefix (webapp/ops/assets.py).
    this.worker = new Worker(new URL("./qr-worker.js", import.meta.url));
    this.worker.onmessage = (e) => {
      this.workerEngine = e.data.engine;
      if (this.video) this.video.dataset.decoder = e.data.engine; // tests read which decoder ran
      const resolve = this.pending.get(e.data.id);
      this.pending.delete(e.data.id);
      if (resolve) resolve(e.data.text);
    };
    return this.worker;
  }

  /** Open the back camera and start decoding. Throws the getUserMedia error. */
  async start() {
    // stop() during the await must win: a start that finishes after it shuts itself down.
    const run = (this.run = (this.run || 0) + 1);
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: "environment" }, width: { ideal: 640 }, height: { ideal: 480 } },
    });
    if (run !== this.run) {
      for (const track of stream.getTracks()) track.stop();
      return;
    }
    this.stream = stream;
    this.track = this.stream.getVideoTracks()[0];
    this.video.srcObject = this.stream;
    this.video.setAttribute("playsinline", "");
    this.video.muted = true;
    try {
      await this.video.play();
    } catch (err) {
      if (run !== this.run) return; // play() aborted by stop()
      throw err;
    }
    if (run !== this.run) return;
    await this.useNative();
    if (run !== this.run) return;
    this.openWorker(); // also behind BarcodeDetector: it misses worn slips that zxing reads
    this.timer = setInterval(() => this.frame(), FRAME_MS);
  }

  async useNative() {
    if (!("BarcodeDetector" in window)) return false;
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (!formats.includes("qr_code")) return false;
      this.detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return true;
    } catch {
      return false;
    }
  }

  /** Whether the camera offers a torch (many cheap phones do, desktop webcams do not). */
  get torchSupported() {
    const caps = this.track && this.track.getCapabilities ? this.track.getCapabilities() : {};
    return Boolean(caps.torch);
  }

  async setTorch(on) {
    if (!this.torchSupported) return false;
    await this.track.applyConstraints({ advanced: [{ torch: Boolean(on) }] });
    this.torch = Boolean(on);
    return true;
  }

  async frame() {
    const v = this.video;
    if (this.busy || !this.stream || v.readyState < 2 || !v.videoWidth) return;
    this.busy = true;
    try {
      const scale = Math.min(1, MAX_WIDTH / v.videoWidth);
      const w = Math.round(v.videoWidth * scale);
      const hgt = Math.round(v.videoHeight * scale);
      let text = null;
      if (this.detector) {
        const found = await this.detector.detect(v);
        text = found.length ? found[0].rawValue : null;
      }
      if (!text && this.worker) {
        this.canvas.width = w;
        this.canvas.height = hgt;
        this.ctx.drawImage(v, 0, 0, w, hgt);
        const img = this.ctx.getImageData(0, 0, w, hgt);
        text = await this.decode(img, this.attempt++);
      }
      const now = Date.now();
      if (!this.stream) return; // stopped while decoding: no check-in after "Berhenti"
      if (text && !(text === this.last.text && now - this.last.at < REPEAT_MS)) {
        this.last = { text, at: now };
        this.onCode(text);
      } else if (text) {
        this.last.at = now;
      }
    } catch {
      // One bad frame is not worth stopping the scanner for.
    } finally {
      this.busy = false;
    }
  }

  /** Decode one ImageData in the worker (its pixels are handed over); the text or null.
   * `attempt` picks the binarisation; `engine: "jsqr"` forces the fallback (benchmark baseline). */
  decode(img, attempt = 0, engine = undefined) {
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.pending.set(id, resolve);
      this.worker.postMessage({ id, buffer: img.data.buffer, width: img.width, height: img.height, attempt, engine },
        [img.data.buffer]);
    });
  }

  stop() {
    this.run = (this.run || 0) + 1;
    clearInterval(this.timer);
    this.timer = null;
    if (this.stream) for (const track of this.stream.getTracks()) track.stop();
    this.stream = null;
    this.track = null;
    this.video.srcObject = null;
    if (this.worker) this.worker.terminate();
    this.worker = null;
    this.detector = null;
    this.workerEngine = null;
    for (const resolve of this.pending.values()) resolve(null);
    this.pending.clear();
  }
}

let audio = null;

/** Create the AudioContext inside a user gesture (autoplay rules), once. */
export function unlockAudio() {
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!audio && Ctx) audio = new Ctx();
  if (audio && audio.state === "suspended") audio.resume();
}

/** A short beep: "ok" high, "warn" two mid tones, "error" low. */
export function beep(kind = "ok") {
  if (!audio) return;
  const tones = { ok: [[1046, 0, 0.12]], warn: [[660, 0, 0.12], [660, 0.18, 0.12]], error: [[220, 0, 0.35]] }[kind] || [];
  for (const [freq, start, length] of tones) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = freq;
    osc.type = "square";
    gain.gain.value = 0.08;
    osc.connect(gain).connect(audio.destination);
    osc.start(audio.currentTime + start);
    osc.stop(audio.currentTime + start + length);
  }
}

/** Vibrate where the phone can: one pulse for ok, a pattern for a problem. */
export function buzz(kind = "ok") {
  if (navigator.vibrate) navigator.vibrate(kind === "ok" ? 80 : [120, 80, 120]);
}
