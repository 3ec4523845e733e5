/** The bridge's version, as reported in adapter manifests and the bridge status. */
import bridgePackage from '../package.json' with { type: 'json' };

export const BRIDGE_VERSION: string = bridgePackage.version;
