import { Readable } from 'node:stream';
import type { Db } from '../../platform/db/database.ts';
import type { Actor } from '../../policies/index.ts';
import { SYSTEM_USER_ID } from '../identity/system.ts';
import type { ActorContext, AllianceService } from '../alliance/service.ts';
import { type DocNode, docFromText } from './doc.ts';
import type { CreateItemInput } from './schema.ts';
import type { ContentService } from './service.ts';
import type { SharingService } from './sharing.service.ts';
import type { ShareScope } from './tables.ts';

/**
 * 演示内容: a dozen short sample stories, written for this project (not taken from any outlet), in
 * five units of the alliance, so a fresh install has a hub to look at. Every demo story says so in
 * its source ("演示稿件") and carries the tag "演示"; a few are shared to the alliance, one is adopted
 * by another unit (with its provenance), one special topic groups the culture and tourism ones,
 * and a few title cards drawn here with sharp (from SVG; nothing is downloaded) serve as pictures.
 */

export const DEMO_SOURCE = '演示稿件';
export const DEMO_TAG = '演示';

/** What the asset library's upload takes: multipart parts as @fastify/multipart yields them. */
type UploadPart =
  | { type: 'file'; fieldname: string; filename: string; mimetype: string; file: Readable }
  | { type: 'field'; fieldname: string; value: unknown };

export interface DemoServices {
  alliance: AllianceService;
  content: ContentService;
  sharing: SharingService;
  /** The asset library; without it the demo stories simply have no pictures. */
  assets?: { upload(ctx: ActorContext, parts: AsyncIterable<UploadPart>): Promise<{ asset: { id: string } }> };
}

/** Where each demo unit is found: by division code, or by name for the provincial founders. */
type UnitKey = 'qingyang' | 'jinjiang' | 'chengdu' | 'sichuanDaily' | 'zhaojue';
const unitRefs: Record<UnitKey, { code?: string; name: string }> = {
  qingyang: { code: '510105', name: '青羊区融媒体中心' },
  jinjiang: { code: '510104', name: '锦江区融媒体中心' },
  chengdu: { code: '510100', name: '成都市' },
  sichuanDaily: { name: '四川日报报业集团' },
  zhaojue: { code: '513431', name: '昭觉县融媒体中心' },
};

interface Card {
  key: string;
  title: string;
  subtitle: string;
  colors: [string, string];
  /** A simple motif drawn under the text, so the card reads even where no CJK font is installed. */
  motif: 'mountains' | 'river' | 'fields' | 'lanterns' | 'bamboo';
}

const cards: Card[] = [
  { key: 'caotang', title: '草堂诗韵', subtitle: '青羊 · 文化', colors: ['#7a1f2b', '#c41d2f'], motif: 'bamboo' },
  { key: 'greenway', title: '天府绿道', subtitle: '成都 · 出行', colors: ['#135200', '#52c41a'], motif: 'river' },
  { key: 'spring', title: '春耕正忙', subtitle: '四川 · 农业', colors: ['#614700', '#d4b106'], motif: 'fields' },
  { key: 'torch', title: '火把节前', subtitle: '昭觉 · 民俗', colors: ['#871400', '#fa541c'], motif: 'lanterns' },
  { key: 'panda', title: '熊猫家园', subtitle: '四川 · 生态', colors: ['#00474f', '#13c2c2'], motif: 'mountains' },
];

function motifSvg(motif: Card['motif']): string {
  switch (motif) {
    case 'mountains':
      return '<path d="M0 560 L260 300 L420 450 L640 220 L900 470 L1200 260 L1200 675 L0 675 Z" fill="#ffffff" fill-opacity="0.18"/>';
    case 'river':
      return '<path d="M0 520 C 300 440, 500 640, 800 540 S 1100 470, 1200 520 L1200 675 L0 675 Z" fill="#ffffff" fill-opacity="0.2"/><circle cx="980" cy="170" r="70" fill="#ffffff" fill-opacity="0.25"/>';
    case 'fields':
      return Array.from({ length: 6 }, (_, i) => `<path d="M0 ${470 + i * 40} Q 600 ${430 + i * 40} 1200 ${470 + i * 40}" stroke="#ffffff" stroke-opacity="0.25" stroke-width="10" fill="none"/>`).join('');
    case 'lanterns':
      return Array.from({ length: 5 }, (_, i) => `<ellipse cx="${180 + i * 210}" cy="560" rx="34" ry="60" fill="#ffd666" fill-opacity="0.55"/>`).join('');
    case 'bamboo':
      return Array.from({ length: 7 }, (_, i) => `<rect x="${860 + i * 46}" y="${80 + (i % 3) * 30}" width="14" height="600" rx="7" fill="#ffffff" fill-opacity="0.16"/>`).join('');
  }
}

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** A 1200×675 title card: a gradient, a motif, the title and a line under it. */
export function titleCardSvg(card: Card): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675" viewBox="0 0 1200 675">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${card.colors[0]}"/><stop offset="1" stop-color="${card.colors[1]}"/></linearGradient></defs>
  <rect width="1200" height="675" fill="url(#g)"/>
  ${motifSvg(card.motif)}
  <text x="90" y="300" font-family="Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, sans-serif" font-size="120" font-weight="700" fill="#ffffff">${escapeXml(card.title)}</text>
  <rect x="94" y="345" width="120" height="8" fill="#ffffff" fill-opacity="0.8"/>
  <text x="94" y="420" font-family="Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, sans-serif" font-size="44" fill="#ffffff" fill-opacity="0.9">${escapeXml(card.subtitle)} · 演示图片</text>
