// Compare a scanner JSON report ({findings:[{path,line,rule,...}]}) with the corpus manifest.
import path from 'node:path';

function normPath(p, root) {
  if (typeof p !== 'string') return null;
  let s = p.replace(/\\/g, '/');
  const r = path.resolve(root).replace(/\\/g, '/');
  if (s.startsWith(r + '/')) s = s.slice(r.length + 1);
  else {
    const rel = path.relative(process.cwd(), root).replace(/\\/g, '/');
    if (rel && s.startsWith(rel + '/')) s = s.slice(rel.length + 1);
  }
  return s.replace(/^\.\//, '');
}

export function checkRecall(report, manifest, root) {
  const findings = Array.isArray(report?.findings) ? report.findings : [];
  const keyAt = new Map(manifest.keys.map((k) => [`${k.path}:${k.line}`, k]));
  const at = new Map(); // "path:line" -> findings
  for (const f of findings) {
    const p = normPath(f.path ?? f.origin?.path ?? f.location?.path, root);
    const line = f.line ?? f.location?.line ?? f.origin?.line;
    const k = `${p}:${line}`;
    if (!at.has(k)) at.set(k, []);
    at.get(k).push(f);
  }
  const decoyAt = new Map(manifest.decoys.map((d) => [`${d.path}:${d.line}`, d]));
  const missed = manifest.keys.filter((k) => !at.has(`${k.path}:${k.line}`));
  // When findings carry keySha256 (spreeflo-scan's JSON report does), check it is the planted key.
  let hashChecked = 0, hashMismatch = 0;
  const confidence = {};
  for (const k of manifest.keys) {
    for (const f of at.get(`${k.path}:${k.line}`) || []) {
      if (f.confidence) confidence[f.confidence] = (confidence[f.confidence] || 0) + 1;
      if (typeof f.keySha256 === 'string') { hashChecked++; if (f.keySha256 !== k.sha256) hashMismatch++; }
    }
  }
  const suppressedAtKeys = (Array.isArray(report?.suppressed) ? report.suppressed : [])
    .filter((s) => keyAt.has(`${normPath(s.path, root)}:${s.line}`)).length;
  const rulesByKind = {};
  for (const k of manifest.keys) {
    for (const f of at.get(`${k.path}:${k.line}`) || []) {
      (rulesByKind[k.kind] ??= new Set()).add(String(f.rule ?? f.ruleId ?? '?'));
    }
  }
  const fpAtDecoys = [], fpElsewhere = [];
  let duplicates = 0;
  for (const [k, fs] of at) {
    if (keyAt.has(k)) { duplicates += fs.length - 1; continue; }
    const d = decoyAt.get(k);
    for (const f of fs) (d ? fpAtDecoys : fpElsewhere).push({ where: k, rule: String(f.rule ?? f.ruleId ?? '?'), decoy: d?.kind });
  }
  return {
    findings: findings.length,
    found: manifest.keys.length - missed.length,
    total: manifest.keys.length,
    missed: missed.map((k) => ({ where: `${k.path}:${k.line}`, kind: k.kind })),
    fpAtDecoys, fpElsewhere, duplicates, hashChecked, hashMismatch, confidence, suppressedAtKeys,
    summary: report?.summary ?? null,
    rulesByKind: Object.fromEntries(Object.entries(rulesByKind).map(([k, v]) => [k, [...v]])),
  };
}
