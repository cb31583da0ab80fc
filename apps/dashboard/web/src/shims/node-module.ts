// node:module for the browser: nothing can be require()d, so native bindings fall back to pure JS.
export function createRequire(): (id: string) => never {
  return (id: string) => {
    throw new Error(`${id} cannot be loaded in the browser`);
  };
}
export default { createRequire };
