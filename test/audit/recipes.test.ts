// The ready recipes the README points to are real files: each parses, splits the list into
// as many shards as it runs, passes each its own shard, and ends in one merge of them all.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';

type Yaml = Record<string, any>;

const scripts = (steps: Yaml[]) => steps.map((s) => String(s.run ?? '')).join('\n');

describe('GitHub Actions workflow (examples/audit/github-actions.yml)', () => {
  const flow = parse(readFileSync('examples/audit/github-actions.yml', 'utf8')) as Yaml;

  it('a matrix of shards, each auditing its own shard of the same list and uploading its results', () => {
    const audit = flow.jobs.audit;
    const shards: number[] = audit.strategy.matrix.shard;
    expect(shards).toEqual([...shards.keys()]);
    expect(Number(flow.env.SHARDS)).toBe(shards.length);
    expect(audit.strategy['fail-fast']).toBe(false);
    expect(scripts(audit.steps)).toMatch(/spreeflo-scan@\S+ audit --repos repos\.txt --shard "\$\{\{ matrix\.shard \}\}\/\$SHARDS"[^\n]*\n?[^\n]*--state state --carry-keys/);
    const upload = audit.steps.find((s: Yaml) => String(s.uses).startsWith('actions/upload-artifact'));
    expect(upload.with).toMatchObject({ name: 'audit-shard-${{ matrix.shard }}', path: 'state/results.jsonl' });
  });

  it('one merge job after every shard, verifying with the sealing secret', () => {
    const merge = flow.jobs.merge;
    expect(merge.needs).toBe('audit');
    const download = merge.steps.find((s: Yaml) => String(s.uses).startsWith('actions/download-artifact'));
    expect(download.with.pattern).toBe('audit-shard-*');
    expect(scripts(merge.steps)).toMatch(/spreeflo-scan@\S+ merge shards\/\*\/results\.jsonl --verify/);
    expect(merge.steps.find((s: Yaml) => s.run?.includes(' merge ')).env.SPREEFLO_SCAN_AUDIT_SECRET).toBe('${{ secrets.SPREEFLO_SCAN_AUDIT_SECRET }}');
  });
});

describe('Kubernetes Indexed Job (examples/audit/kubernetes-indexed-job.yaml)', () => {
  const docs = parseAllDocuments(readFileSync('examples/audit/kubernetes-indexed-job.yaml', 'utf8')).map((d) => d.toJS() as Yaml);
  const job = (name: string) => docs.find((d) => d.kind === 'Job' && d.metadata.name === name)!;

  it('an Indexed Job of N completions, each pod auditing shard JOB_COMPLETION_INDEX of N into its own state folder', () => {
    const audit = job('spreeflo-audit');
    expect(audit.spec.completionMode).toBe('Indexed');
    const container = audit.spec.template.spec.containers[0];
    const shards = container.env.find((e: Yaml) => e.name === 'SHARDS').value;
    expect(Number(shards)).toBe(audit.spec.completions);
    const script = container.command.join(' ');
    expect(script).toContain('--shard "$JOB_COMPLETION_INDEX/$SHARDS"');
    expect(script).toContain('--state "/data/shard-$JOB_COMPLETION_INDEX"');
    expect(script).toContain('--carry-keys');
  });

  it('a merge Job that waits for the audit and merges every shard with --verify', () => {
    const merge = job('spreeflo-audit-merge');
    expect(merge.spec.template.spec.initContainers[0].command).toEqual(expect.arrayContaining(['wait', 'job/spreeflo-audit']));
    expect(merge.spec.template.spec.containers[0].command.join(' ')).toMatch(/merge \/data\/shard-\*\/results\.jsonl --verify/);
    const claims = [job('spreeflo-audit'), merge].map((j) => j.spec.template.spec.volumes.find((v: Yaml) => v.name === 'data').persistentVolumeClaim.claimName);
    expect(new Set(claims).size).toBe(1);
  });
});
