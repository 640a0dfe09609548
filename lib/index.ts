// The public API. This file only re-exports; see API.md for the documentation of every export.

export * from './spec/types';
export * from './spec/resolved';
export * from './spec/platform';
export { PlatformSpecLoader } from './spec/loader';
export { AccountResolver, AccountResolverOptions, AccountSource, ResolvedAccount } from './spec/account';
