/** The allparty config, the same object the script-tag embed reads from the page. */
export const allpartyConfig = {
  vendors: { hotjar: { siteId: '1234567' }, intercom: { siteId: 'abc12345' }, youtube: {} },
  log: { endpoint: '/consent' },
  policy: { url: '/privacy', version: '1' },
};
