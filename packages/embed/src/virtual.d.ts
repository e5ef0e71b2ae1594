declare module 'virtual:tracker-hints' {
  /** Tracker domain → [entity name, third-party-web category]. */
  const hints: Record<string, [string, string]>;
  export default hints;
}
