package io.capstan.predict.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.io.NumberInput;
import io.capstan.error.CapstanException;
import io.capstan.model.ModelCard;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JSON path of our own ({@link NumericArrayScanner}, {@link PlainDecimals}) against Jackson's: thousands of random
 * number texts (digits, signs, fractions, exponents, edge values, subnormals, values at and beside float rounding
 * boundaries) give the floats and doubles that Jackson's FastDoubleParser gives, bit for bit, and whole requests read
 * with the scanning parser give the matrix, or the error, that the plain Jackson parser gives.
 */
class JsonNumberPathTest {
    private static final List<String> NAMES = List.of("a", "b", "c");
    private static final int WIDTH = NAMES.size();
    private static final FeatureMatrices MATRICES = new FeatureMatrices(new DirectBufferPool(4),
            InputLimits.defaults());

    @Test
    void plainDecimals_randomTexts_giveJacksonsFloatsAndDoubles() {
        int fast = 0;
        for (String text : texts(new Random(15), 40_000, false)) {
            char[] chars = text.toCharArray();
            double forFloat = PlainDecimals.parse(chars, 0, chars.length, true);
            if (forFloat == forFloat) {
                fast++;
                assertThat(Float.floatToRawIntBits((float) forFloat)).as(text)
                        .isEqualTo(Float.floatToRawIntBits(NumberInput.parseFloat(chars, 0, chars.length, true)));
            }
            double asDouble = PlainDecimals.parse(chars, 0, chars.length, false);
            if (asDouble == asDouble) {
                assertThat(Double.doubleToRawLongBits(asDouble)).as(text)
                        .isEqualTo(Double.doubleToRawLongBits(NumberInput.parseDouble(chars, 0, chars.length, true)));
            }
        }
        assertThat(fast).as("texts on the fast path").isGreaterThan(10_000);
    }

