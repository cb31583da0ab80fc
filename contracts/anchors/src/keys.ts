/**
 * Store keys of the anchors module; every key starts with "anchors/". `<root hex>/<namespace>` →
 * anchor: roots are 64 lower-case hex digits and namespaces never contain "/", so the
 * `<root hex>/` prefix scans exactly the anchors of one root. Execution never iterates.
 */
export const ANCHOR_PREFIX = 'anchors/anchor/';

export const anchorKey = (rootHex: string, namespace: string) => `${ANCHOR_PREFIX}${rootHex}/${namespace}`;
export const anchorsOfRootPrefix = (rootHex: string) => `${ANCHOR_PREFIX}${rootHex}/`;
