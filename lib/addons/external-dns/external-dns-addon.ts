import { App } from 'cdk8s';
import { ExternalDnsChart } from './external-dns-chart';
import type { PlatformAddon } from '../../model/resolved';

/**
 * ExternalDNS, one instance per application: it publishes the hosts of the app's Ingresses in the
 * platform's hosted zone, and may change records of that zone only.
 */
export const EXTERNAL_DNS_ADDON: PlatformAddon = {
  name: 'external-dns',
  specKey: 'externalDns',
  description: 'ExternalDNS, one instance per application',

  enabled: () => true,

  resolve({ platform, role }) {
    const appRoles = Object.fromEntries(
      platform.apps.map((app) => [
        app.name,
        [
          role({
            purpose: 'external-dns',
            namespace: app.externalDns.namespace,
            serviceAccountName: app.externalDns.serviceAccountName,
            app,
            permissions: [
              {
                sid: 'ChangeZoneRecords',
                actions: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'],
                resources: [platform.dns.hostedZoneArn],
              },
              { sid: 'FindZones', actions: ['route53:ListHostedZones'], resources: ['*'] },
            ],
            acceptedWildcards: [
              { resource: '*', reason: 'route53:ListHostedZones has no resource-level permission; record changes are limited to the platform hosted zone.' },
            ],
          }),
        ],
      ]),
    );
    return {
      appRoles,
      clusterResources: [
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
      ],
    };
  },

  // Every object of it is the environment's: its role, the zone and domain it may change, its owner
  // id and region. So the whole file is in the overlay rather than a base patched in each environment.
  manifests({ platform, addAppOverlayFile }) {
    for (const app of platform.apps) {
      // A cdk8s App of its own: Chart.toJson() resolves and validates every chart of its App, so in
      // the tree's shared App each app's call would walk all the apps' charts (quadratic in apps).
      addAppOverlayFile(app, 'external-dns.yaml', new ExternalDnsChart(new App(), `${app.name}-external-dns`, { platform, app }).toJson());
    }
  },
};
