import crypto from 'node:crypto';
import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { Problem, badRequest, conflict, notFound, unauthorized } from '../../platform/http/problem.ts';
import { decoyHash, digest, hashPassword, randomToken, verifyPassword } from '../identity/secrets.ts';
import type { CodeClient } from './code-limits.ts';
import type { CodeService } from './codes.service.ts';
import { contactFromLogin, maskContact, normalizeContact } from './contact.ts';
import { findDivision } from './divisions.ts';
import type { EventService } from './events.service.ts';
import * as eventsRepo from './events.repo.ts';
import * as repo from './repo.ts';
import { type ConsentPurpose, type ContactChannel, type ReaderRow, consentPurposes } from './tables.ts';
import type { UnitDirectory } from './units.ts';

export const READER_SESSION_DAYS = 30;
const MAX_FREE_FAILURES = 5;
const LOCK_SECONDS = 15 * 60;
/** Events in a data download: the newest this many; more is a job for a proper export queue. */
const EXPORT_EVENT_LIMIT = 10_000;

export interface ReaderSession {
  reader: ReaderRow;
  csrfToken: string;
  sessionHash: string;
}

export interface ConsentChoice {
  purpose: ConsentPurpose;
  granted: boolean;
}

export interface SignUpInput {
  channel: ContactChannel;
  destination: string;
  code: string;
  unit: string;
  displayName?: string;
  password?: string;
  homeDivision?: string;
  interests?: string[];
  consents: ConsentChoice[];
  consentVersion: string;
  deviceId?: string;
}

export interface ProfileChange {
  displayName?: string;
  homeDivision?: string | null;
  interests?: string[];
  follows?: string[];
  password?: string;
}

const READER = { zh: '读者', en: 'Reader' };
const NO_ACTOR = { actorUserId: null };

/**
 * 读者账号: one account for the whole alliance, whichever unit's portal or app it was made on. Sign-up
 * and sign-in by a one-time code to a phone or email, or a password; profile, follows and consents;
 * the personal-information rights (download my data, delete my account).
 */
export class ReaderAccountService {
  constructor(
    private readonly db: Db,
    private readonly codes: CodeService,
    private readonly events: EventService,
    private readonly units: UnitDirectory,
    private readonly audit: AuditRecorder,
  ) {}

  requestCode(channel: ContactChannel, destination: string, client: CodeClient) {
    return this.codes.issue(channel, normalizeContact(channel, destination), client);
  }

  async signUp(input: SignUpInput) {
    const value = normalizeContact(input.channel, input.destination);
    const unit = await this.units.require(input.unit, 'unit');
    const home = this.checkDivision(input.homeDivision);
    if (await repo.findReaderByContact(this.db, input.channel, value)) {
      throw conflict('reader_exists', '该手机号或邮箱已注册，请直接登录', 'An account with this phone or email exists; sign in instead');
    }
    const passwordHash = input.password ? await hashPassword(checkPassword(input.password)) : null;
    await this.codes.verify(input.channel, value, input.code);
    await this.events.flushBefore();
    return this.db.transaction().execute(async (trx) => {
      const reader = await repo.insertReader(trx, {
        displayName: input.displayName?.trim() || `读者${maskContact(value)!.slice(-4)}`,
        phone: input.channel === 'phone' ? value : null,
        email: input.channel === 'email' ? value : null,
        passwordHash,
        homeDivisionCode: home,
        interests: cleanInterests(input.interests ?? []),
        registeredUnitId: unit.id,
      });
      // Every purpose gets a recorded answer at sign-up, a refusal included.
      await repo.insertConsents(
        trx,
        reader.id,
        consentPurposes.map((purpose) => ({ purpose, version: input.consentVersion, granted: input.consents.some((c) => c.purpose === purpose && c.granted) })),
      );
      await this.audit(trx, NO_ACTOR, { unitId: unit.id, action: 'reader.signup', targetType: 'reader', targetId: reader.id });
      return this.startSession(trx, reader, input.deviceId);
    });
  }

  async loginByCode(input: { channel: ContactChannel; destination: string; code: string; deviceId?: string }) {
    const value = normalizeContact(input.channel, input.destination);
    await this.codes.verify(input.channel, value, input.code);
    const reader = await repo.findReaderByContact(this.db, input.channel, value);
    if (!reader) throw notFound({ zh: '账号（请先注册）', en: 'Account (sign up first)' });
    await this.events.flushBefore();
    return this.db.transaction().execute((trx) => this.startSession(trx, reader, input.deviceId));
  }

