package io.capstan.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.infra.testutils.SharedApp;
import io.capstan.infra.testutils.Templates;
import io.capstan.infra.testutils.TestApps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.cxapi.CloudAssembly;

/**
 * What a deployment costs while nobody uses it, read from the synthesized templates of the whole app as
 * {@code cdk deploy} builds it with an empty {@code cdk.json} context (one drift schedule: every model hourly).
 * Every resource type is classified by how AWS bills it while idle: free, per use, per GB stored, a fixed monthly
 * charge, or by the hour. The app may hold nothing billed by the hour (NAT gateways, interface endpoints, instances,
 * databases, clusters, load balancers, endpoints, a Batch compute environment that keeps vCPUs, provisioned capacity
 * or concurrency); the resources with a fixed monthly charge (KMS keys, alarms, secrets) are counted, priced in
 * us-east-1 and must be exactly the rows {@code docs/COST.md} states. A failure message lists the inventory: the
 * rows to paste into COST.md, and every resource type by stack.
 */
class IdleCostTest {

    /** docs/COST.md, from the module's folder (where Maven runs the tests). */
    static final Path COST_MD = Path.of("..", "docs", "COST.md");
    /** Where the default app's stand-in jars and trainer are written. */
    private static final Path CODE_DIR = Path.of("target", "idle-cost-test-app").toAbsolutePath();

    /** Fixed monthly charges in US cents (us-east-1; sources in docs/COST.md). */
    static final int KMS_KEY_CENTS = 100;
    static final int STANDARD_ALARM_METRIC_CENTS = 10;
    static final int HIGH_RESOLUTION_ALARM_METRIC_CENTS = 30;
    static final int SECRET_CENTS = 40;
    static final int DASHBOARD_CENTS = 300;
    static final int HOSTED_ZONE_CENTS = 50;
    static final int WEB_ACL_CENTS = 500;

    /** What COST.md's idle table states for the default app: type, count, price of one, in cents. */
    private static final Map<String, int[]> DEFAULT_MONTHLY = orderedMap(
            "AWS::KMS::Key", new int[] {2, KMS_KEY_CENTS},
            "AWS::CloudWatch::Alarm", new int[] {6, STANDARD_ALARM_METRIC_CENTS},
            "AWS::SecretsManager::Secret", new int[] {1, SECRET_CENTS});
    private static final int DEFAULT_MONTHLY_TOTAL_CENTS = 300;
    /** A row of COST.md's fixed monthly table: type, count, USD each, USD in all. */
    private static final Pattern MONTHLY_ROW = Pattern.compile(
            "\\| `AWS::[A-Za-z0-9]+::[A-Za-z0-9]+[^`]*` \\| \\d+ \\| \\d+\\.\\d\\d \\| \\d+\\.\\d\\d \\|");

    /** The memory COST.md's per-million arithmetic prices each API function at (MB), all arm64. */
    static final Map<String, Integer> PRICED_MEMORY_MB = orderedMap(
            "Capstan predict function", 2048,
            "Capstan tracking function", 1024,
            "Capstan registry function", 2048,
            "Capstan pipeline function", 1024,
            "Capstan drift function", 2048,
            "Capstan bearer-token authorizer for the token API", 1024);

    enum Billing {
        /** Nothing is billed for the resource itself. */
        FREE,
        /** Billed per request, invocation, transition, event or GB processed: nothing while idle. */
        PER_USE,
        /** Billed per GB-month stored: nothing while empty, cents for small data. */
        STORAGE,
        /** A fixed charge every month, used or not. */
        MONTHLY,
        /** Billed by the hour while it exists: not allowed. */
        HOURLY
    }

    /** How each resource type is billed while idle, unless {@link #hourlyReason} finds it configured to run. */
    private static final Map<String, Billing> BILLING = new TreeMap<>();
    /** Types billed by the hour whatever their properties (prefixes end with "::"). */
    private static final List<String> ALWAYS_HOURLY = List.of(
            "AWS::EC2::NatGateway", "AWS::EC2::Instance", "AWS::EC2::Host", "AWS::EC2::EIP",
            "AWS::EC2::TransitGateway", "AWS::EC2::TransitGatewayAttachment", "AWS::EC2::VPNConnection",
            "AWS::EC2::ClientVpnEndpoint", "AWS::ElasticLoadBalancing::LoadBalancer",
            "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::SageMaker::Endpoint", "AWS::SageMaker::NotebookInstance",
            "AWS::SageMaker::InferenceComponent", "AWS::Kinesis::Stream", "AWS::AmazonMQ::Broker",
            "AWS::NetworkFirewall::Firewall", "AWS::Route53Resolver::ResolverEndpoint",
            "AWS::GlobalAccelerator::Accelerator", "AWS::AppRunner::Service", "AWS::FSx::FileSystem",
            "AWS::OpenSearchService::Domain", "AWS::Elasticsearch::Domain", "AWS::EMR::Cluster",
            "AWS::RDS::", "AWS::ElastiCache::", "AWS::EKS::", "AWS::DocDB::", "AWS::Neptune::", "AWS::MemoryDB::",
            "AWS::DAX::", "AWS::Redshift::", "AWS::MSK::", "AWS::DirectoryService::");

