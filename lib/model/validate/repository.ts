// Validation, the repository section: the manifest repository's credentials and the GitHub OIDC
// provider the CI roles trust.
import { show } from '../shape';
import { RepositoryAccess } from '../types';
import type { AddProblem, EnvironmentInput } from './input';

/** `github.manifestRepository.credentials`: for a private repository, in a secret its reader role may read. */
export function checkManifestRepository({ spec, platform }: EnvironmentInput, add: AddProblem): void {
  const repository = spec.github.manifestRepository;
  const credentials = platform.manifestRepository.credentials;
  if (repository.credentials && platform.manifestRepository.access === RepositoryAccess.PUBLIC) {
    add('github.manifestRepository.credentials', "applies only to a private repository, but access is 'public'; remove it or make the repository private");
  }
  // The promotion role trusts the immutable subject form, which names the owner by id too.
  if (repository.repositoryId !== undefined && spec.github.ownerId === undefined) {
    add(
      'github.ownerId',
      `is required by github.manifestRepository.repositoryId (the promotion role trusts the immutable OIDC subject form, repo:<owner>@<ownerId>/<name>@<repositoryId>:...); find it with 'gh api repos/${spec.github.owner}/${repository.name} --jq .owner.id'`,
    );
  }
  const credentialsPrefix = `${platform.secretsPrefix}/argocd/`;
  // With several environments, naming the secret is refused outright (checkSeveralEnvironments, environment.ts).
  const named = repository.credentials?.secretName !== undefined && platform.environments.length === 1;
  if (credentials && named && !credentials.secretName.startsWith(credentialsPrefix)) {
    add(
      'github.manifestRepository.credentials.secretName',
      `${show(credentials.secretName)} is outside the prefix ${show(credentialsPrefix)} that the repository reader role may read; name the secret ${credentialsPrefix}<name>`,
    );
  }
}

/** `github.oidcProviderArn`: in the account of the CI roles. */
export function checkOidcProvider({ spec, platform }: EnvironmentInput, add: AddProblem): void {
  const providerArn = spec.github.oidcProviderArn;
  // The provider serves the CI roles, which live beside the images.
  if (platform.images.holdsRepositories && providerArn !== undefined && spec.aws.account !== undefined && providerArn.split(':')[4] !== spec.aws.account) {
    add('github.oidcProviderArn', `${show(providerArn)} is in account ${providerArn.split(':')[4]}, not in aws.account ${spec.aws.account}; an OIDC provider can only be used in its own account`);
  }
}
