package io.capstan.predict.tensor;

import io.capstan.error.CapstanException;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * The conversions MLflow's scoring server applies to a request's values before the model sees them: pandas'
 * {@code astype} for data-frame columns and numpy's {@code np.array(data, dtype)} for tensors, to the signature's types.
 * What they refuse is refused here with a message naming the column or input and the value.
 */
final class Casts {
    /** A target of a cast: MLflow's column types and numpy's dtypes, grouped by how values convert. */
    enum Target {
        /** float32, float64 (MLflow's float and double). */
        FLOATING("float64"),
        /** int64, int32, … (MLflow's long and integer). */
        INTEGER("int64"),
        BOOLEAN("bool"),
        STRING("str"),
        /** No conversion: object, binary, datetime and MLflow's array, object and map types. */
        NONE("object");

        private final String numpyName;

        Target(String numpyName) {
            this.numpyName = numpyName;
        }

        /** The target of an MLflow column type ({@code double}, {@code long}, {@code string}, …). */
        static Target ofColumnType(String type) {
            return switch (type) {
                case "double", "float" -> FLOATING;
                case "long", "integer" -> INTEGER;
                case "boolean" -> BOOLEAN;
                case "string" -> STRING;
                default -> NONE;
            };
        }

        /** The target of a numpy dtype name ({@code float32}, {@code int64}, {@code object}, …). */
        static Target ofNumpyType(String dtype) {
            String name = dtype.toLowerCase(Locale.ROOT);
            if (name.startsWith("float")) {
                return FLOATING;
            } else if (name.startsWith("int") || name.startsWith("uint")) {
                return INTEGER;
            } else if (name.equals("bool")) {
                return BOOLEAN;
            } else if (name.equals("str") || name.startsWith("<u") || name.equals("unicode")) {
                return STRING;
            }
            return NONE;
        }
    }

    private Casts() {
    }

    /**
     * {@code array} converted to {@code target}.
     *
     * @param what names the column or input in messages ({@code "column 'age'"})
     * @param to   the type as the signature names it, for messages
     * @throws CapstanException {@code INVALID_PARAMETER_VALUE} naming the value that does not convert
     */
    static NdArray cast(NdArray array, Target target, String what, String to) {
        if (target == Target.NONE) {
            return array;
        }
        Scalars in = array.values();
        Scalars out = new Scalars(in.size());
        for (int i = 0; i < in.size(); i++) {
            switch (target) {
                case FLOATING -> out.addFloat(toDouble(in, i, what, to));
                case INTEGER -> out.addInt(toLong(in, i, what, to));
                case BOOLEAN -> out.addBool(toBoolean(in, i));
                case STRING -> {
                    if (in.kind(i) == Scalars.NULL) {
                        out.addNull();
                    } else {
                        out.addString(toText(in, i));
                    }
                }
                default -> throw new IllegalStateException("no conversion to " + target);
            }
        }
        return new NdArray(array.shape(), out);
    }

    private static double toDouble(Scalars in, int i, String what, String to) {
        switch (in.kind(i)) {
            case Scalars.STRING -> {
                String text = in.string(i).strip();
                String lower = text.toLowerCase(Locale.ROOT);
                if (lower.equals("nan") || lower.equals("+nan") || lower.equals("-nan")) {
                    return Double.NaN;
                }
                if (lower.matches("[+]?inf(inity)?")) {
                    return Double.POSITIVE_INFINITY;
                }
                if (lower.matches("-inf(inity)?")) {
                    return Double.NEGATIVE_INFINITY;
                }
                try {
                    if (!lower.matches("[+-]?([0-9_]+\\.?[0-9_]*|\\.[0-9_]+)(e[+-]?[0-9]+)?")) {
                        throw new NumberFormatException(text);
                    }
                    return Double.parseDouble(text.replace("_", ""));
                } catch (NumberFormatException e) {
                    throw failed(what, to, "could not convert string to float: " + in.show(i));
                }
            }
            default -> {
                return in.number(i);
            }
        }
    }

    private static long toLong(Scalars in, int i, String what, String to) {
        switch (in.kind(i)) {
            case Scalars.INT, Scalars.BOOL -> {
                return in.kind(i) == Scalars.BOOL ? (in.bool(i) ? 1 : 0) : in.integer(i);
            }
            case Scalars.FLOAT -> {
                double value = in.floating(i);
                if (Double.isNaN(value) || Double.isInfinite(value)) {
                    throw failed(what, to, "Cannot convert non-finite values (NA or inf) to integer");
                }
                if (Math.abs(value) >= 0x1p63) {
                    throw failed(what, to, value + " is beyond int64 range");
                }
                return (long) value; // numpy and pandas truncate toward zero
            }
            case Scalars.NULL -> throw failed(what, to, "Cannot convert non-finite values (NA or inf) to integer");
            default -> {
                String text = in.string(i).strip().replace("_", "");
                try {
                    return new BigDecimal(text).longValueExact();
                } catch (NumberFormatException | ArithmeticException e) {
                    throw failed(what, to, "invalid literal for int() with base 10: " + in.show(i));
                }
            }
        }
    }

    private static boolean toBoolean(Scalars in, int i) {
        return switch (in.kind(i)) {
            case Scalars.NULL -> false;
            case Scalars.STRING -> !in.string(i).isEmpty();
            case Scalars.FLOAT -> in.floating(i) != 0;
            default -> in.integer(i) != 0;
        };
    }

    /** Python's {@code str()} of the value. */
    private static String toText(Scalars in, int i) {
        return switch (in.kind(i)) {
            case Scalars.STRING -> in.string(i);
            case Scalars.BOOL -> in.bool(i) ? "True" : "False";
            case Scalars.INT -> Long.toString(in.integer(i));
            default -> pythonFloat(in.floating(i));
        };
    }

    static String pythonFloat(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        String text = Double.toString(value);
        return text.contains("E") ? text.replace("E", "e") : text;
    }

    private static CapstanException failed(String what, String to, String error) {
        return CapstanException.invalidParameter("Data is not compatible with model signature. Failed to convert "
                + what + " to type '" + to + "'. Error: '" + error + "'");
    }
}
