// The viewer's whole stylesheet: system fonts, one accent colour per span type, no build step.
export const STYLE = `
:root{--bg:#f6f7f9;--card:#fff;--ink:#1d2330;--muted:#6b7385;--line:#e3e6ec;--accent:#4f46e5;--err:#d92d20;--ok:#12b76a;
--llm:#6366f1;--tool:#f59e0b;--agent:#0ea5e9;--retrieval:#10b981;--http:#64748b;--custom:#a855f7;--evaluation:#ec4899;--metric:#14b8a6}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
header{background:#111827;color:#fff;padding:0 24px;display:flex;align-items:center;gap:28px;height:52px}
header .brand{font-weight:650;letter-spacing:.2px;color:#fff}header .brand span{color:#a5b4fc}
header nav a{color:#cbd5e1;margin-right:18px;font-weight:500}header nav a.on{color:#fff;border-bottom:2px solid #a5b4fc;padding-bottom:14px}
main{max-width:1320px;margin:0 auto;padding:20px 24px 48px}
h1{font-size:20px;margin:4px 0 14px;font-weight:650}h2{font-size:15px;margin:22px 0 10px;font-weight:650}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin-bottom:16px}
.stat{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 14px}
.stat b{display:block;font-size:18px;font-weight:650;white-space:nowrap}.stat small{color:var(--muted);text-transform:uppercase;font-size:11px;letter-spacing:.5px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;overflow:hidden}
form.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:end;margin-bottom:14px}
form.filters label{display:flex;flex-direction:column;font-size:11px;color:var(--muted);text-transform:uppercase;letter-spacing:.4px;gap:3px}
form.filters input,form.filters select{font:inherit;font-size:13px;padding:6px 8px;border:1px solid var(--line);border-radius:7px;background:#fff;min-width:130px}
form.filters input[type=checkbox]{min-width:0;margin:0}
form.filters label.check{flex-direction:row;align-items:center;gap:6px;text-transform:none;font-size:13px;color:var(--ink);padding-bottom:7px}
button,.btn{font:inherit;font-size:13px;background:var(--accent);color:#fff;border:0;border-radius:7px;padding:7px 14px;cursor:pointer}
.btn.ghost{background:transparent;color:var(--muted);border:1px solid var(--line)}
table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:8px 12px;border-bottom:1px solid var(--line);white-space:nowrap}
th{font-size:11px;text-transform:uppercase;letter-spacing:.4px;color:var(--muted);font-weight:600;background:#fafbfc}
tr:last-child td{border-bottom:0}tbody tr:hover{background:#f8f9ff}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.name{max-width:280px;overflow:hidden;text-overflow:ellipsis}
.badge{display:inline-block;font-size:11px;font-weight:600;padding:1px 7px;border-radius:999px;color:#fff;background:var(--custom);text-transform:lowercase}
.badge.llm{background:var(--llm)}.badge.tool{background:var(--tool)}.badge.agent{background:var(--agent)}.badge.retrieval{background:var(--retrieval)}
.badge.http{background:var(--http)}.badge.evaluation{background:var(--evaluation)}.badge.metric{background:var(--metric)}
.pill{display:inline-block;font-size:12px;padding:1px 8px;border-radius:999px;background:#eef0f6;color:#374151;margin-right:4px}
.err{color:var(--err);font-weight:600}.ok{color:var(--ok)}.muted{color:var(--muted)}
.empty{padding:36px;text-align:center;color:var(--muted)}
.meta{display:flex;flex-wrap:wrap;gap:8px 18px;margin:-4px 0 16px;color:var(--muted)}.meta b{color:var(--ink);font-weight:600}
.wf-head,.wf-row{display:grid;grid-template-columns:minmax(300px,38%) 1fr;align-items:center}
.wf-head{font-size:11px;text-transform:uppercase;letter-spacing:.4px;color:var(--muted);background:#fafbfc;border-bottom:1px solid var(--line);padding:7px 12px}
.wf-head .ticks{display:flex;justify-content:space-between}
details.span{border-bottom:1px solid var(--line)}details.span:last-child{border-bottom:0}
details.span>summary{list-style:none;cursor:pointer;padding:6px 12px}details.span>summary::-webkit-details-marker{display:none}
details.span>summary:hover{background:#f8f9ff}details.span[open]>summary{background:#f1f3ff}
.wf-label{display:flex;align-items:center;gap:7px;min-width:0;padding-right:12px}
.wf-label .nm{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.wf-label .dur{margin-left:auto;color:var(--muted);font-variant-numeric:tabular-nums;font-size:12px}
.wf-track{position:relative;height:22px;overflow:hidden;background:repeating-linear-gradient(90deg,transparent 0,transparent calc(25% - 1px),#eef0f4 calc(25% - 1px),#eef0f4 25%)}
.wf-bar{position:absolute;top:4px;height:14px;border-radius:4px;background:var(--custom);min-width:2px}
.wf-bar.llm{background:var(--llm)}.wf-bar.tool{background:var(--tool)}.wf-bar.agent{background:var(--agent)}.wf-bar.retrieval{background:var(--retrieval)}
.wf-bar.http{background:var(--http)}.wf-bar.evaluation{background:var(--evaluation)}.wf-bar.metric{background:var(--metric)}.wf-bar.error{background:var(--err)}
.wf-ttft{position:absolute;top:2px;width:2px;height:18px;background:#111827;border-radius:1px}
.wf-facts{position:absolute;top:3px;font-size:11.5px;color:#374151;white-space:nowrap;padding-left:6px}
.detail{padding:12px 16px 16px 28px;background:#fcfcfe;border-top:1px dashed var(--line)}
.facts{display:flex;flex-wrap:wrap;gap:6px 20px;margin-bottom:10px}.facts div small{display:block;color:var(--muted);font-size:11px;text-transform:uppercase;letter-spacing:.4px}
.content{display:grid;grid-template-columns:1fr 1fr;gap:12px;margin:8px 0}
.content h4,.detail h4{margin:8px 0 4px;font-size:11px;text-transform:uppercase;letter-spacing:.4px;color:var(--muted)}
pre{margin:0;background:#0f172a;color:#e2e8f0;padding:10px 12px;border-radius:8px;max-height:320px;overflow:auto;white-space:pre-wrap;word-break:break-word}
table.attrs td{padding:3px 8px;font-size:12.5px;white-space:normal;word-break:break-word;border-bottom:1px solid #f0f1f5}table.attrs td:first-child{color:var(--muted);width:34%;font-family:ui-monospace,Menlo,monospace}
.msgs{display:flex;flex-direction:column;gap:6px}.msg{border:1px solid var(--line);border-radius:8px;padding:6px 10px;background:#fff;white-space:pre-wrap;word-break:break-word}
.msg small{display:block;font-size:10.5px;text-transform:uppercase;letter-spacing:.4px;color:var(--muted);font-weight:600}
.msg .call{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;color:#374151;background:#f6f7f9;border-radius:6px;padding:3px 6px;margin-top:3px;word-break:break-all}
.msg.assistant{background:#f1f3ff;border-color:#dfe3ff}.msg.system{background:#fffbeb;border-color:#fde68a}.msg.tool{background:#ecfdf5;border-color:#a7f3d0}
.event{margin-bottom:8px}.event pre{max-height:160px;font-size:11.5px}
.bar-cell{display:flex;align-items:center;gap:8px}.bar-cell i{display:block;height:8px;border-radius:4px;background:var(--llm)}
`;
