// Types of packed-app.mjs (plain JavaScript, so that tests/browser/run.mjs can import it).
/** The repository's root folder. */
export declare const root: string;
/** Runs a command and returns its stdout; on failure the error carries stderr too. */
export declare function run(cmd: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): string;
/** Packs the repository into `work` and installs the tarball, with `extra` packages, into `work/app`. */
export declare function installPackedApp(work: string, extra?: string[]): { app: string; tarball: string };
