/**
 * One file the spec generates: a file of the manifest repository, a workflow of an application
 * repository, or a file of a new platform repository. Every writer (the checkout writer, the build
 * output directories) takes these, whoever produced them.
 */
export interface GeneratedFile {
  /** Path relative to the repository root, with `/` separators. */
  readonly path: string;
  /** File content. */
  readonly content: string;
}

/**
 * One file of the manifest repository.
 *
 * @deprecated use {@link GeneratedFile}, the same shape under a name that covers workflow files too
 */
export interface ManifestFile extends GeneratedFile {}
