// A tag-manager-style container: injects vendors by creating elements, the way GTM does.
// Loaded above allparty, it runs before the guard exists.
{
  function inject(src) {
    const s = document.createElement('script');
    s.async = true;
    s.src = src;
    document.head.appendChild(s);
  }
  inject('https://static.hotjar.com/c/hotjar-3712345.js?sv=6');
  inject('https://connect.facebook.net/en_US/fbevents.js');
  const pixel = new Image();
  pixel.src = 'https://www.facebook.com/tr?id=1234567890&ev=PageView&noscript=1';
}
