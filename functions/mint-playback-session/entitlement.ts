/**
 * Who may watch a title.
 *
 * The rule: any signed-in viewer may watch a published title, unless its catalogue row names an
 * `entitlement` — then the viewer's entitlement claim (`ENTITLEMENT_CLAIM`, default `cognito:groups`) must
 * contain that value exactly (case-sensitive). An operator restricts a title by putting the viewer group's
 * name (a Cognito user-pool group, or any value an identity provider puts in the configured claim) on the
 * row's `entitlement` attribute; removing the attribute opens it to every signed-in viewer again.
 */

/** JWT claims as an HTTP API JWT authorizer passes them (`requestContext.authorizer.jwt.claims`). */
export type JwtClaims = Readonly<Record<string, string | number | boolean | readonly string[]>>;

/**
 * The values of a multi-valued claim. API Gateway HTTP API flattens array claims into a bracketed,
 * space-separated string (`"[premium staff]"`), a direct invocation or a test passes a real array, some
 * identity providers a JSON array string or one plain value; all mean the same list.
 * (Bracketed form: aws-solutions-library-samples/guidance-for-claude-code-with-amazon-bedrock#802, #803.)
 * @example claimValues("[premium staff]") // ["premium", "staff"]
 */
export function claimValues(claim: JwtClaims[string] | undefined): string[] {
  if (claim === undefined) return [];
  if (Array.isArray(claim)) return claim.map(String);
  const text = String(claim).trim();
  if (text.startsWith("[") && text.endsWith("]")) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // Not JSON: API Gateway's "[a b]" form.
    }
    return text.slice(1, -1).split(/\s+/).filter(Boolean);
  }
  return text.split(/\s+/).filter(Boolean);
}

/** True when a viewer with these claims may watch a title whose row has this `entitlement` (see the rule above). */
export function isEntitled(entitlement: string | undefined, claims: JwtClaims, claimName: string): boolean {
  if (entitlement === undefined || entitlement === "") return true;
  return claimValues(claims[claimName]).includes(entitlement);
}
