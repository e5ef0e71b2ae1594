/**
 * The banner's CSS, inside its shadow root. Sites theme it only through the documented
 * custom properties (`--allparty-*` for light, `--allparty-dark-*` for dark), which inherit
 * into the shadow root; nothing else gets in or out. See docs/banner.md. Class names are written
 * marked, `.$card$ {`, and shortened in the minified bundle (scripts/marked-classes.ts).
 */
export const CSS = `*{box-sizing:border-box}
.$root$ {--bg:var(--allparty-bg,#fff);--fg:var(--allparty-fg,#1b1e24);--mu:var(--allparty-muted,#4a5160);--bd:var(--allparty-border,#c9ced8);--sf:var(--allparty-surface,#f2f4f7);--ac:var(--allparty-accent,#1d4ed8);--af:var(--allparty-accent-fg,#fff);--fo:var(--allparty-focus,#1d4ed8);font:var(--allparty-font-size,16px)/1.5 var(--allparty-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);color:var(--fg);text-align:left;-webkit-text-size-adjust:100%}
.$root$.$dark$ {--bg:var(--allparty-dark-bg,#17191e);--fg:var(--allparty-dark-fg,#eef0f4);--mu:var(--allparty-dark-muted,#b7bdc9);--bd:var(--allparty-dark-border,#464c5a);--sf:var(--allparty-dark-surface,#23262e);--ac:var(--allparty-dark-accent,#9db7ff);--af:var(--allparty-dark-accent-fg,#0b1020);--fo:var(--allparty-dark-focus,#c6d5ff)}
.$layer$,.$overlay$ {position:fixed;z-index:var(--allparty-z,2147483000);display:flex;justify-content:center;padding:12px}
.$layer$ {left:0;right:0;bottom:0;pointer-events:none}
.$overlay$ {inset:0;align-items:center;background:var(--allparty-backdrop,rgba(10,12,16,.55))}
.$card$ {pointer-events:auto;width:100%;max-width:46rem;max-height:calc(100vh - 24px);overflow:auto;background:var(--bg);color:var(--fg);border:1px solid var(--bd);border-radius:var(--allparty-radius,12px);box-shadow:0 10px 40px rgba(0,0,0,.28);padding:20px}
.$modal$ {display:flex;flex-direction:column;padding:0;max-width:42rem;overflow:hidden}
.$narrow$ {max-width:32rem}
.$header$ {display:flex;align-items:center;justify-content:space-between;gap:12px;padding:14px 20px;border-bottom:1px solid var(--bd)}
.$scroll$ {overflow:auto;padding:16px 20px;flex:1 1 auto;min-height:0}
.$footer$ {padding:14px 20px;border-top:1px solid var(--bd)}
.$footer$ .$actions$ {margin:0}
h2{font-size:1.25em;line-height:1.3;margin:0 0 8px}
.$header$ h2{margin:0}
h3{font-size:1em;line-height:1.3;margin:0}
p{margin:0 0 10px}
.$small$ {font-size:.875em;color:var(--mu);margin:4px 0 0}
.$actions$ {display:flex;flex-wrap:wrap;gap:10px;margin-top:14px}
.$equal$ {display:grid;grid-template-columns:1fr 1fr;grid-auto-rows:1fr;gap:10px;flex:1 1 18rem}
.$button$ {font:inherit;font-weight:600;min-height:44px;padding:10px 18px;border-radius:8px;border:2px solid var(--ac);cursor:pointer;line-height:1.25}
.$primary$ {background:var(--ac);color:var(--af)}
.$secondary$ {background:var(--bg);color:var(--fg);border-color:var(--mu);flex:0 1 auto}
.$link$ {font:inherit;background:none;border:0;padding:0;color:var(--ac);text-decoration:underline;cursor:pointer}
a{color:var(--ac)}
:focus-visible{outline:3px solid var(--fo);outline-offset:2px}
.$card$:focus{outline:none}
.$close$ {flex:none;width:44px;height:44px;display:grid;place-items:center;background:none;border:0;border-radius:8px;color:var(--fg);cursor:pointer}
.$placeholder$ {height:100%;overflow:auto;display:flex;flex-direction:column;justify-content:center;gap:4px;padding:16px;background:var(--sf);color:var(--fg);border:1px solid var(--bd);border-radius:var(--allparty-radius,12px)}
.$placeholder$ .$equal$ {flex:none;margin-top:8px}
.$note$ {background:var(--sf);border-left:4px solid var(--ac);border-radius:6px;padding:8px 12px}
.$purpose$ {border-top:1px solid var(--bd);padding:14px 0 6px}
.$row$ {display:flex;align-items:center;justify-content:space-between;gap:12px}
ul{list-style:none;margin:8px 0 0;padding:0}
li{background:var(--sf);border-radius:8px;padding:10px 12px;margin:0 0 8px}
.$switch$ {appearance:none;-webkit-appearance:none;flex:none;width:46px;height:28px;border-radius:14px;background:var(--mu);position:relative;cursor:pointer;margin:0;border:2px solid var(--mu);transition:background .15s}
.$switch$::before{content:"";position:absolute;top:2px;left:2px;width:20px;height:20px;border-radius:50%;background:var(--bg);transition:transform .15s}
.$switch$:checked{background:var(--ac);border-color:var(--ac)}
.$switch$:checked::before{transform:translateX(18px)}
.$switch$:disabled{cursor:not-allowed;opacity:.6}
@media (max-width:520px){.$card$ {padding:16px}.$modal$ {padding:0}.$header$,.$scroll$,.$footer$ {padding-left:16px;padding-right:16px}.$equal$ {grid-template-columns:1fr;flex-basis:100%}.$secondary$ {flex-basis:100%}}
@media (prefers-reduced-motion:reduce){*{transition:none!important;animation:none!important}}
@media (forced-colors:active){.$switch$ {border-color:CanvasText}.$switch$:checked::before{background:CanvasText}}`;
