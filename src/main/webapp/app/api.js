// The REST API (/api, the spec's envelope) and the login session kept in sessionStorage.
import { ApiError } from './errors.js';

const SESSION_KEY = 'sipgw.session';

/** Reads the JWT's payload (no verification: the server does that) to learn the user's groups. */
function tokenClaims(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload.padEnd(payload.length + ((4 - (payload.length % 4)) % 4), '=')));
  } catch {
    return {};
  }
}

export class Api {
  /** @param onAuthLost called with the ApiError when an authenticated request answers 401 */
  constructor(onAuthLost) {
    this.onAuthLost = onAuthLost;
    this.session = Api.loadSession();
  }

  static loadSession() {
    try {
      return JSON.parse(sessionStorage.getItem(SESSION_KEY)) ?? null;
    } catch {
      return null;
    }
  }

  /** Keeps only the token and what it says about the user: never the password. */
  setSession(login) {
    const claims = tokenClaims(login.token);
    this.session = {
      token: login.token,
      userId: login.userId,
      displayName: login.displayName,
      sipUri: login.sipUri ?? null, // the URI logged in with: its host and port complete a dialled number
      expiresAt: Date.now() + login.expiresIn * 1000,
      isAdmin: Array.isArray(claims.groups) && claims.groups.includes('admin'),
    };
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(this.session));
    return this.session;
  }

  clearSession() {
    this.session = null;
    sessionStorage.removeItem(SESSION_KEY);
  }

  /** Sends a request; answers the envelope, throws ApiError for any failure. */
  async request(method, path, body, { auth = true } = {}) {
    const headers = { Accept: 'application/json' };
    const init = { method, headers };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const token = auth ? this.session?.token : null;
    if (token) headers.Authorization = `Bearer ${token}`;
    let response;
    try {
      response = await fetch(`/api${path}`, init);
    } catch (e) {
      throw new ApiError(0, 'NETWORK', e.message);
    }
    let envelope = null;
    try {
      envelope = await response.json();
    } catch {
      // not JSON: a proxy's page or an empty body
    }
    if (!response.ok || !envelope || envelope.success === false) {
      const e = envelope?.error;
      const error = new ApiError(response.status, e?.code ?? `HTTP_${response.status}`, e?.message ?? response.statusText, e?.details);
      if (auth && response.status === 401 && token && token === this.session?.token) this.onAuthLost(error);
      throw error;
    }
    return envelope;
  }

  get(path) {
    return this.request('GET', path);
  }

  post(path, body) {
    return this.request('POST', path, body);
  }

  put(path, body) {
    return this.request('PUT', path, body);
  }

  delete(path) {
    return this.request('DELETE', path);
  }

  async login(sipUri, password) {
    const envelope = await this.request('POST', '/auth/login', { sipUri, password }, { auth: false });
    return this.setSession({ ...envelope.data, sipUri });
  }
}

/** Query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