  /** Five free failures, then the account locks for 15 minutes; an unknown login costs the same time. */
  async loginByPassword(input: { login: string; password: string; deviceId?: string }) {
    const contact = contactFromLogin(input.login);
    const reader = contact ? await repo.findReaderByContact(this.db, contact.channel, contact.value) : undefined;
    if (reader?.locked_until && new Date(reader.locked_until) > new Date()) {
      const retryAfter = Math.ceil((new Date(reader.locked_until).getTime() - Date.now()) / 1000);
      throw new Problem(429, 'login_throttled', `登录失败次数过多，请 ${retryAfter} 秒后再试`, `Too many failed sign-ins; try again in ${retryAfter} s`, { retryAfter });
    }
    const ok = await verifyPassword(input.password, reader?.password_hash ?? (await decoyHash()));
    if (!reader || !reader.password_hash || !ok) {
      if (reader) {
        const failures = reader.failed_logins + 1;
        await repo.noteFailedLogin(this.db, reader.id, failures, failures >= MAX_FREE_FAILURES ? new Date(Date.now() + LOCK_SECONDS * 1000) : null);
      }
      throw new Problem(401, 'bad_credentials', '账号或密码错误', 'Wrong phone/email or password');
    }
    await this.events.flushBefore();
    return this.db.transaction().execute((trx) => this.startSession(trx, reader, input.deviceId));
  }

  private async startSession(trx: Db, reader: ReaderRow, deviceId: string | undefined) {
    const token = randomToken();
    const csrfToken = randomToken(24);
    await repo.insertSession(trx, { idHash: digest(token), readerId: reader.id, csrfToken, expiresAt: new Date(Date.now() + READER_SESSION_DAYS * 86_400_000) });
    await repo.noteLogin(trx, reader.id);
    let merged = 0;
    if (deviceId) {
      const consents = await this.consentSet(trx, reader.id);
      await repo.linkDevice(trx, deviceId, reader.id);
      merged = await this.events.mergeDevice(trx, deviceId, reader.id, consents.has('personalisation'));
    }
    return { token, csrfToken, readerId: reader.id, mergedEvents: merged, maxAgeSeconds: READER_SESSION_DAYS * 86_400 };
  }

  async resolveSession(token: string): Promise<ReaderSession | null> {
    const sessionHash = digest(token);
    const session = await repo.findLiveSession(this.db, sessionHash);
    if (!session) return null;
    const reader = await repo.findReader(this.db, session.reader_id);
    return reader ? { reader, csrfToken: session.csrf_token, sessionHash } : null;
  }

  logout(session: ReaderSession) {
    return repo.deleteSession(this.db, session.sessionHash);
  }

  async consentSet(db: Db, readerId: string): Promise<Set<ConsentPurpose>> {
    const rows = await repo.currentConsents(db, readerId);
    return new Set(rows.filter((r) => r.granted).map((r) => r.purpose));
  }

  consentsOf(readerId: string) {
    return this.consentSet(this.db, readerId);
  }

  async profile(reader: ReaderRow) {
    const [consents, follows] = await Promise.all([repo.currentConsents(this.db, reader.id), repo.listFollows(this.db, reader.id)]);
    const followUnits = await Promise.all(follows.map((f) => this.units.byIdOf(f.unit_id)));
    const registered = await this.units.byIdOf(reader.registered_unit_id);
    return { reader, consents, follows: followUnits.filter((u) => !!u), registered };
  }

  async updateProfile(session: ReaderSession, change: ProfileChange) {
    const fields: Parameters<typeof repo.updateReader>[2] = {};
    if (change.displayName !== undefined) {
      const name = change.displayName.trim();
      if (!name) throw badRequest('empty_name', '昵称不能为空', 'The display name cannot be empty', { field: 'displayName' });
      fields.display_name = name;
    }
    if (change.homeDivision !== undefined) fields.home_division_code = change.homeDivision === null ? null : this.checkDivision(change.homeDivision);
    if (change.interests !== undefined) fields.interests = cleanInterests(change.interests);
    if (change.password !== undefined) fields.password_hash = await hashPassword(checkPassword(change.password));
    const followIds: string[] | undefined = change.follows && (await Promise.all([...new Set(change.follows)].map(async (slug, i) => (await this.units.require(slug, `follows/${i}`)).id)));
    await this.db.transaction().execute(async (trx) => {
      if (Object.keys(fields).length) await repo.updateReader(trx, session.reader.id, fields);
      if (followIds) await repo.replaceFollows(trx, session.reader.id, followIds);
    });
    const reader = await repo.findReader(this.db, session.reader.id);
    return this.profile(reader!);
  }

