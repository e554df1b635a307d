// A real OpenID Connect provider (panva's oidc-provider) for the test suite.
//
//   node tests/oidc/provider.mjs <config.json>
//
// The config file gives the port, the clients, the accounts and the ways to log in
// (see tests/oidc_provider.py, which writes it and starts this script). The provider
// listens on 127.0.0.1 only, over plain http, prints exactly one line
// `READY http://127.0.0.1:<port>` to stdout when it accepts connections, and logs
// every request and every provider error event to stderr, one line each.
//
// The login and logout pages are Swedish, accessible and free of scripts. Consent is
// granted automatically, so after the login form the browser goes straight back to
// the client's redirect_uri.

import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

// stdout carries the READY line and nothing else: oidc-provider prints its notices
// with console.info, so everything but that line goes to stderr.
console.log = console.error;
console.info = console.error;
console.warn = console.error;

function oneLine(value) {
  return String(value ?? '').replace(/\s*\n\s*/g, ' | ');
}

function log(message) {
  process.stderr.write(`${oneLine(message)}\n`);
}
process.stderr.on('error', () => {}); // the reader has gone: nothing to log to

const configPath = process.argv[2];
if (!configPath) {
  log('usage: node tests/oidc/provider.mjs <config.json>');
  process.exit(2);
}
const config = JSON.parse(readFileSync(configPath, 'utf8'));
const port = Number(config.port);
const accounts = config.accounts ?? {};
const methods = config.methods ?? {};
const issuer = `http://127.0.0.1:${port}`;

const METHOD_LABELS = { password: 'Lösenord', siths: 'SITHS-kort' };

function methodLabel(name) {
  return methods[name]?.label ?? METHOD_LABELS[name] ?? name;
}

const methodNames = Object.keys(methods);
const defaultMethod = methodNames.includes('password') ? 'password' : methodNames[0];

const clients = (config.clients ?? []).map((client) => ({
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
  ...client,
}));

// A fresh signing key at every start: the ID tokens are only read by this run's tests.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = {
  ...privateKey.export({ format: 'jwk' }), kid: 'samverkan-test-rs256', alg: 'RS256', use: 'sig',
};

// ---------------------------------------------------------------------------- pages

