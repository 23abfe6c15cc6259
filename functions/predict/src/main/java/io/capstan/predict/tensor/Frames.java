package io.capstan.predict.tensor;

import io.capstan.error.CapstanException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Data frames made from other inputs and taken apart again, as pandas does for MLflow. */
final class Frames {
    private Frames() {
    }

    /**
     * {@code input} as a data frame: named arrays become columns (scalars broadcast, arrays of rank above 1 become
     * one array per row), one array becomes its columns. A two-dimensional array with one column per signature column
     * takes the signature's names, in order (MLflow would name its columns 0, 1, … and find the signature's missing).
     *
     * @param names the signature's column names, in order; empty when it names none
     */
    static PyfuncInput.Frame of(PyfuncInput input, List<String> names) {
        if (input instanceof PyfuncInput.Frame frame) {
            return frame;
        }
        if (input instanceof PyfuncInput.Tensors tensors) {
            return ofNamed(tensors.arrays());
        }
        NdArray array = ((PyfuncInput.Tensor) input).array();
        if (names.size() == 1 && array.rank() >= 1) {
            return ofNamed(Map.of(names.get(0), array));
        }
        if (array.rank() == 0) {
            return new PyfuncInput.Frame(List.of("0"), List.of(array.reshape(new long[]{1})), 1);
        }
        if (array.rank() == 1) {
            return new PyfuncInput.Frame(List.of("0"), List.of(array), (int) array.dim(0));
        }
        if (array.rank() > 2) {
            throw CapstanException.invalidParameter("The input is an array of shape " + array.shapeText() + "; a data"
                    + " frame is made from rows of values (an array of rank 2), as the model's column signature"
                    + " needs.");
        }
        int rows = (int) array.dim(0);
        int width = (int) array.dim(1);
        List<String> columns = new ArrayList<>();
        List<NdArray> data = new ArrayList<>();
        for (int c = 0; c < width; c++) {
            columns.add(names.size() == width ? names.get(c) : Integer.toString(c));
            Scalars values = new Scalars(rows);
            for (int r = 0; r < rows; r++) {
                values.addFrom(array.values(), r * width + c);
            }
            data.add(new NdArray(new long[]{rows}, values));
        }
        return new PyfuncInput.Frame(columns, data, rows);
    }

    private static PyfuncInput.Frame ofNamed(Map<String, NdArray> arrays) {
        long rows = -1;
        String first = null;
        for (Map.Entry<String, NdArray> entry : arrays.entrySet()) {
            NdArray array = entry.getValue();
            if (array.rank() == 0) {
                continue;
            }
            if (rows < 0) {
                rows = array.dim(0);
                first = entry.getKey();
            } else if (array.dim(0) != rows) {
                throw CapstanException.invalidParameter("All arrays must be of the same length: '" + first + "' has "
                        + rows + " values and '" + entry.getKey() + "' has " + array.dim(0) + ".");
            }
        }
        if (rows < 0) {
            rows = 1; // only scalars: one row
        }
        List<String> columns = new ArrayList<>();
        List<NdArray> data = new ArrayList<>();
        for (Map.Entry<String, NdArray> entry : arrays.entrySet()) {
            NdArray array = entry.getValue();
            if (array.rank() == 0) {
                Scalars values = new Scalars((int) rows);
                for (int r = 0; r < rows; r++) {
                    values.addFrom(array.values(), 0);
                }
                array = new NdArray(new long[]{rows}, values);
            }
            columns.add(entry.getKey());
            data.add(array);
        }
        return new PyfuncInput.Frame(columns, data, (int) rows);
    }

    /** A frame of scalar columns as one {@code [rows, columns]} array: pandas' {@code DataFrame.values}. */
    static NdArray matrix(PyfuncInput.Frame frame) {
        int rows = frame.rows();
        int width = frame.columns().size();
        Scalars values = new Scalars(rows * width);
        for (int c = 0; c < width; c++) {
            if (frame.data().get(c).rank() != 1) {
                throw CapstanException.invalidParameter("Column '" + frame.columns().get(c) + "' holds an array of"
                        + " shape " + NdArray.text(cellShape(frame.data().get(c))) + " per row; to feed the model's"
                        + " one input, every column of the data frame must hold one value per row.");
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                values.addFrom(frame.data().get(c).values(), r);
            }
        }
        return new NdArray(new long[]{rows, width}, values);
    }

    static long[] cellShape(NdArray column) {
        long[] shape = column.shape();
        return java.util.Arrays.copyOfRange(shape, 1, shape.length);
    }
}
