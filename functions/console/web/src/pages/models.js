import {CAPSTAN, MLFLOW, call, get, post} from '../api.js';
import {errorBox, facts, h, statusBadge, table, time, withLoading} from '../dom.js';

const modelLink = name => `#/models/${encodeURIComponent(name)}`;
const versionLink = (name, version) => `${modelLink(name)}/versions/${encodeURIComponent(version)}`;

/** Registered models, with their aliases and latest versions. */
export async function modelsPage(container) {
  const results = h('div', {});
  container.replaceChildren(h('h1', {}, 'Models'), results);
  try {
    const answer = await withLoading(results, () => get(`${MLFLOW}/registered-models/search`, {max_results: 1000}));
    const models = answer.registered_models || [];
    results.replaceChildren(models.length === 0 ? h('p', {class: 'empty'}, 'No registered models yet.') : table([
      {title: 'Model', cell: m => h('a', {href: modelLink(m.name)}, m.name)},
      {title: 'Aliases', cell: m => (m.aliases || []).map(a => `@${a.alias} → v${a.version}`).join(', ')},
      {title: 'Latest version', cell: m => latest(m)},
      {title: 'Last updated', cell: m => time(m.last_updated_timestamp)},
    ], models));
  } catch (error) {
    results.replaceChildren(errorBox(error));
  }
}

function latest(model) {
  const versions = (model.latest_versions || []).map(v => Number(v.version));
  return versions.length ? h('a', {href: versionLink(model.name, Math.max(...versions))}, 'v' + Math.max(...versions)) : '';
}

/** A model: versions with status and servability, aliases, the traffic policy and the audit trail. */
export async function modelPage(container, name) {
  const body = h('div', {});
  container.replaceChildren(h('p', {class: 'sub'}, h('a', {href: '#/models'}, '← Models')), h('h1', {}, name), body);
  try {
    const [model, versions, traffic, audit] = await withLoading(body, () => Promise.all([
      get(`${MLFLOW}/registered-models/get`, {name}),
      get(`${MLFLOW}/model-versions/search`, {filter: `name='${name.replace(/'/g, "\\'")}'`, max_results: 1000}),
      get(`${CAPSTAN}/registry/traffic`, {name}),
      get(`${CAPSTAN}/registry/audit`, {name})]));
    const aliases = model.registered_model.aliases || [];
    const byVersion = new Map();
    aliases.forEach(a => byVersion.set(String(a.version), [...(byVersion.get(String(a.version)) || []), a.alias]));
    const rows = (versions.model_versions || []).sort((a, b) => Number(b.version) - Number(a.version));
    body.replaceChildren(
      model.registered_model.description ? h('p', {}, model.registered_model.description) : '',
      h('h2', {}, 'Versions'),
      rows.length === 0 ? h('p', {class: 'empty'}, 'No versions.') : table([
        {title: 'Version', cell: v => h('a', {href: versionLink(name, v.version)}, 'v' + v.version)},
        {title: 'Status', cell: v => statusBadge(v.status)},
        {title: 'Aliases', cell: v => (byVersion.get(String(v.version)) || []).map(a => '@' + a).join(' ')},
        {title: 'Stage', cell: v => v.current_stage},
        {title: 'Run', cell: v => v.run_id ? h('a', {href: `#/experiments/-/runs/${v.run_id}`}, v.run_id.slice(0, 12)) : ''},
        {title: 'Registered', cell: v => time(v.creation_timestamp)},
      ], rows),
      h('p', {}, h('a', {href: `${modelLink(name)}/drift`}, 'Drift reports'), ' · ',
        h('a', {href: `${modelLink(name)}/quality`}, 'Quality reports'), ' · ',
        h('a', {href: `${modelLink(name)}/predict`}, 'Prediction playground')),
      h('h2', {}, 'Traffic'),
      traffic.traffic_policy ? trafficTable(traffic.traffic_policy)
        : h('p', {class: 'empty'}, 'No traffic policy: the champion answers every request.'),
      h('h2', {}, 'Actions'),
      h('div', {class: 'actions'}, rollbackForm(name, container), canaryForm(name, container),
        traffic.traffic_policy ? clearTrafficForm(name, container) : ''),
      h('h2', {}, 'Audit trail'),
      auditTimeline(audit.events || []));
  } catch (error) {
    body.replaceChildren(errorBox(error));
  }
}

function trafficTable(policy) {
  return table([
    {title: 'Target', cell: r => r.target},
    {title: 'Version now', cell: r => r.version ? 'v' + r.version : ''},
    {title: 'Weight', cell: r => `${r.weight} %`, numeric: true},
  ], policy.routes || []);
}

/**
 * A form that asks for a reason and sends one change; on success the page is shown again (the change is in the audit
 * trail), on refusal the error (a conflict names what moved) stays under the form.
 */
function action(title, fields, send, container, name) {
  const reason = h('input', {type: 'text', required: true, 'aria-label': `Reason (${title})`, placeholder: 'Reason'});
  const outcome = h('div', {role: 'status'});
  const button = h('button', {type: 'submit'}, title);
  return h('form', {class: 'action', onsubmit: async event => {
    event.preventDefault();
    button.disabled = true;
    outcome.replaceChildren();
    try {
      await send(reason.value);
      await modelPage(container, name);
    } catch (error) {
      outcome.replaceChildren(errorBox(error));
      button.disabled = false;
    }
  }}, ...fields, reason, button, outcome);
}

function rollbackForm(name, container) {
  return action('Roll the champion back', [], reason => post(`${CAPSTAN}/registry/rollback`,
    {name, alias: 'champion', reason}), container, name);
}

