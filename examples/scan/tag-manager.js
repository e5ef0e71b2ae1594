// A first-party "tag manager", as sites have: when the page has loaded it adds an analytics
// beacon, untagged. Below allparty's script the guard holds it until analytics is granted.
window.addEventListener('load', () => {
  const img = new Image();
  img.src = `https://www.google-analytics.com/g/collect?v=2&tid=G-SCAN12345&en=page_view&dl=${encodeURIComponent(location.href)}`;
});
