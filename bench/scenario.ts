// The shape of one benchmark scenario: a name to select it by, how it runs, and how its docs block reads.

export interface Scenario<R> {
  /** Selects it on the command line (`npm run bench -- <name>`) and names its block in docs/benchmarks.md. */
  name: string;
  /** Heading of its block. */
  title: string;
  /** What it measures and how, for the "Scenarios" list in the docs (markdown, may span lines). */
  about: string;
  /** Needs redis-server (checked before the build, so a missing binary fails fast). */
  needsRedis: boolean;
  run(): Promise<R>;
  /** Markdown lines of its block, below the heading and the run/machine lines. */
  render(result: R): string[];
}
