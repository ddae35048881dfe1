// node:fs for the browser harness: readFileSync of a fixture fetches it from the test server.
// The unit tests read their fixtures synchronously at import time, so this uses a synchronous
// XMLHttpRequest (allowed on a page, and the files come from localhost).
export function readFileSync(path: string | URL, _encoding?: string): string {
  const text = String(path);
  const at = text.lastIndexOf('/fixtures/');
  if (at < 0) throw new Error(`fs shim: only tests/fixtures/ can be read in the browser, not ${text}`);
  const request = new XMLHttpRequest();
  request.open('GET', `/tests${text.slice(at)}`, false);
  request.send();
  if (request.status !== 200) throw new Error(`fs shim: GET /tests${text.slice(at)} gave ${request.status}`);
  return request.responseText;
}
export default { readFileSync };
