import {get, post} from '../api.js';
import {errorBox, facts, h, number, withLoading} from '../dom.js';

/**
 * A prediction playground for a model's champion (or an alias or version: name@alias, name@v3): a form built from the
 * model's input schema (Open Inference Protocol metadata: its tensors, and the feature columns of a tabular model),
 * answered through the same infer route as any client, with the outputs (labels, probabilities) and the version that
 * answered.
 */
export async function playgroundPage(container, name) {
  const target = h('input', {type: 'text', value: name, 'aria-label': 'Model (name, name@alias or name@v3)', size: 32});
  const body = h('div', {});
  container.replaceChildren(h('p', {class: 'sub'}, h('a', {href: `#/models/${encodeURIComponent(name)}`}, '← ' + name)),
    h('h1', {}, `Predict with ${name}`),
    h('form', {class: 'toolbar', onsubmit: event => {
      event.preventDefault();
      load();
    }}, target, h('button', {type: 'submit'}, 'Load schema')), body);

  async function load() {
    const model = target.value.trim();
    try {
      const metadata = await withLoading(body, () => get(`/v2/models/${encodeURIComponent(model)}`));
      const columns = (metadata.parameters && metadata.parameters.feature_columns) || [];
      const labels = (metadata.parameters && metadata.parameters.labels) || [];
      const tensors = (metadata.inputs || []).map(input => {
        const width = input.shape && input.shape.length === 2 && input.shape[1] > 0 ? input.shape[1] : 1;
        const labels = columns.length === width ? columns : [...Array(width).keys()].map(i => `${input.name}[${i}]`);
        return {input, fields: labels.map(label => h('input', {type: 'number', step: 'any', required: true,
          'aria-label': label, name: label, value: '0'}))};
      });
      const answer = h('div', {role: 'status'});
      const button = h('button', {type: 'submit', class: 'primary'}, 'Predict');
      body.replaceChildren(
        facts([['Version', (metadata.versions || []).join(', ')], ['Flavor', metadata.parameters && metadata.parameters.flavor],
          ['Labels', ((metadata.parameters && metadata.parameters.labels) || []).join(', ')]]),
        h('form', {onsubmit: async event => {
          event.preventDefault();
          button.disabled = true;
          try {
            const result = await post(`/v2/models/${encodeURIComponent(model)}/infer`, {inputs: tensors.map(t => ({
              name: t.input.name, datatype: t.input.datatype, shape: [1, t.fields.length],
              data: t.fields.map(f => Number(f.value))}))});
            answer.replaceChildren(h('h2', {}, `Answered by version ${result.model_version}`),
              h('table', {}, h('tbody', {}, (result.outputs || []).map(output => h('tr', {},
                h('th', {scope: 'row'}, output.name),
                h('td', {}, shown(output, labels)))))));
          } catch (error) {
            answer.replaceChildren(errorBox(error));
          } finally {
            button.disabled = false;
          }
        }}, tensors.map(t => h('fieldset', {}, h('legend', {}, `${t.input.name} (${t.input.datatype})`),
          h('div', {class: 'grid fields'}, t.fields.map(field => h('label', {}, field.getAttribute('aria-label'), ' ', field))))),
        button),
        answer);
    } catch (error) {
      body.replaceChildren(errorBox(error));
    }
  }
  await load();
}

/** An output's values; probabilities next to the labels they are for, when the model names its labels. */
function shown(output, labels) {
  const values = (output.data || []).map(v => typeof v === 'number' ? number(v) : String(v));
  if (labels.length > 1 && values.length === labels.length && output.datatype && output.datatype.startsWith('FP')) {
    return values.map((v, i) => `${labels[i]} ${v}`).join(', ');
  }
  return values.join(', ');
}
