import { OutboundHttpClient } from '../platform/http-client/outbound.ts';
import { DeliveryError, type ChannelKind, type DeliveryRequest, type MediaLoader, type Rendition } from '../modules/distribution/contract.ts';

/**
 * Helpers for the platform adapter specs: a delivery request as the worker builds it, media bytes that
 * pass the platforms' type sniffing, and a way to catch the DeliveryError a call ends with.
 */

export const loopbackHttp = () => new OutboundHttpClient({ allowPrivate: true, allowLoopback: true, timeoutMs: 5_000 });

/** The smallest bytes each platform's sniffing accepts: a JPEG header, an MP4 `ftyp` box. */
export const jpegBytes = (size = 2048) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(size - 4, 7)]);
export const mp4Bytes = (size: number) => {
  const head = Buffer.from([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]);
  return Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length), 3)]);
};

export function fakeMedia(overrides: Record<string, { bytes: Buffer; mime: string }> = {}): MediaLoader & { loads: string[] } {
  const loads: string[] = [];
  return {
    loads,
    async load(assetId, rendition) {
      loads.push(`${assetId}:${rendition}`);
      const got = overrides[assetId] ?? { bytes: jpegBytes(), mime: 'image/jpeg' };
      return { ...got, filename: `${assetId}.${got.mime.split('/')[1]}` };
    },
  };
}

export function rendition(channel: ChannelKind, over: Partial<Rendition> = {}): Rendition {
  return {
    channel,
    title: '成都大运公园今日开放',
    summary: '占地 1200 亩的大运公园今起向市民开放。',
    cover: { assetId: 'cover-1', crop: 'crop_16x9' },
    aiLabel: null,
    html: null,
    text: null,
    blocks: null,
    link: 'https://news.example.cn/portal/510104/a/item-1',
    notes: [],
    ...over,
  };
}

export function request(
  channel: { kind: ChannelKind; config: Record<string, unknown>; secrets: Record<string, string> },
  r: Rendition,
  over: Partial<DeliveryRequest> = {},
): DeliveryRequest {
  return {
    deliveryId: 'delivery-1',
    idempotencyKey: 'channel-1:item-1:publish:3',
    action: 'publish',
    channel: { id: 'channel-1', unitId: 'unit-510104', name: '测试渠道', ...channel },
    rendition: r,
    remote: null,
    media: fakeMedia(),
    signal: new AbortController().signal,
    ...over,
  };
}

export async function failureOf(work: Promise<unknown>): Promise<DeliveryError> {
  try {
    await work;
  } catch (err) {
    if (err instanceof DeliveryError) return err;
    throw err;
  }
  throw new Error('expected the delivery to fail');
}