function canaryForm(name, container) {
  const target = h('input', {type: 'text', 'aria-label': 'Canary target (alias or v<version>)', value: 'challenger',
    size: 12});
  const weight = h('input', {type: 'number', 'aria-label': 'Canary weight (%)', min: 1, max: 99, value: 10, size: 4});
  return action('Set canary split', [h('span', {class: 'sub'}, 'champion and'), target, weight, h('span', {}, '%')],
    reason => post(`${CAPSTAN}/registry/traffic`, {name, reason, routes: [
      {target: 'champion', weight: 100 - Number(weight.value)}, {target: target.value.trim(), weight: Number(weight.value)}]}),
    container, name);
}

function clearTrafficForm(name, container) {
  return action('Clear the traffic policy', [], reason => call('DELETE', `${CAPSTAN}/registry/traffic`, {name, reason}),
    container, name);
}

function auditTimeline(events) {
  if (events.length === 0) {
    return h('p', {class: 'empty'}, 'No changes recorded.');
  }
  return h('ol', {class: 'timeline'}, [...events].reverse().map(e => h('li', {class: e.applied === false ? 'refused' : null},
    h('strong', {}, e.action), ' ', e.subject || '', e.to_version ? ` → v${e.to_version}` : '',
    e.from_version ? ` (was v${e.from_version})` : '', ' · ', e.actor || '', ' · ', time(e.timestamp),
    e.reason ? h('div', {class: 'sub'}, 'Reason: ' + e.reason) : '',
    e.applied === false ? h('div', {class: 'error'}, 'Refused' + (e.detail ? ': ' + e.detail : '')) : '')));
}

/** A version: status, servability, provenance; promote it (with a reason), seeing the conflict when one occurs. */
export async function versionPage(container, name, version) {
  const body = h('div', {});
  container.replaceChildren(h('p', {class: 'sub'}, h('a', {href: modelLink(name)}, '← ' + name)),
    h('h1', {}, `${name} v${version}`), body);
  try {
    const [answer, provenance, model] = await withLoading(body, () => Promise.all([
      get(`${MLFLOW}/model-versions/get`, {name, version}),
      get(`${CAPSTAN}/registry/model-versions/provenance`, {name, version}),
      get(`${MLFLOW}/registered-models/get`, {name})]));
    const v = answer.model_version;
    const champion = (model.registered_model.aliases || []).find(a => a.alias === 'champion');
    body.replaceChildren(
      facts([['Status', statusBadge(v.status)], ['Message', v.status_message], ['Stage', v.current_stage],
        ['Aliases', (v.aliases || []).map(a => '@' + a).join(' ')], ['Source', v.source],
        ['Run', v.run_id ? h('a', {href: `#/experiments/-/runs/${v.run_id}`}, v.run_id) : ''],
        ['Registered', time(v.creation_timestamp)], ['User', v.user_id],
        ['Servable', provenance.serving ? `${provenance.serving.servable ? 'yes' : 'no'}${provenance.serving.reason ? ' — ' + provenance.serving.reason : ''}` : '']]),
      h('h2', {}, 'Provenance'),
      h('pre', {tabindex: 0}, JSON.stringify(provenance.provenance || {}, null, 2)),
      h('h2', {}, 'Promote'),
      promoteForm(name, v.version, champion ? champion.version : null),
      h('h2', {}, 'Aliases'),
      aliasForm(name, v.version));
  } catch (error) {
    body.replaceChildren(errorBox(error));
  }
}

function aliasForm(name, version) {
  const alias = h('input', {type: 'text', required: true, 'aria-label': 'Alias', placeholder: 'alias', size: 14});
  const reason = h('input', {type: 'text', 'aria-label': 'Reason (alias)', placeholder: 'Reason'});
  const outcome = h('div', {role: 'status'});
  const send = async (method, verb) => {
    outcome.replaceChildren();
    try {
      if (method === 'POST') {
        await post(`${MLFLOW}/registered-models/alias`, {name, alias: alias.value.trim(), version: String(version),
          reason: reason.value});
      } else {
        await call('DELETE', `${MLFLOW}/registered-models/alias`, {name, alias: alias.value.trim(),
          reason: reason.value});
      }
      outcome.replaceChildren(h('p', {}, `@${alias.value.trim()} ${verb}.`));
    } catch (error) {
      outcome.replaceChildren(errorBox(error));
    }
  };
  return h('form', {class: 'action', onsubmit: event => {
    event.preventDefault();
    send('POST', `now points at v${version}`);
  }}, alias, reason, h('button', {type: 'submit'}, `Point at v${version}`),
  h('button', {type: 'button', onclick: () => alias.reportValidity() && send('DELETE', 'cleared')}, 'Clear alias'),
  outcome);
}

function promoteForm(name, version, championVersion) {
  const reason = h('input', {type: 'text', name: 'reason', required: true, 'aria-label': 'Reason', placeholder: 'Why (kept in the audit trail)'});
  const outcome = h('div', {role: 'status'});
  const button = h('button', {type: 'submit', class: 'primary'}, `Make v${version} the champion`);
  return h('form', {class: 'action', onsubmit: async event => {
    event.preventDefault();
    button.disabled = true;
    outcome.replaceChildren();
    try {
      const answer = await post(`${CAPSTAN}/registry/promote`, {name, version: String(version), alias: 'champion',
        expected_version: championVersion === null ? 'none' : String(championVersion), reason: reason.value});
      outcome.replaceChildren(h('p', {}, `v${answer.model_version.version} is the champion now.`));
      championVersion = answer.model_version.version;
    } catch (error) {
      outcome.replaceChildren(errorBox(error));
    } finally {
      button.disabled = false;
    }
  }}, h('span', {class: 'sub'}, `Champion now: ${championVersion === null ? 'none' : 'v' + championVersion}`), reason,
  button, outcome);
}
