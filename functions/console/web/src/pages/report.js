import {fetchBlob} from '../api.js';
import {errorBox, h, withLoading} from '../dom.js';

/**
 * Shows a report's HTML view (drift, quality) in viewer: the API's answer at path, fetched with the viewer's token, in
 * a sandboxed frame (no script runs in it; the console's content security policy admits the report's one style sheet
 * by its hash).
 */
export async function showReport(viewer, path, title) {
  viewer.replaceChildren(h('h2', {}, title));
  try {
    const html = await withLoading(viewer, async () => (await fetchBlob(path)).text());
    viewer.append(h('iframe', {srcdoc: html, sandbox: '', title, class: 'report'}));
  } catch (error) {
    viewer.append(errorBox(error));
  }
}
