import { esc, layout } from '../portal/render/html.ts';
import { divisions } from './divisions.ts';
import type { presentProfile } from './presenter.ts';
import type { ConsentPurpose } from './tables.ts';

/** The privacy notice a reader agrees to on this page; stored with every consent answer. */
export const CONSENT_VERSION = 'portal-2026-11';

/**
 * Each purpose with what answering it changes, as the code does it: `off` is what withdrawing does (recommend
 * treats the reader as nobody, events are no longer kept under them; the push audience needs the grant;
 * events carry the home division only with it), `on` what granting does.
 */
const purposes: { purpose: ConsentPurpose; label: string; hint: string; off: string; on: string }[] = [
  {
    purpose: 'personalisation',
    label: '个性化推荐',
    hint: '用我的阅读记录为我推荐稿件（不同意则只看本地和热门）',
    off: '关闭后，「推荐」只按热门、最新和本地排序，不再使用你的阅读记录和关注；今后的阅读也不再记在你名下。',
    on: '开启后，「推荐」按你的阅读记录和关注为你挑选稿件，并写明推荐理由。',
  },
  {
    purpose: 'push',
    label: '接收推送',
    hint: '重要新闻和我关心的话题推送到我的设备',
    off: '关闭后，不再向你的任何设备推送；已订阅的设备保留，重新开启即可恢复。',
    on: '开启后，已订阅推送的设备会收到重要新闻和你关心的话题（每天最多 3 条，22:00–08:00 不打扰）。',
  },
  {
    purpose: 'analytics',
    label: '地区统计',
    hint: '把我的常住地计入读者的地区统计（只看汇总，不看个人）',
    off: '关闭后，你今后的阅读不再按常住地计入地区统计。',
    on: '开启后，你今后的阅读按常住地计入地区统计（只看汇总，不看个人）。',
  },
];

type Profile = ReturnType<typeof presentProfile>;
export interface AccountSite {
  slug: string;
  name: string;
}

/** Sichuan's prefectures, each with its counties, as one grouped select; the portal's own county preselected. */
function divisionSelect(selected: string | null): string {
  const groups = new Map<string, { name: string; options: string[] }>();
  for (const d of divisions().values()) {
    const group = groups.get(d.cityCode) ?? { name: d.cityName, options: [] };
    groups.set(d.cityCode, group);
    const label = d.code === d.cityCode ? `${d.name}（全市）` : d.name;
    group.options.push(`<option value="${esc(d.code)}"${d.code === selected ? ' selected' : ''}>${esc(label)}</option>`);
  }
  const body = [...groups.values()].map((g) => `<optgroup label="${esc(g.name)}">${g.options.join('')}</optgroup>`).join('');
  return `<select id="su-home" name="homeDivision"><option value="">不填</option>${body}</select>`;
}

function signedOut(site: AccountSite): string {
  const consents = purposes
    .map(
      (p) =>
        `<label class="check"><input type="checkbox" name="consent" value="${p.purpose}"> <span><strong>${esc(p.label)}</strong> · ${esc(p.hint)}</span></label>`,
    )
    .join('');
  return `<div class="account-grid">
<section aria-labelledby="signup-h" class="panel">
<h2 id="signup-h">注册</h2>
<form id="signup" class="stack" novalidate>
  <label for="su-contact">手机号或邮箱</label>
  <div class="row"><input id="su-contact" name="destination" autocomplete="username" required maxlength="254" inputmode="email">
  <button type="button" class="secondary" data-send-code="su-contact">获取验证码</button></div>
  <label for="su-code">验证码</label>
  <input id="su-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required>
  <label for="su-name">昵称</label>
  <input id="su-name" name="displayName" maxlength="40" autocomplete="nickname">
  <label for="su-password">密码（可选，至少 8 位，用于密码登录）</label>
  <input id="su-password" name="password" type="password" minlength="8" maxlength="200" autocomplete="new-password">
  <label for="su-home">常住地</label>
  ${divisionSelect(/^51\d{4}$/.test(site.slug) ? site.slug : null)}
  <fieldset><legend>同意以下用途（可随时撤回）</legend>${consents}</fieldset>
  <button type="submit">注册并登录</button>
</form>
</section>
<section aria-labelledby="login-h" class="panel">
<h2 id="login-h">登录</h2>
<p class="meta">在联合体任一成员网站注册的账号，在这里都能登录。</p>
<form id="login-password" class="stack" novalidate>
  <label for="lp-login">手机号或邮箱</label>
  <input id="lp-login" name="login" autocomplete="username" required maxlength="254">
  <label for="lp-password">密码</label>
  <input id="lp-password" name="password" type="password" autocomplete="current-password" required maxlength="200">
  <button type="submit">密码登录</button>
</form>
<p class="meta">没有设置密码？用验证码登录：</p>
<form id="login-code" class="stack" novalidate>
  <label for="lc-contact">手机号或邮箱</label>
  <div class="row"><input id="lc-contact" name="destination" autocomplete="username" required maxlength="254">
  <button type="button" class="secondary" data-send-code="lc-contact">获取验证码</button></div>
  <label for="lc-code">验证码</label>
  <input id="lc-code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required>
  <button type="submit">验证码登录</button>
</form>
</section>
</div>`;
}