    @ParameterizedTest
    @EnumSource(value = ModelCard.TensorType.class, names = {"FLOAT", "DOUBLE"})
    void requests_randomNumbers_readAsJacksonReadsThem(ModelCard.TensorType type) {
        FeatureColumns columns = columns(type);
        Random random = new Random(type.ordinal());
        for (int round = 0; round < 40; round++) {
            List<String> values = texts(random, 2 * WIDTH * (1 + random.nextInt(100)), true).stream()
                    .filter(text -> fits(text, type)).toList();
            values = values.subList(0, values.size() - values.size() % WIDTH);
            List<Function<List<String>, String>> bodies = List.of(JsonNumberPathTest::oipFlat,
                    JsonNumberPathTest::oipNested, JsonNumberPathTest::dataframeSplit);
            for (Function<List<String>, String> body : bodies) {
                String json = body.apply(values);
                Object fast = readBoth(json, columns, PredictJson.SCANNING_FACTORY);
                Object plain = readBoth(json, columns, PredictJson.FACTORY);
                assertThat(fast).as(json).isEqualTo(plain);
                if (fast instanceof List<?> cells) {
                    assertThat(cells).as(json).isEqualTo(expected(values, type));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"01", "1.", "-", "1e", "1e+", ".5", "+1", "NaN", "-Infinity", "null", "true", "\"2.5\"",
        "1.5x", "[1]", "{}", "1,", "1\r", "1\r\n", "3.4028236e38", "1e400", "-0", "0e-999", "1e22", "1e23",
        "123456789012345", "1234567890123456", "1.0E-45", "7e-46", "1 \n ,2", "  \t\n 4"})
    void requests_oddValues_readAndFailAsJacksonDoes(String odd) {
        for (ModelCard.TensorType type : List.of(ModelCard.TensorType.FLOAT, ModelCard.TensorType.DOUBLE)) {
            FeatureColumns columns = columns(type);
            List<String> values = new ArrayList<>(List.of("1.5", "-2", "3e-3", "4", "5.25", "6"));
            values.set(4, odd);
            for (Function<List<String>, String> body : List.<Function<List<String>, String>>of(
                    JsonNumberPathTest::oipFlat, JsonNumberPathTest::oipNested, JsonNumberPathTest::dataframeSplit)) {
                String json = body.apply(values);
                assertThat(readBoth(json, columns, PredictJson.SCANNING_FACTORY)).as(json)
                        .isEqualTo(readBoth(json, columns, PredictJson.FACTORY));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"inputs\":[{\"name\":\"X\",\"shape\":[2,3],\"datatype\":\"FP32\",\"data\":[1,\n2,\n3,4,5,6]}],\n\"id\":7 x}",
        "{\"inputs\":[{\"name\":\"X\",\"shape\":[2,3],\"datatype\":\"FP32\",\"data\":[1,\n2,\n3,4,5,6]}\n\n,]}",
        "{\"inputs\":[{\"name\":\"X\",\"shape\":[2,3],\"datatype\":\"FP32\",\"data\":[[1,2,3],[4,5,6]]}]} {}",
        "{\"inputs\":[{\"name\":\"X\",\"shape\":[2,3],\"datatype\":\"FP32\",\"data\":[[1,2,3],[4,5,6],[7,8,9]]}]}",
        "{\"inputs\":[{\"name\":\"X\",\"shape\":[2,3],\"datatype\":\"FP32\",\"data\":[1,2,3,4,5]}]}",
        "{\"inputs\":[{\"name\":\"X\",\"shape\":[2,3],\"datatype\":\"FP32\",\"data\":[1,2,3,4,5,6,7]}]}",
        "{\"inputs\":[{\"name\":\"X\",\"shape\":[2,3],\"datatype\":\"BOOL\",\"data\":[1,2,3,4,5,6]}]}",
        "{\"inputs\":[{\"name\":\"a\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[1,2]},"
            + "{\"name\":\"b\",\"shape\":[2,1],\"datatype\":\"FP32\",\"data\":[[3],[4]]},"
            + "{\"name\":\"c\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[[5],[6]]}]}",
        "{\"inputs\":[{\"name\":\"a\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[1,2]},"
            + "{\"name\":\"b\",\"shape\":[2,1],\"datatype\":\"FP32\",\"data\":[[3],[4]]},"
            + "{\"name\":\"c\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[5,6]}]}",
        "{\"dataframe_split\":{\"columns\":[\"c\",\"a\",\"b\"],\"data\":[[1,2,3],\n[4,5,6]]},\n\"params\":{\"k\":1}}",
        "{\"dataframe_split\":{\"columns\":[\"c\",\"a\",\"b\"],\"data\":[[1,2,3],\n[4,5,6]]},\n\"x\":1}",
        "{\"dataframe_split\":{\"columns\":[\"c\",\"a\",\"b\"],\"data\":[[1,2,3],\n[4,5]]}}",
        "{\"dataframe_split\":{\"columns\":[\"c\",\"a\",\"b\"],\"data\":[]}}",
        "{\"dataframe_split\":{\"columns\":[\"c\",\"a\",\"b\"],\"data\":[[1,2,3],]}}",
        "{\"dataframe_split\":{\"columns\":[\"c\",\"a\",\"b\"],\"data\":[[1,2,3]\n\n]} , \n\n ]",
        "{\"dataframe_split\":{\"columns\":[\"c\",\"a\",\"b\"],\"data\":[[1,2,3]]}}\n\n\"x\""})
    void requests_oddShapesAndTrailingErrors_failAsJacksonDoes(String json) {
        for (ModelCard.TensorType type : ModelCard.TensorType.values()) {
            FeatureColumns columns = columns(type);
            assertThat(readBoth(json, columns, PredictJson.SCANNING_FACTORY)).as(json)
                    .isEqualTo(readBoth(json, columns, PredictJson.FACTORY));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1.5, -2, 3e-3,\n 4, 5.25, 6]", "[[1.5,-2,3e-3],\t[4,5.25,6]]", "[1.5,-2,3e-3,4,5.25,6\r]",
        "[1.5,-2,3e-3,4,5.25,6,7]", "[1.5,-2,3e-3,4,5.25,01]", "[1.5,-2,3e-3,4,5.25,1.2345678901234567]"})
    void scanner_takesPlainArraysOnly_andResumesAtTheirEnd(String data) throws java.io.IOException {
        String json = "{\"data\": " + data + ", \"after\": true}";
        boolean plain = !data.contains("\r") && !data.contains(",7") && !data.contains("01")
                && !data.contains("567");
        FeatureColumns columns = columns(ModelCard.TensorType.FLOAT);
        try (com.fasterxml.jackson.core.JsonParser p = PredictJson.SCANNING_FACTORY.createParser(
                json.getBytes(StandardCharsets.UTF_8));
             FeatureMatrixBuilder builder = MATRICES.builder(columns, 2)) {
            p.nextToken();
            p.nextToken();
            p.nextToken();
            builder.ensureRow(1);

            boolean read = NumericArrayScanner.readTensor((ResumableJsonParser) p, builder, 6, -1, 3);

            assertThat(read).isEqualTo(plain);
            if (read) {
                assertThat(p.nextToken()).isEqualTo(com.fasterxml.jackson.core.JsonToken.END_ARRAY);
                assertThat(p.nextToken()).isEqualTo(com.fasterxml.jackson.core.JsonToken.FIELD_NAME);
                assertThat(p.currentTokenLocation().getLineNr()).isEqualTo(data.contains("\n") ? 2 : 1);
                assertThat(builder.get(1, 1)).isEqualTo(5.25);
            }
        }
    }

    /** The matrix's cells (as raw bits, with the MLflow params) or the error's code and message. */
    private static Object readBoth(String json, FeatureColumns columns, JsonFactory factory) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        List<Object> read = new ArrayList<>();
        Throwable error = catchThrowable(() -> {
            if (json.startsWith("{\"dataframe_split\"")) {
                MlflowScoringRequest request = new MlflowScoringReader(MATRICES, factory).readRequest(body, columns);
                read.addAll(cells(request.features()));
                read.add(request.params() == null ? "no params" : new String(request.params(), StandardCharsets.UTF_8));
            } else {
                OipInferRequest request = new OipInferReader(MATRICES, factory).read(BinaryTensors.none(body), columns,
                        "X", null);
                read.addAll(cells(request.features()));
                read.add(String.valueOf(request.id()));
            }
        });
        if (error != null) {
            return error instanceof CapstanException e ? e.errorCode() + ": " + e.getMessage() : error.toString();
        }
        read.remove(read.size() - 1);
        return read;
    }

    private static List<Object> cells(FeatureMatrix matrix) {
        List<Object> bits = new ArrayList<>();
        ByteBuffer data = matrix.data();
        for (int i = 0; i < matrix.rows() * matrix.width(); i++) {
            ModelCard.TensorType type = matrix.type();
            bits.add(type == ModelCard.TensorType.FLOAT ? (Object) Float.floatToRawIntBits(data.getFloat(i * 4))
                    : type == ModelCard.TensorType.DOUBLE ? (Object) Double.doubleToRawLongBits(data.getDouble(i * 8))
                    : (Object) data.getLong(i * 8));
        }
        matrix.close();
        return bits;
    }

    /** Jackson's own reading of each text, as the cells' bits, in card order (the bodies send the columns c, a, b). */
    private static List<Object> expected(List<String> values, ModelCard.TensorType type) {
        List<Object> bits = new ArrayList<>();
        for (String value : values) {
            char[] chars = value.toCharArray();
            bits.add(type == ModelCard.TensorType.FLOAT
                    ? (Object) Float.floatToRawIntBits(NumberInput.parseFloat(chars, 0, chars.length, true))
                    : (Object) Double.doubleToRawLongBits(NumberInput.parseDouble(chars, 0, chars.length, true)));
        }
        return bits;
    }

    /** Whether the text is within the type's range (the requests hold no value that is refused). */
    private static boolean fits(String text, ModelCard.TensorType type) {
        char[] chars = text.toCharArray();
        return type == ModelCard.TensorType.FLOAT ? Float.isFinite(NumberInput.parseFloat(chars, 0, chars.length, true))
                : Double.isFinite(NumberInput.parseDouble(chars, 0, chars.length, true));
    }

    private static FeatureColumns columns(ModelCard.TensorType type) {
        return FeatureColumns.of(new ModelCard(2, ModelCard.Task.REGRESSION, "X", type, NAMES, "value",
                List.of("y"), "y", null, null));
    }

    private static String oipFlat(List<String> values) {
        return "{\"id\":\"r\",\"inputs\":[{\"name\":\"X\",\"shape\":[" + values.size() / WIDTH + "," + WIDTH
                + "],\"datatype\":\"FP32\",\"data\":[" + String.join(", ", values) + "]}]}";
    }

    private static String oipNested(List<String> values) {
        StringBuilder data = new StringBuilder();
        for (int r = 0; r < values.size() / WIDTH; r++) {
            data.append(r == 0 ? "" : ",\n ").append('[')
                    .append(String.join(",", values.subList(r * WIDTH, r * WIDTH + WIDTH))).append(']');
        }
        return "{\"inputs\":[{\"datatype\":\"FP32\",\"name\":\"X\",\"shape\":[" + values.size() / WIDTH + ", "
                + WIDTH + "],\"data\":\n[" + data + "\n]\n}],\n\"outputs\":[{\"name\":\"value\"}]}";
    }

    /** The rows as {@code dataframe_split} with the columns in the order c, a, b, so each row is rotated. */
    private static String dataframeSplit(List<String> values) {
        StringBuilder data = new StringBuilder();
        for (int r = 0; r < values.size() / WIDTH; r++) {
            int at = r * WIDTH;
            data.append(r == 0 ? "" : ",\t").append('[').append(values.get(at + 2)).append(", ")
                    .append(values.get(at)).append(",").append(values.get(at + 1)).append(']');
        }
        return "{\"dataframe_split\":{\"columns\":[\"c\",\"a\",\"b\"],\"data\":[" + data + "]},\"params\":{\"p\":[1]}}";
    }

    /**
     * Random number texts: plain decimals of 1 to 20 digits with and without fractions and exponents, floats' and
     * doubles' shortest texts, subnormals, the extremes, and decimals at and beside the halfway points between
     * neighbouring floats. {@code json} keeps to JSON's grammar (no leading zeros, no {@code +}, no bare point).
     */
    private static List<String> texts(Random random, int count, boolean json) {
        List<String> texts = new ArrayList<>(count);
        String[] edges = {"0", "-0", "0.0", "-0.0", "0e5", "-0E-5", "1e22", "1e-22", "9.99999999999999e22",
            "123456789012345", "1234567890123456", "999999999999999e-22", "3.4028235e38", "3.4028234663852886e38",
            "1.17549435e-38", "1.4e-45", "1.401298464324817e-45", "7.006492321624085e-46", "16777217",
            "16777216.5", "0.1", "0.2", "0.3", "1e15", "1e16", "4.9e-324", "1.7976931348623157e308"};
        while (texts.size() < count) {
            int kind = random.nextInt(8);
            String text = switch (kind) {
                case 0 -> edges[random.nextInt(edges.length)];
                case 1 -> Float.toString(Float.intBitsToFloat(random.nextInt()));
                case 2 -> Double.toString(random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
                case 3 -> Float.toString((float) (random.nextGaussian() * Math.pow(10, random.nextInt(12) - 6)));
                case 4 -> halfway(random, random.nextInt(3) - 1);
                default -> decimal(random, json);
            };
            if (text.contains("N") || text.contains("I")) {
                continue;
            }
            if (json) {
                text = text.replace("E", random.nextBoolean() ? "E" : "e");
            }
            texts.add(text);
        }
        return texts;
    }

    /** A decimal at ({@code side} 0) or just below or above the halfway point between a float and the next. */
    private static String halfway(Random random, int side) {
        float low = Math.abs(Float.intBitsToFloat(random.nextInt(0x7f000000)));
        BigDecimal middle = new BigDecimal(low).add(new BigDecimal(Math.nextUp(low))).divide(BigDecimal.valueOf(2));
        int digits = 6 + random.nextInt(12);
        BigDecimal rounded = middle.round(new java.math.MathContext(digits));
        BigDecimal text = side == 0 ? middle : side < 0 ? rounded.subtract(rounded.ulp()) : rounded.add(rounded.ulp());
        return random.nextBoolean() ? text.toString() : text.toPlainString();
    }

    private static String decimal(Random random, boolean json) {
        StringBuilder text = new StringBuilder();
        if (random.nextInt(4) == 0) {
            text.append('-');
        }
        int intDigits = 1 + random.nextInt(json ? 10 : 12);
        for (int i = 0; i < intDigits; i++) {
            int digit = random.nextInt(10);
            text.append(json && i == 0 && intDigits > 1 ? 1 + random.nextInt(9) : digit);
        }
        if (random.nextBoolean()) {
            text.append('.');
            int fraction = 1 + random.nextInt(12);
            for (int i = 0; i < fraction; i++) {
                text.append(random.nextInt(10));
            }
        }
        if (random.nextInt(3) == 0) {
            text.append(random.nextBoolean() ? 'e' : 'E');
            int sign = random.nextInt(3);
            text.append(sign == 0 ? "" : sign == 1 ? "-" : "+");
            text.append(random.nextInt(random.nextBoolean() ? 25 : 60));
        }
        return text.toString();
    }
}
