// Validates every state machine definition in this folder (*.asl.json) with asl-validator: the Amazon States
// Language schema, state transitions and terminal states, JSONPath and ARN syntax, and rules such as "at most one of
// TimeoutSeconds and TimeoutSecondsPath". `mvn verify` runs it (step-functions/pom.xml); by hand:
//
//   node validate-asl.mjs
//
// Exits 0 when every definition is valid, 1 naming each invalid one and its errors. The ${...} substitution
// variables CDK fills at deploy time are plain strings here, which the language allows wherever they appear.
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const validate = require('asl-validator');
const folder = dirname(fileURLToPath(import.meta.url));

const files = (await readdir(folder)).filter((name) => name.endsWith('.asl.json')).sort();
if (files.length === 0) {
  console.error(`validate-asl.mjs: no *.asl.json in ${folder}`);
  process.exit(1);
}
let invalid = 0;
for (const name of files) {
  let definition;
  try {
    definition = JSON.parse(await readFile(join(folder, name), 'utf8'));
  } catch (e) {
    console.error(`✕ ${name} is not JSON: ${e.message}`);
    invalid++;
    continue;
  }
  const result = validate(definition, { checkPaths: true, checkArn: true });
  if (result.isValid) {
    console.log(`✓ ${name} is a valid state machine definition`);
  } else {
    console.error(`✕ ${name} is invalid:\n${result.errorsText('\n')}`);
    invalid++;
  }
}
process.exit(invalid === 0 ? 0 : 1);
