import type { Db } from '../../../platform/db/database.ts';
import type { OutboundHttpClient } from '../../../platform/http-client/outbound.ts';
import type { ChannelAdapter, ChannelKind } from '../contract.ts';
import { webhookAdapter } from './webhook.ts';

/** What adapters may use; widen it (add a field) when an adapter needs more of the platform. */
export interface AdapterDeps {
  db: Db;
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

/** Every adapter the platform ships. Modules that own an adapter add one line here. */
export function createAdapterRegistry(deps: AdapterDeps): AdapterRegistry {
  const registry = new AdapterRegistry();
  registry.register(webhookAdapter(deps.outbound));
  return registry;
}
