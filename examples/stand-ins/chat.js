// A stand-in for a chat vendor (served by the demo on chat.localhost): a small messenger
// that sends each message to its host, like a real chat widget does.
(function () {
  var origin = new URL(document.currentScript ? document.currentScript.src : location.href).origin;
  var panel = document.createElement('div');
  panel.id = 'standin-chat';
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', 'Chat (stand-in vendor)');
  panel.style.cssText =
    'position:fixed;right:16px;bottom:16px;width:300px;max-width:calc(100vw - 32px);background:#fff;color:#1b1e24;border:1px solid #c9ced8;border-radius:12px;box-shadow:0 8px 30px #0003;font:14px/1.4 system-ui,sans-serif;display:none;z-index:2147482000';
  panel.innerHTML =
    '<div style="padding:10px 12px;background:#0f766e;color:#fff;border-radius:12px 12px 0 0">Acme support <small>(stand-in chat vendor)</small></div>' +
    '<div id="standin-log" style="padding:10px 12px;height:140px;overflow:auto">Hi! How can we help?</div>' +
    '<form style="display:flex;gap:6px;padding:8px"><input aria-label="Message" style="flex:1;padding:6px" name="m"><button>Send</button></form>';
  document.body.appendChild(panel);
  panel.querySelector('form').addEventListener('submit', function (e) {
    e.preventDefault();
    var input = panel.querySelector('input');
    var log = panel.querySelector('#standin-log');
    var p = document.createElement('p');
    p.textContent = 'You: ' + input.value;
    log.appendChild(p);
    fetch(origin + '/messages', { method: 'POST', mode: 'no-cors', body: input.value }).catch(function () {});
    input.value = '';
  });
  // The same command queue the real Intercom snippet exposes; `show` opens the messenger.
  window.Intercom = function (command) {
    if (command === 'show') panel.style.display = 'block';
    if (command === 'shutdown' || command === 'hide') panel.style.display = 'none';
  };
  // A launcher bubble, as real chat widgets show once loaded.
  var bubble = document.createElement('button');
  bubble.type = 'button';
  bubble.textContent = 'Support chat';
  bubble.style.cssText =
    'position:fixed;right:16px;bottom:16px;padding:10px 16px;border-radius:22px;border:0;background:#0f766e;color:#fff;font:600 14px system-ui,sans-serif;z-index:2147481999';
  bubble.onclick = function () {
    panel.style.display = panel.style.display === 'block' ? 'none' : 'block';
  };
  document.body.appendChild(bubble);
})();