function escapeHtml(value) {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const STYLE = `
  body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 32rem; padding: 0 1rem;
         color: #1a1a1a; background: #fff; line-height: 1.5; }
  label, legend { font-weight: 600; }
  input[type=text] { display: block; font-size: 1rem; padding: .4rem; width: 100%;
                     box-sizing: border-box; border: 1px solid #555; }
  fieldset { margin: 1rem 0; border: 1px solid #555; }
  button { font-size: 1rem; padding: .5rem 1rem; margin: .25rem .5rem .25rem 0; }
  .fel { color: #a00000; font-weight: 600; }
`;

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function clientName(client) {
  return client?.clientName || client?.clientId || '';
}

function loginPage({ uid, client, login = '', method = defaultMethod, error = '' }) {
  const invalid = error ? ' aria-invalid="true" aria-describedby="login-fel"' : '';
  const radios = methodNames.map((name) => {
    const id = `method-${escapeHtml(name)}`;
    const checked = name === method ? ' checked' : '';
    return `<div><input type="radio" id="${id}" name="method" value="${escapeHtml(name)}"${checked}> `
      + `<label for="${id}">${escapeHtml(methodLabel(name))}</label></div>`;
  }).join('\n');
  const who = clientName(client);
  return page(`Logga in – testleverantören${error ? ' (fel)' : ''}`, `
<h1>Logga in hos testleverantören</h1>
${who ? `<p>Tjänsten <strong>${escapeHtml(who)}</strong> vill att du loggar in.</p>` : ''}
${error ? `<p id="login-fel" class="fel" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<div>
<label for="login">Användarnamn</label>
<input type="text" id="login" name="login" value="${escapeHtml(login)}" autocomplete="username" autocapitalize="none" spellcheck="false" required${invalid}>
</div>
<fieldset>
<legend>Sätt att logga in</legend>
${radios}
</fieldset>
<button type="submit">Logga in</button>
</form>`);
}

function errorPage(title, message) {
  return page(`${title} – testleverantören`, `
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>`);
}

// ---------------------------------------------------------------------- configuration

const configuration = {
  clients,
  clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
  async findAccount(ctx, id) {
    if (!Object.hasOwn(accounts, id)) {
      return undefined;
    }
    return {
      accountId: id,
      async claims() {
        return { ...accounts[id], sub: id };
      },
    };
  },
  scopes: ['openid', 'email', 'profile'],
  claims: {
    acr: null,
    auth_time: null,
    iss: null,
    sid: null,
    // acr and amr are only put into the ID token when a scope (or the claims parameter)
    // asks for them, so the openid scope asks for them: every ID token carries the
    // login's acr and amr.
    openid: ['sub', 'acr', 'amr', 'auth_time'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  // Put the scope's claims into the ID token too, not only into the userinfo response.
  conformIdTokenClaims: false,
  acrValues: [...new Set(Object.values(methods).map((m) => m.acr).filter(Boolean))],
  jwks: { keys: [signingKey] },
  cookies: {
    keys: ['samverkan-test-cookie-key-1', 'samverkan-test-cookie-key-2'],
    // Plain http on loopback: the cookies must not be marked Secure.
    long: { httpOnly: true, sameSite: 'lax', secure: false },
    short: { httpOnly: true, sameSite: 'lax', secure: false },
  },
  features: {
    devInteractions: { enabled: false },
    userinfo: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        const who = clientName(ctx.oidc.client);
        ctx.type = 'html';
        ctx.body = page('Logga ut – testleverantören', `
<h1>Logga ut</h1>
<p>Vill du logga ut från testleverantören${who ? ` och från <strong>${escapeHtml(who)}</strong>` : ''}?</p>
${form}
<button form="op.logoutForm" type="submit" name="logout" value="yes">Ja, logga ut</button>
<button form="op.logoutForm" type="submit">Nej, förbli inloggad</button>`);
      },
      async postLogoutSuccessSource(ctx) {
        const who = clientName(ctx.oidc.client);
        ctx.type = 'html';
        ctx.body = page('Utloggad – testleverantören', `
<h1>Du är utloggad</h1>
<p>Du har loggat ut från testleverantören${who ? ` och från <strong>${escapeHtml(who)}</strong>` : ''}.</p>`);
      },
    },
  },
  interactions: {
    url(ctx, interaction) {
      return `/interaction/${interaction.uid}`;
    },
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    const details = Object.entries(out)
      .map(([key, value]) => `<dt>${escapeHtml(key)}</dt><dd>${escapeHtml(value)}</dd>`)
      .join('');
    ctx.body = page('Något gick fel – testleverantören', `
<h1>Något gick fel</h1>
<p>Testleverantören kunde inte slutföra begäran.</p>
<dl>${details}</dl>`);
  },
  clientBasedCORS: () => false,
  ttl: {
    AccessToken: 3600,
    AuthorizationCode: 600,
    IdToken: 3600,
    Interaction: 3600,
    Session: 24 * 3600,
    Grant: 24 * 3600,
  },
};

const provider = new Provider(issuer, configuration);
provider.proxy = false;

// ---------------------------------------------------------------------- logging

const ERROR_EVENTS = [
  'authorization.error', 'backchannel.error', 'discovery.error', 'end_session.error',
  'end_session_confirm.error', 'end_session_success.error', 'grant.error',
  'introspection.error', 'jwks.error', 'pushed_authorization_request.error',
  'registration_create.error', 'registration_read.error', 'revocation.error',
  'userinfo.error', 'check_session_origin.error', 'code_verification.error',
  'device_resume.error', 'resume.error',
];
for (const name of ERROR_EVENTS) {
  provider.on(name, (ctx, err) => {
    log(`EVENT ${name} error=${err?.error ?? err?.name} error_description=${err?.error_description ?? err?.message}`);
  });
}
provider.on('server_error', (ctx, err) => {
  log(`EVENT server_error error=${err?.name} error_description=${err?.message} stack=${err?.stack}`);
});
provider.on('end_session.success', () => log('EVENT end_session.success'));
provider.on('grant.success', () => log('EVENT grant.success'));

provider.use(async (ctx, next) => {
  try {
    await next();
  } finally {
    log(`${ctx.method} ${ctx.path} ${ctx.status}`);
  }
});

// ---------------------------------------------------------------------- interactions

async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 64 * 1024) {
      throw new Error('request body too large');
    }
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function autoConsent(ctx, details) {
  const { prompt: { details: missing }, params, session: { accountId } } = details;
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId: params.client_id });
  if (missing.missingOIDCScope) {
    grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  }
  if (missing.missingOIDCClaims) {
    grant.addOIDCClaims(missing.missingOIDCClaims);
  }
  if (missing.missingResourceScopes) {
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes)) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
  }
  const grantId = await grant.save();
  const consent = details.grantId ? {} : { grantId };
  return provider.interactionResult(ctx.req, ctx.res, { consent }, { mergeWithLastSubmission: true });
}

async function interaction(ctx, uid, action) {
  let details;
  try {
    details = await provider.interactionDetails(ctx.req, ctx.res);
  } catch (err) {
    log(`EVENT interaction.error error=${err?.name} error_description=${err?.error_description ?? err?.message}`);
    ctx.status = 400;
    ctx.type = 'html';
    ctx.body = errorPage('Inloggningen har gått ut', 'Inloggningen hittades inte eller har gått ut. Gå tillbaka till tjänsten och försök igen.');
    return;
  }
  if (details.uid !== uid) {
    ctx.status = 400;
    ctx.type = 'html';
    ctx.body = errorPage('Fel inloggning', 'Sidan hör inte till den pågående inloggningen. Gå tillbaka till tjänsten och försök igen.');
    return;
  }
  const client = await provider.Client.find(details.params.client_id);
  const { name } = details.prompt;

  if (action === 'show') {
    if (name === 'consent') {
      ctx.status = 303;
      ctx.redirect(await autoConsent(ctx, details));
      return;
    }
    ctx.type = 'html';
    ctx.body = loginPage({ uid, client, login: details.params.login_hint ?? '' });
    return;
  }

  // action === 'login'
  if (name !== 'login') {
    ctx.status = 303;
    ctx.redirect(`/interaction/${uid}`);
    return;
  }
  const form = await readForm(ctx.req);
  const login = (form.get('login') ?? '').trim();
  const method = form.get('method') ?? '';
  let error = '';
  if (!login) {
    error = 'Fyll i ditt användarnamn.';
  } else if (!Object.hasOwn(accounts, login)) {
    error = `Det finns inget konto med användarnamnet ”${login}” hos testleverantören.`;
  } else if (!Object.hasOwn(methods, method)) {
    error = 'Välj ett sätt att logga in.';
  }
  if (error) {
    ctx.status = 200;
    ctx.type = 'html';
    ctx.body = loginPage({
      uid, client, login, method: Object.hasOwn(methods, method) ? method : defaultMethod, error,
    });
    log(`EVENT login.rejected login=${JSON.stringify(login)} method=${JSON.stringify(method)}`);
    return;
  }
  const { acr, amr } = methods[method];
  const result = {
    login: {
      accountId: login,
      ...(acr ? { acr } : undefined),
      ...(amr?.length ? { amr } : undefined),
    },
  };
  ctx.status = 303;
  ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false }));
}

provider.use(async (ctx, next) => {
  const show = ctx.path.match(/^\/interaction\/([^/]+)$/);
  const submit = ctx.path.match(/^\/interaction\/([^/]+)\/login$/);
  if (show && ctx.method === 'GET') {
    ctx.set('Cache-Control', 'no-store');
    await interaction(ctx, show[1], 'show');
    return;
  }
  if (submit && ctx.method === 'POST') {
    ctx.set('Cache-Control', 'no-store');
    await interaction(ctx, submit[1], 'login');
    return;
  }
  if (show || submit) {
    ctx.status = 405;
    ctx.type = 'html';
    ctx.body = errorPage('Otillåten metod', 'Den här sidan kan inte användas så.');
    return;
  }
  await next();
});

// ---------------------------------------------------------------------- server

const server = provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`READY ${issuer}\n`);
});
server.on('error', (err) => {
  log(`server error: ${err?.stack ?? err}`);
  process.exit(1);
});

function shutdown(signal) {
  log(`${signal}: stopping`);
  server.close(() => process.exit(0));
  server.closeAllConnections?.();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

// Started by tests/oidc_provider.py, which holds this process's stdin open: when that
// closes (the test process has ended, even without stopping us), stop too.
if (process.env.OIDC_PROVIDER_EXIT_WITH_STDIN === '1') {
  process.stdin.on('end', () => shutdown('stdin closed'));
  process.stdin.on('error', () => shutdown('stdin closed'));
  process.stdin.resume();
}
