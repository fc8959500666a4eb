// Whether text for a stream gets colours. picocolors decides once for stdout and reads
// FORCE_COLOR=0 as "force colour on"; the report and stderr each need their own answer.

/**
 * `--no-color` wins; then NO_COLOR (any non-empty value, no-color.org); then FORCE_COLOR
 * (`0` or `false` turn colour off, anything else on, even on a pipe: CI logs render
 * colour); else colour only on a terminal that is not `TERM=dumb`.
 */
export function useColor(stream: { isTTY?: boolean }, flag: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (flag === false || env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}
