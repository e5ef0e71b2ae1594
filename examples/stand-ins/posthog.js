// A stand-in for PostHog's array.js, served by the demo from the site's own origin as a
// self-hosted copy would be (the `src` setting) and beaconing to replay.localhost. Like array.js it
// inits from the snippet's queue, keeps the merged config in posthog.config and calls
// config.loaded(posthog) at the end of init. With ?weaker in the page URL it reports text masking
// off, as a PostHog project configured below the site's minimum would.
(function () {
  var stub = window.posthog;
  var init = stub && stub._i && stub._i[0];
  if (!init) return;
  var config = Object.assign({}, init[1]);
  if (/[?&]weaker\b/.test(location.search)) config.mask_all_text = false;
  var origin = 'http://replay.localhost:' + location.port;
  var capturing = true;
  var timer = setInterval(function () {
    if (capturing) navigator.sendBeacon(origin + '/collect?kind=posthog', 'stand-in events');
  }, 2000);
  function stop() {
    capturing = false;
    clearInterval(timer);
  }
  window.posthog = {
    __SV: 1,
    __loaded: true,
    config: config,
    capture: function () {},
    opt_out_capturing: stop,
    stopSessionRecording: stop,
  };
  config.loaded(window.posthog);
})();
