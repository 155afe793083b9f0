/** Types of python-env.mjs (plain Node, so that ensure-deps.mjs can run it before anything is installed). */
export type PythonSet = 'stack' | 'test-tools';
/** True when every package of the set is installed at its pin. */
export declare function isInstalled(name: PythonSet): boolean;
/** Installs the set into localstack/.venv (made first if missing) unless it is there; returns its command. */
export declare function ensurePythonSet(name: PythonSet, log?: (line: string) => void): string;
