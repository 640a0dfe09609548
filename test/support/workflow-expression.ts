/**
 * A small evaluator of GitHub Actions expressions, for the `if:` conditions of generated jobs: context
 * lookups (`github.event.pull_request.head.repo.full_name`), string, number, boolean and null
 * literals, `==`, `!=`, `!`, `&&`, `||` and parentheses, as GitHub documents them ("Evaluate
 * expressions in workflows and actions", operators): strings compare ignoring case, a missing
 * property is null, and `&&`/`||` return one of their operands. Anything else (functions, indexes,
 * other operators) is refused rather than guessed at.
 */
export function evaluateExpression(expression: string, context: Record<string, unknown>): unknown {
  const tokens = expression.match(/'(?:[^']|'')*'|==|!=|&&|\|\||[()!]|[A-Za-z_][\w.-]*|-?\d+(?:\.\d+)?|\S/g) ?? [];
  let at = 0;
  const peek = () => tokens[at];
  const next = () => tokens[at++];

  const primary = (): unknown => {
    const token = next();
    if (token === undefined) throw new Error(`evaluateExpression: '${expression}' ends early`);
    if (token === '(') {
      const value = or();
      if (next() !== ')') throw new Error(`evaluateExpression: '${expression}' misses a ')'`);
      return value;
    }
    if (token === '!') return !truthy(primary());
    if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
    if (/^-?\d/.test(token)) return Number(token);
    if (token === 'true' || token === 'false') return token === 'true';
    if (token === 'null') return null;
    if (/^[A-Za-z_]/.test(token)) {
      if (peek() === '(') throw new Error(`evaluateExpression: function ${token}() is not modelled`);
      return token.split('.').reduce<any>((object, key) => (object === null || object === undefined ? null : object[key] ?? null), context);
    }
    throw new Error(`evaluateExpression: '${token}' in '${expression}' is not modelled`);
  };
  const comparison = (): unknown => {
    const left = primary();
    const operator = peek();
    if (operator !== '==' && operator !== '!=') return left;
    next();
    const equal = looseEqual(left, primary());
    return operator === '==' ? equal : !equal;
  };
  const and = (): unknown => {
    let value = comparison();
    while (peek() === '&&') {
      next();
      const right = comparison();
      value = truthy(value) ? right : value;
    }
    return value;
  };
  const or = (): unknown => {
    let value = and();
    while (peek() === '||') {
      next();
      const right = and();
      value = truthy(value) ? value : right;
    }
    return value;
  };
  const value = or();
  if (at !== tokens.length) throw new Error(`evaluateExpression: '${tokens[at]}' in '${expression}' is not modelled`);
  return value;
}

/** Whether a job with this `if:` runs (a condition's value is coerced to a boolean). */
export function conditionHolds(expression: string, context: Record<string, unknown>): boolean {
  return truthy(evaluateExpression(expression, context));
}

function truthy(value: unknown): boolean {
  return !(value === null || value === false || value === 0 || value === '' || Number.isNaN(value));
}

/** GitHub's `==`: strings ignoring case; null only equals null (enough for the conditions generated here). */
function looseEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return a === b;
}
