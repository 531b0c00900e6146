// Fields kept after a line is processed must not pin the line. V8 represents a
// substring of 13 or more characters as a view on its parent string, so a
// request id sliced from a 2 KB RESP line would keep those 2 KB alive for as long
// as the exchange lives. Finished exchanges and commands copy their strings.

export function own(s: string): string;
export function own(s: string | null): string | null;
export function own(s: string | null | undefined): string | null | undefined;
export function own(s: string | null | undefined): string | null | undefined {
  if (s === null || s === undefined || s.length < 13) return s;
  return Buffer.from(s, 'utf8').toString('utf8');
}

/** The exchange and command fields that hold log text. */
export function ownExchangeStrings<
  T extends {
    method: string | null;
    url: string | null;
    path: string | null;
    service: string | null;
    requestId: string | null;
    globalRequestId: string | null;
    microversion: string | null;
    incompleteReason: string | null;
    error: { message: string | null; code: string | null } | null;
    action?: string | null | undefined;
  },
>(x: T): T {
  x.url = own(x.url);
  // path is usually the tail of url: take it from the owned copy (same text, no second copy).
  if (x.url !== null && x.path !== null && x.url.endsWith(x.path)) x.path = x.url.slice(x.url.length - x.path.length);
  else x.path = own(x.path);
  x.service = own(x.service);
  x.requestId = own(x.requestId);
  x.globalRequestId = own(x.globalRequestId);
  x.microversion = own(x.microversion);
  x.incompleteReason = own(x.incompleteReason);
  if (x.error) x.error = { message: own(x.error.message), code: own(x.error.code) };
  if (x.action !== undefined) x.action = own(x.action);
  return x;
}
