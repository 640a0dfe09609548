// Resolution, the repository section: the GitHub owner, the repositories of the platform on GitHub,
// and the manifest repository Argo CD reads with its credentials.
import { REPOSITORY_CREDENTIAL_KEYS } from '../constants';
import type { ResolvedGitHub, ResolvedManifestRepository, ResolvedRepository } from '../resolved';
import { RepositoryAccess, RepositoryCredentialsType } from '../types';
import type { SectionInput } from './environment';

/** A repository of the spec's GitHub owner. */
export function githubRepository(owner: string, name: string, branch: string): ResolvedRepository {
  return {
    owner,
    name,
    fullName: `${owner}/${name}`,
    url: `https://github.com/${owner}/${name}.git`,
    branch,
  };
}

/** The GitHub owner and the OIDC provider the spec names. */
export function resolveGitHub({ spec }: SectionInput): ResolvedGitHub {
  return { owner: spec.github.owner, ownerId: spec.github.ownerId, oidcProviderArn: spec.github.oidcProviderArn };
}

/** The manifest repository, and for a private one the credentials Argo CD reads it with where Argo CD runs. */
export function resolveManifestRepository({ spec, names, roles, identityOf }: SectionInput): ResolvedManifestRepository {
  const owner = spec.github.owner;
  const repository = spec.github.manifestRepository;
  const base = {
    ...githubRepository(owner, repository.name, repository.branch),
    ...(repository.repositoryId !== undefined ? { repositoryId: repository.repositoryId } : {}),
  };
  const access = repository.access;
  if (access === RepositoryAccess.PUBLIC) return { ...base, argocdUrl: base.url, access };
  const type = repository.credentials.type;
  // Derived: the secret lives under the platform's (and environment's) secrets prefix.
  const secretName = repository.credentials.secretName ?? `${names.secretsPrefix}/argocd/manifest-repository`;
  // An SSH key authenticates only over SSH; Argo CD matches its repository Secret to this URL.
  const argocdUrl = type === RepositoryCredentialsType.SSH ? `ssh://git@github.com/${owner}/${repository.name}.git` : base.url;
  // A hub's spoke: the hub's Argo CD reads the repository with the hub's credentials.
  if (!names.runsArgoCd) return { ...base, argocdUrl, access };
  return {
    ...base,
    argocdUrl,
    access,
    credentials: {
      type,
      secretName,
      // Secrets Manager appends '-' and six random characters to a secret's name in its ARN.
      secretArnPattern: names.secretArnPattern(`${secretName}-??????`),
      keys: REPOSITORY_CREDENTIAL_KEYS[type],
      kubernetesSecretName: `${spec.name}-manifest-repository`,
      storeName: `${spec.name}-manifest-repository`,
      reader: roles.serviceAccountRole('repository-reader', spec.argocd.namespace, `${spec.name}-repository-reader`, identityOf('externalSecrets', undefined)),
    },
  };
}
