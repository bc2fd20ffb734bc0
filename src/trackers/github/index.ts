export { verify } from './verify.ts';
export { parse } from './parse.ts';
export { normalize } from './normalize.ts';
