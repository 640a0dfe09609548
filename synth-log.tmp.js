// temporary: logs each App synth of a test file: duration and a hash of each stack template
const { Stage } = require('aws-cdk-lib');
const crypto = require('crypto');
const fs = require('fs');
const synth = Stage.prototype.synth;
Stage.prototype.synth = function (options) {
  const cached = this.assembly;
  const t = process.hrtime.bigint();
  const assembly = synth.call(this, options);
  if (cached) return assembly;
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const file = expect.getState().testPath?.replace(/.*test-speed\//, '');
  const stacks = assembly.stacks.map((s) => `${s.stackName}:${crypto.createHash('sha1').update(JSON.stringify(s.template)).digest('hex').slice(0, 10)}`);
  fs.appendFileSync('/tmp/ts-bench/synth.log', `${file}\t${ms.toFixed(0)}\t${stacks.join(',')}\n`);
  return assembly;
};
