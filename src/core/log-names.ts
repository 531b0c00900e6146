// What a log file's name says about where its lines come from: logrotate renames a live
// log `nova-api.log` to `nova-api.log.1`, `nova-api.log.2.gz` or (dateext)
// `nova-api.log-20240101[.gz]`; all of them are one service's log on one host.

const ROTATED = /^(.*\.(?:log|txt))(?:\.\d{1,3}|-\d{8}(?:\d{2})?)?(?:\.gz)?$/i;

/** The live log a file is (a rotation of): `x/nova-api.log.2.gz` → `x/nova-api.log`; null for any other name. */
export function rotationBase(path: string): string | null {
  return ROTATED.exec(path)?.[1] ?? null;
}
