import { readEnv } from '../shared/env.js';
import { readTables, tableEnv } from '../shared/service.js';
import { moviesService } from './service.js';

/** Read at cold start by the movies HTTP function: the movies table (it has no access to holds). */
export const moviesEnv = () => readEnv({ table: tableEnv(moviesService.name, 'movies') });

/** Read at cold start by the movies RPC function: the movies table and the holds table. */
export const seatsEnv = () => readTables(moviesService);
