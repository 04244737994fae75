import type { OutboundHttpClient } from '../../../platform/http-client/outbound.ts';
import type { ChannelAdapter, ChannelKind } from '../contract.ts';
import { createDouyinAdapter } from './douyin.ts';
import { webhookAdapter } from './webhook.ts';
import { createWechatAdapter } from './wechat.ts';
import { createWeiboAdapter } from './weibo.ts';

/** What adapters may use; widen it (add a field) when an adapter needs more of the platform. */
export interface AdapterDeps {
  outbound: OutboundHttpClient;
  /** The public URL of the platform (publicBase(config)). */
  base: string;
}

/** kind → adapter. A kind without an adapter cannot be configured as a channel (400 on create). */
export class AdapterRegistry {
  private readonly adapters = new Map<ChannelKind, ChannelAdapter>();

  register(adapter: ChannelAdapter) {
    this.adapters.set(adapter.kind, adapter);
    return this;
  }

  get(kind: ChannelKind): ChannelAdapter | undefined {
    return this.adapters.get(kind);
  }

  kinds(): ChannelKind[] {
    return [...this.adapters.keys()];
  }
}

/**
 * Every adapter the platform ships: distribution's own, then those other modules contribute (portal's site
 * channels, print), which the composition root hands over so distribution never imports them.
 */
export function createAdapterRegistry(deps: AdapterDeps, contributed: readonly ChannelAdapter[]): AdapterRegistry {
  const registry = new AdapterRegistry();
  registry.register(webhookAdapter(deps.outbound));
  registry.register(createWechatAdapter({ http: deps.outbound }));
  registry.register(createWeiboAdapter({ http: deps.outbound }));
  registry.register(createDouyinAdapter({ http: deps.outbound }));
  for (const adapter of contributed) registry.register(adapter);
  return registry;
}
