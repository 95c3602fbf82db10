// The stage the configuration gives a customer (customers.stages): by address first, else by the
// longest listed domain that is theirs or a parent of theirs (eu.acme.example is acme.example's).
import type { CustomersConfig } from '../config/schema.ts';
import type { CustomerStage } from '../store/schema.ts';

interface StageLists {
  addresses: Map<string, CustomerStage>;
  domains: Map<string, CustomerStage>;
}

/** Built once per loaded configuration: every new ticket asks. */
const built = new WeakMap<CustomersConfig['stages'], StageLists>();

function stageLists(stages: CustomersConfig['stages']): StageLists {
  let lists = built.get(stages);
  if (!lists) {
    lists = { addresses: new Map(), domains: new Map() };
    for (const [stage, entries] of Object.entries(stages) as [CustomerStage, string[]][]) {
      for (const entry of entries) {
        if (/^[^@]+@/.test(entry)) lists.addresses.set(entry, stage);
        else lists.domains.set(entry.replace(/^@/, ''), stage);
      }
    }
    built.set(stages, lists);
  }
  return lists;
}

export function configuredStage(config: CustomersConfig, email: string): CustomerStage | undefined {
  const { addresses, domains } = stageLists(config.stages);
  const address = email.toLowerCase();
  const byAddress = addresses.get(address);
  if (byAddress) return byAddress;
  const labels = address.slice(address.lastIndexOf('@') + 1).split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const stage = domains.get(labels.slice(i).join('.'));
    if (stage) return stage;
  }
  return undefined;
}
