import { CfnResource, Stack } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

/** CloudFormation's limit of resources in one stack. */
export const CLOUDFORMATION_RESOURCE_LIMIT = 500;

/**
 * Fails synthesis with a clear message when a stack would exceed CloudFormation's resource limit,
 * instead of letting `cdk deploy` fail minutes later.
 */
export class ResourceLimit extends Construct {
  constructor(stack: Stack, limit: number = CLOUDFORMATION_RESOURCE_LIMIT) {
    super(stack, 'ResourceLimit');
    this.node.addValidation({
      validate: () => {
        const count = countResources(stack);
        return count > limit
          ? [
            `Stack ${stack.stackName} has ${count} resources; CloudFormation allows ${limit}. ` +
                'Give some applications a stack of their own with apps[].stack in the spec (about 40 applications fit in one stack); ' +
                'name it only for applications not yet deployed, since moving a deployed one between stacks fails on its retained ECR repositories.',
          ]
          : [];
      },
    });
  }
}

/** CloudFormation resources of a stack, nested constructs included. */
export function countResources(stack: Stack): number {
  return stack.node.findAll().filter((c: IConstruct) => CfnResource.isCfnResource(c) && Stack.of(c) === stack).length;
}
