// A first-party "tag manager" that injects the replay vendor, untagged, a second after load —
// what real tag managers do, and what lawsuits' packet captures catch. The guard holds it.
window.addEventListener('load', function () {
  setTimeout(function () {
    var s = document.createElement('script');
    s.async = true;
    s.src = 'http://replay.localhost:' + location.port + '/stand-ins/replay.js?injected-by=tag-manager';
    document.head.appendChild(s);
  }, 1000);
});
