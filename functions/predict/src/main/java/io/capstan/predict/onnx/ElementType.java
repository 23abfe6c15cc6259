package io.capstan.predict.onnx;

import ai.onnxruntime.OnnxJavaType;
import io.capstan.model.ModelCard;
import java.util.Locale;
import java.util.Optional;

/**
 * The tensor element types the predict function feeds and answers, with their names in ONNX ({@code tensor(float)}),
 * in the Open Inference Protocol ({@code FP32}) and in numpy ({@code float32}, as MLflow's tensor specs write them).
 */
public enum ElementType {
    FLOAT("float", "FP32", "float32", OnnxJavaType.FLOAT),
    DOUBLE("double", "FP64", "float64", OnnxJavaType.DOUBLE),
    FLOAT16("float16", "FP16", "float16", OnnxJavaType.FLOAT16),
    BFLOAT16("bfloat16", "BF16", "bfloat16", OnnxJavaType.BFLOAT16),
    INT64("int64", "INT64", "int64", OnnxJavaType.INT64),
    INT32("int32", "INT32", "int32", OnnxJavaType.INT32),
    INT16("int16", "INT16", "int16", OnnxJavaType.INT16),
    INT8("int8", "INT8", "int8", OnnxJavaType.INT8),
    UINT8("uint8", "UINT8", "uint8", OnnxJavaType.UINT8),
    BOOL("bool", "BOOL", "bool", OnnxJavaType.BOOL),
    STRING("string", "BYTES", "str", OnnxJavaType.STRING);

    private final String onnxName;
    private final String oipName;
    private final String numpyName;
    private final OnnxJavaType javaType;

    ElementType(String onnxName, String oipName, String numpyName, OnnxJavaType javaType) {
        this.onnxName = onnxName;
        this.oipName = oipName;
        this.numpyName = numpyName;
        this.javaType = javaType;
    }

    /** ONNX's name: {@code float} for {@code tensor(float)}. */
    public String onnxName() {
        return onnxName;
    }

    /** The Open Inference Protocol's datatype: {@code FP32}, {@code INT64}, {@code BYTES}. */
    public String oipName() {
        return oipName;
    }

    /** numpy's dtype name, as MLflow writes it in tensor specs. */
    public String numpyName() {
        return numpyName;
    }

    OnnxJavaType javaType() {
        return javaType;
    }

    /** Whether the type holds integers (signed or not). */
    public boolean isInteger() {
        return this == INT64 || this == INT32 || this == INT16 || this == INT8 || this == UINT8;
    }

    /** The smallest value an integer type holds. */
    public long minValue() {
        return switch (this) {
            case INT32 -> Integer.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT8 -> Byte.MIN_VALUE;
            case UINT8 -> 0;
            default -> Long.MIN_VALUE;
        };
    }

    /** The largest value an integer type holds. */
    public long maxValue() {
        return switch (this) {
            case INT32 -> Integer.MAX_VALUE;
            case INT16 -> Short.MAX_VALUE;
            case INT8 -> Byte.MAX_VALUE;
            case UINT8 -> 255;
            default -> Long.MAX_VALUE;
        };
    }

    /** The type ONNX names {@code name} ({@code float}, {@code tensor(float)}, {@code int64}, …). */
    public static Optional<ElementType> ofOnnxName(String name) {
        String bare = name.toLowerCase(Locale.ROOT);
        if (bare.startsWith("tensor(") && bare.endsWith(")")) {
            bare = bare.substring("tensor(".length(), bare.length() - 1);
        }
        for (ElementType type : values()) {
            if (type.onnxName.equals(bare)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** The element type of a model card's input tensor. */
    public static ElementType of(ModelCard.TensorType type) {
        return ofOnnxName(type.onnxName()).orElseThrow();
    }

    /** The type the Open Inference Protocol names {@code datatype} ({@code FP32}, …). */
    public static Optional<ElementType> ofOipName(String datatype) {
        for (ElementType type : values()) {
            if (type.oipName.equals(datatype)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** The type of an ONNX Runtime value type; empty for one the predict function does not answer. */
    static Optional<ElementType> ofJavaType(OnnxJavaType type) {
        for (ElementType candidate : values()) {
            if (candidate.javaType == type) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
