/**
 * Entry of the agent console page (`/agent`). The server marks the page `data-view="login"`
 * when the request had no valid session, `data-view="console"` otherwise.
 */
import { renderLogin } from './login-view.js';
import { ConsoleApp } from './console-app.js';

const root = document.getElementById('app');
if (root !== null) {
  if (document.body.dataset['view'] === 'console') new ConsoleApp(root).start();
  else renderLogin(root);
}
