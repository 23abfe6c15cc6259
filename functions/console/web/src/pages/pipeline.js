import {Graph, layout as dagreLayout} from '../dagre.esm.js';
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
 * The state machine's graph, laid out by dagre (ranks from the start, edges routed around the states), each state
 * coloured by what this execution did there: succeeded, failed, running, or not entered (dashed); the transitions it
 * took are drawn in the accent colour.
 */
function graph(definition, states) {
  const ran = new Map(states.map(s => [s.name, s]));
  const transitions = new Set(states.slice(1).map((s, i) => `${states[i].name}>${s.name}`));
  const byName = new Map(definition.states.map(state => [state.name, state]));
  const layout = new Graph().setGraph({rankdir: 'TB', nodesep: 28, ranksep: 34, marginx: 8, marginy: 8})
    .setDefaultEdgeLabel(() => ({}));
  for (const state of definition.states) {
    const entered = ran.get(state.name);
    const label = state.name + (entered && entered.took !== null ? ` · ${duration(entered.took)}` : '');
    layout.setNode(state.name, {label, width: Math.max(110, label.length * 7 + 24), height: 30});
  }
  definition.states.forEach(state => state.next.filter(next => byName.has(next))
    .forEach(next => layout.setEdge(state.name, next)));
  dagreLayout(layout);
  // dagre may route an edge outside the width it reports: the drawing's box takes in every state and bend
  const extent = layout.nodes().map(name => layout.node(name)).flatMap(n =>
    [{x: n.x - n.width / 2, y: n.y - n.height / 2}, {x: n.x + n.width / 2, y: n.y + n.height / 2}])
    .concat(layout.edges().flatMap(edge => layout.edge(edge).points));
  const left = Math.min(...extent.map(p => p.x)) - 8;
  const top = Math.min(...extent.map(p => p.y)) - 8;
  const width = Math.max(...extent.map(p => p.x)) + 8 - left;
  const height = Math.max(...extent.map(p => p.y)) + 8 - top;
  const root = svg('svg', {viewBox: `${left} ${top} ${width} ${height}`, width, height, class: 'machine', role: 'img',
    'aria-label': 'The retraining state machine; the states this execution entered are coloured'});
  const marker = svg('marker', {id: 'arrow', viewBox: '0 0 8 8', refX: 7, refY: 4, markerWidth: 7, markerHeight: 7,
    orient: 'auto-start-reverse'}, undefined, svg('defs', {}, undefined, root));
  svg('path', {d: 'M0,0 L8,4 L0,8 z', class: 'arrow'}, undefined, marker);
  for (const edge of layout.edges()) {
    svg('polyline', {points: layout.edge(edge).points.map(p => `${p.x},${p.y}`).join(' '), 'marker-end': 'url(#arrow)',
      class: transitions.has(`${edge.v}>${edge.w}`) ? 'edge taken' : 'edge'}, undefined, root);
  }
  for (const name of layout.nodes()) {
    const node = layout.node(name);
    const entered = ran.get(name);
    const group = svg('g', {class: 'state ' + (entered ? entered.status : 'NOT_ENTERED')}, undefined, root);
    svg('rect', {x: node.x - node.width / 2, y: node.y - node.height / 2, width: node.width, height: node.height, rx: 6},
      undefined, group);
    svg('text', {x: node.x, y: node.y + 4, 'text-anchor': 'middle'}, node.label, group);
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
