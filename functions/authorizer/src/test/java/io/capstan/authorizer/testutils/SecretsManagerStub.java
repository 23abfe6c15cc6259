package io.capstan.authorizer.testutils;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A local stand-in for Secrets Manager's {@code GetSecretValue} (AWS JSON 1.1 protocol) on 127.0.0.1, answering
 * every request with one secret string, or with a 500 when told to fail.
 */
public final class SecretsManagerStub implements AutoCloseable {

    public static final String SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:capstan-tokens-AbCdEf";

    private final HttpServer server;
    private final AtomicReference<String> secretString = new AtomicReference<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean failing;

    private SecretsManagerStub(HttpServer server) {
        this.server = server;
    }

    public static SecretsManagerStub start(String secretString) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        SecretsManagerStub stub = new SecretsManagerStub(server);
        stub.secretString.set(secretString);
        server.createContext("/", exchange -> {
            stub.requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            boolean getSecretValue = "secretsmanager.GetSecretValue"
                    .equals(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            int status = stub.failing || !getSecretValue ? 500 : 200;
            String body = status == 200
                    ? "{\"ARN\":\"" + SECRET_ARN + "\",\"Name\":\"capstan-tokens\",\"VersionId\":\"v1\","
                            + "\"SecretString\":" + jsonString(stub.secretString.get()) + "}"
                    : "{\"__type\":\"InternalServiceError\",\"message\":\"stub told to fail\"}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return stub;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public int requests() {
        return requests.get();
    }

    public void setSecretString(String value) {
        secretString.set(value);
    }

    public void setFailing(boolean failing) {
        this.failing = failing;
    }

    /** The secret string holding one token digest, as docs/DEPLOY.md tells an administrator to store it. */
    public static String secretWith(String name, String sha256Hex) {
        return "{\"tokens\":{\"" + name + "\":\"" + sha256Hex + "\"}}";
    }

    private static String jsonString(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
