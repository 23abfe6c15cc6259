package io.capstan.trainer.internal;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/** Turns standardized rows into Tribuo examples and datasets; features keep their column names. */
final class TribuoData {

    private static final LabelFactory LABELS = new LabelFactory();

    private TribuoData() {
    }

    /**
     * A training dataset whose provenance names the channel's digest and row count.
     *
     * @param readAt when the data was read, Tribuo's data source creation time
     */
    static MutableDataset<Label> dataset(LabelledRows rows, Standardization scaling, OffsetDateTime readAt) {
        String description = "capstan train channel: " + rows.size() + " rows of " + rows.files()
                + ", sha256=" + rows.sha256() + ", standardized";
        MutableDataset<Label> dataset = new MutableDataset<>(
                new SimpleDataSourceProvenance(description, readAt, LABELS), LABELS);
        dataset.addAll(examples(rows, scaling));
        return dataset;
    }

    static List<Example<Label>> examples(LabelledRows rows, Standardization scaling) {
        String[] names = rows.featureNames().toArray(String[]::new);
        List<Example<Label>> examples = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            examples.add(new ArrayExample<>(new Label(rows.labels().get(i)), names,
                    scaling.apply(rows.features().get(i))));
        }
        return examples;
    }
}
