import {h} from '../dom.js';

/**
 * Previous/next paging over an API's page tokens: load(token) shows a page and returns the next page's token.
 * reset() shows the first page.
 */
export function pager(load) {
  const tokens = [];
  let current;
  let next;
  const previousButton = h('button', {type: 'button', disabled: true, onclick: () => go(tokens.pop(), false)},
    'Previous');
  const nextButton = h('button', {type: 'button', disabled: true, onclick: () => go(next, true)}, 'Next');
  const element = h('div', {class: 'toolbar'}, previousButton, nextButton);

  async function go(token, forward) {
    if (forward) {
      tokens.push(current);
    }
    current = token;
    nextButton.disabled = true;
    previousButton.disabled = true;
    next = await load(token);
    nextButton.disabled = !next;
    previousButton.disabled = tokens.length === 0;
  }

  return {
    element,
    reset: () => {
      tokens.length = 0;
      return go(undefined, false);
    },
  };
}