    static {
        for (String type : List.of("AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy",
                "AWS::IAM::InstanceProfile", "AWS::S3::BucketPolicy", "AWS::SNS::TopicPolicy", "AWS::SQS::QueuePolicy",
                "AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::RouteTable", "AWS::EC2::Route",
                "AWS::EC2::SubnetRouteTableAssociation", "AWS::EC2::InternetGateway", "AWS::EC2::VPCGatewayAttachment",
                "AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress",
                "AWS::EC2::LaunchTemplate", "AWS::EC2::VPCEndpoint", "AWS::ApiGatewayV2::Stage",
                "AWS::ApiGatewayV2::Route", "AWS::ApiGatewayV2::Integration", "AWS::ApiGatewayV2::Authorizer",
                "AWS::Lambda::Permission", "AWS::Lambda::Version", "AWS::Lambda::Alias",
                "AWS::Lambda::EventInvokeConfig", "AWS::Logs::MetricFilter", "AWS::Logs::ResourcePolicy",
                "AWS::Batch::JobQueue", "AWS::Batch::JobDefinition", "AWS::Batch::ComputeEnvironment",
                "AWS::SNS::Subscription", "AWS::CDK::Metadata", "AWS::Events::EventBus", "Custom::AWS",
                // the Data Catalog's first million objects are free; the quality tables are two
                "AWS::Glue::Database", "AWS::Glue::Table")) {
            BILLING.put(type, Billing.FREE);
        }
        for (String type : List.of("AWS::Lambda::Function", "AWS::ApiGatewayV2::Api",
                "AWS::StepFunctions::StateMachine", "AWS::SNS::Topic", "AWS::SQS::Queue", "AWS::Events::Rule",
                "AWS::Scheduler::Schedule", "AWS::EC2::FlowLog", "AWS::Athena::WorkGroup")) {
            BILLING.put(type, Billing.PER_USE);
        }
        for (String type : List.of("AWS::S3::Bucket", "AWS::DynamoDB::Table", "AWS::Logs::LogGroup",
                "AWS::ECR::Repository")) {
            BILLING.put(type, Billing.STORAGE);
        }
        for (String type : List.of("AWS::KMS::Key", "AWS::CloudWatch::Alarm", "AWS::SecretsManager::Secret",
                "AWS::CloudWatch::Dashboard", "AWS::Route53::HostedZone", "AWS::WAFv2::WebACL")) {
            BILLING.put(type, Billing.MONTHLY);
        }
    }

    /** One resource of a synthesized template. */
    record Resource(String stack, String logicalId, String type, Map<String, Object> properties) {
        @Override
        public String toString() {
            return stack + "/" + logicalId + " (" + type + ")";
        }
    }

    private static List<Resource> defaultApp;

    @BeforeAll
    static void synthesize() {
        App app = TestApps.withStandInJars(CODE_DIR);
        CapstanApp.Stacks stacks = CapstanApp.define(app);
        defaultApp = resources(stacks, app.synth());
    }

    @Test
    void everyResourceType_hasAKnownIdleCharge() {
        List<String> unclassified = defaultApp.stream().map(Resource::type).distinct()
                .filter(type -> !BILLING.containsKey(type) && hourlyType(type) == null).sorted().toList();

        assertThat(unclassified).withFailMessage(() -> "Resource types with no known idle charge: " + unclassified
                + ". Classify each in IdleCostTest.BILLING (free, per use, storage, monthly or hourly) and in "
                + "docs/COST.md.\n" + inventory(defaultApp)).isEmpty();
    }

