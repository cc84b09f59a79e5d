// JSON API client: bearer token from IndexedDB, the UI language in Accept-Language, timeouts.
// Never throws for HTTP or network trouble: returns {status, body, headers}, status 0 offline.

import { getDevice } from "./db.js";
import { getLang } from "./i18n.js";

let lastOk = null;
/** Whether the last request reached the server (null before any); the status bar shows it. */
export const reachable = () => lastOk;

export async function request(method, path, { body, token, timeout = 20000, headers = {} } = {}) {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeout);
  const h = { Accept: "application/json", "Accept-Language": getLang(), ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (body !== undefined) h["Content-Type"] = "application/json";
  try {
    const res = await fetch(path, {
      method, headers: h, body: body === undefined ? undefined : JSON.stringify(body),
      signal: ctrl.signal, cache: "no-store", credentials: "omit",
    });
    let data = null;
    if (res.status !== 204 && res.status !== 304) {
      try {
        data = await res.json();
      } catch {
        data = null;
      }
    }
    lastOk = true;
    return { status: res.status, body: data, headers: res.headers };
  } catch {
    lastOk = false;
    return { status: 0, body: null, headers: new Headers() };
  } finally {
    clearTimeout(timer);
  }
}

/** A request with this device's token. */
export async function authed(method, path, options = {}) {
  const device = await getDevice();
  return request(method, path, { ...options, token: device ? device.token : null });
}

/** The `api` object the sync loop expects. */
export const api = {
  post: (path, body) => authed("POST", path, { body, timeout: 60000 }),
};
