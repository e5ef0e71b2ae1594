/**
 * The banner's CSS, inside its shadow root. Sites theme it only through the documented
 * custom properties (`--allparty-*` for light, `--allparty-dark-*` for dark), which inherit
 * into the shadow root; nothing else gets in or out. See docs/banner.md.
 */
export const CSS = `*{box-sizing:border-box}
.r{--bg:var(--allparty-bg,#fff);--fg:var(--allparty-fg,#1b1e24);--mu:var(--allparty-muted,#4a5160);--bd:var(--allparty-border,#c9ced8);--sf:var(--allparty-surface,#f2f4f7);--ac:var(--allparty-accent,#1d4ed8);--af:var(--allparty-accent-fg,#fff);--fo:var(--allparty-focus,#1d4ed8);font:var(--allparty-font-size,16px)/1.5 var(--allparty-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);color:var(--fg);text-align:left;-webkit-text-size-adjust:100%}
.r.dk{--bg:var(--allparty-dark-bg,#17191e);--fg:var(--allparty-dark-fg,#eef0f4);--mu:var(--allparty-dark-muted,#b7bdc9);--bd:var(--allparty-dark-border,#464c5a);--sf:var(--allparty-dark-surface,#23262e);--ac:var(--allparty-dark-accent,#9db7ff);--af:var(--allparty-dark-accent-fg,#0b1020);--fo:var(--allparty-dark-focus,#c6d5ff)}
.ly,.ov{position:fixed;z-index:var(--allparty-z,2147483000);display:flex;justify-content:center;padding:12px}
.ly{left:0;right:0;bottom:0;pointer-events:none}
.ov{inset:0;align-items:center;background:var(--allparty-backdrop,rgba(10,12,16,.55))}
.c{pointer-events:auto;width:100%;max-width:46rem;max-height:calc(100vh - 24px);overflow:auto;background:var(--bg);color:var(--fg);border:1px solid var(--bd);border-radius:var(--allparty-radius,12px);box-shadow:0 10px 40px rgba(0,0,0,.28);padding:20px}
.m{display:flex;flex-direction:column;padding:0;max-width:42rem;overflow:hidden}
.n{max-width:32rem}
.hd{display:flex;align-items:center;justify-content:space-between;gap:12px;padding:14px 20px;border-bottom:1px solid var(--bd)}
.sc{overflow:auto;padding:16px 20px;flex:1 1 auto;min-height:0}
.ft{padding:14px 20px;border-top:1px solid var(--bd)}
.ft .ac{margin:0}
h2{font-size:1.25em;line-height:1.3;margin:0 0 8px}
.hd h2{margin:0}
h3{font-size:1em;line-height:1.3;margin:0}
p{margin:0 0 10px}
.sm{font-size:.875em;color:var(--mu);margin:4px 0 0}
.ac{display:flex;flex-wrap:wrap;gap:10px;margin-top:14px}
.eq{display:grid;grid-template-columns:1fr 1fr;grid-auto-rows:1fr;gap:10px;flex:1 1 18rem}
.b{font:inherit;font-weight:600;min-height:44px;padding:10px 18px;border-radius:8px;border:2px solid var(--ac);cursor:pointer;line-height:1.25}
.p{background:var(--ac);color:var(--af)}
.s{background:var(--bg);color:var(--fg);border-color:var(--mu);flex:0 1 auto}
.l{font:inherit;background:none;border:0;padding:0;color:var(--ac);text-decoration:underline;cursor:pointer}
a{color:var(--ac)}
:focus-visible{outline:3px solid var(--fo);outline-offset:2px}
.c:focus{outline:none}
.x{flex:none;width:44px;height:44px;display:grid;place-items:center;background:none;border:0;border-radius:8px;color:var(--fg);cursor:pointer}
.ph{height:100%;overflow:auto;display:flex;flex-direction:column;justify-content:center;gap:4px;padding:16px;background:var(--sf);color:var(--fg);border:1px solid var(--bd);border-radius:var(--allparty-radius,12px)}
.ph .eq{flex:none;margin-top:8px}
.g{background:var(--sf);border-left:4px solid var(--ac);border-radius:6px;padding:8px 12px}
.pu{border-top:1px solid var(--bd);padding:14px 0 6px}
.row{display:flex;align-items:center;justify-content:space-between;gap:12px}
ul{list-style:none;margin:8px 0 0;padding:0}
li{background:var(--sf);border-radius:8px;padding:10px 12px;margin:0 0 8px}
.sw{appearance:none;-webkit-appearance:none;flex:none;width:46px;height:28px;border-radius:14px;background:var(--mu);position:relative;cursor:pointer;margin:0;border:2px solid var(--mu);transition:background .15s}
.sw::before{content:"";position:absolute;top:2px;left:2px;width:20px;height:20px;border-radius:50%;background:var(--bg);transition:transform .15s}
.sw:checked{background:var(--ac);border-color:var(--ac)}
.sw:checked::before{transform:translateX(18px)}
.sw:disabled{cursor:not-allowed;opacity:.6}
@media (max-width:520px){.c{padding:16px}.m{padding:0}.hd,.sc,.ft{padding-left:16px;padding-right:16px}.eq{grid-template-columns:1fr;flex-basis:100%}.s{flex-basis:100%}}
@media (prefers-reduced-motion:reduce){*{transition:none!important;animation:none!important}}
@media (forced-colors:active){.sw{border-color:CanvasText}.sw:checked::before{background:CanvasText}}`;
