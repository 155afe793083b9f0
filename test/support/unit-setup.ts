import { catchEmf } from './emf.js';

// Every unit test file: the metrics functions write are caught, for the tests that read them.
catchEmf();
