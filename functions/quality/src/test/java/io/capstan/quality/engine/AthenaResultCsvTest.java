package io.capstan.quality.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.List;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * Athena's result files quote every value and leave a null empty and unquoted
 * (docs.aws.amazon.com/athena/latest/ug/querying.html, "Working with query results"): the reader tells a null from an
 * empty string, keeps quotes, commas and line breaks inside a value, and finds the columns by their header names.
 */
class AthenaResultCsvTest {

    @Test
    void nullsAreUnquotedAndEmpty_emptyStringsAreQuoted() throws Exception {
        String file = "\"kind\",\"name\",\"n\",\"text\"\n"
                + "\"version\",\"3\",\"120\",\n"
                + "\"label\",\"\",\"0\",\n"
                + "\"classes\",\"3\",\"0\",\"{\"\"a,b\"\":0.25,\"\"line\n2\"\":0.75}\"\n";
        try (CSVParser parser = AthenaJoin.CSV.parse(new StringReader(file))) {
            List<CSVRecord> rows = parser.getRecords();

            assertThat(rows).hasSize(3);
            assertThat(rows.get(0).get("text")).isNull();
            assertThat(rows.get(0).get("n")).isEqualTo("120");
            assertThat(rows.get(1).get("name")).isEmpty();
            assertThat(rows.get(2).get("text")).isEqualTo("{\"a,b\":0.25,\"line\n2\":0.75}");
        }
    }
}
