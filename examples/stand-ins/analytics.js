// A stand-in for an analytics tag (served by the demo on analytics.localhost): a page view.
(function () {
  var origin = new URL(document.currentScript ? document.currentScript.src : location.href).origin;
  window.dataLayer = window.dataLayer || [];
  window.gtag = window.gtag || function () { window.dataLayer.push(arguments); };
  fetch(origin + '/collect?kind=analytics&event=page_view&path=' + encodeURIComponent(location.pathname), {
    method: 'POST',
    mode: 'no-cors',
    body: 'page_view',
  }).catch(function () {});
})();
