import type { Db } from '../../platform/db/database.ts';
import type { SecretBox } from '../../platform/secret-box.ts';
import { generateVapidKeys, type VapidKeys } from './adapters/webpush.ts';
import * as repo from './push.repo.ts';

const NAME = 'vapid';

/**
 * The instance's VAPID key pair: generated once on first use and kept in push_secrets, the private key
 * sealed with the platform secret key (as channel credentials are). Browsers subscribe with the public
 * key, so it must never change once readers have subscribed.
 */
export class VapidStore {
  private cached: VapidKeys | null = null;
  private loading: Promise<VapidKeys> | null = null;

  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
    private readonly subject: string,
  ) {}

  keys(): Promise<VapidKeys> {
    if (this.cached) return Promise.resolve(this.cached);
    this.loading ??= this.load().finally(() => (this.loading = null));
    return this.loading;
  }

  private async load(): Promise<VapidKeys> {
    let row = await repo.findSecret(this.db, NAME);
    if (!row) {
      const fresh = generateVapidKeys();
      // Two processes racing: the insert that loses does nothing and both read the winner back.
      await repo.insertSecret(this.db, { name: NAME, public_value: fresh.publicKey, sealed: this.box.seal({ privateKey: fresh.privateKey }, `push:${NAME}`) });
      row = (await repo.findSecret(this.db, NAME))!;
    }
    const { privateKey } = this.box.open(row.sealed, `push:${NAME}`);
    this.cached = { subject: this.subject, publicKey: row.public_value, privateKey: privateKey! };
    return this.cached;
  }
}
