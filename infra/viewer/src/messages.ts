/** What went wrong, in the page's terms; `messageFor` turns it into words for the viewer. */
export type Problem =
  /** The session API answered with an error status (0: no answer at all). */
  | { readonly kind: "session"; readonly status: number }
  /** A player gave up; `status` is the HTTP status of the failed manifest/segment request, if any. */
  | { readonly kind: "media"; readonly status?: number; readonly detail: string }
  | { readonly kind: "sign-in"; readonly detail: string }
  | { readonly kind: "config"; readonly detail: string };

export interface Message {
  /** Stable machine-readable code (the page puts it in `data-code`; tests and support read it). */
  readonly code:
    | "signed-out"
    | "not-entitled"
    | "not-found"
    | "unavailable"
    | "edge-refused"
    | "media-error"
    | "sign-in-failed"
    | "misconfigured";
  readonly text: string;
  /** True when signing in again may fix it (the page then offers a sign-in button). */
  readonly signIn: boolean;
}

/**
 * The message shown for a problem. 404 covers unknown and unpublished titles alike, as the API does.
 * @example messageFor({ kind: "session", status: 404 }).code // "not-found"
 */
export function messageFor(problem: Problem): Message {
  switch (problem.kind) {
    case "session":
      if (problem.status === 401) {
        return { code: "signed-out", text: "Please sign in to watch this title (401).", signIn: true };
      }
      if (problem.status === 403) {
        return {
          code: "not-entitled",
          text: "Your account is not entitled to watch this title (403).",
          signIn: false,
        };
      }
      if (problem.status === 404) {
        return {
          code: "not-found",
          text: "This title does not exist or is not published (404).",
          signIn: false,
        };
      }
      return {
        code: "unavailable",
        text: `The playback service is unavailable (${problem.status === 0 ? "no answer" : problem.status}); try again shortly.`,
        signIn: false,
      };
    case "media":
      if (problem.status === 403) {
        return {
          code: "edge-refused",
          text: "The CDN refused the video (403): the playback session is missing, expired or for another title.",
          signIn: false,
        };
      }
      return {
        code: "media-error",
        text: `The video could not be played: ${problem.detail}${problem.status === undefined ? "" : ` (${problem.status})`}.`,
        signIn: false,
      };
    case "sign-in":
      return { code: "sign-in-failed", text: `Sign-in failed: ${problem.detail}`, signIn: true };
    case "config":
      return { code: "misconfigured", text: `The viewer is misconfigured: ${problem.detail}`, signIn: false };
  }
}
