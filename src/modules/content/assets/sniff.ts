import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type';
import { Problem } from '../../../platform/http/problem.ts';
import type { AssetKind } from './assets.tables.ts';

/**
 * 文件类型识别: the type of an upload comes from its bytes (file-type, the well-kept magic-number
 * library; 21.x is its last line for Node 20), never from the name or the browser's claim. The
 * name and claimed MIME are only checked against the bytes, so a renamed or mislabelled file is
 * refused with a message saying what it really is.
 */
export interface AssetFormat {
  mime: string;
  kind: AssetKind;
  label: { zh: string; en: string };
  /** Extensions a file of this format may carry. */
  exts: string[];
  /** MIME types browsers and tools declare for it, besides `mime`. */
  aliases?: string[];
  /** Formats in one container family (ISO-BMFF, Matroska, Ogg) may carry each other's names. */
  family?: string;
}

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';

const formats: AssetFormat[] = [
  { mime: 'image/jpeg', kind: 'image', label: { zh: 'JPEG 图片', en: 'a JPEG image' }, exts: ['jpg', 'jpeg', 'jpe', 'jfif'], aliases: ['image/jpg', 'image/pjpeg'] },
  { mime: 'image/png', kind: 'image', label: { zh: 'PNG 图片', en: 'a PNG image' }, exts: ['png'], aliases: ['image/x-png'] },
  { mime: 'image/gif', kind: 'image', label: { zh: 'GIF 图片', en: 'a GIF image' }, exts: ['gif'] },
  { mime: 'image/webp', kind: 'image', label: { zh: 'WebP 图片', en: 'a WebP image' }, exts: ['webp'] },
  { mime: 'image/avif', kind: 'image', label: { zh: 'AVIF 图片', en: 'an AVIF image' }, exts: ['avif'] },
  { mime: 'image/tiff', kind: 'image', label: { zh: 'TIFF 图片', en: 'a TIFF image' }, exts: ['tif', 'tiff'] },
  { mime: 'video/mp4', kind: 'video', label: { zh: 'MP4 视频', en: 'an MP4 video' }, exts: ['mp4'], family: 'isobmff' },
  { mime: 'video/x-m4v', kind: 'video', label: { zh: 'M4V 视频', en: 'an M4V video' }, exts: ['m4v'], family: 'isobmff' },
  { mime: 'video/quicktime', kind: 'video', label: { zh: 'MOV 视频', en: 'a QuickTime video' }, exts: ['mov', 'qt'], family: 'isobmff' },
  { mime: 'video/3gpp', kind: 'video', label: { zh: '3GP 视频', en: 'a 3GP video' }, exts: ['3gp'], family: 'isobmff' },
  { mime: 'video/webm', kind: 'video', label: { zh: 'WebM 视频', en: 'a WebM video' }, exts: ['webm'], family: 'ebml' },
  { mime: 'video/matroska', kind: 'video', label: { zh: 'MKV 视频', en: 'a Matroska video' }, exts: ['mkv'], aliases: ['video/x-matroska'], family: 'ebml' },
  { mime: 'video/ogg', kind: 'video', label: { zh: 'Ogg 视频', en: 'an Ogg video' }, exts: ['ogv'], family: 'ogg' },
  { mime: 'audio/mpeg', kind: 'audio', label: { zh: 'MP3 音频', en: 'an MP3 file' }, exts: ['mp3'], aliases: ['audio/mp3'] },
  { mime: 'audio/x-m4a', kind: 'audio', label: { zh: 'M4A 音频', en: 'an M4A file' }, exts: ['m4a'], aliases: ['audio/m4a', 'audio/mp4'], family: 'isobmff' },
  { mime: 'audio/mp4', kind: 'audio', label: { zh: 'MP4 音频', en: 'an MP4 audio file' }, exts: ['m4a', 'mp4'], aliases: ['audio/x-m4a'], family: 'isobmff' },
  { mime: 'audio/aac', kind: 'audio', label: { zh: 'AAC 音频', en: 'an AAC file' }, exts: ['aac'], aliases: ['audio/x-aac'] },
  { mime: 'audio/wav', kind: 'audio', label: { zh: 'WAV 音频', en: 'a WAV file' }, exts: ['wav'], aliases: ['audio/wave', 'audio/x-wav', 'audio/vnd.wave'] },
  { mime: 'audio/ogg', kind: 'audio', label: { zh: 'Ogg 音频', en: 'an Ogg file' }, exts: ['ogg', 'oga', 'opus'], family: 'ogg' },
  { mime: 'audio/ogg; codecs=opus', kind: 'audio', label: { zh: 'Opus 音频', en: 'an Opus file' }, exts: ['opus', 'ogg'], aliases: ['audio/opus', 'audio/ogg'], family: 'ogg' },
  { mime: 'audio/flac', kind: 'audio', label: { zh: 'FLAC 音频', en: 'a FLAC file' }, exts: ['flac'], aliases: ['audio/x-flac'] },
  // 微信语音、手机录音 come as AMR.
  { mime: 'audio/amr', kind: 'audio', label: { zh: 'AMR 音频', en: 'an AMR file' }, exts: ['amr'] },
  { mime: 'application/pdf', kind: 'document', label: { zh: 'PDF 文档', en: 'a PDF document' }, exts: ['pdf'] },
  { mime: DOCX, kind: 'document', label: { zh: 'Word 文档', en: 'a Word document' }, exts: ['docx'] },
  { mime: XLSX, kind: 'document', label: { zh: 'Excel 表格', en: 'an Excel workbook' }, exts: ['xlsx'] },
  { mime: PPTX, kind: 'document', label: { zh: 'PowerPoint 演示文稿', en: 'a PowerPoint deck' }, exts: ['pptx'] },
];