/**
 * One switch per purpose (a native checkbox with role=switch: Space toggles it, the label names it), its state in
 * words and the one line of what changing it does; account.js saves each change and swaps the line.
 */
function consentSwitches(p: Profile): string {
  const granted = new Set(p.consents.filter((c) => c.granted).map((c) => c.purpose));
  const rows = purposes.map((c) => {
    const on = granted.has(c.purpose);
    const id = `consent-${c.purpose}`;
    return `<div class="consent">
  <input type="checkbox" role="switch" id="${id}" data-consent="${c.purpose}" data-label="${esc(c.label)}" data-on="${esc(c.on)}" data-off="${esc(c.off)}" aria-describedby="${id}-effect"${on ? ' checked' : ''}>
  <label for="${id}">${esc(c.label)}<span class="state" data-consent-state>${on ? '已同意' : '未同意'}</span></label>
  <p id="${id}-effect" class="effect" data-consent-effect>${esc(on ? c.off : c.on)}</p>
</div>`;
  });
  return `<fieldset class="consents"><legend><h3>授权</h3></legend>
<p class="meta">随时可以撤回或重新同意，改动立即生效。</p>${rows.join('')}</fieldset>`;
}

function signedIn(site: AccountSite, p: Profile): string {
  const home = p.homeDivision ? (p.homeDivision.code === p.homeDivision.cityCode ? p.homeDivision.name : `${p.homeDivision.cityName}${p.homeDivision.name}`) : '未填写';
  return `<section class="panel" aria-labelledby="me-h" data-reader-id="${esc(p.id)}">
<h2 id="me-h">欢迎回来，<span data-reader-name>${esc(p.displayName)}</span></h2>
<dl class="facts">
  <dt>账号</dt><dd>${esc(p.phone ?? p.email ?? '')}</dd>
  <dt>注册于</dt><dd data-registered>${esc(p.registeredAt?.name ?? '')}</dd>
  <dt>常住地</dt><dd>${esc(home)}</dd>
</dl>
<p class="meta">同一账号可登录联合体所有成员单位的网站和客户端；在哪里读，推荐就跟到哪里。</p>
${consentSwitches(p)}
<p><a class="button" href="/portal/${esc(site.slug)}/for-you">看我的推荐</a></p>
<h3>我的个人信息</h3>
<p><a href="/api/reader/me/export" download>下载我的数据（JSON）</a></p>
<p class="row"><button type="button" class="secondary" data-sign-out>退出登录</button>
<button type="button" class="danger" data-delete-account>注销账号</button></p>
<p class="meta">注销后，账号、联系方式、授权记录和设备全部删除；阅读记录只以匿名形式保留用于统计。</p>
</section>`;
}

/**
 * 我的: sign-up and sign-in on a member unit's portal, or, signed in, who the portal knows you as. A
 * private page (never cached): it is the one portal page that differs per reader. The forms post to the
 * reader API through /reader/account.js (the portal's CSP allows only same-origin scripts).
 */
export function accountPage(site: AccountSite, profile: Profile | null, csrfToken: string | null): string {
  const main = `<h1 class="page-title">我的</h1>
<p id="account-status" class="notice" role="alert" hidden></p>
${profile ? signedIn(site, profile) : signedOut(site)}`;
  const data: Record<string, string> = { unit: site.slug, 'consent-version': CONSENT_VERSION, next: `/portal/${site.slug}/for-you` };
  if (csrfToken) data.csrf = csrfToken;
  const meta = { title: `我的 - ${site.name}`, description: `${site.name}读者账号`, canonical: `/portal/${site.slug}/account`, ogType: 'website' as const, noindex: true };
  return layout(site, { ...meta, scripts: [{ src: '/reader/account.js', data }] }, [], main);
}
