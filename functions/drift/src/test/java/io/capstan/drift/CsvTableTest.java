package io.capstan.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The CSV reader: lines without quotes are read in place, numbers converted by a fast path for plain decimals; every
 * value must be exactly what {@link Double#parseDouble} gives for the trimmed field, whatever its form, and quoted
 * lines, missing values and short lines read as before.
 */
class CsvTableTest {

    @Test
    void everyNumberForm_readsAsDoubleParseDoubleOfItsTrimmedField() {
        List<String> fields = List.of("0", "-0", "+7", "12", "-3.25", "5.", ".5", " 42 ", "\t1.5", "1e3", "-2.5E-3",
                "0x1p4", "123456789012345", "1234567890123456789", "0.1", "0.30000000000000004", "1.5d", "Infinity",
                "-Infinity", "3.141592653589793", "007", "9007199254740993");
        StringBuilder csv = new StringBuilder("x,label\n");
        fields.forEach(f -> csv.append(f).append(",a\n"));

        double[] read = ((Column.Numeric) CsvTable.read(reader(csv), "t", List.of("x"), Set.of()).get(0)).values();

        for (int i = 0; i < fields.size(); i++) {
            assertThat(Double.doubleToRawLongBits(read[i])).as(fields.get(i))
                    .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(fields.get(i).trim())));
        }
    }

    @Test
    void randomPlainDecimals_areBitForBitDoubleParseDouble() {
        SplittableRandom random = new SplittableRandom(5);
        StringBuilder csv = new StringBuilder("x\n");
        String[] texts = new String[20_000];
        for (int i = 0; i < texts.length; i++) {
            int digits = random.nextInt(1, 18);
            StringBuilder text = new StringBuilder(random.nextBoolean() ? "-" : "");
            for (int d = 0; d < digits; d++) {
                text.append((char) ('0' + random.nextInt(10)));
            }
            if (random.nextBoolean()) {
                text.insert(text.length() - random.nextInt(digits + 1), '.');
            }
            texts[i] = text.toString().equals("-") || text.toString().endsWith("-") ? "0" : text.toString();
            csv.append(texts[i]).append('\n');
        }

        double[] read = ((Column.Numeric) CsvTable.read(reader(csv), "t", List.of("x"), Set.of()).get(0)).values();

        for (int i = 0; i < texts.length; i++) {
            assertThat(Double.doubleToRawLongBits(read[i])).as(texts[i])
                    .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(texts[i])));
        }
    }

    @Test
    void missingValues_quotedLines_andShortLines_readAsBefore() {
        String csv = "a,b,c\n"
                + "1,x,2\n"
                + "NA,\"y, quoted\",nan\n"
                + " null , none ,\n"
                + "\"3\",\"he said \"\"hi\"\"\",4\n"
                + "5\n";

        List<Column> columns = CsvTable.read(reader(new StringBuilder(csv)), "t", List.of("a", "b", "c"),
                Set.of("b"));

        double[] a = ((Column.Numeric) columns.get(0)).values();
        String[] b = ((Column.Categorical) columns.get(1)).values();
        double[] c = ((Column.Numeric) columns.get(2)).values();
        assertThat(a).containsExactly(1, Double.NaN, Double.NaN, 3, 5);
        assertThat(b).containsExactly("x", "y, quoted", null, "he said \"hi\"", null);
        assertThat(c).containsExactly(2, Double.NaN, Double.NaN, 4, Double.NaN);
    }

    @Test
    void aFieldThatIsNoNumber_isNamedWithItsRowAndColumn() {
        StringBuilder csv = new StringBuilder("a,b\n1,2\n3,4x\n");
        assertThatThrownBy(() -> CsvTable.read(reader(csv), "f.csv", List.of("a", "b"), Set.of()))
                .isInstanceOf(InvalidDriftInputException.class)
                .hasMessageContaining("File 'f.csv', row 2 (line 3), column 'b': '4x' is not a number");
    }

    private static BufferedReader reader(StringBuilder csv) {
        return new BufferedReader(new StringReader(csv.toString()));
    }
}
