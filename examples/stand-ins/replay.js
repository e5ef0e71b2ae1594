// A stand-in for a session-replay vendor (served by the demo on replay.localhost): it
// "records" clicks and scrolling and beacons them home every 2 s, like the real ones do.
(function () {
  var origin = new URL(document.currentScript ? document.currentScript.src : location.href).origin;
  var events = 0;
  window.hj = window.hj || function () { (window.hj.q = window.hj.q || []).push(arguments); };
  document.addEventListener('click', function () { events++; }, true);
  document.addEventListener('scroll', function () { events++; }, true);
  setInterval(function () {
    navigator.sendBeacon(origin + '/collect?kind=replay&events=' + events, 'stand-in replay events');
  }, 2000);
  // Like some replay tools, it also uploads batches from a worker it builds from a blob; the
  // guard rebuilds that worker with its prelude, so a withdrawal holds these uploads too.
  try {
    var worker = new Worker(URL.createObjectURL(new Blob([
      "onmessage = function (e) { fetch(e.data, { method: 'POST', body: 'stand-in replay batch', mode: 'no-cors' }).catch(function () {}); };"
    ], { type: 'text/javascript' })));
    setInterval(function () { worker.postMessage(origin + '/collect?kind=replay-batch&events=' + events); }, 5000);
  } catch (e) {}
  try {
    var ws = new WebSocket(origin.replace('http', 'ws') + '/socket');
    ws.onerror = function () {};
  } catch (e) {}
})();
