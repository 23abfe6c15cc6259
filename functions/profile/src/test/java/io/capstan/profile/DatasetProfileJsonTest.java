package io.capstan.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DatasetProfileJsonTest {
    private static final String GOLDEN = "golden/profile-v1.json";

    /** 200 rows, fewer than k, so every KLL sketch is exact and its bytes deterministic. */
    static DatasetProfile goldenInput() {
        int n = 200;
        double[] radius = new double[n];
        double[] texture = new double[n];
        String[] site = new String[n];
        String[] label = new String[n];
        double[] probability = new double[n];
        for (int i = 0; i < n; i++) {
            radius[i] = (i * 37 % 101) / 7.0;
            texture[i] = i % 17 == 0 ? Double.NaN : Math.sqrt(i);
            site[i] = i % 29 == 0 ? null : String.valueOf("abcab".charAt(i % 5));
            label[i] = radius[i] > 7 ? "malignant" : "benign";
            probability[i] = radius[i] / 14.3;
        }
        return ProfileBuilder.create(SketchParameters.defaults())
                .numeric("radius", radius).numeric("texture", texture).categorical("site", site)
                .categoricalLabel("diagnosis", label).numericPrediction("p_malignant", probability).build();
    }

    @Test
    void toJson_goldenInput_matchesGoldenFile() throws IOException {
        String json = new String(goldenInput().toJson(), StandardCharsets.UTF_8);
        if (Boolean.getBoolean("capstan.golden.update")) {
            Files.writeString(Path.of("src/test/resources", GOLDEN), json);
        }

        assertThat(json).isEqualTo(read(GOLDEN));
    }

    @Test
    void fromJson_goldenFile_readsBackTheSameProfile() throws IOException {
        DatasetProfile read = DatasetProfile.fromJson(read(GOLDEN).getBytes(StandardCharsets.UTF_8));

        assertThat(read).isEqualTo(goldenInput());
        assertThat(read.formatVersion()).isEqualTo(1);
        assertThat(read.labelProfile()).get().extracting(FeatureProfile::name).isEqualTo("diagnosis");
    }

    @Test
    void fromJson_unknownFieldsAtEveryLevel_areIgnored() throws IOException {
        String json = read(GOLDEN)
                .replaceFirst("\\{", "{ \"written_by\" : {\"tool\" : \"later-capstan\"}, ")
                .replace("\"kind\" : \"numeric\",", "\"kind\" : \"numeric\", \"skewness\" : 0.5,")
                .replace("\"edges\" :", "\"bin_rule\" : \"deciles\", \"edges\" :");

        assertThat(DatasetProfile.fromJson(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(goldenInput());
    }

    @Test
    void fromJson_missingVersionOrBadKind_isRefusedWithTheField() {
        assertThatThrownBy(() -> DatasetProfile.fromJson("{\"row_count\": 1, \"features\": []}".getBytes(
                StandardCharsets.UTF_8))).isInstanceOf(InvalidProfileException.class)
                .hasMessageContaining("format_version");
        assertThatThrownBy(() -> DatasetProfile.fromJson(("{\"format_version\": 1, \"row_count\": 1, \"features\":"
                + " [{\"kind\": \"text\", \"name\": \"x\"}]}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidProfileException.class).hasMessageContaining("text");
        assertThatThrownBy(() -> DatasetProfile.fromJson("{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidProfileException.class);
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = DatasetProfileJsonTest.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void toJson_sampledColumn_writesItsSamplingBoundAndReadsItBack() {
        StreamingProfile sampled = StreamingProfile.create(java.util.List.of(FeatureSpec.numeric("x")),
                SketchParameters.defaults());
        for (int i = 0; i < 1000; i++) {
            sampled.update(new float[] {i % 13}, 3);
        }
        DatasetProfile profile = sampled.toDatasetProfile();

        String json = new String(profile.toJson(), StandardCharsets.UTF_8);

        assertThat(json).contains("\"sampling\" : {", "\"weight_squares\" : 64000.0", "\"weight\" : 8000.0");
        assertThat(DatasetProfile.fromJson(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(profile);
        assertThat(new String(goldenInput().toJson(), StandardCharsets.UTF_8)).doesNotContain("sampling");
    }
}