    /** No type is classified both as billed some other way and as billed by the hour. */
    @Test
    void classification_listsEachTypeOnce() {
        Set<String> classified = BILLING.keySet();

        assertThat(classified).allSatisfy(type -> assertThat(hourlyType(type)).as(type).isNull());
    }

    @Test
    void noResource_isBilledByTheHour() {
        List<String> hourly = new ArrayList<>();
        for (Resource resource : defaultApp) {
            String reason = hourlyReason(resource);
            if (reason != null) {
                hourly.add(resource + ": " + reason);
            }
        }

        assertThat(hourly).withFailMessage(() -> "Resources billed by the hour while idle:\n  "
                + String.join("\n  ", hourly) + "\n" + inventory(defaultApp)).isEmpty();
    }

    @Test
    void hourlyReason_findsWhatIsBilledByTheHour() {
        // proves the check above would see them: each of these bills by the hour; the last two do not
        assertThat(List.of(
                new Resource("S", "Nat", "AWS::EC2::NatGateway", Map.of()),
                new Resource("S", "Db", "AWS::RDS::DBInstance", Map.of()),
                new Resource("S", "Endpoint", "AWS::EC2::VPCEndpoint", Map.of("VpcEndpointType", "Interface")),
                new Resource("S", "Warm", "AWS::Batch::ComputeEnvironment",
                        Map.of("ComputeResources", Map.of("MinvCpus", 4, "MaxvCpus", 16))),
                new Resource("S", "Provisioned", "AWS::DynamoDB::Table", Map.of("BillingMode", "PROVISIONED")),
                new Resource("S", "Concurrency", "AWS::Lambda::Alias",
                        Map.of("ProvisionedConcurrencyConfig", Map.of("ProvisionedConcurrentExecutions", 1)))))
                .allSatisfy(resource -> assertThat(hourlyReason(resource)).as(resource.toString()).isNotNull());
        assertThat(hourlyReason(new Resource("S", "S3", "AWS::EC2::VPCEndpoint", Map.of()))).isNull();
        assertThat(hourlyReason(new Resource("S", "Cold", "AWS::Batch::ComputeEnvironment",
                Map.of("ComputeResources", Map.of("MinvCpus", 0, "MaxvCpus", 16))))).isNull();
    }

    @Test
    void batchComputeEnvironments_scaleToZero() {
        List<Resource> environments = ofType(defaultApp, "AWS::Batch::ComputeEnvironment");

        assertThat(environments).isNotEmpty().allSatisfy(environment -> {
            Map<String, Object> compute = map(environment.properties().get("ComputeResources"));
            assertThat(number(compute.get("MinvCpus"))).as(environment + " MinvCpus").isZero();
            assertThat(compute).as(environment.toString()).doesNotContainKey("DesiredvCpus");
        });
    }

    @Test
    void monthlyFixedResources_areTheOnesCostMdPrices() {
        Map<String, int[]> monthly = monthly(defaultApp);

        assertThat(describe(monthly)).withFailMessage(() -> "The app's fixed monthly charges changed: update "
                        + "docs/COST.md (\"Idle\") and IdleCostTest.DEFAULT_MONTHLY.\n" + inventory(defaultApp))
                .isEqualTo(describe(DEFAULT_MONTHLY));
        assertThat(totalCents(monthly)).isEqualTo(DEFAULT_MONTHLY_TOTAL_CENTS);
    }

    @Test
    void costMd_statesTheTemplatesMonthlyRowsAndTotal() throws IOException {
        String costMd = Files.readString(COST_MD);
        List<String> expected = tableRows(monthly(defaultApp));
        List<String> missing = expected.stream().filter(row -> !costMd.contains(row)).toList();
        // and no row of that shape for a type or count the templates no longer have
        List<String> stale = costMd.lines().filter(line -> MONTHLY_ROW.matcher(line).matches())
                .filter(line -> !expected.contains(line)).toList();

        assertThat(missing).withFailMessage(() -> "docs/COST.md lacks these rows of the synthesized app's idle "
                + "charges:\n" + String.join("\n", missing) + "\n" + inventory(defaultApp)).isEmpty();
        assertThat(stale).withFailMessage(() -> "docs/COST.md states fixed monthly charges the templates do not have:\n"
                + String.join("\n", stale) + "\n" + inventory(defaultApp)).isEmpty();
    }

