// Runs a state machine definition (retrain.asl.json, batch-predict.asl.json) on this machine with
// aws-local-stepfunctions, the way Step Functions runs it in AWS, with every Task state (those of a Map's item
// processor too) handed to the embedded platform over HTTP. A Distributed Map runs as an inline Map here: the same
// item processor on each item, at most MaxConcurrency at once, in this one process; an ItemReader becomes a Task
// state before the Map (expandItemReaders).
//
//   node run-local.mjs --definition retrain.asl.json --task-url http://127.0.0.1:<port>/_local/pipeline/tasks \
//        --execution-name <name> [--substitutions '{"Name": "value"}'] [--retry-interval-ms N]  < input.json
//
// Each Task state's effective input (after Parameters) is POSTed to <task-url>/<state name> as
// {"state", "resource", "input"}, with the secret from the environment variable CAPSTAN_PLATFORM_SECRET in an
// X-Capstan-Platform-Secret header (the platform's task endpoint answers nobody else); a 200 answer is the task's result, any other answer {"error", "cause"} fails the
// task with that error name, so the definition's Retry and Catch apply to it as in AWS. Every execution event is
// printed on stdout as one JSON line; the process exits 0 once the execution has ended, however it ended.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { parseArgs } from 'node:util';

// aws-local-stepfunctions needs Promise.withResolvers (Node 22); this makes it run on Node 20 as well.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

const { values } = parseArgs({
  options: {
    definition: { type: 'string' },
    'task-url': { type: 'string' },
    'execution-name': { type: 'string' },
    substitutions: { type: 'string', default: '{}' },
    'retry-interval-ms': { type: 'string' },
  },
});
for (const required of ['definition', 'task-url', 'execution-name']) {
  if (!values[required]) {
    console.error(`run-local.mjs: --${required} is required`);
    process.exit(64);
  }
}

const { StateMachine } = await import('aws-local-stepfunctions');
const substitutions = JSON.parse(values.substitutions);
let text = await readFile(values.definition, 'utf8');
for (const [name, value] of Object.entries(substitutions)) {
  text = text.split('${' + name + '}').join(value);
}
const definition = JSON.parse(text);
const input = JSON.parse((await readStdin()) || '{}');
const executionName = values['execution-name'];
const secret = process.env.CAPSTAN_PLATFORM_SECRET ?? '';

function emit(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

function post(url, body) {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(JSON.stringify(body));
    // no timeout: a training task answers when training ends, which may take hours
    const request = http.request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': payload.length,
        ...(secret ? { 'x-capstan-platform-secret': secret } : {}),
      },
      timeout: 0,
    }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.end(payload);
  });
}

// aws-local-stepfunctions has no ItemReader: a Map state reading its items from S3 gets a Task state before it,
// `<Map>ItemReader`, with the reader's Resource and Parameters (an S3 getObject the platform's task endpoint answers
// with the object's JSON), its result placed at $.__capstan_items, which the Map then takes as its ItemsPath. Every
// transition to the Map goes to that state instead. So the same items reach the same item processor; the history shows
// one state more, and the items travel in the state (no 256 KiB limit applies here).
const ITEMS = '$.__capstan_items';
function expandItemReaders(machine) {
  const states = machine.States;
  for (const state of Object.values(states)) {
    for (const nested of [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])]) {
      if (nested?.States) {
        expandItemReaders(nested);
      }
    }
  }
  for (const [name, state] of Object.entries(states)) {
    if (state.Type !== 'Map' || !state.ItemReader) {
      continue;
    }
    const reader = `${name}ItemReader`;
    const redirect = (target) => (target === name ? reader : target);
    for (const other of Object.values(states)) {
      if (other.Next) other.Next = redirect(other.Next);
      if (other.Default) other.Default = redirect(other.Default);
      for (const choice of other.Choices ?? []) choice.Next = redirect(choice.Next);
      for (const handler of other.Catch ?? []) handler.Next = redirect(handler.Next);
    }
    machine.StartAt = redirect(machine.StartAt);
    states[reader] = {
      Type: 'Task',
      Resource: state.ItemReader.Resource,
      Parameters: state.ItemReader.Parameters,
      ResultPath: ITEMS,
      Next: name,
    };
    delete state.ItemReader;
    state.ItemsPath = ITEMS;
  }
}
expandItemReaders(definition);

// Step Functions reads a Task's TimeoutSecondsPath from the state's input; aws-local-stepfunctions reads it from the
// effective input (after Parameters), where the training states' path (a field of the plan) does not exist. Here such
// a state waits LOCAL_TASK_TIMEOUT_SECONDS instead (the embedded platform does not enforce the run time).
const LOCAL_TASK_TIMEOUT_SECONDS = 7 * 24 * 3600;
const handlers = {};
const retryOverrides = {};
// every Task state, at any depth: a Map's item processor and a Parallel's branches run their states through the same
// handlers (aws-local-stepfunctions runs a Map's items as an inline Map, whatever its ProcessorConfig says)
function registerTasks(states) {
  for (const [name, state] of Object.entries(states)) {
    for (const nested of [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])]) {
      if (nested?.States) {
        registerTasks(nested.States);
      }
    }
    if (state.Type !== 'Task') {
      continue;
    }
    if (state.TimeoutSecondsPath) {
      delete state.TimeoutSecondsPath;
      state.TimeoutSeconds = LOCAL_TASK_TIMEOUT_SECONDS;
    }
    handlers[name] = async (taskInput) => {
      const answer = await post(`${values['task-url']}/${encodeURIComponent(name)}?execution=${encodeURIComponent(executionName)}`,
        { state: name, resource: state.Resource, input: taskInput });
      let body;
      try {
        body = JSON.parse(answer.text);
      } catch {
        body = { error: 'States.TaskFailed', cause: answer.text };
      }
      if (answer.status === 200) {
        return body;
      }
      const failure = new Error(typeof body.cause === 'string' ? body.cause : JSON.stringify(body.cause ?? body));
      failure.name = body.error ?? 'States.TaskFailed';
      throw failure;
    };
    if (values['retry-interval-ms'] && state.Retry) {
      retryOverrides[name] = Number(values['retry-interval-ms']);
    }
  }
}
registerTasks(definition.States);

const machine = new StateMachine(definition, { validationOptions: { checkPaths: true, checkArn: true } });
const startTime = new Date().toISOString();
const execution = machine.run(input, {
  overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides: retryOverrides },
  noThrowOnAbort: true,
  context: {
    Execution: { Id: `local:${executionName}`, Name: executionName, Input: input, StartTime: startTime },
    // $$.Task.Token, for the approval state: one per execution is enough, one approval is pending at a time
    Task: { Token: `${executionName}:approval` },
  },
});

const settled = execution.result.then(() => undefined, () => undefined);
for await (const event of execution.eventLogs) {
  const line = { type: event.type, timestamp: event.timestamp };
  if (event.state) {
    line.state = event.state.name;
    line.stateType = event.state.type;
  }
  if (event.Error !== undefined) {
    line.error = event.Error;
    line.cause = typeof event.Cause === 'string' ? event.Cause : JSON.stringify(event.Cause);
  }
  if (event.retry) {
    line.attempt = event.retry.attempt;
  }
  if (event.type === 'ExecutionSucceeded') {
    line.output = event.output;
  }
  emit(line);
}
await settled;

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8').trim();
}
