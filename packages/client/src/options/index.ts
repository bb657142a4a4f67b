/**
 * The option tables (each option declared once: check, default, docs), their resolution, the client's
 * resolved configuration (ClientConfig), and how messages name options (vocabulary, show, suggestions).
 */
export { ClientConfig, isLoopback, resolveClientConfig } from './config.js';
export {
  fail,
  type OptionSpec,
  pick,
  type Resolved,
  refuseUnknownKeys,
  resolveOptions,
  type Schema,
} from './option-schema.js';
export type {
  ArchiveOptions,
  BranchOptions,
  BuildOptions,
  CheckpointOptions,
  ClientOptions,
  ExportOptions,
  PollOptions,
  RetryPolicy,
  RunOptions,
} from './options.generated.js';
export {
  ARCHIVE_OPTIONS,
  BASE_URL_VARIABLE,
  BRANCH_OPTIONS,
  BUILD_OPTIONS,
  CHECKPOINT_OPTIONS,
  CLIENT_OPTIONS,
  checkBranchChoice,
  DEFAULT_BASE_URL,
  EXPORT_OPTIONS,
  RUN_OPTIONS,
  TOKEN_VARIABLE,
} from './options.js';
export { show } from './show.js';
export { closest } from './suggest.js';
export { OPTION_WORDS, type Vocabulary } from './vocabulary.js';