    @Test
    void eachModelNamedInADriftSchedule_andEachQualityThreshold_addsOneAlarm() {
        // the shared app schedules drift and quality checks of every model hourly and of one model by name, the
        // latter with an accuracy threshold
        List<Resource> scheduled = resources(SharedApp.stacks(), null);
        Map<String, int[]> monthly = monthly(scheduled);

        assertThat(monthly.get("AWS::CloudWatch::Alarm")[0]).withFailMessage(() -> inventory(scheduled))
                .isEqualTo(DEFAULT_MONTHLY.get("AWS::CloudWatch::Alarm")[0] + 2);
        assertThat(totalCents(monthly)).isEqualTo(DEFAULT_MONTHLY_TOTAL_CENTS + 2 * STANDARD_ALARM_METRIC_CENTS);
    }

    @Test
    void functions_haveTheMemoryAndArchitectureCostMdPricesThemAt() {
        Map<String, Integer> memory = new LinkedHashMap<>();
        for (Resource function : ofType(defaultApp, "AWS::Lambda::Function")) {
            String description = String.valueOf(function.properties().get("Description"));
            if (PRICED_MEMORY_MB.containsKey(description)) {
                memory.put(description, number(function.properties().get("MemorySize")));
                assertThat(function.properties().get("Architectures")).as(description).isEqualTo(List.of("arm64"));
                assertThat(function.properties().get("Runtime")).as(description).isEqualTo("java21");
            }
        }

        assertThat(memory).withFailMessage(() -> "Function memory changed: update the per-million arithmetic in "
                + "docs/COST.md and IdleCostTest.PRICED_MEMORY_MB; found " + memory)
                .containsExactlyInAnyOrderEntriesOf(PRICED_MEMORY_MB);
    }

    // ---- reading the templates ----

    /** Every resource of every stack; {@code assembly} null reads the shared app's templates. */
    private static List<Resource> resources(CapstanApp.Stacks stacks, CloudAssembly assembly) {
        List<Resource> all = new ArrayList<>();
        for (Stack stack : stacks.all()) {
            Map<String, Object> template = assembly == null ? SharedApp.templateJson(stack)
                    : map(assembly.getStackArtifact(stack.getArtifactId()).getTemplate());
            map(template.get("Resources")).forEach((id, value) -> {
                Map<String, Object> resource = map(value);
                Object properties = resource.get("Properties");
                all.add(new Resource(stack.getStackName(), id, (String) resource.get("Type"),
                        properties == null ? Map.of() : map(properties)));
            });
        }
        return all;
    }

    /** Why {@code resource} is billed by the hour while idle, or null when it is not. */
    static String hourlyReason(Resource resource) {
        String always = hourlyType(resource.type());
        if (always != null) {
            return always;
        }
        Map<String, Object> p = resource.properties();
        return switch (resource.type()) {
            case "AWS::EC2::VPCEndpoint" -> {
                String type = String.valueOf(p.getOrDefault("VpcEndpointType", "Gateway"));
                yield type.equals("Gateway") ? null : type + " endpoints are billed per hour and AZ";
            }
            case "AWS::Batch::ComputeEnvironment" -> {
                Map<String, Object> compute = p.get("ComputeResources") == null ? Map.of()
                        : map(p.get("ComputeResources"));
                int min = number(compute.getOrDefault("MinvCpus", 0));
                int desired = number(compute.getOrDefault("DesiredvCpus", 0));
                yield min > 0 || desired > 0 ? "keeps " + Math.max(min, desired) + " vCPUs of instances running"
                        : null;
            }
            case "AWS::DynamoDB::Table" -> "PAY_PER_REQUEST".equals(p.get("BillingMode")) ? null
                    : "provisioned capacity is billed per hour";
            case "AWS::Lambda::Alias", "AWS::Lambda::Version" -> p.containsKey("ProvisionedConcurrencyConfig")
                    ? "provisioned concurrency is billed per second while configured" : null;
            default -> null;
        };
    }

    private static String hourlyType(String type) {
        for (String hourly : ALWAYS_HOURLY) {
            if (hourly.endsWith("::") ? type.startsWith(hourly) : type.equals(hourly)) {
                return type + " is billed by the hour while it exists";
            }
        }
        return null;
    }

