package io.capstan.predict.tensor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.capstan.error.CapstanException;
import io.capstan.model.ModelSignature;
import io.capstan.predict.input.PredictJson;
import java.io.IOException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The request's {@code params} checked as MLflow 2.12's {@code _enforce_params_schema} does. A model whose signature
 * declares no parameters takes any {@code params} and ignores them (MLflow logs a warning). Otherwise {@code params}
 * must be an object; parameters the signature does not declare are ignored, absent ones take their default, and each
 * given one must have the declared type (an integer may stand for a long, float or double, a long for a float or
 * double, as MLflow converts) and shape ({@code [-1]}: a list). ONNX models take no parameters, so valid ones change
 * nothing.
 */
public final class ParamsValidation {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private ParamsValidation() {
    }

    /**
     * @param params    the request's {@code params} as JSON bytes; null when it has none
     * @param signature the model's signature; null when it has none
     * @throws CapstanException {@code INVALID_PARAMETER_VALUE} naming each invalid parameter and why
     */
    public static void validate(byte[] params, ModelSignature signature) {
        if (params == null || signature == null || signature.params().isEmpty()) {
            return;
        }
        JsonNode root;
        try {
            root = JSON.readTree(params);
        } catch (JsonProcessingException e) {
            throw PredictJson.malformed(e);
        } catch (IOException e) {
            throw new IllegalStateException("reading in-memory bytes", e);
        }
        if (root == null || root.isNull()) {
            return;
        }
        if (!root.isObject()) {
            throw CapstanException.invalidParameter("Parameters must be a dictionary. Got type '" + pythonType(root)
                    + "'.");
        }
        List<String> invalid = new ArrayList<>();
        for (ModelSignature.ParamSpec spec : signature.params()) {
            JsonNode value = root.get(spec.name());
            if (value == null) {
                continue; // the default applies
            }
            String problem = check(spec, value);
            if (problem != null) {
                invalid.add("('" + spec.name() + "', '" + problem + "')");
            }
        }
        if (!invalid.isEmpty()) {
            throw CapstanException.invalidParameter("Invalid parameters found: {" + String.join(", ", invalid)
                    + "}. The model's parameters: " + describe(signature.params()) + ".");
        }
    }

    private static String check(ModelSignature.ParamSpec spec, JsonNode value) {
        if (spec.shape() == null) {
            return checkScalar(spec, value);
        }
        if (spec.shape().size() != 1 || spec.shape().get(0) != -1) {
            return "the signature declares shape " + spec.shape() + ", which MLflow does not support";
        }
        if (!value.isArray()) {
            return "Value must be a 1D array with shape (-1,) for param " + spec.name() + ", received "
                    + pythonType(value);
        }
        for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
            JsonNode element = it.next();
            if (element.isArray() || element.isObject()) {
                return "Value must be a 1D array with shape (-1,) for param " + spec.name() + ", received a nested"
                        + " list";
            }
            String problem = checkScalar(spec, element);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String checkScalar(ModelSignature.ParamSpec spec, JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (value.isArray() || value.isObject()) {
            return "Value should be a scalar for param " + spec.name() + ", got " + value;
        }
        String type = spec.type();
        boolean fits = switch (type) {
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "integer" -> value.isIntegralNumber() && value.canConvertToInt();
            case "long" -> value.isIntegralNumber() && value.canConvertToLong();
            case "float", "double" -> value.isNumber() && !value.isBigInteger();
            case "datetime" -> value.isTextual() && isDateTime(value.asText());
            case "binary" -> false; // JSON has no bytes; MLflow's check fails on a str too
            default -> true;
        };
        if (fits) {
            return null;
        }
        if (type.equals("datetime")) {
            return "Failed to convert value " + value + " from type " + pythonType(value) + " to datetime for param "
                    + spec.name();
        }
        return "Incompatible types for param " + spec.name() + ". Can not safely convert " + pythonType(value)
                + " to " + type + ".";
    }

    private static boolean isDateTime(String text) {
        try {
            LocalDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            try {
                LocalDate.parse(text);
                return true;
            } catch (DateTimeParseException again) {
                return false;
            }
        }
    }

    /** The Python type name json.loads gives a value, as MLflow's messages name it. */
    private static String pythonType(JsonNode value) {
        if (value.isTextual()) {
            return "str";
        } else if (value.isBoolean()) {
            return "bool";
        } else if (value.isIntegralNumber()) {
            return "int";
        } else if (value.isNumber()) {
            return "float";
        } else if (value.isArray()) {
            return "list";
        } else if (value.isObject()) {
            return "dict";
        }
        return "NoneType";
    }

    private static String describe(List<ModelSignature.ParamSpec> params) {
        List<String> parts = new ArrayList<>();
        for (ModelSignature.ParamSpec spec : params) {
            parts.add(spec.name() + ": " + spec.type() + (spec.shape() == null ? "" : " " + spec.shape())
                    + " (default " + spec.defaultJson() + ")");
        }
        return String.join(", ", parts);
    }

}
