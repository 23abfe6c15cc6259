package io.capstan.predict.tensor;

import io.capstan.error.CapstanException;
import io.capstan.model.ModelSignature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request's data checked against the model's MLflow signature, as MLflow 2.12's scoring server and
 * {@code _enforce_schema} do. Column specs make a data frame of the signature's columns, in its order (columns it does
 * not name are dropped; a missing required one is refused, naming it), each cast to its type. Tensor specs make named
 * arrays (or one array, for an unnamed spec) of the spec's dtype, whose shape must match the spec's (-1 matches any
 * size); a data frame's columns are reshaped to the spec's shape first. A model without a signature takes the data as it
 * is.
 */
final class SignatureEnforcement {
    private SignatureEnforcement() {
    }

    /** @param signature the model's signature; null when it has none */
    static PyfuncInput enforce(PyfuncInput input, ModelSignature signature) {
        if (signature == null || signature.inputs().isEmpty()) {
            return input;
        }
        if (signature.inputsAreTensors()) {
            return signature.inputs().get(0).name() == null ? unnamedTensor(input, signature.inputs().get(0))
                    : namedTensors(input, signature.inputs());
        }
        return columns(input, signature.inputs());
    }

    private static PyfuncInput.Frame columns(PyfuncInput input, List<ModelSignature.Spec> specs) {
        boolean named = specs.stream().allMatch(s -> s.name() != null);
        PyfuncInput.Frame frame = Frames.of(input, named ? specs.stream().map(ModelSignature.Spec::name).toList()
                : List.of());
        if (!named) {
            if (frame.columns().size() < specs.size()) {
                throw CapstanException.invalidParameter("Model inference is missing inputs. The model signature"
                        + " declares " + specs.size() + " inputs but the provided value only has "
                        + frame.columns().size() + " inputs. Note: the inputs were not named in the signature so we"
                        + " can only verify their count.");
            }
            List<NdArray> data = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                data.add(castColumn(frame.data().get(i), specs.get(i), frame.columns().get(i)));
            }
            return new PyfuncInput.Frame(frame.columns().subList(0, specs.size()), data, frame.rows());
        }
        List<String> missing = new ArrayList<>();
        for (ModelSignature.Spec spec : specs) {
            if (spec.required() && frame.indexOf(spec.name()) < 0) {
                missing.add("'" + spec.name() + "'");
            }
        }
        if (!missing.isEmpty()) {
            List<String> extra = new ArrayList<>();
            for (String column : frame.columns()) {
                if (specs.stream().noneMatch(s -> column.equals(s.name()))) {
                    extra.add("'" + column + "'");
                }
            }
            throw CapstanException.invalidParameter("Model is missing inputs " + missing + "." + (extra.isEmpty() ? ""
                    : " Note that there were extra inputs: " + extra + "."));
        }
        List<String> names = new ArrayList<>();
        List<NdArray> data = new ArrayList<>();
        for (ModelSignature.Spec spec : specs) {
            int index = frame.indexOf(spec.name());
            if (index >= 0) {
                names.add(spec.name());
                data.add(castColumn(frame.data().get(index), spec, spec.name()));
            }
        }
        return new PyfuncInput.Frame(names, data, frame.rows());
    }

    private static NdArray castColumn(NdArray column, ModelSignature.Spec spec, String name) {
        Casts.Target target = Casts.Target.ofColumnType(spec.type());
        if (target != Casts.Target.NONE && column.rank() > 1) {
            throw CapstanException.invalidParameter("Incompatible input types for column " + name + ": it holds an"
                    + " array per row but the model signature declares " + spec.type() + ".");
        }
        return Casts.cast(column, target, "column " + name, spec.type());
    }

    private static PyfuncInput.Tensors namedTensors(PyfuncInput input, List<ModelSignature.Spec> specs) {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        if (input instanceof PyfuncInput.Frame frame) {
            List<String> missing = missingNames(specs, frame.columns());
            if (!missing.isEmpty()) {
                throw CapstanException.invalidParameter("Model is missing inputs " + missing + ".");
            }
            for (ModelSignature.Spec spec : specs) {
                arrays.put(spec.name(), reshapeColumn(spec.name(), frame.data().get(frame.indexOf(spec.name())),
                        spec));
            }
            return new PyfuncInput.Tensors(arrays);
        }
        Map<String, NdArray> given;
        if (input instanceof PyfuncInput.Tensors tensors) {
            given = tensors.arrays();
        } else if (specs.size() == 1) {
            given = Map.of(specs.get(0).name(), ((PyfuncInput.Tensor) input).array());
        } else {
            throw CapstanException.invalidParameter("This model contains a tensor-based model signature with input"
                    + " names, which suggests a dictionary input mapping input name to tensor, but one unnamed array"
                    + " was found; send {\"inputs\": {" + String.join(", ", specs.stream().map(s -> "\"" + s.name()
                    + "\": [...]").toList()) + "}}.");
        }
        List<String> missing = missingNames(specs, new ArrayList<>(given.keySet()));
        if (!missing.isEmpty()) {
            throw CapstanException.invalidParameter("Model is missing inputs " + missing + ".");
        }
        for (ModelSignature.Spec spec : specs) {
            arrays.put(spec.name(), tensor(given.get(spec.name()), spec, "input " + spec.name()));
        }
        return new PyfuncInput.Tensors(arrays);
    }

    private static PyfuncInput.Tensor unnamedTensor(PyfuncInput input, ModelSignature.Spec spec) {
        if (input instanceof PyfuncInput.Tensor tensor) {
            return new PyfuncInput.Tensor(tensor(tensor.array(), spec, "the input"));
        }
        if (input instanceof PyfuncInput.Tensors) {
            throw CapstanException.invalidParameter("Failed to parse input data. This model contains an un-named"
                    + " tensor-based model signature which expects a single n-dimensional array as input, however,"
                    + " an input of named arrays was found; send {\"inputs\": [...]}.");
        }
        PyfuncInput.Frame frame = (PyfuncInput.Frame) input;
        if (frame.columns().size() == 1) {
            return new PyfuncInput.Tensor(reshapeColumn(null, frame.data().get(0), spec));
        }
        int width = frame.columns().size();
        if (spec.shape().size() != 2 || spec.shape().get(0) != -1 || spec.shape().get(1) != width) {
            throw CapstanException.invalidParameter("This model contains a model signature with an unnamed input."
                    + " Since the input data is a data frame containing multiple columns, the input shape must be of"
                    + " the structure [-1, number_of_dataframe_columns]. Instead, the data frame passed had " + width
                    + " columns and the input shape is " + spec.shape() + ".");
        }
        return new PyfuncInput.Tensor(tensor(Frames.matrix(frame), spec, "the input"));
    }

    /** numpy's {@code np.array(data, dtype=spec.type)} followed by MLflow's shape check. */
    private static NdArray tensor(NdArray array, ModelSignature.Spec spec, String what) {
        if (spec.dtype().equals("object") && spec.shape().size() == 1 && spec.shape().get(0) == -1) {
            return array; // Tensor('object', (-1,)) takes anything
        }
        NdArray cast = Casts.cast(array, Casts.Target.ofNumpyType(spec.dtype()), what, spec.dtype());
        List<Long> expected = spec.shape();
        boolean fits = expected.size() == cast.rank();
        for (int i = 0; fits && i < expected.size(); i++) {
            fits = expected.get(i) == -1 || expected.get(i) == cast.dim(i);
        }
        if (!fits) {
            throw CapstanException.invalidParameter("Shape of " + what + " " + cast.shapeText() + " does not match"
                    + " expected shape " + expected + ".");
        }
        return cast;
    }

    /** MLflow's {@code _reshape_and_cast_pandas_column_values}: a frame column made a tensor of the spec's shape. */
    private static NdArray reshapeColumn(String name, NdArray column, ModelSignature.Spec spec) {
        List<Long> shape = spec.shape();
        String which = name == null ? "the unnamed input" : "input " + name;
        if (shape.isEmpty() || shape.get(0) != -1 || shape.subList(1, shape.size()).contains(-1L)) {
            throw CapstanException.invalidParameter("For data frame input, the first dimension of shape must be a"
                    + " variable dimension and other dimensions must be fixed, but in model signature the shape of "
                    + which + " is " + shape + ".");
        }
        long rows = column.dim(0);
        long[] target = new long[shape.size()];
        target[0] = rows;
        long cell = 1;
        for (int i = 1; i < shape.size(); i++) {
            target[i] = shape.get(i);
            cell *= shape.get(i);
        }
        if (column.rank() == 1) {
            if (!(shape.size() == 1 || (shape.size() == 2 && shape.get(1) == 1))) {
                throw CapstanException.invalidParameter("The input data frame column '" + (name == null ? "0" : name)
                        + "' contains scalar values, which requires the shape to be [-1] or [-1, 1], but got tensor"
                        + " spec shape of " + shape + ".");
            }
        } else if (rows * cell != column.size()) {
            throw CapstanException.invalidParameter("The value in the input data frame column '" + (name == null
                    ? "0" : name) + "' could not be converted to the expected shape of " + shape + ". Ensure that each"
                    + " of the input list elements are of uniform length and that the data can be coerced to the"
                    + " tensor type '" + spec.dtype() + "'.");
        }
        return tensor(column.reshape(target), spec, which);
    }

    private static List<String> missingNames(List<ModelSignature.Spec> specs, List<String> given) {
        List<String> missing = new ArrayList<>();
        for (ModelSignature.Spec spec : specs) {
            if (!given.contains(spec.name())) {
                missing.add("'" + spec.name() + "'");
            }
        }
        return missing;
    }
}
