// Validates Kubernetes objects of built-in kinds against the Kubernetes OpenAPI schemas (the
// kubernetes-models package, which is ESM-only: jest runs this file in a child process).
// Input on stdin: a JSON array of objects. Output on stdout: a JSON array of error lines.
import { readFileSync } from 'fs';

const GROUPS = {
  v1: 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'batch/v1': 'kubernetes-models/batch/v1',
  'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
  'rbac.authorization.k8s.io/v1': 'kubernetes-models/rbac.authorization.k8s.io/v1',
  'apiextensions.k8s.io/v1': 'kubernetes-models/apiextensions.k8s.io/v1',
  'admissionregistration.k8s.io/v1': 'kubernetes-models/admissionregistration.k8s.io/v1',
  'policy/v1': 'kubernetes-models/policy/v1',
  'scheduling.k8s.io/v1': 'kubernetes-models/scheduling.k8s.io/v1',
};

const objects = JSON.parse(readFileSync(0, 'utf8'));
const errors = [];
for (const object of objects) {
  const name = `${object.apiVersion}/${object.kind} ${object.metadata?.name}`;
  const module = GROUPS[object.apiVersion];
  if (!module) {
    errors.push(`${name}: not a built-in Kubernetes API version`);
    continue;
  }
  const models = await import(module);
  const Model = models[object.kind];
  if (!Model) {
    errors.push(`${name}: ${object.kind} is not a kind of ${object.apiVersion}`);
    continue;
  }
  try {
    new Model(object).validate();
  } catch (e) {
    errors.push(`${name}: ${e.message}`);
  }
}
process.stdout.write(JSON.stringify(errors));
