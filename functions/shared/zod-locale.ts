/**
 * English messages for every schema. zod/mini carries no locale, so its
 * built-in messages would read "Invalid input"; classic zod registers English
 * on first use. Imported for its effect by the HTTP validator and the RPC
 * contracts, so messages stay "Unrecognized key: ...", "expected string, received number".
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());
