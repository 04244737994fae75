import crypto from 'node:crypto';

/**
 * The signature a receiver of our outbound calls (unit webhooks, webhook channels) checks:
 * HMAC-SHA256 over "<timestamp>.<body>" with the shared secret, sent as
 * X-Tianfu-Signature: sha256=<hex> next to X-Tianfu-Timestamp, so a replayed or altered call is detectable.
 */
export function sign(secret: string, timestamp: string, body: string) {
  return `sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The receiver's side: a constant-time check, and the timestamp within `toleranceSeconds` of now. */
export function verifySignature(secret: string, timestamp: string, body: string, signature: string, toleranceSeconds = 300, now = Date.now()) {
  const age = Math.abs(now / 1000 - Number(timestamp));
  if (!Number.isFinite(age) || age > toleranceSeconds) return false;
  const expected = Buffer.from(sign(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}
