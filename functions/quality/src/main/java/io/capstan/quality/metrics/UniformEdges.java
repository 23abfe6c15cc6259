package io.capstan.quality.metrics;

/** Bin edges as {@code numpy.linspace(first, last, bins + 1)} computes them: i * step + first, the last exact. */
final class UniformEdges {

    private UniformEdges() {
    }

    static double[] of(double first, double last, int bins) {
        double step = (last - first) / bins;
        double[] edges = new double[bins + 1];
        for (int i = 0; i < bins; i++) {
            edges[i] = i * step + first;
        }
        edges[bins] = last;
        return edges;
    }
}