</svg>`;
}

interface Story {
  key: string;
  unit: UnitKey;
  type?: CreateItemInput['type'];
  title: string;
  summary: string;
  category: string;
  tags: string[];
  byline: string;
  regionCode: string;
  paragraphs: string[];
  cover?: Card['key'];
  /** A picture placed in the body after the first paragraph. */
  inlineImage?: { card: Card['key']; caption: string };
  share?: ShareScope;
}

const stories: Story[] = [
  {
    key: 'caotang-reading',
    unit: 'qingyang',
    title: '杜甫草堂举办周末诗歌诵读会 市民在竹林间品读唐诗',
    summary: '青羊区杜甫草堂周末举办诗歌诵读会，市民与中小学生在竹林间诵读杜诗，活动将持续到本月底。',
    category: '文化',
    tags: ['杜甫草堂', '诗歌', '公共文化'],
    byline: '青羊区融媒体中心记者 林晓',
    regionCode: '510105',
    paragraphs: [
      '周六上午，杜甫草堂的竹林小径旁摆起了几排木凳，一场面向市民的诗歌诵读会在这里举行。来自附近社区的居民和十余所中小学的学生轮流上台，诵读《春夜喜雨》《茅屋为秋风所破歌》等名篇。',
      '“在草堂读杜诗，感觉诗里的成都就在眼前。”一位带着孩子来参加活动的市民说。现场还设置了书法体验区，志愿者指导孩子们用毛笔抄写诗句。',
      '据了解，诵读会每逢周末举办，持续到本月底，市民可通过社区文化站免费报名。主办方表示，希望让经典诗词走进更多家庭。',
    ],
    cover: 'caotang',
    inlineImage: { card: 'caotang', caption: '诵读会现场（演示图片）' },
    share: 'alliance',
  },
  {
    key: 'qingyang-canteen',
    unit: 'qingyang',
    title: '青羊区新增三家社区老年助餐点 老人步行十分钟可就餐',
    summary: '青羊区三家社区老年助餐点投入运营，提供午餐和晚餐，高龄和独居老人可享用餐补贴。',
    category: '民生',
    tags: ['养老服务', '社区', '助餐'],
    byline: '青羊区融媒体中心记者 周敏',
    regionCode: '510105',
    paragraphs: [
      '本周起，青羊区又有三家社区老年助餐点投入运营。助餐点设在社区综合服务中心一楼，每天供应午餐和晚餐，菜品以少油少盐的家常菜为主。',
      '社区工作人员介绍，八十岁以上和独居老人凭卡就餐可享受补贴，行动不便的老人还可以预约送餐上门。',
      '目前全区老年助餐点已覆盖大部分社区，居住在周边的老人步行十分钟左右即可就餐。',
    ],
    share: 'parents',
  },
  {
    key: 'kuanzhai-night',
    unit: 'qingyang',
    title: '宽窄巷子推出夜间川剧小剧场 游客近距离看变脸',
    summary: '宽窄巷子新开夜间川剧小剧场，每晚两场，节目包括变脸、吐火和川剧折子戏。',
    category: '旅游',
    tags: ['宽窄巷子', '川剧', '夜间文旅'],
    byline: '青羊区融媒体中心记者 林晓',
    regionCode: '510105',
    paragraphs: [
      '夜幕降临，宽窄巷子的一处老院落里锣鼓声响起。新开的夜间川剧小剧场每晚演出两场，节目包括变脸、吐火和川剧折子戏。',
      '小剧场只有八十个座位，观众与演员相隔不过几米。不少外地游客表示，这是第一次这样近距离看变脸。',
      '街区管理方表示，今后还将引入更多本地非遗项目，丰富夜间游览内容。',
    ],
    share: 'alliance',
  },
  {
    key: 'chunxi-night',
    unit: 'jinjiang',
    title: '春熙路街区试行“夜间便民服务站” 提供问询与失物招领',
    summary: '锦江区在春熙路街区试行夜间便民服务站，晚间提供问询、失物招领、应急药品等服务。',
    category: '公共服务',
    tags: ['春熙路', '便民服务', '夜间经济'],
    byline: '锦江区融媒体中心记者 何川',
    regionCode: '510104',
    paragraphs: [
      '为方便晚间到春熙路街区购物游玩的市民游客，锦江区在街区内设立了两处夜间便民服务站，每天营业到晚上十一点。',
      '服务站提供问询指引、失物招领、手机充电和应急药品等服务，工作人员中有能说英语的志愿者。',
      '试行期间，服务站将根据来访需求调整服务内容，市民也可通过政务服务热线提出建议。',
    ],
    share: 'alliance',
  },
  {
    key: 'jinjiang-onestop',
    unit: 'jinjiang',
    title: '锦江区社区政务服务实现“一窗通办” 四十余项事项就近办理',
    summary: '锦江区社区政务服务推行一窗通办，社保、医保、居住证等四十余项事项可在社区办理。',
    category: '公共服务',
    tags: ['政务服务', '一窗通办'],
    byline: '锦江区融媒体中心记者 杨帆',
    regionCode: '510104',
    paragraphs: [
      '在锦江区一处社区党群服务中心，居民只需在一个窗口就能办理社保、医保、居住证等四十余项事项。',
      '工作人员介绍，过去不同事项要跑不同窗口，现在实行“一窗受理、后台分办”，多数事项当场办结。',
    ],
  },
  {
    key: 'greenway-cycling',
    unit: 'chengdu',
    title: '天府绿道新增骑行驿站 周末骑行爱好者增多',
    summary: '天府绿道沿线新增一批骑行驿站，提供补水、简单维修和休息座椅，周末骑行人数明显增加。',
    category: '旅游',
    tags: ['天府绿道', '骑行', '城市生活'],
    byline: '成都市融媒体记者 赵一鸣',
    regionCode: '510100',
    paragraphs: [
      '天府绿道沿线近日新增一批骑行驿站，驿站提供饮用水、打气筒、简单维修工具和休息座椅。',
      '每逢周末，绿道上骑行的市民明显增多。“骑累了就在驿站歇一歇，很方便。”一位骑行爱好者说。',
      '有关部门提醒，骑行时请注意佩戴头盔，在人车混行路段减速慢行。',
    ],
    cover: 'greenway',
    inlineImage: { card: 'greenway', caption: '绿道骑行驿站（演示图片）' },
    share: 'alliance',
  },
  {
    key: 'chengdu-bus',
    unit: 'chengdu',
    title: '成都优化十条公交线路 地铁站接驳更顺畅',
    summary: '成都对十条公交线路进行优化调整，重点加强与地铁站点的接驳，部分线路延长运营时间。',
    category: '公共服务',
    tags: ['公交', '地铁接驳', '出行'],
    byline: '成都市融媒体记者 李蓉',
    regionCode: '510100',
    paragraphs: [
      '从下周一起，成都将对十条公交线路进行优化调整，重点加强与地铁站点的接驳。',
      '调整后，部分线路的末班车时间延后半小时，方便晚间下班的乘客换乘。市民可通过公交查询软件了解具体站点变化。',
    ],
  },
  {
    key: 'spring-farming',
    unit: 'sichuanDaily',
    title: '川西平原春耕忙 智能农机下田助力水稻育秧',
    summary: '川西平原进入春耕时节，各地合作社使用育秧流水线和植保无人机，提高育秧效率。',
    category: '农业',
    tags: ['春耕', '水稻', '农机'],
    byline: '演示记者 王田',
    regionCode: '510000',
    paragraphs: [
      '眼下，川西平原进入春耕春播的关键时节。在一家农机专业合作社的育秧工厂里，育秧流水线正在运转，一盘盘秧盘依次完成铺土、播种和覆土。',
      '合作社负责人介绍，采用流水线育秧后，出苗更整齐，人工也节省了不少。田间地头，植保无人机正在进行作业前的调试。',
      '农业技术人员提醒，近期气温起伏较大，育秧期间要注意保温防寒。',
    ],
    cover: 'spring',
    share: 'alliance',
  },
  {
    key: 'panda-park',
    unit: 'sichuanDaily',
    title: '大熊猫国家公园周边社区发展生态旅游 村民当上自然讲解员',
    summary: '大熊猫国家公园周边社区发展生态旅游，经过培训的村民为游客讲解动植物知识。',
    category: '生态',
    tags: ['大熊猫国家公园', '生态旅游', '乡村振兴'],
    byline: '演示记者 陈山',
    regionCode: '510000',
    paragraphs: [
      '在大熊猫国家公园周边的一个村子里，村民们参加培训后当上了自然讲解员，带领游客沿步道观察植物和鸟类。',
      '“以前上山是砍柴，现在是讲解，保护好山林就是保护我们的饭碗。”一位讲解员说。',
      '当地有关负责人表示，将坚持生态优先，控制游客数量，让保护与发展相互促进。',
    ],
    cover: 'panda',
    share: 'alliance',
  },
  {
    key: 'torch-festival',
    unit: 'zhaojue',
    title: '昭觉县各乡镇筹备火把节 非遗展演节目紧张排练',
    summary: '火把节临近，昭觉县各乡镇组织彝族歌舞、朵乐荷等非遗节目排练，准备节日展演。',
    category: '文化',
    tags: ['火把节', '彝族', '非遗'],
    byline: '昭觉县融媒体中心记者 阿依',
    regionCode: '513431',
    paragraphs: [
      '火把节临近，昭觉县各乡镇的文艺队正在紧张排练。在县城的文化广场上，身着彝族服饰的姑娘们跳起了朵乐荷。',
      '县文化部门介绍，今年的展演节目由各乡镇推荐，既有传统歌舞，也有反映新生活的原创节目。',
      '节日期间，县里还将组织传统体育比赛和民族服饰展示活动，欢迎各地游客前来感受彝族文化。',
    ],
    cover: 'torch',
    inlineImage: { card: 'torch', caption: '文艺队排练（演示图片）' },
    share: 'alliance',
  },
  {
    key: 'zhaojue-potato',
    unit: 'zhaojue',
    title: '昭觉县马铃薯良种基地迎来采收 脱毒种薯供应周边乡镇',
    summary: '昭觉县马铃薯良种繁育基地开始采收，脱毒种薯将供应周边乡镇，帮助农户提高产量。',
    category: '农业',
    tags: ['马铃薯', '良种', '高原农业'],
    byline: '昭觉县融媒体中心记者 吉克',
    regionCode: '513431',
    paragraphs: [
      '在昭觉县的马铃薯良种繁育基地，村民们正忙着采收脱毒种薯。一筐筐土豆经过分拣后装袋，准备运往周边乡镇。',
      '基地技术员介绍，使用脱毒种薯可以减少病害，亩产比普通种薯有明显提高。',
    ],
  },
];

/** The special topic: groups the culture and tourism stories shared to the alliance. */
const special = {
  unit: 'sichuanDaily' as UnitKey,
  title: '专题：天府文旅季 · 走进各地的文化与风景',
  summary: '汇集联合体各单位的文化、旅游稿件，展示各地的文化活动与风景。',
  members: ['caotang-reading', 'kuanzhai-night', 'greenway-cycling', 'panda-park', 'torch-festival'],
};

/** The pick-up: 锦江区 takes 青羊区's story on the poetry reading into its own hub. */
const adoption = { story: 'caotang-reading', by: 'jinjiang' as UnitKey };

/** The system acts here, as a chief editor of each unit; it has no user row, so no user is named. */

async function systemContext(alliance: AllianceService, unitId: string): Promise<ActorContext> {
  const unit = await alliance.getUnit(unitId);
  const actor: Actor = { userId: SYSTEM_USER_ID, unitId: unit.id, unitPath: unit.path, role: 'chief_editor' };
  return { actor, actorUserId: SYSTEM_USER_ID, requestId: 'demo-seed' };
}

async function findUnits(alliance: AllianceService): Promise<Record<UnitKey, string> | null> {
  const founders = await alliance.listUnits({ kind: 'founder' });
  const out: Partial<Record<UnitKey, string>> = {};
  for (const [key, ref] of Object.entries(unitRefs) as [UnitKey, (typeof unitRefs)[UnitKey]][]) {
    const unit = ref.code ? await alliance.findUnitByDivisionCode(ref.code) : founders.find((u) => u.name === ref.name);
    if (!unit) return null;
    out[key] = unit.id;
  }
  return out as Record<UnitKey, string>;
}

/** True when any demo unit already holds a demo story (the tag), i.e. the demo was seeded before. */
async function demoPresent(services: DemoServices, contexts: Record<UnitKey, ActorContext>): Promise<boolean> {
  for (const ctx of Object.values(contexts)) {
    for (let offset = 0; ; offset += 100) {
      const rows = await services.content.list(ctx.actor, { view: 'unit', limit: 100, offset });
      if (rows.some((r) => r.tags.includes(DEMO_TAG))) return true;
      if (rows.length < 100) break;
    }
  }
  return false;
}

/** Is the hub empty (no item in any unit)? serve seeds the demo on first start, or when it is. */
export async function hubIsEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom('content_items').select('id').limit(1).executeTakeFirst();
  return !row;
}

async function renderCard(card: Card): Promise<Buffer | null> {
  try {
    const sharp = (await import('sharp')).default;
    return await sharp(Buffer.from(titleCardSvg(card))).png().toBuffer();
  } catch {
    return null; // no sharp on this machine: the demo goes without pictures
  }
}

async function* uploadParts(png: Buffer, filename: string, caption: string, tags: string[]): AsyncIterable<UploadPart> {
  yield { type: 'field', fieldname: 'caption', value: caption };
  yield { type: 'field', fieldname: 'tags', value: tags.join(',') };
  yield { type: 'file', fieldname: 'file', filename, mimetype: 'image/png', file: Readable.from([png]) };
}

function storyBody(story: Story, images: Map<string, string>): DocNode {
  const doc = docFromText(story.paragraphs.join('\n'));
  const image = story.inlineImage && images.get(`${story.unit}:${story.inlineImage.card}`);
  if (image && story.inlineImage) {
    const figure: DocNode = { type: 'image', attrs: { assetId: image, alt: story.inlineImage.caption, caption: story.inlineImage.caption } };
    doc.content = [...(doc.content ?? []).slice(0, 1), figure, ...(doc.content ?? []).slice(1)];
  }
  return doc;
}

export interface DemoResult {
  created: number;
  assets: number;
  skipped: boolean;
}

/**
 * Fills the demo units with the sample stories, pictures, sharing, one pick-up and one special
 * topic. Idempotent: when a demo story exists already it does nothing. Every write goes through
 * the services (with their audit rows and search index), as the system acting in each unit.
 */
export async function seedDemoContent(services: DemoServices): Promise<DemoResult> {
  const unitIds = await findUnits(services.alliance);
  if (!unitIds) return { created: 0, assets: 0, skipped: true }; // not the Sichuan alliance tree
  const contexts = {} as Record<UnitKey, ActorContext>;
  for (const key of Object.keys(unitIds) as UnitKey[]) contexts[key] = await systemContext(services.alliance, unitIds[key]);
  if (await demoPresent(services, contexts)) return { created: 0, assets: 0, skipped: true };

  // Pictures: each unit uploads the cards its stories use (assets belong to a unit).
  const images = new Map<string, string>();
  if (services.assets) {
    for (const story of stories) {
      for (const cardKey of [story.cover, story.inlineImage?.card]) {
        if (!cardKey || images.has(`${story.unit}:${cardKey}`)) continue;
        const card = cards.find((c) => c.key === cardKey)!;
        const png = await renderCard(card);
        if (!png) continue;
        const { asset } = await services.assets.upload(contexts[story.unit], uploadParts(png, `demo-${card.key}.png`, `${card.title}（演示图片）`, [DEMO_TAG, card.title]));
        images.set(`${story.unit}:${cardKey}`, asset.id);
      }
    }
  }

  const created = new Map<string, string>();
  for (const story of stories) {
    const ctx = contexts[story.unit];
    const item = await services.content.create(ctx, {
      type: story.type ?? 'article',
      title: story.title,
      summary: story.summary,
      body: storyBody(story, images),
      byline: story.byline,
      source: DEMO_SOURCE,
      category: story.category,
      tags: [...story.tags, DEMO_TAG],
      regionCode: story.regionCode,
      coverAssetId: story.cover ? (images.get(`${story.unit}:${story.cover}`) ?? null) : null,
      note: '演示内容',
    });
    created.set(story.key, item.id);
    if (story.share) await services.sharing.share(ctx, item.id, story.share);
  }

  const sp = await services.content.create(contexts[special.unit], {
    type: 'special',
    title: special.title,
    summary: special.summary,
    body: docFromText(special.summary),
    source: DEMO_SOURCE,
    category: '旅游',
    tags: ['天府文旅季', DEMO_TAG],
    specialItemIds: special.members.map((k) => created.get(k)!),
    note: '演示内容',
  });
  await services.sharing.share(contexts[special.unit], sp.id, 'alliance');

  await services.sharing.adopt(contexts[adoption.by], created.get(adoption.story)!);

  return { created: stories.length + 2, assets: images.size, skipped: false };
}
