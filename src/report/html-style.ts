// The stylesheet of the HTML report, inlined in its <style> (the CSP allows inline styles only).
export const STYLE = `
:root{--fg:#1f2933;--muted:#607080;--line:#e3e8ee;--bg:#f7f9fb;--accent:#0b5cad;--err:#c62828;--warn:#b26a00;--ok:#2e7d32}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
nav{position:sticky;top:0;z-index:1;display:flex;flex-wrap:wrap;gap:4px 14px;padding:8px 24px;background:#17324d;}
nav a{color:#dbe8f5;text-decoration:none;font-size:13px}
nav a:hover{color:#fff;text-decoration:underline}
main{max-width:1280px;margin:0 auto;padding:8px 24px 48px}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:4px 20px 16px;margin:16px 0;overflow-x:auto}
h1{font-size:24px;margin:14px 0 6px}
h2{font-size:19px;margin:14px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:16px 0 6px;color:#2b3d50}
table{border-collapse:collapse;margin:6px 0;font-size:12.5px}
th,td{border-bottom:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f0f4f8;font-weight:600;white-space:nowrap}
tr:hover td{background:#f8fbff}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f3f5f7;border-radius:3px;padding:0 3px;overflow-wrap:anywhere}
pre{font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f6f8fa;border:1px solid var(--line);border-radius:6px;padding:8px 10px;overflow-x:auto;white-space:pre-wrap;word-break:break-all;max-height:420px}
a{color:var(--accent)}
figure{margin:10px 0 18px}
figcaption{font-weight:600;margin:4px 0;color:#2b3d50}
.scroll{overflow-x:auto}
.grid{display:flex;flex-wrap:wrap;gap:8px 18px}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:12px;color:var(--muted)}
.key i{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;vertical-align:-2px}
svg text{font:11px system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;fill:#37474f}
svg text.label,svg text.msg{font:11px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
svg text.tick,svg text.dur,svg text.reply{fill:#78909c;font-size:10px}
svg text.htitle{font-weight:600}
svg text.pname{fill:#fff;font-weight:600}
svg a text{fill:var(--accent)}
details{border-bottom:1px solid var(--line);padding:3px 0}
details[open]{background:#fbfcfd}
details.err>summary .st{color:var(--err)}
summary{cursor:pointer;font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2px 0}
summary .id{color:var(--muted)}
summary .m{font-weight:700}
summary .svc,summary .ms{color:var(--muted)}
.st.ok{color:var(--ok)}.st.err{color:var(--err)}.st.warn{color:var(--warn)}
details:target{outline:2px solid var(--accent);outline-offset:2px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0;font-size:12.5px}
dt{color:var(--muted)}
dd{margin:0}
h4{margin:10px 0 4px;font-size:12.5px;color:var(--muted)}
.finding{color:var(--err);margin:4px 0}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0 4px}
.card{flex:1 1 180px;border:1px solid var(--line);border-left:4px solid var(--accent);border-radius:6px;padding:8px 12px;background:#fbfdff}
.card.bad{border-left-color:var(--err)}
.card b{display:block;font-size:22px;line-height:1.2}
.card span{display:block;font-weight:600;color:#2b3d50}
.card small{display:block;color:var(--muted);white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
td{max-width:560px;overflow-wrap:break-word}
td code{overflow-wrap:anywhere}
th,td.num{white-space:nowrap}
td code{white-space:normal}
td.nowrap code{overflow-wrap:normal}
td.nowrap,.nowrap{white-space:nowrap}
td.where{color:var(--muted);font-size:12px;max-width:320px}
.muted{color:var(--muted)}
small{color:var(--muted);font-weight:400}
.badge{display:inline-block;padding:0 7px;border-radius:9px;font-size:11.5px;font-weight:700;line-height:18px;text-transform:uppercase;letter-spacing:.02em;background:#eceff1;color:#37474f}
.badge.error,.badge.failed,.badge.missing,.badge.mismatched{background:#fdecea;color:var(--err)}
.badge.warning,.badge.incomplete,.badge.out-of-order,.badge.unexpected{background:#fff4e0;color:var(--warn)}
.badge.info,.badge.skipped{background:#e8f0fe;color:var(--accent)}
.badge.complete,.badge.matched{background:#e8f5e9;color:var(--ok)}
tr.sev-error td.msg{color:#8e1b1b}
.verdict{border:1px solid var(--line);border-left:6px solid var(--ok);border-radius:8px;padding:10px 14px;margin:12px 0;background:#fcfefc}
.verdict.failed{border-left-color:var(--err);background:#fffafa}
.verdict.incomplete{border-left-color:var(--warn);background:#fffdf7}
.vhead{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 10px;margin-bottom:8px}
.vhead b{font:600 14px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.vhead .counts{margin-left:auto;color:var(--muted);font-size:12px}
.steps{display:flex;flex-wrap:wrap;gap:5px}
.step{display:inline-flex;align-items:baseline;gap:4px;padding:2px 8px;border-radius:4px;font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-decoration:none;border:1px solid #c8e6c9;background:#f1f8f1;color:#1b5e20}
a.step:hover{text-decoration:underline}
.step .n{color:var(--muted);font-size:10.5px}
.step small{font-size:10.5px}
.step.skipped{border-color:#cfd8dc;background:#f5f7f8;color:#607d8b;border-style:dashed}
.step.failed,.step.missing,.step.mismatched{border-color:#ef9a9a;background:#fdecea;color:var(--err);font-weight:700}
.step.out-of-order,.step.unexpected{border-color:#ffcc80;background:#fff4e0;color:var(--warn);font-weight:700}
.problems{margin:10px 0 2px;padding-left:26px}
.problems li{margin:6px 0;overflow-wrap:anywhere}
.dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:5px}
.key i.srv{background:#90a4ae;opacity:.55}
.key i.err{background:var(--err);border:0}
.key i.ev{background:#8e24aa;transform:rotate(45deg) scale(.8);border-radius:1px}
details.panel{border:0;margin:10px 0}
details.panel>summary{font:600 14px system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#2b3d50}
figcaption small,details.panel small{margin-left:6px;font-size:12px}
svg text.psub{fill:#fff;font-size:10px;opacity:.9}
svg text.note{font:11px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;fill:#4a148c}
svg text.reply.err,svg text.dur.err{fill:var(--err);font-weight:600}
svg text.label.event{fill:#6a1b9a}
svg a text.label.event{fill:#6a1b9a}
svg text.clock{font-weight:600;fill:#455a64}
tr:target td{background:#fff8e1}
`;
