import sharp from 'sharp';
import type { Metadata, OutputInfo, Sharp } from 'sharp';
import { Problem, badRequest } from '../../../platform/http/problem.ts';

/**
 * 图片衍生版本: resized copies for lists, pages and social cards, and cover crops in the common
 * ratios, made once at upload with sharp (libvips). Every variant is turned upright from the
 * EXIF orientation and then written without any metadata, so no GPS position or camera serial
 * leaves the newsroom in a published picture; the original is kept byte for byte.
 */
export interface VariantSpec {
  name: string;
  width: number;
  /** Present for crops: the box is filled (cover) and the crop follows what draws the eye. */
  height?: number;
}

export const variantSpecs: readonly VariantSpec[] = [
  { name: 'thumb', width: 320 },
  { name: 'medium', width: 800 },
  { name: 'large', width: 1600 },
  { name: 'crop_16x9', width: 1280, height: 720 },
  { name: 'crop_4x3', width: 1200, height: 900 },
  { name: 'crop_1x1', width: 800, height: 800 },
];

export const variantNames = variantSpecs.map((s) => s.name);

/** Above this many pixels an image is refused: decoding it could take the server's memory (a pixel bomb). */
export const MAX_IMAGE_PIXELS = 150_000_000;

export interface RenderedImage {
  width: number;
  height: number;
  variants: { name: string; data: Buffer; width: number; height: number; mime: string; ext: string }[];
}

const corrupt = (name: string, reason: string) =>
  badRequest(
    'corrupt_image',
    `图片“${name}”已损坏或不完整，无法解码（${reason}）；请重新导出或重新上传完整文件`,
    `The image "${name}" is damaged or incomplete and cannot be decoded (${reason}); export it again or upload the whole file`,
  );

/**
 * Decodes the image once into an upright working copy no wider than the largest variant, then
 * cuts every variant from those pixels. A truncated or corrupt file fails the decode and is refused.
 */
export async function renderImage(file: string, name: string): Promise<RenderedImage> {
  // 'truncated' fails on cut-off data but tolerates the harmless warnings many cameras produce.
  const open = () => sharp(file, { failOn: 'truncated', limitInputPixels: MAX_IMAGE_PIXELS });
  let meta: Metadata;
  try {
    meta = await open().metadata();
  } catch (err) {
    throw corrupt(name, (err as Error).message);
  }
  const { width, height } = meta.autoOrient;
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new Problem(
      413,
      'image_too_large',
      `图片尺寸 ${width}×${height} 超过上限 ${MAX_IMAGE_PIXELS / 1e6} 百万像素`,
      `The image is ${width}×${height}, above the limit of ${MAX_IMAGE_PIXELS / 1e6} megapixels`,
    );
  }
  const maxWidth = Math.max(...variantSpecs.map((s) => s.width));
  let work: { data: Buffer; info: OutputInfo };
  try {
    work = await open()
      .autoOrient()
      .resize({ width: maxWidth, withoutEnlargement: true })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw corrupt(name, (err as Error).message);
  }
  const { info } = work;
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  // Many PNGs carry an alpha channel that is opaque everywhere: those are photographs too.
  const alpha = meta.hasAlpha && !(await sharp(work.data, raw).stats()).isOpaque;
  const pixels = () => (meta.hasAlpha && !alpha ? sharp(work.data, raw).removeAlpha() : sharp(work.data, raw));
  // Photographs as JPEG, which every channel (微信, 微博, print) takes; transparent pictures as WebP to keep the transparency.
  const encode = (img: Sharp) =>
    alpha ? img.webp({ quality: 82, alphaQuality: 90 }) : img.jpeg({ quality: 82, mozjpeg: true, progressive: true });
  const mime = alpha ? 'image/webp' : 'image/jpeg';
  const ext = alpha ? 'webp' : 'jpg';

  const variants = await Promise.all(
    variantSpecs.map(async (spec) => {
      let img = pixels();
      if (spec.height) {
        // Never enlarge: a small picture gets a smaller crop with the same ratio.
        const scale = Math.min(1, info.width / spec.width, info.height / spec.height);
        const w = Math.max(1, Math.round(spec.width * scale));
        const h = Math.max(1, Math.round(spec.height * scale));
        img = img.resize(w, h, { fit: 'cover', position: sharp.strategy.attention });
      } else {
        img = img.resize({ width: spec.width, withoutEnlargement: true });
      }
      const out = await encode(img).toBuffer({ resolveWithObject: true });
      return { name: spec.name, data: out.data, width: out.info.width, height: out.info.height, mime, ext };
    }),
  );
  return { width, height, variants };
}
