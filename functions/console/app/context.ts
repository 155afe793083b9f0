/// <reference lib="dom" />
/** What every page gets: the API client, the session keeper, and where to go next. */
import { type Api, createApi, publicPost } from './api.js';
import { SessionKeeper, type TokenAnswer } from './session.js';

export interface ConsoleConfig {
  liveFeedApiId: string;
  liveFeedStage: string;
  liveFeedUrl: string;
}

export interface Services {
  api: Api;
  keeper: SessionKeeper;
  config: ConsoleConfig;
}

export function createServices(config: ConsoleConfig): Services {
  const keeper = new SessionKeeper({
    storage: localStorage,
    refresh: () => publicPost<TokenAnswer>('auth/refresh'),
    logOut: () => publicPost('auth/logout'),
    now: () => Date.now(),
    setTimer: (callback, ms) => setTimeout(callback, Math.min(ms, 2 ** 31 - 1)),
    clearTimer: (handle) => clearTimeout(handle as number),
  });
  return { api: createApi(keeper), keeper, config };
}

export const navigate = (route: string) => {
  location.hash = `#/${route}`;
};
