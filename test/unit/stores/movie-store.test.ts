import { memoryMovieStore } from '../../support/memory-movie-store.js';
import { describeMovieStore } from '../../support/store-suites/movie-store.js';

describeMovieStore('in memory', async () => ({ store: memoryMovieStore([]).store }));