  async setConsents(session: ReaderSession, choices: ConsentChoice[], version: string) {
    const purposes = new Set(choices.map((c) => c.purpose));
    if (purposes.size !== choices.length) throw badRequest('duplicate_purpose', '同一用途只能出现一次', 'Each purpose may appear once', { field: 'consents' });
    await repo.insertConsents(this.db, session.reader.id, choices.map((c) => ({ ...c, version })));
    return repo.currentConsents(this.db, session.reader.id);
  }

  /** 个人信息下载 (PIPL art. 45): everything kept under the person, as one JSON document. */
  async exportData(session: ReaderSession) {
    const id = session.reader.id;
    await this.events.flushBefore();
    const [consents, follows, devices, events] = await Promise.all([
      repo.consentHistory(this.db, id),
      repo.listFollows(this.db, id),
      repo.listDevices(this.db, id),
      eventsRepo.eventsOfReader(this.db, id, EXPORT_EVENT_LIMIT),
    ]);
    const r = session.reader;
    const unitSlugOf = async (unitId: string | null) => (unitId ? ((await this.units.byIdOf(unitId))?.slug ?? unitId) : null);
    return {
      exportedAt: new Date().toISOString(),
      profile: {
        id: r.id,
        displayName: r.display_name,
        phone: r.phone,
        email: r.email,
        hasPassword: !!r.password_hash,
        homeDivision: r.home_division_code,
        interests: r.interests,
        registeredAt: await unitSlugOf(r.registered_unit_id),
        createdAt: new Date(r.created_at).toISOString(),
        lastLoginAt: r.last_login_at ? new Date(r.last_login_at).toISOString() : null,
      },
      consents: consents.map((c) => ({ purpose: c.purpose, granted: c.granted, version: c.version, at: new Date(c.at).toISOString() })),
      follows: await Promise.all(follows.map(async (f) => ({ unit: await unitSlugOf(f.unit_id), since: new Date(f.created_at).toISOString() }))),
      devices: devices.map((d) => ({ deviceId: d.device_id, linkedAt: new Date(d.linked_at).toISOString() })),
      events: await Promise.all(
        events.map(async (e) => ({
          at: new Date(e.occurred_at).toISOString(),
          type: e.type,
          unit: await unitSlugOf(e.unit_id),
          item: e.item_id,
          depth: e.depth,
          dwellMs: e.dwell_ms,
          target: e.target,
        })),
      ),
      eventsTruncated: events.length === EXPORT_EVENT_LIMIT,
    };
  }

  /**
   * 注销账号 (PIPL art. 47): the account, its sessions, consents, follows, devices and codes go; its events
   * stay for statistics under a fresh random id that nothing links back to.
   */
  async deleteAccount(session: ReaderSession) {
    const r = session.reader;
    await this.events.flushBefore();
    return this.db.transaction().execute(async (trx) => {
      const devices = (await repo.listDevices(trx, r.id)).map((d) => d.device_id);
      const anonymised = await eventsRepo.anonymiseEvents(trx, r.id, devices, crypto.randomUUID());
      await this.codes.forget(trx, [
        { channel: 'phone', value: r.phone },
        { channel: 'email', value: r.email },
      ]);
      await repo.deleteReader(trx, r.id);
      // The audit row names only the (now meaningless) id, never the person.
      await this.audit(trx, NO_ACTOR, { unitId: r.registered_unit_id, action: 'reader.delete', targetType: 'reader', targetId: r.id, after: { anonymisedEvents: anonymised } });
      return { anonymisedEvents: anonymised };
    });
  }

  private checkDivision(code: string | undefined): string | null {
    if (code === undefined) return null;
    if (!findDivision(code)) throw badRequest('unknown_division', `不是四川的市或县区代码：${code}`, `Not a Sichuan city or county code: ${code}`, { field: 'homeDivision' });
    return code;
  }

  /** For the staff support lookup (readers.service checks who may). */
  async findForSupport(id: string) {
    const reader = await repo.findReader(this.db, id);
    if (!reader) throw notFound(READER, id);
    return this.profile(reader);
  }

  requireSession(session: ReaderSession | null): ReaderSession {
    if (!session) throw unauthorized();
    return session;
  }
}

function checkPassword(password: string): string {
  if (password.length < 8) throw badRequest('weak_password', '密码至少 8 位', 'The password needs at least 8 characters', { field: 'password' });
  return password;
}

function cleanInterests(interests: string[]): string[] {
  return [...new Set(interests.map((i) => i.trim()).filter(Boolean))].slice(0, 50);
}
