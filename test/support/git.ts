// Real git repositories in temp folders, for the git tests.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tempDir } from './cli.js';

export class TestRepo {
  readonly dir: string;
  private tick = 0;

  constructor(dir = tempDir('sfscan-git-')) {
    this.dir = dir;
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.name', 'Dana Dev');
    this.git('config', 'user.email', 'dana@example.com');
    this.git('config', 'commit.gpgsign', 'false');
  }

  git(...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_DATE: this.date(), GIT_COMMITTER_DATE: this.date() },
    }).trim();
  }

  private date(): string {
    return `2025-01-01T10:00:${String(this.tick % 60).padStart(2, '0')}Z`;
  }

  write(files: Record<string, string | Buffer | null>): void {
    for (const [rel, content] of Object.entries(files)) {
      const abs = join(this.dir, rel);
      if (content === null) {
        rmSync(abs, { force: true });
        continue;
      }
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    }
  }

  /** Writes the files (null deletes), stages everything and commits; returns the commit id. */
  commit(message: string, files: Record<string, string | Buffer | null> = {}): string {
    this.tick++;
    this.write(files);
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }
}
