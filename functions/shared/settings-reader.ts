/**
 * The rule of live settings, apart from where they are stored: the watched
 * keys, their last good values, and what a refresh does with what it reads
 * (functions/shared/live-settings.ts runs it over SSM Parameter Store).
 * Pure: no AWS imports, so unit tests drive it with a fake source.
 */
import {
  type Parsed,
  parameterName,
  parseSetting,
  SETTINGS,
  type SettingName,
  type SettingValue,
  settingOf,
} from './settings.js';

/** How long a value read is used before it is read again (Powertools Parameters' cache). */
export const SETTINGS_MAX_AGE_SECONDS = 30;

/** Where values come from: the text of each parameter found, by parameter name. */
export interface SettingsSource {
  read(names: readonly string[]): Promise<Readonly<Record<string, string | undefined>>>;
}

/** What the settings log: a refused value (ERROR), an unreadable store (WARN). */
export interface SettingsLog {
  error(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
}

export interface LiveSettingsOptions {
  /** The stack's parameter prefix (`/Microservices/`). */
  prefix: string;
  source: SettingsSource;
  log: SettingsLog;
  /** After a failed read, how long to go on with the current values before trying again. */
  retryAfterMs?: number;
  now?: () => number;
}

interface Watched {
  name: SettingName;
  current: unknown;
  /** The last text read, good or refused: the same text again changes nothing and logs nothing. */
  lastText?: string;
  listeners: ((value: never) => void)[];
}

/**
 * The live settings of one execution environment. Each watched key starts at
 * its deployed default (the catalogue's); {@link refresh} reads every
 * watched key at once and applies the values that pass their schema. A value
 * that fails it is refused: the key keeps its last good value and an ERROR
 * naming the key is logged (once per refused text). A missing parameter or
 * an unreadable store changes nothing.
 */
export function liveSettings({
  prefix,
  source,
  log,
  retryAfterMs = SETTINGS_MAX_AGE_SECONDS * 1000,
  now = Date.now,
}: LiveSettingsOptions) {
  const watched = new Map<string, Watched>();
  let inFlight: Promise<void> | undefined;
  let pausedUntil = 0;

  const apply = (key: string, entry: Watched, text: string): void => {
    if (text === entry.lastText) return;
    entry.lastText = text;
    const parsed = parseSetting(entry.name, text) as Parsed<unknown>;
    if (!parsed.ok) {
      log.error(`live setting ${key} refused: ${parsed.message}; keeping ${String(entry.current)}`, {
        setting: key,
        value: text,
        kept: entry.current,
      });
      return;
    }
    if (parsed.value === entry.current) return;
    entry.current = parsed.value;
    for (const listener of entry.listeners) (listener as (value: unknown) => void)(parsed.value);
  };

  const read = async (): Promise<void> => {
    const keys = [...watched.keys()];
    try {
      const values = await source.read(keys.map((key) => parameterName(prefix, key)));
      for (const key of keys) {
        const text = values[parameterName(prefix, key)];
        if (text !== undefined) apply(key, watched.get(key) as Watched, text);
      }
    } catch (error) {
      pausedUntil = now() + retryAfterMs;
      log.warn('live settings unreadable: keeping the current values', { error });
    }
  };

  return {
    /**
     * Watches a key (a no-op if already watched) and returns its current
     * value's getter; `onChange` runs with every new good value.
     */
    watch<N extends SettingName>(
      key: string,
      onChange?: (value: SettingValue<N>) => void,
    ): () => SettingValue<N> {
      const ref = settingOf(key);
      if (!ref) throw new Error(`no live setting is named ${key}`);
      let entry = watched.get(key);
      if (!entry) {
        const initial = parseSetting(ref.name, defaultText(ref.name));
        if (!initial.ok) throw new Error(`the default of ${key} fails its schema: ${initial.message}`);
        entry = { name: ref.name, current: initial.value, listeners: [] };
        watched.set(key, entry);
      }
      if (onChange) entry.listeners.push(onChange as (value: never) => void);
      const found = entry;
      return () => found.current as SettingValue<N>;
    },

    /** Reads every watched key (concurrent callers share one read); never throws. */
    refresh(): Promise<void> {
      if (watched.size === 0 || now() < pausedUntil) return Promise.resolve();
      inFlight ??= read().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}

export type LiveSettings = ReturnType<typeof liveSettings>;

const defaultText = (name: SettingName): string => SETTINGS[name].default;
