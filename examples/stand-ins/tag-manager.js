// A first-party "tag manager" that injects the replay vendor, untagged, a second after load —
// what real tag managers do, and what lawsuits' packet captures catch — and a CSS pixel. The
// guard holds both.
window.addEventListener('load', function () {
  setTimeout(function () {
    var s = document.createElement('script');
    s.async = true;
    s.src = 'http://replay.localhost:' + location.port + '/stand-ins/replay.js?injected-by=tag-manager';
    document.head.appendChild(s);
    // A "custom HTML" tag with a CSS tracking pixel (analytics): the guard empties its url()
    // until analytics is granted, and the ledger shows it held with via "style".
    var tag = document.createElement('div');
    tag.innerHTML =
      '<div style="width:1px;height:1px;background:url(http://analytics.localhost:' +
      location.port +
      '/collect?kind=css-pixel)"></div>';
    document.body.appendChild(tag);
  }, 1000);
});
