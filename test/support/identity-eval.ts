/**
 * An evaluator of IAM identity policies (the policies attached to a role), enough to decide whether
 * a role's policies allow one request: IAM's evaluation logic for one account ("Policy evaluation
 * logic" in the IAM user guide) without boundaries or SCPs. A request is allowed when some Allow
 * statement matches it and no Deny statement does; a statement matches when its Action (or
 * NotAction), Resource (or NotResource) and every condition match.
 */

/** One request: its action, the resource it acts on, and the request's condition keys. */
export interface IdentityRequest {
  /** The action, such as `eks:AssociateAccessPolicy`. */
  readonly action: string;
  /** The resource's ARN. */
  readonly resource: string;
  /** The condition keys the request carries; a multivalued key (`eks:namespaces`) as a list. */
  readonly context?: Record<string, string | string[]>;
}

const asArray = (v: any): any[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** IAM's wildcard match: `*` any characters, `?` one; action names ignore case. */
function like(pattern: string, value: string, ignoreCase = false): boolean {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, ignoreCase ? 'i' : '').test(value);
}

/** One value test of a condition operator (without its set qualifier). */
function test(operator: string, expected: string, actual: string): boolean {
  switch (operator) {
    case 'StringEquals':
      return expected === actual;
    case 'StringLike':
    case 'ArnEquals':
    case 'ArnLike':
      // ArnEquals and ArnLike behave alike: each matches the whole ARN, '*' and '?' as wildcards.
      return like(expected, actual);
    case 'StringNotEquals':
      return expected !== actual;
    case 'Bool':
      return expected.toLowerCase() === actual.toLowerCase();
    default:
      throw new Error(`identity-eval: condition operator ${operator} is not supported`);
  }
}

/** Whether one condition block (`{ operator: { key: values } }`) holds for the request context. */
export function conditionHolds(conditions: any, context: Record<string, string | string[]>): boolean {
  for (const [qualified, block] of Object.entries(conditions ?? {})) {
    const [qualifier, operator] = qualified.includes(':') ? qualified.split(':') : [undefined, qualified];
    for (const [key, expectedValues] of Object.entries(block as object)) {
      const expected = asArray(expectedValues).map(String);
      const present = key in context;
      const actual = asArray(context[key]).map(String);
      const negated = operator.startsWith('StringNot');
      let ok: boolean;
      if (qualifier === 'ForAllValues') {
        // Every value of the request is among the expected ones (true for a key the request lacks).
        ok = actual.every((a) => expected.some((e) => test(operator, e, a)));
      } else if (qualifier === 'ForAnyValue') {
        ok = actual.some((a) => expected.some((e) => test(operator, e, a)));
      } else if (!present) {
        // A key the request lacks matches no positive operator (and every negated one).
        ok = negated;
      } else {
        if (actual.length !== 1) throw new Error(`identity-eval: ${key} is multivalued; use ForAllValues or ForAnyValue`);
        ok = negated ? expected.every((e) => test(operator, e, actual[0])) : expected.some((e) => test(operator, e, actual[0]));
      }
      if (!ok) return false;
    }
  }
  return true;
}

/** Whether one statement matches the request. */
export function statementMatches(statement: any, request: IdentityRequest): boolean {
  const action = statement.NotAction
    ? !asArray(statement.NotAction).some((a: string) => like(a, request.action, true))
    : asArray(statement.Action).some((a: string) => like(a, request.action, true));
  const resource = statement.NotResource
    ? !asArray(statement.NotResource).some((r: string) => like(r, request.resource))
    : asArray(statement.Resource).some((r: string) => like(r, request.resource));
  return action && resource && conditionHolds(statement.Condition, request.context ?? {});
}

/** Whether (resolved) policy documents together allow the request: an Allow matches, no Deny does. */
export function policiesAllow(documents: any[], request: IdentityRequest): boolean {
  const statements = documents.flatMap((d) => asArray(d.Statement));
  return (
    statements.some((s) => s.Effect === 'Allow' && statementMatches(s, request)) && !statements.some((s) => s.Effect === 'Deny' && statementMatches(s, request))
  );
}

/**
 * The (unresolved) policy documents a template attaches to a role resource: its inline `Policies`
 * and every `AWS::IAM::Policy` whose `Roles` name it.
 */
export function policiesOfRole(template: any, roleLogicalId: string): any[] {
  const role = template.Resources[roleLogicalId];
  const inline = asArray(role?.Properties?.Policies).map((p: any) => p.PolicyDocument);
  const attached = Object.values<any>(template.Resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && asArray(r.Properties.Roles).some((ref: any) => ref?.Ref === roleLogicalId))
    .map((r) => r.Properties.PolicyDocument);
  return [...inline, ...attached];
}
