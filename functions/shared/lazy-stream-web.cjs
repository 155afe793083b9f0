/**
 * Stands in for `node:stream/web` in every function bundle (an esbuild alias,
 * lib/bundles/build-options.ts). @middy/core imports `ReadableStream` from it for
 * streamed responses only, which no function uses, yet loading the module
 * costs ~2 ms of every cold start. Each export here is a getter that loads
 * the real module the first time it is read; the values are the same objects.
 */
const id = 'node:stream/web'; // a variable, so the bundler neither follows nor aliases it
const names = [
  'ReadableStream',
  'ReadableStreamDefaultReader',
  'ReadableStreamBYOBReader',
  'ReadableStreamBYOBRequest',
  'ReadableByteStreamController',
  'ReadableStreamDefaultController',
  'TransformStream',
  'TransformStreamDefaultController',
  'WritableStream',
  'WritableStreamDefaultWriter',
  'WritableStreamDefaultController',
  'ByteLengthQueuingStrategy',
  'CountQueuingStrategy',
  'TextEncoderStream',
  'TextDecoderStream',
  'CompressionStream',
  'DecompressionStream',
];
for (const name of names) {
  Object.defineProperty(module.exports, name, { enumerable: true, get: () => require(id)[name] });
}
