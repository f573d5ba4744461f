// class-transformer 0.5 ships these CommonJS modules without declarations beside them; their
// types are published under types/. The storage is the singleton its decorators write to.
declare module 'class-transformer/cjs/storage.js' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage.js';
}
declare module 'class-transformer/cjs/constants/default-options.constant.js' {
  export { defaultOptions } from 'class-transformer/types/constants/default-options.constant.js';
}
