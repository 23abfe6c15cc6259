package io.capstan.authorizer.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.authorizer.InvalidTokenSecretException;
import io.capstan.authorizer.TokenDigests;
import io.capstan.authorizer.testutils.SecretsManagerStub;
import io.capstan.authorizer.testutils.Sha256;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

class SecretsManagerTokenDigestsSourceTest {

    private static SecretsManagerStub stub;
    private static SecretsManagerClient client;

    @BeforeAll
    static void startStub() throws IOException {
        stub = SecretsManagerStub.start(SecretsManagerStub.secretWith("ci", Sha256.hex("t")));
        client = SecretsManagerClient.builder()
                .endpointOverride(stub.endpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    @AfterAll
    static void stopStub() {
        client.close();
        stub.close();
    }

    @AfterEach
    void resetStub() {
        stub.setFailing(false);
        stub.setSecretString(SecretsManagerStub.secretWith("ci", Sha256.hex("t")));
    }

    @Test
    void current_storedSecret_readsItsDigests() {
        SecretsManagerTokenDigestsSource source = new SecretsManagerTokenDigestsSource(client, SecretsManagerStub.SECRET_ARN);

        TokenDigests digests = source.current();

        assertThat(digests.hexByName()).containsEntry("ci", Sha256.hex("t"));
    }

    @Test
    void current_secretNotOfTheDocumentedShape_throwsInvalidTokenSecret() {
        stub.setSecretString("{\"ci\": \"" + Sha256.hex("t") + "\"}");
        SecretsManagerTokenDigestsSource source = new SecretsManagerTokenDigestsSource(client, SecretsManagerStub.SECRET_ARN);

        assertThatThrownBy(source::current).isInstanceOf(InvalidTokenSecretException.class);
    }

    @Test
    void current_serviceFails_throwsSdkException() {
        stub.setFailing(true);
        SecretsManagerTokenDigestsSource source = new SecretsManagerTokenDigestsSource(client, SecretsManagerStub.SECRET_ARN);

        assertThatThrownBy(source::current).isInstanceOf(SdkException.class);
    }

    @Test
    void constructor_blankSecretId_throws() {
        assertThatThrownBy(() -> new SecretsManagerTokenDigestsSource(client, " "))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
