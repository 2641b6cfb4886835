// Medians, the ratio of wl (its default syncer) to each peer measured in the same run, and the
// targets of issues 6 and 18.

export const CASES = [
  { key: "standard/initial", corpus: "standard", step: "initial", title: "standard: initial pass" },
  { key: "standard/no-change", corpus: "standard", step: "no-change", title: "standard: no-change pass" },
  { key: "standard/1%-changed", corpus: "standard", step: "1%-changed", title: "standard: 1% changed" },
  { key: "scale/initial", corpus: "scale", step: "initial", title: "scale: initial pass" },
  { key: "scale/no-change", corpus: "scale", step: "no-change", title: "scale: no-change pass" },
  { key: "million/initial", corpus: "million", step: "initial", title: "million: initial pass" },
  { key: "million/no-change", corpus: "million", step: "no-change", title: "million: no-change pass" },
];

/** The tool the targets and ratios are about: wl with the syncer it picks by itself. */
export const WL = "wl";

export function median(values) {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Per case and tool: median seconds of the successful runs, peak RSS over all runs, failures. */
export function summarize(samples, tools) {
  const rows = [];
  for (const c of CASES) {
    for (const tool of tools) {
      const mine = samples.filter((s) => s.case === c.key && s.tool === tool.id);
      if (tool.missing) {
        rows.push({ case: c.key, tool: tool.id, label: tool.label, missing: tool.missing });
        continue;
      }
      if (!mine.length) continue;
      const ok = mine.filter((s) => s.ok);
      const rss = mine.map((s) => s.maxRssKb).filter((x) => x);
      rows.push({
        case: c.key,
        tool: tool.id,
        label: tool.label,
        runs: mine.length,
        failed: mine.length - ok.length,
        failures: [...new Set(mine.filter((s) => !s.ok).map((s) => s.problem))],
        seconds: median(ok.map((s) => s.seconds)),
        cpuSeconds: median(ok.map((s) => s.cpuSeconds).filter((x) => x !== null && x !== undefined)),
        maxRssMb: rss.length ? Math.max(...rss) / 1024 : null,
        load1: median(mine.map((s) => s.load1).filter((x) => x !== undefined)),
      });
    }
  }
  for (const row of rows) {
    const wl = rows.find((r) => r.case === row.case && r.tool === WL);
    if (!row.tool.startsWith("wl") && wl?.seconds && row.seconds) row.wlRatio = wl.seconds / row.seconds;
  }
  return rows;
}

const fmt = (x, digits = 2) => (x === null || x === undefined ? "-" : x.toFixed(digits));

export function renderTable(rows) {
  const header = ["case", "tool", "median s", "cpu s", "runs", "max RSS MB", "load 1 min", "wl / tool"];
  const lines = rows.map((r) => {
    if (r.missing) return [r.case, r.label, "missing", "-", "-", "-", "-", "-"];
    const runs = r.failed ? `${r.runs - r.failed}/${r.runs} ok` : String(r.runs);
    return [r.case, r.label, r.seconds === null ? "failed" : fmt(r.seconds, 3), fmt(r.cpuSeconds), runs, fmt(r.maxRssMb, 0), fmt(r.load1, 1), r.wlRatio ? `${fmt(r.wlRatio)}x` : "-"];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells) => `| ${cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(" | ")} |`;
  const out = [row(header), `|${widths.map((w, i) => (i >= 2 ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`];
  let previous = "";
  for (const l of lines) {
    out.push(row(l[0] === previous ? ["", ...l.slice(1)] : l));
    previous = l[0];
  }
  return out.join("\n");
}

/** The targets of issues 18 and 6, each { name, target, measured, pass } (pass null when not measurable). */
export function evaluateTargets(rows, large) {
  const get = (key, tool) => rows.find((r) => r.case === key && r.tool === tool);
  const ratio = (key, peer) => {
    const wl = get(key, WL);
    const p = get(key, peer);
    if (!wl?.seconds || !p?.seconds) return null;
    return wl.seconds / p.seconds;
  };
  const targets = [];
  const vsPeer = (key, peer, peerLabel) => {
    const r = ratio(key, peer);
    const p = get(key, peer);
    targets.push({
      name: `${key}: wl vs ${peerLabel}`,
      target: "<= 1.00x",
      measured: r === null ? (p?.missing ? `${peerLabel} missing` : "not measured") : `${fmt(r)}x (${fmt(get(key, WL).seconds, 3)} s vs ${fmt(p.seconds, 3)} s)`,
      pass: r === null ? null : r <= 1.0,
    });
  };
  vsPeer("standard/initial", "rsync", "rsync -a");
  vsPeer("standard/no-change", "unison", "unison -batch");
  vsPeer("standard/1%-changed", "unison", "unison -batch");
  vsPeer("million/no-change", "unison", "unison -batch");
  const millionRss = ["million/initial", "million/no-change"].map((k) => [k, get(k, WL)?.maxRssMb]).filter(([, x]) => x);
  targets.push({
    name: "million: wl peak RSS, initial and no-change",
    target: "< 200 MB",
    measured: millionRss.length ? millionRss.map(([k, x]) => `${k.split("/")[1]} ${fmt(x, 0)} MB`).join(", ") : "not measured",
    pass: millionRss.length ? Math.max(...millionRss.map(([, x]) => x)) < 200 : null,
  });
  const scaleNoop = get("scale/no-change", WL)?.seconds;
  const stdNoop = get("standard/no-change", WL)?.seconds;
  targets.push({
    name: "scale/no-change: wl vs its standard no-change",
    target: "<= 10x",
    measured: scaleNoop && stdNoop ? `${fmt(scaleNoop / stdNoop, 1)}x (${fmt(scaleNoop, 3)} s vs ${fmt(stdNoop, 3)} s)` : "not measured",
    pass: scaleNoop && stdNoop ? scaleNoop / stdNoop <= 10 : null,
  });
  const rss = ["scale/initial", "scale/no-change"].map((k) => get(k, WL)?.maxRssMb).filter((x) => x);
  targets.push({
    name: "scale: wl peak RSS",
    target: "< 300 MB",
    measured: rss.length ? `${fmt(Math.max(...rss), 0)} MB` : "not measured",
    pass: rss.length ? Math.max(...rss) < 300 : null,
  });
  if (large) {
    const pct = large.engineRate && large.opensslRate ? large.engineRate / large.opensslRate : null;
    targets.push({
      name: "large files: wl hash+copy rate vs openssl sha256 (1 core, 16 KB blocks)",
      target: ">= 60%",
      measured:
        pct === null
          ? large.problem || "not measured"
          : `${fmt(100 * pct, 0)}% (${fmt(large.engineRate / 1e6, 0)} MB/s in the pass, ${fmt(large.wallRate / 1e6, 0)} MB/s counting process start; openssl ${fmt(large.opensslRate / 1e6, 0)} MB/s)`,
      pass: pct === null ? null : pct >= 0.6,
    });
  }
  return targets;
}

export function renderTargets(targets) {
  return targets
    .map((t) => `${t.pass === null ? "n/a " : t.pass ? "PASS" : "FAIL"}  ${t.name}: ${t.measured}; target ${t.target}`)
    .join("\n");
}
