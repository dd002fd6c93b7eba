// The guide's API-client pattern: fetch() with the Bearer header and
// 'Content-Type: application/json' (not a CORS-safelisted request, so the
// browser sends a preflight OPTIONS first). ?api= plays VITE_API_URL,
// e.g. http://127.0.0.1:8080/api; ?email= names the account to create.
'use strict';

const params = new URLSearchParams(window.location.search);
const baseUrl = params.get('api');
const email = params.get('email');
const password = 'correct horse battery staple';

const apiUrl = (path) => `${baseUrl}${path}`;

async function request(path, { method = 'GET', token, body } = {}) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) {
    headers.Authorization = `Bearer ${token}`;
  }
  const response = await fetch(apiUrl(path), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

// Each step's outcome goes into the DOM: <li data-step="..." data-outcome="{json}">.
function record(step, outcome) {
  const item = document.createElement('li');
  item.dataset.step = step;
  item.dataset.outcome = JSON.stringify(outcome);
  item.textContent = `${step}: ${outcome.error || outcome.status}`;
  document.getElementById('steps').append(item);
}

// Runs one call; records its status (and the error code, or a summary of the
// data); stops the walk on a network failure or a status other than `expected`.
async function step(name, expected, send, summarise = () => ({})) {
  let reply;
  try {
    reply = await send();
  } catch (error) {
    // A CORS refusal surfaces only as this: "TypeError: Failed to fetch".
    record(name, { error: String(error) });
    throw error;
  }
  const { status, body } = reply;
  const failed = body && body.success === false;
  record(name, { status, ...(failed ? { code: body.error.code } : summarise(body)) });
  if (status !== expected) {
    throw new Error(`${name}: expected ${expected}, got ${status}`);
  }
  return body;
}

async function drawnPng() {
  const canvas = document.createElement('canvas');
  canvas.width = 800;
  canvas.height = 600;
  const context = canvas.getContext('2d');
  context.fillStyle = '#1e90ff';
  context.fillRect(0, 0, 800, 600);
  context.fillStyle = '#ffd700';
  context.fillRect(200, 150, 400, 300);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}

async function uploadAvatar(token) {
  const form = new FormData();
  form.append('avatar', await drawnPng(), 'avatar.png');
  const response = await fetch(apiUrl('/v5/auth/me/avatar'), {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: response.status, body: await response.json() };
}

// Loads the avatar in an <img> on this page (another origin than the API's).
function showImage(avatarUrl) {
  return new Promise((resolve) => {
    const image = document.createElement('img');
    image.id = 'avatar';
    image.alt = 'avatar';
    image.onload = () => resolve({
      status: 200,
      body: { width: image.naturalWidth, height: image.naturalHeight, src: image.src },
    });
    image.onerror = () => resolve({ status: 0, body: { error: 'the image did not load' } });
    image.src = new URL(avatarUrl, baseUrl).href;
    document.body.append(image);
  });
}

async function main() {
  document.getElementById('api').textContent = baseUrl;
  const account = { email, password, firstName: 'Brow', lastName: 'Ser', company: 'ACME Corp' };
  const registered = await step(
    'register',
    201,
    () => request('/v5/auth/register', { method: 'POST', body: account }),
    (body) => ({ email: body.data.user.email }),
  );
  const loggedIn = await step(
    'login',
    200,
    () => request('/v5/auth/login', { method: 'POST', body: { email, password } }),
    (body) => ({ sameUser: body.data.user.id === registered.data.user.id }),
  );
  const token = loggedIn.data.token;
  const created = await step(
    'create-session',
    201,
    () => request('/v5/sessions', {
      method: 'POST',
      token,
      body: { name: 'My Project', workspacePath: '/workspace/projects/my-project' },
    }),
    (body) => ({ id: body.data.id }),
  );
  await step(
    'list-sessions',
    200,
    () => request('/v5/sessions', { token }),
    (body) => ({ ids: body.data.map((session) => session.id) }),
  );
  await step(
    'get-session',
    200,
    () => request(`/v5/sessions/${created.data.id}`, { token }),
    (body) => ({ name: body.data.name }),
  );
  // Workspace files (issue 11): a raw upload, create-only, then read back with
  // the ETag the API exposes to cross-origin code.
  const filesUrl = apiUrl(`/v5/sessions/${created.data.id}/files/notes/hello.txt`);
  const uploaded = await step(
    'upload-file',
    201,
    async () => {
      const response = await fetch(filesUrl, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/plain', 'If-None-Match': '*' },
        body: 'hello from another origin',
      });
      return { status: response.status, body: await response.json() };
    },
    (body) => ({ size: body.data.size, etag: body.data.etag }),
  );
  await step(
    'read-file',
    200,
    async () => {
      const response = await fetch(filesUrl, { headers: { Authorization: `Bearer ${token}` } });
      const text = await response.text();
      return { status: response.status, body: { text, etag: response.headers.get('ETag') } };
    },
    (body) => ({ text: body.text, sameEtag: body.etag === uploaded.data.etag }),
  );
  // Organisations (issue 10): create one, switch to it, see its (empty) sessions.
  const organisation = await step(
    'create-organization',
    201,
    () => request('/v5/tenants', { method: 'POST', token, body: { name: 'Acme' } }),
    (body) => ({ kind: body.data.kind, role: body.data.role }),
  );
  const switched = await step(
    'switch-tenant',
    200,
    () => request('/v5/auth/switch-tenant', {
      method: 'POST',
      token,
      body: { tenantId: organisation.data.id },
    }),
    (body) => ({ role: body.data.user.role }),
  );
  await step(
    'list-organization-sessions',
    200,
    () => request('/v5/sessions', { token: switched.data.token }),
    (body) => ({ ids: body.data.map((session) => session.id) }),
  );
  // Issue 9: the profile (PATCH, so a preflight naming it), then an avatar drawn on a
  // canvas, uploaded as FormData (the browser writes the multipart body and its
  // boundary) and shown in an <img> loaded from the API's origin.
  await step(
    'update-profile',
    200,
    () => request('/v5/auth/me', { method: 'PATCH', token, body: { firstName: 'Browsy' } }),
    (body) => ({ name: body.data.name }),
  );
  const avatar = await step('upload-avatar', 200, () => uploadAvatar(token), (body) => ({
    avatarUrl: body.data.avatarUrl,
  }));
  await step('show-avatar', 200, () => showImage(avatar.data.avatarUrl), (body) => body);
  await step('logout', 200, () => request('/v5/auth/logout', { method: 'POST', token }));
  await step('after-logout', 401, () => request('/v5/sessions', { token }));
}

main()
  .then(() => { document.getElementById('status').textContent = 'finished'; })
  .catch(() => { document.getElementById('status').textContent = 'stopped'; })
  .finally(() => { document.body.dataset.done = 'true'; });
