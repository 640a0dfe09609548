import type { PlatformAddon } from '../model/resolved';

/** Options of the two apps' `run()`: `PlatformCdkApp.run()` and `PlatformManifestsApp.run()`. */
export interface PlatformAppOptions {
  /**
   * The spec file read when the command line names none (`-c spec=FILE` for the CDK app,
   * `PLATFORM_SPEC=FILE` for the cdk8s app), relative to the working directory.
   * @default 'platform.yaml'
   */
  readonly defaultSpec?: string;

  /**
   * The add-ons the platform uses: its own after the built-in ones, `[...PlatformAddons.BUILT_IN, MY_ADDON]`.
   * @default PlatformAddons.BUILT_IN
   * @jsii ignore
   */
  readonly addons?: readonly PlatformAddon[];
}

/** The spec a platform repository keeps at its root, as `cdk-eks-gitops init` writes it. */
export const DEFAULT_PLATFORM_SPEC = 'platform.yaml';
