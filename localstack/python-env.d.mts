/** Types of python-env.mjs (plain Node, so that ensure-deps.mjs can run it before anything is installed). */
export declare const MINISTACK_VERSION: string;
export declare const SCHEMATHESIS_VERSION: string;
export type PythonSet = 'stack' | 'test-tools';
export declare const PYTHON_SETS: Readonly<
  Record<PythonSet, { what: string; bin: string; packages: readonly string[] }>
>;
/** True when every package of the set is installed at its pin. */
export declare function isInstalled(name: PythonSet): boolean;
/** Installs the set into localstack/.venv (made first if missing) unless it is there; returns its command. */
export declare function ensurePythonSet(name: PythonSet, log?: (line: string) => void): string;
