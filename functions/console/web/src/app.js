// The console's router: each page has a URL a person can share, including MLflow's own UI links
// (#/experiments/<id>, #/experiments/<id>/runs/<run id>, #/models/<name>/versions/<version>).
import {setToken, token} from './api.js';
import {h} from './dom.js';
import {experimentsPage} from './pages/experiments.js';
import {runsPage} from './pages/runs.js';
import {runPage} from './pages/run.js';
import {modelsPage, modelPage, versionPage} from './pages/models.js';
import {pipelinesPage} from './pages/pipelines.js';
import {executionPage} from './pages/pipeline.js';
import {comparePage} from './pages/compare.js';
import {driftPage} from './pages/drift.js';
import {playgroundPage} from './pages/playground.js';
import {qualityPage} from './pages/quality.js';

const ROUTES = [
  [/^#\/experiments\/?$/, 'experiments', (c) => experimentsPage(c)],
  [/^#\/experiments\/([^/]+)\/?$/, 'experiments', (c, [id]) => runsPage(c, id)],
  [/^#\/experiments\/([^/]+)\/runs\/([^/]+)\/?$/, 'experiments', (c, [id, run]) => runPage(c, id, run)],
  [/^#\/experiments\/([^/]+)\/compare\/?$/, 'experiments', (c, [id]) => comparePage(c, id)],
  [/^#\/models\/?$/, 'models', (c) => modelsPage(c)],
  [/^#\/models\/([^/]+)\/?$/, 'models', (c, [name]) => modelPage(c, name)],
  [/^#\/models\/([^/]+)\/versions\/([^/]+)\/?$/, 'models', (c, [name, version]) => versionPage(c, name, version)],
  [/^#\/models\/([^/]+)\/drift\/?$/, 'models', (c, [name]) => driftPage(c, name)],
  [/^#\/models\/([^/]+)\/predict\/?$/, 'models', (c, [name]) => playgroundPage(c, name)],
  [/^#\/models\/([^/]+)\/quality\/?$/, 'models', (c, [name]) => qualityPage(c, name)],
  [/^#\/pipelines\/?$/, 'pipelines', (c) => pipelinesPage(c)],
  [/^#\/pipelines\/([^/]+)\/([^/]+)\/?$/, 'pipelines', (c, [model, execution]) => executionPage(c, model, execution)],
];

async function show() {
  const hash = location.hash || '#/experiments';
  const path = hash.split('?')[0];
  const main = document.getElementById('main');
  for (const [pattern, section, page] of ROUTES) {
    const match = path.match(pattern);
    if (match) {
      document.querySelectorAll('header nav a').forEach(a =>
        a.classList.toggle('current', a.dataset.section === section));
      const content = h('div', {});
      main.replaceChildren(content);
      try {
        await page(content, match.slice(1).map(decodeURIComponent));
      } catch (error) {
        console.warn(error);
      }
      return;
    }
  }
  main.replaceChildren(h('h1', {}, 'Not found'),
    h('p', {class: 'sub'}, `No console page at ${hash}. `, h('a', {href: '#/experiments'}, 'Experiments')));
}

function signIn() {
  const value = prompt('Bearer token for the Capstan API (kept for this tab only; empty to sign out):', token());
  if (value !== null) {
    setToken(value.trim());
    show();
  }
}

document.getElementById('sign-in').addEventListener('click', signIn);
// The skip link moves the focus to the page's content without touching the router's fragment.
document.querySelector('a.skip').addEventListener('click', (event) => {
  event.preventDefault();
  document.getElementById('main').focus();
});
window.addEventListener('hashchange', show);
show();
