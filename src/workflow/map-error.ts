/** One problem of a value-stream map: where it is (key path) and what to do about it. */
export interface MapIssue {
  /** key path inside the map, e.g. `stages[2].kind`; '' for the map as a whole */
  path: string;
  message: string;
}

/**
 * A value-stream map that cannot be used. The message names the file, the
 * key path and the fix of every problem, one per line.
 */
export class MapError extends Error {
  readonly fileName: string;
  readonly issues: MapIssue[];
  constructor(fileName: string, issues: MapIssue[]) {
    super(issues.map((issue) => `${fileName}${issue.path ? `, ${issue.path}` : ''}: ${issue.message}`).join('\n'));
    this.name = 'MapError';
    this.fileName = fileName;
    this.issues = issues;
  }
}

/** `['stages', 2, 'kind']` → `stages[2].kind` */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');
}
