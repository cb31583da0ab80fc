/** Typed errors of @trucom/content; callers map them to HTTP statuses or tx results by class. */

/** Base class: every error this library throws on purpose. */
export class ContentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A string is not a CID (gateway: 400). */
export class InvalidCidError extends ContentError {}

/** A CID uses a hash or codec this network does not accept (only sha2-256 with raw or dag-pb). */
export class UnsupportedCidError extends ContentError {}

/** A content path is malformed: `..`, bad percent-encoding, a NUL or a slash inside a segment (gateway: 400). */
export class InvalidPathError extends ContentError {}

/** A path does not exist under its root (gateway: 404). */
export class NotFoundError extends ContentError {}

/** A requested byte range starts outside the file (gateway: 416). */
export class InvalidRangeError extends ContentError {}

/** A block is not in the blockstore (the DAG is incomplete here). */
export class MissingBlockError extends ContentError {
  constructor(readonly cid: string) {
    super(`block ${cid} is not in the blockstore`);
  }
}

/** Bytes do not hash to the CID they were offered under. */
export class BlockMismatchError extends ContentError {
  constructor(readonly cid: string) {
    super(`bytes do not match CID ${cid}`);
  }
}

/** A CAR stream is malformed, has the wrong number of roots, or does not hold the complete DAG. */
export class InvalidCarError extends ContentError {}

/** A CID profile name is not one of `CID_PROFILES`. */
export class UnknownProfileError extends ContentError {}
