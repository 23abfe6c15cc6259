package io.capstan.predict.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.model.ModelCard;
import io.capstan.predict.ModelReference;
import io.capstan.predict.ResolvedModel;
import io.capstan.predict.testutils.InMemoryModelResolver;
import io.capstan.predict.testutils.TrainedModel;
import io.capstan.predict.testutils.TrainedModels;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OnnxSessionCacheTest {
    private static final TrainedModel BREAST_CANCER = TrainedModels.breastCancer();
    private static final TrainedModel IRIS = TrainedModels.iris();

    private final InMemoryModelResolver resolver = new InMemoryModelResolver()
            .register("bc", 1, BREAST_CANCER).register("iris", 1, IRIS);
    private final OnnxSessionCache cache = new OnnxSessionCache(OrtEnvironment.getEnvironment(),
            new SessionSettings(1, 2));

    @AfterEach
    void close() {
        cache.close();
    }

    @Test
    void acquire_sameVersionAndChecksum_loadsOnce() {
        LoadedModel first;
        try (LoadedModel.Lease lease = cache.acquire(resolve("bc"))) {
            first = lease.model();
        }

        try (LoadedModel.Lease lease = cache.acquire(resolve("bc"))) {
            assertThat(lease.model()).isSameAs(first);
        }
        assertThat(resolver.fetches("bc", 1)).isEqualTo(1);
    }

    @Test
    void acquire_changedChecksumForTheSameVersion_reloadsAndClosesTheOldSessionAfterItsLastLease() {
        LoadedModel.Lease held = cache.acquire(resolve("bc"));
        byte[] changed = reserialized(BREAST_CANCER.onnx());
        resolver.replaceBytes("bc", 1, changed);

        try (LoadedModel.Lease reloaded = cache.acquire(resolve("bc"))) {
            assertThat(reloaded.model()).isNotSameAs(held.model());
            assertThat(reloaded.model().sha256()).isEqualTo(resolve("bc").sha256());
        }
        assertThat(resolver.fetches("bc", 1)).isEqualTo(2);
        assertThat(held.model().isClosed()).as("closed while a request holds it").isFalse();
        held.close();
        assertThat(held.model().isClosed()).isTrue();
    }

    @Test
    void acquire_bytesNotMatchingTheRecordedChecksum_isRefused() {
        resolver.corruptBytes("bc", 1, IRIS.onnx());

        assertThatThrownBy(() -> cache.acquire(resolve("bc")))
                .isInstanceOfSatisfying(CapstanException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INTERNAL_ERROR))
                .hasMessageContaining("has SHA-256").hasMessageContaining("the registry records");
    }

    @Test
    void acquire_cardDisagreeingWithTheGraph_isRefusedNamingBoth() {
        ModelCard card = BREAST_CANCER.card();
        ModelCard shortCard = ModelCard.classifier("input", card.features().subList(0, 29), "output",
                card.outputLabels(), "label");
        resolver.register("short", 1, shortCard, BREAST_CANCER.onnx());

        assertThatThrownBy(() -> cache.acquire(resolve("short")))
                .isInstanceOfSatisfying(CapstanException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_STATE))
                .hasMessageContaining("input 'input' has 30 columns but the card lists 29");
    }

    @Test
    void acquire_cardNamingAnotherTensor_isRefused() {
        ModelCard card = BREAST_CANCER.card();
        resolver.register("renamed", 1, ModelCard.classifier("features", card.features(), "output",
                card.outputLabels(), "label"), BREAST_CANCER.onnx());

        assertThatThrownBy(() -> cache.acquire(resolve("renamed")))
                .hasMessageContaining("the card's input tensor is 'features' but the graph takes [input]");
    }

    @Test
    void acquire_bytesThatAreNotOnnx_isRefused() {
        resolver.register("garbage", 1, BREAST_CANCER.card(), new byte[]{1, 2, 3});

        assertThatThrownBy(() -> cache.acquire(resolve("garbage")))
                .isInstanceOfSatisfying(CapstanException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_STATE))
                .hasMessageContaining("ONNX Runtime cannot load it");
    }

    @Test
    void acquire_moreModelsThanTheLimit_evictsTheLeastRecentlyUsed() {
        resolver.register("bc", 2, BREAST_CANCER);
        cache.acquire(resolve("bc")).close();
        cache.acquire(resolve("iris")).close();
        cache.acquire(resolve("bc")).close();

        cache.acquire(resolver.resolve(ModelReference.version("bc", 2), Optional.empty())).close();

        assertThat(cache.size()).isEqualTo(2);
        cache.acquire(resolve("bc")).close();
        cache.acquire(resolve("iris")).close();
        assertThat(resolver.fetches("bc", 1)).isEqualTo(1);
        assertThat(resolver.fetches("iris", 1)).isEqualTo(2);
    }

    private ResolvedModel resolve(String name) {
        return resolver.resolve(ModelReference.champion(name), Optional.empty());
    }

    /** The same graph with different bytes: a doc string appended to the model proto (field 6, length-delimited). */
    private static byte[] reserialized(byte[] onnx) {
        byte[] doc = "reloaded".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] out = java.util.Arrays.copyOf(onnx, onnx.length + 2 + doc.length);
        out[onnx.length] = (6 << 3) | 2;
        out[onnx.length + 1] = (byte) doc.length;
        System.arraycopy(doc, 0, out, onnx.length + 2, doc.length);
        return out;
    }
}
