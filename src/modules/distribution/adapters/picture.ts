import sharp from 'sharp';
import { DeliveryError } from '../contract.ts';

export interface Picture {
  bytes: Buffer;
  mime: string;
  filename: string;
}

/**
 * A picture in a form the platform takes. Our renditions are JPEG, or WebP where the image has
 * transparency; WeChat (jpg/png, body images under 1 MB) and Weibo (JPEG/GIF/PNG under 5 MB) take no
 * WebP. Anything not accepted, or too big, is re-encoded as JPEG on white and scaled down until it fits.
 */
export async function pictureFor(media: Picture, rule: { accept: string[]; maxBytes: number; label: string }): Promise<Picture> {
  if (rule.accept.includes(media.mime) && media.bytes.length < rule.maxBytes) return media;
  if (!media.mime.startsWith('image/')) throw new DeliveryError('rejected', `${rule.label}：${media.filename} 不是图片（${media.mime}）`);
  const name = media.filename.replace(/\.[^.]*$/, '') + '.jpg';
  try {
    let width = (await sharp(media.bytes).metadata()).width ?? 1600;
    for (let round = 0; round < 6; round++) {
      const bytes = await sharp(media.bytes)
        .rotate()
        .resize({ width, withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: 82, mozjpeg: true })
        .toBuffer();
      if (bytes.length < rule.maxBytes) return { bytes, mime: 'image/jpeg', filename: name };
      width = Math.floor(width * 0.75);
    }
  } catch (err) {
    throw new DeliveryError('rejected', `${rule.label}：图片 ${media.filename} 无法转换：${(err as Error).message}`);
  }
  throw new DeliveryError('rejected', `${rule.label}：图片 ${media.filename} 压缩后仍超过 ${Math.round(rule.maxBytes / 1024)} KB`);
}
