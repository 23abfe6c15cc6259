package io.capstan.authorizer.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.authorizer.testutils.SecretsManagerStub;
import io.capstan.authorizer.testutils.Sha256;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded, minimized jar works on its own: Lambda's no-arg constructor, the SDK client over
 * url-connection-client, SigV4 signing and the JSON protocol, against a local Secrets Manager stub.
 */
class AuthorizerJarIT {

    @TempDir
    Path probeClasses;

    @Test
    void shadedJar_noArgHandler_authorizesAgainstSecretsManagerAndCachesTheSecret() throws Exception {
        Path jar = Paths.get(System.getProperty("capstan.authorizer.jar", "target/capstan-authorizer-lambda.jar"));
        assertThat(jar).exists();
        copyProbeClass();

        try (SecretsManagerStub stub = SecretsManagerStub.start(SecretsManagerStub.secretWith("ci", Sha256.hex("good")))) {
            ProcessBuilder builder = new ProcessBuilder(
                    Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", jar + File.pathSeparator + probeClasses,
                    ShadedJarProbe.class.getName(), "good", "bad", "good")
                    .redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("AWS_"));
            env.put("AWS_REGION", "eu-west-1");
            env.put("AWS_ACCESS_KEY_ID", "AKIDTEST");
            env.put("AWS_SECRET_ACCESS_KEY", "test-secret");
            env.put("AWS_EC2_METADATA_DISABLED", "true");
            env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", stub.endpoint().toString());
            env.put(AuthorizerLambdaHandler.TOKENS_SECRET_ENV, SecretsManagerStub.SECRET_ARN);
            Process process = builder.start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("probe finished").isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(process.exitValue()).as(output).isZero();
            List<String> lines = output.lines().filter(l -> l.startsWith("{")).toList();
            assertThat(lines).as(output).hasSize(3);
            assertThat(lines.get(0)).contains("isAuthorized=true").contains("caller=ci");
            assertThat(lines.get(1)).isEqualTo("{isAuthorized=false}");
            assertThat(lines.get(2)).contains("isAuthorized=true");
            assertThat(stub.requests()).as("secret read once per container").isEqualTo(1);
        }
    }

    private void copyProbeClass() throws Exception {
        String resource = ShadedJarProbe.class.getName().replace('.', '/') + ".class";
        Path target = probeClasses.resolve(resource);
        Files.createDirectories(target.getParent());
        try (var in = ShadedJarProbe.class.getClassLoader().getResourceAsStream(resource)) {
            Files.copy(in, target);
        }
    }
}