const byMime = new Map(formats.map((f) => [f.mime, f]));

export const supportedFormats = (): string => formats.map((f) => f.exts[0]!.toUpperCase()).filter((e, i, a) => a.indexOf(e) === i).join(', ');

/** How many leading bytes the first look needs; file-type reads at most this much for our formats. */
export const HEAD_BYTES = 64 * 1024;

/** Office files are ZIP archives: their first bytes say "zip" and only the whole file says which. */
const ZIP = 'application/zip';

export type HeadSniff = { kind: 'known'; format: AssetFormat } | { kind: 'zip' };

const extensionOf = (name: string) => {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(name);
  return m ? m[1]!.toLowerCase() : null;
};

const unsupported = (name: string, what: string | null) => {
  const ext = extensionOf(name);
  const claimed = ext ? formats.find((f) => f.exts.includes(ext)) : undefined;
  const list = supportedFormats();
  if (claimed) {
    return new Problem(
      415,
      'type_mismatch',
      `文件“${name}”的扩展名表示${claimed.label.zh}，但文件内容${what ? `是 ${what}` : '无法识别为任何支持的格式'}；请确认文件没有损坏或被改名。支持：${list}`,
      `"${name}" is named like ${claimed.label.en}, but its bytes ${what ? `are ${what}` : 'are not any supported format'}; check the file is not damaged or renamed. Supported: ${list}`,
    );
  }
  return new Problem(
    415,
    'unsupported_type',
    `不支持的文件类型${what ? `（${what}）` : '（无法从内容识别格式）'}。支持：${list}`,
    `Unsupported file type${what ? ` (${what})` : ' (the bytes match no known format)'}. Supported: ${list}`,
  );
};

/** The first look, from the leading bytes: early refusal, and which size limit applies. */
export async function sniffHead(head: Uint8Array, name: string): Promise<HeadSniff> {
  const found = await fileTypeFromBuffer(head);
  if (found?.mime === ZIP) return { kind: 'zip' };
  const format = found && byMime.get(found.mime);
  if (!format) throw unsupported(name, found?.mime ?? null);
  return { kind: 'known', format };
}

/** The final word, from the whole stored file (an Office file is told apart from any other ZIP here). */
export async function sniffFile(file: string, name: string): Promise<AssetFormat> {
  const found = await fileTypeFromFile(file);
  const format = found && byMime.get(found.mime);
  if (!format) throw unsupported(name, found?.mime ?? null);
  return format;
}

/**
 * The declared name and MIME must agree with the bytes. A missing extension and the generic
 * application/octet-stream say nothing and pass; anything else that names another type is refused.
 */
export function checkDeclared(format: AssetFormat, name: string, declaredMime: string | undefined) {
  const family = format.family ? formats.filter((f) => f.family === format.family) : [format];
  const ext = extensionOf(name);
  if (ext && !family.some((f) => f.exts.includes(ext))) {
    const claimed = formats.find((f) => f.exts.includes(ext));
    throw new Problem(
      415,
      'type_mismatch',
      `文件“${name}”的扩展名 .${ext}${claimed ? `表示${claimed.label.zh}` : ''}，但文件内容是${format.label.zh}；请改正扩展名或确认文件没有被改名`,
      `"${name}" has the extension .${ext}${claimed ? ` (${claimed.label.en})` : ''}, but its bytes are ${format.label.en}; fix the extension or check the file was not renamed`,
      { detectedMime: format.mime },
    );
  }
  const declared = declaredMime?.split(';')[0]!.trim().toLowerCase();
  if (!declared || declared === 'application/octet-stream') return;
  const accepted = family.flatMap((f) => [f.mime.split(';')[0]!, ...(f.aliases ?? [])]);
  if (!accepted.includes(declared)) {
    const claimed = formats.find((f) => f.mime === declared || f.aliases?.includes(declared));
    throw new Problem(
      415,
      'type_mismatch',
      `声明的类型 ${declared}${claimed ? `（${claimed.label.zh}）` : ''}与文件内容（${format.label.zh}）不符`,
      `The declared type ${declared}${claimed ? ` (${claimed.label.en})` : ''} does not match the bytes (${format.label.en})`,
      { detectedMime: format.mime },
    );
  }
}
