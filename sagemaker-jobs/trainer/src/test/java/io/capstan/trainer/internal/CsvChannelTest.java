package io.capstan.trainer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvChannelTest {

    @TempDir
    Path channel;

    @Test
    void read_severalFiles_concatenatedInPathOrderWithOneDigest() throws IOException, NoSuchAlgorithmException {
        String first = "x,y,label\n1,2,a\n3,4,b\n";
        String second = "label,y,x\nc,6,5\n";
        String third = "\uFEFFx,y,label\n7,8,a\n\n";
        write("b.csv", second);
        write("a.csv", first);
        write("sub/c.csv", third);
        write(".hidden.csv", "x,y,label\n9,9,z\n");
        write("notes.txt", "not data");

        LabelledRows rows = new CsvChannel("train", channel).read("label", List.of());

        assertThat(rows.files()).containsExactly("a.csv", "b.csv", "sub/c.csv");
        assertThat(rows.featureNames()).containsExactly("x", "y");
        assertThat(rows.features()).containsExactly(new double[]{1, 2}, new double[]{3, 4}, new double[]{5, 6},
                new double[]{7, 8});
        assertThat(rows.labels()).containsExactly("a", "b", "c", "a");
        byte[] concatenated = (first + second + third).getBytes(StandardCharsets.UTF_8);
        assertThat(rows.sha256()).isEqualTo(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(concatenated)));
    }

    @Test
    void read_quotedFields_unquoted() throws IOException {
        write("q.csv", "\"x\",\"the label\"\n\"1.5\",\"a, \"\"quoted\"\" class\"\n");

        LabelledRows rows = new CsvChannel("train", channel).read("the label", List.of());

        assertThat(rows.labels()).containsExactly("a, \"quoted\" class");
        assertThat(rows.features().get(0)).containsExactly(1.5);
    }

    @Test
    void read_chosenFeatures_inTheirOrderOtherColumnsIgnored() throws IOException {
        write("d.csv", "id,x,y,label\nrow-1,1,2,a\n");

        LabelledRows rows = new CsvChannel("train", channel).read("label", List.of("y", "x"));

        assertThat(rows.featureNames()).containsExactly("y", "x");
        assertThat(rows.features().get(0)).containsExactly(2, 1);
    }

    @Test
    void read_badRows_nameFileRowAndColumn() throws IOException {
        write("d.csv", "x,label\n1,a\n\n2,b,extra\n");
        assertThatThrownBy(() -> new CsvChannel("train", channel).read("label", List.of()))
                .hasMessage("channel 'train': d.csv row 2 (line 4) has 3 fields; the header has 2");

        write("d.csv", "x,label\n1,a\nInfinity,b\n");
        assertThatThrownBy(() -> new CsvChannel("train", channel).read("label", List.of()))
                .hasMessage("channel 'train': d.csv row 2 (line 3), column 'x': 'Infinity' is not a finite number");

        write("d.csv", "x,label\n,a\n");
        assertThatThrownBy(() -> new CsvChannel("train", channel).read("label", List.of()))
                .hasMessageContaining("column 'x': '' is not a finite number");

        write("d.csv", "x,label\n1,\n");
        assertThatThrownBy(() -> new CsvChannel("train", channel).read("label", List.of()))
                .hasMessageContaining("d.csv row 1 (line 2), column 'label': the label is empty");

        write("d.csv", "x,x,label\n1,2,a\n");
        assertThatThrownBy(() -> new CsvChannel("train", channel).read("label", List.of()))
                .hasMessageContaining("names column 'x' twice");

        write("d.csv", "x,label\n\"1,a\n");
        assertThatThrownBy(() -> new CsvChannel("train", channel).read("label", List.of()))
                .hasMessageContaining("d.csv line 2 has an unclosed quote");
    }

    @Test
    void read_unnamedColumn_rejectedByDefaultUsableWhenNotChosen() throws IOException {
        write("d.csv", ",x,label\n0,1.5,a\n");

        assertThatThrownBy(() -> new CsvChannel("train", channel).read("label", List.of()))
                .hasMessageContaining("column 1 of the header has no name");
        assertThat(new CsvChannel("train", channel).read("label", List.of("x")).features().get(0))
                .containsExactly(1.5);
    }

    @Test
    void read_onlyLabelColumn_noFeatures() throws IOException {
        write("d.csv", "label\na\n");

        assertThatThrownBy(() -> new CsvChannel("train", channel).read("label", List.of()))
                .hasMessageContaining("no feature columns");
    }

    private void write(String name, String content) throws IOException {
        Path file = channel.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
