import { stringify } from 'yaml';

/** YAML as the manifests are committed: no line folding (long annotations stay on one line). */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false });
}

/** Several documents in one file. */
export function toYamlDocuments(values: unknown[]): string {
  return values.map(toYaml).join('---\n');
}