    /** The resources with a fixed monthly charge: type, count, price of one (cents), in a stable order. */
    static Map<String, int[]> monthly(List<Resource> resources) {
        Map<String, int[]> monthly = new LinkedHashMap<>();
        for (String type : DEFAULT_MONTHLY.keySet()) {
            monthly.put(type, new int[] {0, DEFAULT_MONTHLY.get(type)[1]});
        }
        Map<String, Integer> cents = new TreeMap<>();
        for (Resource resource : resources) {
            if (BILLING.get(resource.type()) == Billing.MONTHLY) {
                cents.merge(resource.type() + "\u0000" + monthlyCents(resource), 1, Integer::sum);
            }
        }
        cents.forEach((key, count) -> {
            String[] parts = key.split("\u0000");
            int price = Integer.parseInt(parts[1]);
            int[] row = monthly.get(parts[0]);
            if (row != null && row[1] == price) {
                row[0] += count;
            } else {
                // another type, or the same type at another price (a high-resolution alarm): a row of its own
                monthly.put(parts[0] + (row == null ? "" : " @" + price), new int[] {count, price});
            }
        });
        monthly.values().removeIf(row -> row[0] == 0);
        return monthly;
    }

    private static int monthlyCents(Resource resource) {
        Map<String, Object> p = resource.properties();
        return switch (resource.type()) {
            case "AWS::KMS::Key" -> KMS_KEY_CENTS;
            case "AWS::SecretsManager::Secret" -> SECRET_CENTS;
            case "AWS::CloudWatch::Dashboard" -> DASHBOARD_CENTS;
            case "AWS::Route53::HostedZone" -> HOSTED_ZONE_CENTS;
            case "AWS::WAFv2::WebACL" -> WEB_ACL_CENTS;
            case "AWS::CloudWatch::Alarm" -> {
                // billed per metric the alarm evaluates; a period under a minute is a high-resolution alarm
                int metrics = p.containsKey("MetricName") ? 1 : (int) Templates.asList(p.get("Metrics")).stream()
                        .filter(metric -> map(metric).containsKey("MetricStat")).count();
                int period = p.containsKey("Period") ? number(p.get("Period")) : 60;
                yield Math.max(metrics, 1) * (period < 60 ? HIGH_RESOLUTION_ALARM_METRIC_CENTS
                        : STANDARD_ALARM_METRIC_CENTS);
            }
            default -> throw new IllegalStateException("no monthly price for " + resource.type());
        };
    }

    private static int totalCents(Map<String, int[]> monthly) {
        return monthly.values().stream().mapToInt(row -> row[0] * row[1]).sum();
    }

    private static Map<String, String> describe(Map<String, int[]> monthly) {
        Map<String, String> described = new LinkedHashMap<>();
        monthly.forEach((type, row) -> described.put(type, row[0] + " × USD " + dollars(row[1])));
        return described;
    }

    /** The rows docs/COST.md's idle table holds for {@code monthly}, exactly as written there. */
    static List<String> tableRows(Map<String, int[]> monthly) {
        List<String> rows = new ArrayList<>();
        monthly.forEach((type, row) -> rows.add("| `" + type + "` | " + row[0] + " | " + dollars(row[1]) + " | "
                + dollars(row[0] * row[1]) + " |"));
        rows.add("| **fixed monthly total** | | | **" + dollars(totalCents(monthly)) + "** |");
        return rows;
    }

    /** What the app holds, for failure messages: COST.md's rows, then every resource type by stack and billing. */
    private static String inventory(List<Resource> resources) {
        StringBuilder out = new StringBuilder("Fixed monthly charges (docs/COST.md rows):\n");
        tableRows(monthly(resources)).forEach(row -> out.append(row).append('\n'));
        Map<String, Map<String, Integer>> byStack = new LinkedHashMap<>();
        for (Resource resource : resources) {
            Billing billing = hourlyReason(resource) != null ? Billing.HOURLY
                    : BILLING.get(resource.type());
            byStack.computeIfAbsent(resource.stack(), stack -> new TreeMap<>())
                    .merge(resource.type() + " [" + (billing == null ? "UNCLASSIFIED" : billing) + "]", 1,
                            Integer::sum);
        }
        byStack.forEach((stack, types) -> {
            out.append(stack).append(":\n");
            types.forEach((type, count) -> out.append("  ").append(count).append(" × ").append(type).append('\n'));
        });
        return out.toString();
    }

    // ---- small helpers ----

    private static List<Resource> ofType(List<Resource> resources, String type) {
        return resources.stream().filter(resource -> resource.type().equals(type)).toList();
    }

    private static String dollars(int cents) {
        return String.format("%d.%02d", cents / 100, cents % 100);
    }

    private static int number(Object value) {
        return value instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(value));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> orderedMap(Object... keysAndValues) {
        Map<String, V> ordered = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            ordered.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(ordered);
    }
}
