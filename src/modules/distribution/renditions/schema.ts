import { type TSchema, Type } from 'typebox';
import { channelKinds } from '../contract.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const ChannelKindSchema = Type.Enum(channelKinds, { description: '渠道类型 / channel kind' });

const AppBlockSchema = Type.Union([
  Type.Object({ type: Type.Literal('heading'), level: Type.Integer(), text: Type.String() }),
  Type.Object({
    type: Type.Literal('paragraph'),
    text: Type.String(),
    marks: Type.Optional(
      Type.Array(Type.Object({ start: Type.Integer(), end: Type.Integer(), mark: Type.Enum(['bold', 'italic', 'link']), href: Type.Optional(Type.String()) })),
    ),
  }),
  Type.Object({ type: Type.Literal('image'), assetId: Type.String(), caption: Nullable(Type.String()) }),
  Type.Object({ type: Type.Literal('quote'), text: Type.String() }),
  Type.Object({ type: Type.Literal('list'), ordered: Type.Boolean(), items: Type.Array(Type.String()) }),
  Type.Object({ type: Type.Literal('label'), text: Type.String() }),
]);

const PrintStorySchema = Type.Object({
  headline: Type.String(),
  deck: Nullable(Type.String()),
  byline: Nullable(Type.String()),
  paragraphs: Type.Array(Type.Object({ kind: Type.Enum(['body', 'crosshead', 'quote']), text: Type.String() })),
  images: Type.Array(Type.Object({ assetId: Type.String(), caption: Nullable(Type.String()), afterParagraph: Type.Integer() })),
  labels: Type.Array(Type.String()),
  credits: Type.Array(Type.String()),
});

export const RenditionSchema = Type.Object({
  channel: ChannelKindSchema,
  title: Type.String(),
  summary: Type.String(),
  cover: Nullable(Type.Object({ assetId: Type.String(), crop: Type.Enum(['crop_16x9', 'crop_4x3', 'crop_1x1', 'large']) })),
  aiLabel: Nullable(Type.String()),
  html: Nullable(Type.String()),
  text: Nullable(Type.String()),
  blocks: Nullable(Type.Array(AppBlockSchema)),
  link: Type.String(),
  notes: Type.Array(Type.String()),
  print: Type.Optional(PrintStorySchema),
  videoAssetId: Type.Optional(Nullable(Type.String())),
});

export const PreviewQuery = Type.Object(
  {
    channel: Type.Optional(ChannelKindSchema),
    latest: Type.Optional(Type.Boolean({ description: '编辑预览最新（未签发）版本 / an editor previews the latest, not yet signed-off revision' })),
  },
  { additionalProperties: false },
);

export const PreviewSchema = Type.Object({
  itemId: Type.String(),
  /** The revision rendered. */
  revision: Type.Integer(),
  latestRevision: Type.Integer(),
  signedOffRevision: Nullable(Type.Integer()),
  /** False when the rendered revision has not been signed off: what it shows may still change. */
  signedOff: Type.Boolean(),
  /** The unit's enabled channels of the kinds shown; their limits are applied to the renditions. */
  channels: Type.Array(Type.Object({ id: Type.String(), kind: ChannelKindSchema, name: Type.String() })),
  renditions: Type.Array(RenditionSchema),
});
