import type { TObject } from 'typebox';
import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { Problem, badRequest, conflict, forbidden, notFound } from '../../platform/http/problem.ts';
import type { Actor } from '../../policies/index.ts';
import type { ActorContext, AllianceService } from '../alliance/service.ts';
import type { AdapterRegistry } from './adapters/registry.ts';
import * as repo from './channels.repo.ts';
import type { ChannelAdapter, ChannelKind, ChannelRef } from './contract.ts';
import { channel as channelRules, requireAccess, requireVisible } from '../../policies/index.ts';
import type { SecretBox } from '../../platform/secret-box.ts';
import type { ChannelRow } from './tables.ts';
import { settingName, settingsIssue } from './settings-problem.ts';

const CHANNEL = { zh: '渠道', en: 'Channel' };

export interface ChannelInput {
  unitId?: string;
  kind: ChannelKind;
  name: string;
  config?: Record<string, unknown>;
  secrets?: Record<string, string>;
  enabled?: boolean;
  autoSelect?: boolean;
  rateLimitPerMinute?: number | null;
}

export type ChannelChange = Partial<Omit<ChannelInput, 'unitId' | 'kind'>>;

/**
 * 渠道: a unit's channels and their settings. Settings and credentials are checked against the
 * adapter's schemas; credentials are sealed (secret-box.ts) and only ever opened for the adapter.
 */
export class ChannelService {
  constructor(
    private readonly db: Db,
    private readonly alliance: AllianceService,
    private readonly audit: AuditRecorder,
    readonly adapters: AdapterRegistry,
    private readonly box: SecretBox,
  ) {}

  kinds() {
    return this.adapters.kinds().map((kind) => {
      const a = this.adapters.get(kind)!;
      return { kind, supports: a.supports, config: a.settings.config, secrets: a.settings.secrets };
    });
  }

  async list(actor: Actor, unitId = actor.unitId, filter: { enabled?: boolean } = {}) {
    const unit = await this.alliance.getUnit(unitId);
    requireAccess(actor, channelRules.read, unit);
    return repo.listChannels(this.db, unitId, filter);
  }

  async get(actor: Actor, id: string) {
    const row = await repo.findChannel(this.db, id);
    if (!row) throw notFound(CHANNEL, id);
    const unit = await this.alliance.getUnit(row.unit_id);
    requireVisible(actor, channelRules.read, unit, CHANNEL, id);
    return row;
  }

  async create(ctx: ActorContext, input: ChannelInput) {
    this.assertKnownKeys(input);
    const unitId = input.unitId ?? ctx.actor.unitId;
    await this.requireConfigure(ctx.actor, unitId);
    const adapter = this.adapterFor(input.kind);
    const config = checkedConfig(adapter, input.config ?? {});
    const secrets = checked(adapter.settings.secrets, dropEmpty(input.secrets ?? {}), 'secrets') as Record<string, string>;
    return this.db.transaction().execute(async (trx) => {
      await this.assertNameFree(trx, unitId, input.name);
      const row = await repo.insertChannel(trx, {
        unit_id: unitId,
        kind: input.kind,
        name: input.name.trim(),
        config: JSON.stringify(config),
        enabled: input.enabled ?? true,
        auto_select: input.autoSelect ?? true,
        rate_limit_per_minute: input.rateLimitPerMinute ?? null,
        created_by: ctx.actor.userId,
        updated_by: ctx.actor.userId,
      });
      // The ciphertext is bound to the row id, so it is sealed once the id exists.
      const sealed = await repo.updateChannel(trx, row.id, this.sealedFields(row.id, secrets));
      await this.audit(trx, ctx, { unitId, action: 'channel.create', targetType: 'channel', targetId: row.id, after: auditView(sealed) });
      return sealed;
    });
  }

  async update(ctx: ActorContext, id: string, change: ChannelChange) {
    this.assertKnownKeys(change);
    return this.db.transaction().execute(async (trx) => {
      const before = await repo.findChannel(trx, id);
      if (!before) throw notFound(CHANNEL, id);
      await this.requireConfigure(ctx.actor, before.unit_id, trx);
      const adapter = this.adapterFor(before.kind);
      const fields: Parameters<typeof repo.updateChannel>[2] = { updated_by: ctx.actor.userId, updated_at: new Date() };
      if (change.name !== undefined && change.name.trim() !== before.name) {
        await this.assertNameFree(trx, before.unit_id, change.name);
        fields.name = change.name.trim();
      }
      if (change.config !== undefined) fields.config = JSON.stringify(checkedConfig(adapter, change.config));
      if (change.secrets !== undefined) {
        // Write-only: what is sent replaces those fields, '' clears one, the rest stay as they were.
        const merged = { ...this.openSecrets(before), ...change.secrets };
        Object.assign(fields, this.sealedFields(id, checked(adapter.settings.secrets, dropEmpty(merged), 'secrets') as Record<string, string>));
      }
      if (change.enabled !== undefined) fields.enabled = change.enabled;
      if (change.autoSelect !== undefined) fields.auto_select = change.autoSelect;
      if (change.rateLimitPerMinute !== undefined) fields.rate_limit_per_minute = change.rateLimitPerMinute;
      const after = await repo.updateChannel(trx, id, fields);
      await this.audit(trx, ctx, {
        unitId: before.unit_id,
        action: 'channel.update',
        targetType: 'channel',
        targetId: id,
        before: auditView(before),
        after: { ...auditView(after), secretsChanged: change.secrets ? Object.keys(change.secrets) : undefined },
      });
      return after;
    });
  }

