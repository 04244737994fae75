import sharp from 'sharp';
import type { PrintStory } from '../modules/print/layout/layout.ts';

/**
 * Six stories of a county front page and pictures drawn on the spot: the fixture of the layout and
 * PDF tests, the benchmark and the screenshot in docs/. The text mixes Chinese, Latin and figures and
 * is full of the punctuation 禁则 is about.
 */
const p = (text: string) => ({ kind: 'p' as const, text });

export const sampleStories = (): PrintStory[] => [
  {
    id: 'lead',
    title: '天府粮仓建设迈出坚实步伐 全省秋粮喜获丰收',
    deck: '高标准农田累计建成五千七百万亩，粮食总产量连续四年稳定在七百亿斤以上',
    byline: '本报记者 李明 王芳',
    image: { assetId: 'img-lead', width: 1600, height: 1000, caption: '11月20日，崇州市隆兴镇的种粮大户驾驶收割机抢收晚稻。（记者 张华 摄）' },
    labels: [],
    credits: [],
    paragraphs: [
      p('金秋时节，川西平原稻浪翻滚。记者从省农业农村厅获悉，今年全省秋粮收获已基本结束，粮食总产量预计达到718.5亿斤，比上年增加9.2亿斤，实现“四连增”。'),
      p('“今年我们流转了1200亩地，全部建成了高标准农田，亩产比过去提高了150斤左右。”崇州市种粮大户陈建国一边查看烘干机的读数，一边给记者算账：“机耕、机插、机收全覆盖，一个人能管好几百亩。”'),
      { kind: 'h', text: '良田良种良法 三管齐下' },
      p('省农业农村厅有关负责人介绍，近年来我省坚持“藏粮于地、藏粮于技”，把高标准农田建设作为天府粮仓建设的“头号工程”。截至目前，全省累计建成高标准农田5700万亩，其中今年新建和改造提升620万亩；主要农作物良种覆盖率稳定在97%以上，耕种收综合机械化率达到72.3%。'),
      p('在良种方面，“川康优2115”“宜香优2115”等一批优质稻品种大面积推广；在良法方面，水稻“两壮两高”、玉米大豆带状复合种植等技术模式在全省推开。专家表示，这些措施让每一亩地都“种得好、收得多、卖得上价”。'),
      p('与此同时，我省持续完善种粮农民收益保障机制：稻谷最低收购价政策执行到位，完全成本保险和种植收入保险覆盖全部产粮大县，全年发放各类种粮补贴逾百亿元。'),
      { kind: 'h', text: '丘陵山区宜机化改造提速' },
      p('川中丘陵地区地块小、坡度大，一直是农业机械化的“短板”。今年，我省在32个丘陵县开展宜机化改造试点，通过“小并大、短并长、弯变直、陡变缓”，让大中型农机“下得了田、转得了弯”。安岳县试点区改造后，每亩作业成本下降了约80元。'),
      p('业内人士认为，随着天府粮仓建设由“平原示范”向“丘陵山区”全面推开，四川作为西部唯一粮食主产省的地位将更加稳固——这对保障国家粮食安全具有重要意义。'),
    ],
  },
  {
    id: 'metro',
    title: '成都地铁30号线一期开通初期运营',
    deck: null,
    byline: '本报记者 赵雪',
    image: { assetId: 'img-metro', width: 1200, height: 800, caption: '市民在新开通的30号线站台候车。' },
    labels: [],
    credits: [],
    paragraphs: [
      p('11月26日上午10时，成都地铁30号线一期正式开通初期运营。线路全长约26.1公里，共设车站20座，其中换乘站9座，串联起双流区、武侯区、锦江区和成华区。'),
      p('30号线采用A型车8辆编组，最高运行速度80km/h，高峰时段行车间隔约4分钟。开通后，成都地铁运营总里程将超过670公里，居全国第四。'),
      p('据介绍，30号线沿线串联起双流国际机场片区、成都高新区、春熙路商圈和东郊记忆等客流集中区域，开通后将有效缓解既有线路高峰时段的拥挤程度。地铁运营方在各站设置了无障碍电梯、母婴室和应急救援设施，并在首周安排志愿者在换乘通道引导乘客。'),
      p('成都轨道交通集团有关负责人表示，到2025年底，成都还将有13号线一期、17号线二期等线路陆续建成，城市轨道交通“一张网”将进一步织密。'),
    ],
  },
  {
    id: 'culture',
    title: '三星堆新馆迎来第一千万名观众',
    deck: null,
    byline: '本报记者 周婷',
    image: null,
    labels: [],
    credits: [],
    paragraphs: [
      p('记者从三星堆博物馆获悉，自2023年7月新馆开放以来，累计接待观众已突破1000万人次，其中境外游客约占6%。'),
      p('为应对持续高涨的参观热情，博物馆推出了分时段预约、夜间延时开放和“数字三星堆”线上展厅，并与高校合作开设《古蜀文明》系列公开课。'),
      p('业内专家认为，三星堆的“出圈”说明——中华优秀传统文化只要讲好、讲活，就能赢得年轻人的喜爱。'),
      p('今年以来，三星堆遗址考古工作持续推进，新发现的祭祀区8号坑出土的“神坛”残件已完成跨坑拼对，相关研究成果将于明年在新馆特展中首次公开展出。博物馆还联合文创企业开发了青铜面具冰箱贴、“纵目”盲盒等200余款文创产品，全年文创收入预计突破1亿元。'),
      p('“每次来都有新发现。”来自重庆的大学生小陈已是第三次参观，他说，数字展厅让文物“活”了起来，能看清青铜神树上每一只鸟的细节。'),
    ],
  },
  {
    id: 'tech',
    title: '“蜀道”大模型在政务服务中试点应用',
    deck: null,
    byline: '本报记者 吴迪',
    image: { assetId: 'img-tech', width: 1000, height: 1000, caption: '工作人员演示智能政务助手。' },
    labels: ['本文由AI辅助生成'],
    credits: ['来源：四川省大数据中心'],
    paragraphs: [
      p('四川省大数据中心近日发布消息，基于国产算力训练的“蜀道”政务大模型已在成都、绵阳等地的12个政务服务中心试点，可提供政策问答、材料预审、表单自动填写等服务。'),
      p('据介绍，试点期间智能助手累计回答群众咨询超过35万次，材料一次性通过率由78%提升到91%。相关负责人表示，模型生成的答复均经人工复核，涉及个人信息的数据不出政务云。'),
      p('下一步，我省将在确保安全可控的前提下，逐步扩大试点范围，并制定《政务大模型应用管理办法》。'),
    ],
  },
  {
    id: 'tourism',
    title: '冬游四川 雪山温泉线路升温',
    deck: null,
    byline: '本报记者 何佳',
    image: null,
    labels: [],
    credits: [],
    paragraphs: [
      p('随着气温下降，海螺沟、西岭雪山、九寨沟等景区进入冬季旅游旺季。在线旅游平台数据显示，近一周“四川 雪山”相关搜索量环比增长120%，“温泉＋滑雪”组合产品预订量同比翻番。'),
      p('为吸引游客，多地推出门票减免、冬季音乐节、非遗年俗体验等活动；甘孜州还开通了成都至康定的冬季旅游专列。'),
      p('文旅部门提醒，冬季高原地区气温低、道路易结冰，游客出行前应关注天气和路况信息，自驾车辆需配备防滑链，合理安排行程，避免疲劳驾驶。'),
      p('据统计，今年1至10月全省接待游客8.6亿人次，实现旅游收入1.1万亿元，同比分别增长7.8%和9.3%；其中入境游客数量较去年同期增长超过50%。'),
    ],
  },
  {
    id: 'community',
    title: '锦江区老旧小区改造惠及三万余户',
    deck: null,
    byline: '本报通讯员 陈晨',
    image: null,
    labels: [],
    credits: [],
    paragraphs: [
      p('今年以来，锦江区持续推进城市更新，老旧小区改造覆盖居民3.2万户。改造内容包括加装电梯、雨污分流、停车位增补（含充电桩）等，居民满意度达97.6%。'),
      p('“我们家楼下终于有了电梯！”家住水井坊街道的李阿姨说。据了解，该区采取“居民议、居民定、居民管”的方式，先后召开院落坝坝会400余场……让改造真正改到群众心坎上。'),
      p('改造完成后，不少小区还引入了物业服务，成立了业主自治小组，建立“红色物业”议事平台，实现从“一次改造”到“长效治理”的转变。明年，锦江区计划再改造老旧小区60个，惠及居民1.1万户。'),
    ],
  },
];

/** A picture drawn as SVG and encoded as JPEG, like an asset's variant. */
export async function samplePicture(width: number, height: number, hue: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl(${hue},60%,75%)"/><stop offset="1" stop-color="hsl(${hue},40%,45%)"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#sky)"/>
    <path d="M0 ${height * 0.7} Q ${width * 0.25} ${height * 0.45} ${width * 0.5} ${height * 0.65} T ${width} ${height * 0.55} V ${height} H 0 Z" fill="hsl(${(hue + 60) % 360},45%,35%)"/>
    <circle cx="${width * 0.78}" cy="${height * 0.25}" r="${Math.min(width, height) * 0.09}" fill="hsl(45,90%,70%)"/>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 82 }).toBuffer();
}

export async function samplePictures(): Promise<Map<string, Buffer>> {
  return new Map([
    ['img-lead', await samplePicture(1600, 1000, 90)],
    ['img-metro', await samplePicture(1200, 800, 210)],
    ['img-tech', await samplePicture(1000, 1000, 260)],
  ]);
}
