// The commonest Chinese surnames (百家姓 as used today: together they cover most of the population).
// Used to tell a person's name from other words jieba has not seen before.

const SINGLE_CHARACTER_SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹欧耿兰焦俞左柳甘祝包宁尚舒阮柯纪梅童凌毕季裴霍涂苗谷盛翁冉骆蓝辛靳柴鲍喻祁蒲滕屈饶牟艾尤穆卓缪岑晏瞿佟臧闵苟邬卞仇栾隋郎甄敖巩佘查麦';

const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '夏侯', '令狐', '司徒', '端木', '宇文', '轩辕', '西门', '南宫', '独孤', '呼延'];

// Last characters that make a word a noun of another kind rather than a given name.
const NOT_NAME_ENDINGS = new Set('化部性型式们者员局厅处院会费率量业区市县省州');

// Ordinary words that jieba's dictionary tags as personal names (nr) and that start with a surname.
const NOT_NAMES = new Set(['顾问', '方正', '高清', '高达', '黄蜂', '马刺', '明星', '阳光', '金融', '高新', '江湖', '程序', '钱包', '包装', '高端', '高速', '高效', '万达', '龙头', '石头', '金牌', '何时', '何况', '任何']);

const singleSurnames = new Set(SINGLE_CHARACTER_SURNAMES);

/** The surname a Chinese name starts with, or undefined when it starts with none of the common ones. */
export function leadingSurname(name: string): string | undefined {
  const compound = COMPOUND_SURNAMES.find((surname) => name.startsWith(surname));
  if (compound !== undefined) return compound;
  const first = name.charAt(0);
  return singleSurnames.has(first) ? first : undefined;
}

/**
 * Looks like a Chinese personal name: a common surname followed by one or two given-name
 * characters (two or three after a compound surname), all Han characters.
 */
export function looksLikeChineseName(word: string): boolean {
  if (!/^\p{Script=Han}+$/u.test(word)) return false;
  const surname = leadingSurname(word);
  if (surname === undefined) return false;
  const given = word.length - surname.length;
  if (given < 1 || given > 2) return false;
  // 智能化, 宣传部, 管理者: words that merely start with a surname character.
  return !NOT_NAME_ENDINGS.has(word.charAt(word.length - 1)) && !NOT_NAMES.has(word);
}
