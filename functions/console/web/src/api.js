// The console reads and writes through the same REST APIs as every client, with the same bearer token.

const TOKEN_KEY = 'capstan.token';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(value) {
  if (value) {
    sessionStorage.setItem(TOKEN_KEY, value);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

/** Calls the API; the answer's JSON, or an ApiError with MLflow's error_code and message. */
export async function call(method, path, body) {
  const headers = {Accept: 'application/json'};
  if (token()) {
    headers.Authorization = 'Bearer ' + token();
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
  } catch (e) {
    throw new ApiError(0, 'UNREACHABLE', 'The Capstan API cannot be reached: ' + e.message);
  }
  const text = await response.text();
  let json = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch (e) {
    json = {message: text};
  }
  if (!response.ok) {
    throw new ApiError(response.status, json.error_code || 'HTTP_' + response.status,
      json.message || response.statusText);
  }
  return json;
}

/** A file the API serves (an artifact, a report), with the viewer's token; an Error naming the status if refused. */
export async function fetchBlob(path) {
  const response = await fetch(path, {headers: token() ? {Authorization: 'Bearer ' + token()} : {}});
  if (!response.ok) {
    throw new Error(`HTTP ${response.status} for ${path}`);
  }
  return response.blob();
}

export const get = (path, params = {}) => {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  return call('GET', query.toString() ? `${path}?${query}` : path);
};
export const post = (path, body) => call('POST', path, body);

export const MLFLOW = '/api/2.0/mlflow';
export const CAPSTAN = '/api/2.0/capstan';
