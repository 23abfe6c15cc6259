import {CAPSTAN, get, post} from '../api.js';
import {duration, errorBox, facts, h, statusBadge, svg, table, time, withLoading} from '../dom.js';

/**
 * One execution of a model's retraining pipeline: its states in the order they ran, each with its status and time;
 * the gate's outcome (the error and cause a rejection carries, the approval's summary and decision); approve or
 * reject when it waits for a person.
 */
export async function executionPage(container, model, execution) {
  const body = h('div', {});
  container.replaceChildren(h('p', {class: 'sub'}, h('a', {href: '#/pipelines'}, '← Pipelines')),
    h('h1', {}, execution), body);
  const path = `${CAPSTAN}/pipelines/${encodeURIComponent(model)}/runs/${encodeURIComponent(execution)}`;
  try {
    const [answer, definition] = await withLoading(body, () => Promise.all([get(path),
      get(`${CAPSTAN}/pipelines/definition`)]));
    const run = answer.run;
    const states = statesOf(answer.history || [], run);
    body.replaceChildren(
      facts([['Model', h('a', {href: `#/models/${encodeURIComponent(model)}`}, model)], ['Status', statusBadge(run.status)],
        ['Started', time(run.start_time)], ['Duration', run.stop_time ? duration(run.stop_time - run.start_time) : ''],
        ['Trigger', run.trigger], ['Error', run.error], ['Cause', run.cause]]),
      h('h2', {}, 'State machine'),
      graph(definition, states),
      h('h2', {}, 'States as they ran'),
      h('ol', {class: 'flow', 'aria-label': 'States in the order they ran'}, states.map(s => h('li', {class: s.status},
        h('strong', {}, s.name), ' ', h('span', {class: 'sub'}, `${s.status.toLowerCase()}${s.took !== null ? ', ' + duration(s.took) : ''}`)))),
      table([{title: 'State', cell: s => s.name}, {title: 'Status', cell: s => statusBadge(s.status)},
        {title: 'Entered', cell: s => time(s.entered)}, {title: 'Took', cell: s => s.took === null ? '' : duration(s.took), numeric: true}],
      states),
      h('h2', {}, 'Approval'),
      answer.approval ? approval(answer.approval, path, container, model, execution)
        : h('p', {class: 'empty'}, 'This execution asked for no approval.'));
  } catch (error) {
    body.replaceChildren(errorBox(error));
  }
}

/**
 * The state machine's graph, drawn in layers from its start (a state one layer below the farthest state leading to
 * it), each state coloured by what this execution did there: succeeded, failed, running, or not entered (dashed).
 */
function graph(definition, states) {
  const byName = new Map(definition.states.map(state => [state.name, state]));
  const layer = new Map([[definition.start_at, 0]]);
  const order = [];
  const visit = (name, seen) => {
    if (seen.has(name) || !byName.has(name)) {
      return;
    }
    seen.add(name);
    byName.get(name).next.forEach(next => visit(next, seen));
    order.unshift(name);
  };
  visit(definition.start_at, new Set());
  for (const name of order) {
    for (const next of byName.get(name).next) {
      layer.set(next, Math.max(layer.get(next) || 0, (layer.get(name) || 0) + 1));
    }
  }
  const layers = [];
  definition.states.filter(state => layer.has(state.name)).forEach(state => {
    (layers[layer.get(state.name)] = layers[layer.get(state.name)] || []).push(state.name);
  });
  const ran = new Map(states.map(s => [s.name, s]));
  const transitions = new Set(states.slice(1).map((s, i) => `${states[i].name}>${s.name}`));
  const width = 1180;
  const boxWidth = 170;
  const boxHeight = 32;
  const rowHeight = 58;
  const position = new Map();
  layers.forEach((names, row) => names.forEach((name, i) => position.set(name, {
    x: (width / (names.length + 1)) * (i + 1) - boxWidth / 2, y: 10 + row * rowHeight})));
  const root = svg('svg', {viewBox: `0 0 ${width} ${layers.length * rowHeight + 10}`, class: 'machine', role: 'img',
    'aria-label': 'The retraining state machine; the states this execution entered are coloured'});
  const add = (tag, attributes, text) => svg(tag, attributes, text, root);
  for (const state of definition.states) {
    const from = position.get(state.name);
    state.next.filter(next => position.has(next)).forEach(next => {
      const to = position.get(next);
      const taken = transitions.has(`${state.name}>${next}`);
      add('line', {x1: from.x + boxWidth / 2, y1: from.y + boxHeight, x2: to.x + boxWidth / 2, y2: to.y,
        class: taken ? 'edge taken' : 'edge'});
    });
  }
  for (const [name, at] of position) {
    const entered = ran.get(name);
    const group = add('g', {class: 'state ' + (entered ? entered.status : 'NOT_ENTERED')});
    svg('rect', {x: at.x, y: at.y, width: boxWidth, height: boxHeight, rx: 6}, undefined, group);
    svg('text', {x: at.x + boxWidth / 2, y: at.y + 20, 'text-anchor': 'middle'},
      name + (entered && entered.took !== null ? ` · ${duration(entered.took)}` : ''), group);
    svg('title', {}, `${name} (${byName.get(name).type}): ${entered ? entered.status.toLowerCase() : 'not entered'}`,
      group);
  }
  return root;
}

/** The states an execution entered, from its history: entered, exited (or failed) and how long each took. */
function statesOf(history, run) {
  const states = [];
  for (const event of history) {
    if (event.type === 'StateEntered') {
      states.push({name: event.state, entered: event.timestamp, status: 'RUNNING', took: null});
    } else if (event.type === 'StateExited' && states.length) {
      const last = [...states].reverse().find(s => s.name === event.state) || states[states.length - 1];
      last.status = 'SUCCEEDED';
      last.took = event.timestamp - last.entered;
    } else if ((event.type === 'StateFailed' || event.type === 'ExecutionFailed') && states.length) {
      const last = states[states.length - 1];
      last.status = 'FAILED';
      last.took = event.timestamp - last.entered;
    }
  }
  if (run.status !== 'RUNNING') {
    states.filter(s => s.status === 'RUNNING').forEach(s => {
      s.status = run.status === 'SUCCEEDED' ? 'SUCCEEDED' : run.status;
      s.took = run.stop_time ? run.stop_time - s.entered : null;
    });
  }
  return states;
}

function approval(request, path, container, model, execution) {
  const shown = h('div', {}, facts([['Version', 'v' + request.version], ['Status', statusBadge(request.status)],
    ['Summary', request.summary], ['Decided by', request.decided_by], ['Reason', request.reason]]));
  if (request.status !== 'PENDING') {
    return shown;
  }
  const reason = h('input', {type: 'text', required: true, 'aria-label': 'Reason (approval)', placeholder: 'Reason'});
  const outcome = h('div', {role: 'status'});
  const decide = async approved => {
    if (!reason.reportValidity()) {
      return;
    }
    try {
      await post(`${path}/approval`, {approved, reason: reason.value});
      await executionPage(container, model, execution);
    } catch (error) {
      outcome.replaceChildren(errorBox(error));
    }
  };
  shown.append(h('form', {class: 'action', onsubmit: event => event.preventDefault()}, reason,
    h('button', {type: 'button', class: 'primary', onclick: () => decide(true)}, `Approve v${request.version}`),
    h('button', {type: 'button', onclick: () => decide(false)}, 'Reject'), outcome));
  return shown;
}