  /** A channel that has deliveries keeps its history: it can be disabled, not deleted. */
  async remove(ctx: ActorContext, id: string) {
    await this.db.transaction().execute(async (trx) => {
      const row = await repo.findChannel(trx, id);
      if (!row) throw notFound(CHANNEL, id);
      await this.requireConfigure(ctx.actor, row.unit_id, trx);
      if (await repo.hasDeliveries(trx, id)) {
        throw conflict('channel_in_use', '该渠道已有投递记录，只能停用，不能删除', 'This channel has deliveries; disable it instead of deleting it');
      }
      await repo.deleteChannel(trx, id);
      await this.audit(trx, ctx, { unitId: row.unit_id, action: 'channel.delete', targetType: 'channel', targetId: id, before: auditView(row) });
    });
  }

  /** What the adapter is handed: settings plus the opened credentials. Never returned by the API. */
  refFor(row: ChannelRow): ChannelRef {
    return { id: row.id, unitId: row.unit_id, kind: row.kind, name: row.name, config: row.config, secrets: this.openSecrets(row) };
  }

  adapterFor(kind: ChannelKind): ChannelAdapter {
    const adapter = this.adapters.get(kind);
    if (!adapter) throw badRequest('channel_kind', `「${kind}」渠道尚不可用`, `No adapter is installed for ${kind} channels`);
    return adapter;
  }

  /** A settings key no installed adapter has is a client mistake whatever the channel: said before any look-up. */
  private assertKnownKeys(input: { config?: Record<string, unknown>; secrets?: Record<string, string> }) {
    for (const field of ['config', 'secrets'] as const) {
      const known = new Set(this.adapters.kinds().flatMap((k) => Object.keys(this.adapters.get(k)!.settings[field].properties ?? {})));
      const unknown = Object.keys(input[field] ?? {}).filter((key) => !known.has(key));
      if (unknown.length) throw settingsProblem(field, `没有这样的设置项：${unknown.join('、')}`, `no such setting: ${unknown.join(', ')}`);
    }
  }

  private openSecrets(row: ChannelRow): Record<string, string> {
    return row.secrets_ciphertext ? this.box.open(row.secrets_ciphertext, row.id) : {};
  }

  private sealedFields(id: string, secrets: Record<string, string>) {
    const names = Object.keys(secrets).sort();
    return { secrets_ciphertext: names.length ? this.box.seal(secrets, id) : null, secret_fields: names };
  }

  private async requireConfigure(actor: Actor, unitId: string, db = this.db) {
    // An unknown unit is refused like a foreign one: the answer says nothing about which units exist.
    await this.alliance.requireUnitAccess({ actor, actorUserId: actor.userId }, channelRules.configure, unitId, db).catch((e: unknown) => {
      throw e instanceof Problem && e.status === 404 ? forbidden(channelRules.configure.refusal?.zh, channelRules.configure.refusal?.en) : e;
    });
  }

  private async assertNameFree(db: Db, unitId: string, name: string) {
    const taken = (await repo.listChannels(db, unitId)).some((c) => c.name === name.trim());
    if (taken) throw conflict('channel_name_taken', `本单位已有名为「${name.trim()}」的渠道`, `The unit already has a channel named ${name.trim()}`);
  }
}

function checked(schema: TObject, value: Record<string, unknown>, field: 'config' | 'secrets') {
  const issue = settingsIssue(schema, value);
  if (issue === null) return value;
  throw settingsProblem(field, issue.zh, issue.en);
}

/** The schema, then what only the adapter knows (an address outbound HTTP would refuse to call). */
function checkedConfig(adapter: ChannelAdapter, value: Record<string, unknown>) {
  const config = checked(adapter.settings.config, value, 'config');
  const problem = adapter.checkConfig?.(config);
  if (problem) {
    const name = settingName(adapter.settings.config, problem.key);
    throw settingsProblem('config', `「${name.zh}」${problem.zh}`, `${name.en}: ${problem.en}`);
  }
  return config;
}

/** Shaped like the request validator's answer (errors[] naming the field), so clients handle both alike. */
function settingsProblem(field: 'config' | 'secrets', zh: string, en: string) {
  const label = field === 'config' ? { zh: '渠道设置', en: 'Channel settings' } : { zh: '渠道凭据', en: 'Channel credentials' };
  const detail = `${label.zh}不符合要求：${zh}`;
  const detailEn = `${label.en} are invalid: ${en}`;
  return badRequest(`channel_${field}`, detail, detailEn, { errors: [{ field, detail, detailEn }] });
}

function dropEmpty(secrets: Record<string, string>) {
  return Object.fromEntries(Object.entries(secrets).filter(([, v]) => v !== ''));
}

/** The audit trail records settings and which credentials exist, never their values. */
function auditView(row: ChannelRow) {
  return { kind: row.kind, name: row.name, config: row.config, secretFields: row.secret_fields, enabled: row.enabled, autoSelect: row.auto_select, rateLimitPerMinute: row.rate_limit_per_minute };
}
