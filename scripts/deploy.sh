#!/usr/bin/env bash
# Deploys Capstan to AWS: builds the Lambda jars and the trainer, then runs `cdk deploy --all` from infra-cdk/ against
# the account and region of your AWS credentials (AWS_PROFILE, AWS_REGION, SSO, ...). Prints the API URLs at the end.
# Needs JDK 17+, Maven, Node 18+ (22 or later recommended), npx, and a running Docker engine: CDK builds the trainer
# image (sagemaker-jobs/trainer/Dockerfile, linux/amd64) with Docker when it publishes it. The CDK CLI comes through
# npx, pinned. The account and region must be bootstrapped once (--bootstrap, or see docs/DEPLOY.md).
#
# Usage: scripts/deploy.sh [--bootstrap] [--skip-build] [-- CDK_DEPLOY_OPTIONS...]
#   --bootstrap    first run `cdk bootstrap` for the account and region of AWS_PROFILE / AWS_REGION
#   --skip-build   deploy the jars already in functions/*/target and the trainer in sagemaker-jobs/trainer/target
#   other options  go to `cdk deploy` unchanged, e.g. --profile dev or --outputs-file outputs.json
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

# Newest 2.x CLI when written; it reads the cloud assembly (schema 54) that aws-cdk-lib 2.263.0 writes.
# A CLI older than the library refuses the assembly: raise this when the root pom raises cdk.version.
CDK_CLI="aws-cdk@2.1148.1"

bootstrap=no
build=yes
cdk_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --bootstrap) bootstrap=yes; shift ;;
    --skip-build) build=no; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; cdk_args+=("$@"); break ;;
    *) cdk_args+=("$1"); shift ;;
  esac
done

require_tools
command -v node >/dev/null 2>&1 || { log "Node.js 18+ is required (the CDK CLI and jsii run on it)"; exit 1; }
command -v npx >/dev/null 2>&1 || { log "npx is required (it comes with npm)"; exit 1; }
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 18 ] || { log "Node.js 18+ is required, found $(node --version)"; exit 1; }
[ "$node_major" -ge 22 ] || log "warning: Node.js $(node --version) is past end of life; jsii warns, use 22 or later"

command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 || {
  log "a running Docker engine is required: cdk deploy builds the trainer image (sagemaker-jobs/trainer/Dockerfile)"
  log "and pushes it to the CDK asset repository; start Docker (or install it) and run again"
  exit 1
}

# every Lambda package the app deploys (FunctionCode: functions/<module>/target/capstan-<module>-lambda.jar)
modules=(tracking authorizer registry predict pipeline drift quality batch console)
jars=()
build_list=()
for module in "${modules[@]}"; do
  jars+=("functions/$module/target/capstan-$module-lambda.jar")
  build_list+=("functions/$module")
done
build_list+=(sagemaker-jobs/trainer)
if [ "$build" = yes ]; then
  # install, not package: cdk.json runs the app with `mvn exec:java` inside infra-cdk/, which takes capstan-core
  # (the route table, the table and bucket definitions, the state machine's variables) from the local repository,
  # so it must be this checkout's. The trainer is packaged with its lib/ folder, which its Dockerfile copies.
  projects=$(IFS=,; echo "${build_list[*]}")
  log "building the function jars and the trainer (mvn -B -q -DskipTests install -pl $projects -am)"
  mvn -B -q -DskipTests install -pl "$projects" -am
fi
for jar in "${jars[@]}"; do
  [ -f "$jar" ] || { log "missing $jar: run without --skip-build"; exit 1; }
done
ls sagemaker-jobs/trainer/target/capstan-trainer-*.jar >/dev/null 2>&1 && [ -d sagemaker-jobs/trainer/target/lib ] || {
  log "the trainer is not packaged (sagemaker-jobs/trainer/target): run without --skip-build"; exit 1; }

cd infra-cdk
if [ "$bootstrap" = yes ]; then
  log "bootstrapping the account and region (npx $CDK_CLI bootstrap)"
  npx --yes "$CDK_CLI" bootstrap
fi
log "deploying CapstanStorage, CapstanPipeline, CapstanApi and CapstanMonitoring (npx $CDK_CLI deploy --all --require-approval never)"
npx --yes "$CDK_CLI" deploy --all --require-approval never "${cdk_args[@]+"${cdk_args[@]}"}"
log "deployed. MlflowTrackingUri is the token API (MLFLOW_TRACKING_URI), IamApiUrl the SigV4 API, ConsoleUrl the web console;"
log "add a token to TokenSecretArn before the first MLflow call (docs/DEPLOY.md, section Tokens);"
log "subscribe to AlarmTopicArn (CapstanMonitoring) and NotificationTopicArn (CapstanPipeline) to hear of alarms and retraining"
