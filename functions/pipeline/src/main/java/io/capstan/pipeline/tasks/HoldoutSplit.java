package io.capstan.pipeline.tasks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Splits a dataset into training rows and a holdout the trainer never sees, stratified by class and deterministic
 * for a seed: per class (in sorted order), a seeded shuffle holds out {@code round(fraction x rows)} rows, always
 * leaving the class at least one training row and giving it at least one holdout row when it has two or more.
 *
 * @param train   rows for training
 * @param holdout rows for evaluation
 */
public record HoldoutSplit(List<List<String>> train, List<List<String>> holdout) {

    public static HoldoutSplit of(LabelledDataset data, String labelColumn, double fraction, long seed) {
        int label = data.column(labelColumn);
        Map<String, List<List<String>>> byClass = new LinkedHashMap<>();
        data.labelCounts(labelColumn).keySet().forEach(c -> byClass.put(c, new ArrayList<>()));
        data.rows().forEach(row -> byClass.get(row.get(label)).add(row));
        SplittableRandom random = new SplittableRandom(seed);
        List<List<String>> train = new ArrayList<>();
        List<List<String>> holdout = new ArrayList<>();
        for (List<List<String>> rows : byClass.values()) {
            List<List<String>> shuffled = new ArrayList<>(rows);
            for (int i = shuffled.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                List<String> swap = shuffled.get(i);
                shuffled.set(i, shuffled.get(j));
                shuffled.set(j, swap);
            }
            int held = (int) Math.round(fraction * shuffled.size());
            held = Math.min(Math.max(held, shuffled.size() >= 2 ? 1 : 0), shuffled.size() - 1);
            holdout.addAll(shuffled.subList(0, held));
            train.addAll(shuffled.subList(held, shuffled.size()));
        }
        return new HoldoutSplit(train, holdout);
    }
}
