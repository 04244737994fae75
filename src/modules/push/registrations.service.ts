import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest } from '../../platform/http/problem.ts';
import type { ActorContext } from '../alliance/service.ts';
import type { SecretBox } from '../../platform/secret-box.ts';
import { pushApp, requireAccess } from '../../policies/index.ts';
import * as repo from './push.repo.ts';
import type { PushScope } from './scope.ts';
import type { AppKind, PushKind } from './tables.ts';
import type { VapidStore } from './vapid.ts';

export type RegistrationInput =
  | { kind: 'webpush'; endpoint: string; keys: { p256dh: string; auth: string } }
  | { kind: 'jpush' | 'getui'; app: string; registrationId: string };

const APP_SECRETS: Record<AppKind, string[]> = { jpush: ['appKey', 'masterSecret'], getui: ['appId', 'appKey', 'masterSecret'] };

/** Where readers can be reached (their own registrations) and the units' apps on JPush/Getui. */
export class RegistrationService {
  constructor(
    private readonly db: Db,
    private readonly scope: PushScope,
    private readonly box: SecretBox,
    private readonly vapid: VapidStore,
    private readonly audit: AuditRecorder,
  ) {}

  async vapidPublicKey() {
    return { publicKey: (await this.vapid.keys()).publicKey };
  }

  async register(readerId: string, input: RegistrationInput) {
    if (input.kind === 'webpush') {
      const url = new URL(input.endpoint);
      if (url.protocol !== 'https:' && url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
        throw badRequest('bad_endpoint', '推送地址必须是 https', 'The endpoint must be https', { field: 'body/endpoint' });
      }
      if (Buffer.from(input.keys.p256dh, 'base64url').length !== 65) throw badRequest('bad_key', 'p256dh 不是 P-256 公钥', 'p256dh is not a P-256 public key', { field: 'body/keys/p256dh' });
      if (Buffer.from(input.keys.auth, 'base64url').length !== 16) throw badRequest('bad_key', 'auth 须为 16 字节', 'auth must be 16 bytes', { field: 'body/keys/auth' });
      return repo.upsertRegistration(this.db, { reader_id: readerId, kind: 'webpush', app_id: null, address: input.endpoint, keys: input.keys });
    }
    const app = await repo.findApp(this.db, input.app);
    if (!app || app.kind !== input.kind) throw badRequest('unknown_app', `没有这个${input.kind}应用`, `No such ${input.kind} app`, { field: 'body/app' });
    return repo.upsertRegistration(this.db, { reader_id: readerId, kind: input.kind, app_id: app.id, address: input.registrationId, keys: null });
  }

  unregister(readerId: string, kind: PushKind, address: string) {
    return repo.deleteRegistration(this.db, readerId, kind, address);
  }

  async listApps(ctx: ActorContext) {
    requireAccess(ctx.actor, pushApp.read);
    return repo.listApps(this.db, this.scope.readers({ id: ctx.actor.unitId, path: ctx.actor.unitPath }));
  }

  async createApp(ctx: ActorContext, input: { kind: AppKind; name: string; config?: { apiBase?: string; apnsProduction?: 'true' | 'false' }; secrets: { appId?: string; appKey: string; masterSecret: string } }) {
    requireAccess(ctx.actor, pushApp.manage);
    const secrets: Record<string, string> = { ...input.secrets };
    for (const key of APP_SECRETS[input.kind]) {
      if (!secrets[key]?.trim()) throw badRequest('missing_secret', `缺少 ${key}`, `${key} is required`, { field: `body/secrets/${key}` });
    }
    return this.db.transaction().execute(async (trx) => {
      // The id is needed to bind the ciphertext, so insert with a placeholder and seal with the real id.
      const row = await repo.insertApp(trx, { unit_id: ctx.actor.unitId, kind: input.kind, name: input.name, config: { ...input.config }, secrets_sealed: '' });
      await trx.updateTable('push_apps').set({ secrets_sealed: this.box.seal(secrets, `push_app:${row.id}`) }).where('id', '=', row.id).execute();
      await this.audit(trx, ctx, { unitId: ctx.actor.unitId, action: 'push.app.create', targetType: 'push_app', targetId: row.id, after: { kind: input.kind, name: input.name, config: input.config } });
      return row;
    });
  }
}
