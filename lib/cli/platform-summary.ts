/** How many names a summary lists before it says how many more there are. */
const LISTED = 5;

/** `1 app (main)`, `7 apps (a, b, c, d, e and 2 more)`. */
export function counted(names: string[], one: string, many = `${one}s`): string {
  const listed = names.length > LISTED ? `${names.slice(0, LISTED).join(', ')} and ${names.length - LISTED} more` : names.join(', ');
  return `${names.length} ${names.length === 1 ? one : many} (${listed})`;
}
