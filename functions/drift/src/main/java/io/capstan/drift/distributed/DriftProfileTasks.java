package io.capstan.drift.distributed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.batch.LineRange;
import io.capstan.drift.CsvTable;
import io.capstan.drift.InvalidDriftInputException;
import io.capstan.drift.monitoring.DriftBuckets;
import io.capstan.drift.monitoring.DriftMonitor;
import io.capstan.drift.monitoring.DriftStorage;
import io.capstan.drift.monitoring.ObjectLocation;
import io.capstan.monitoring.DriftSummary;
import io.capstan.profile.FeatureSpec;
import io.capstan.profile.InvalidProfileException;
import io.capstan.profile.SketchParameters;
import io.capstan.profile.StreamingProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The profile state machine's tasks, by the payload's {@code task}: {@code profile_chunk} streams one chunk's CSV
 * lines into a {@link StreamingProfile} (exact counts, missing counts, moments, range and category counts; a KLL
 * sketch per numeric column) and stores it beside the report; {@code finish} merges the chunks of each side in order
 * and has the monitor compare and record them like any check. The same in Lambda and on the embedded platform.
 */
public final class DriftProfileTasks {
    /** The longest CSV header read. */
    static final int MAX_HEADER_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DriftStorage storage;
    private final DriftMonitor monitor;
    private final DriftBuckets buckets;

    public DriftProfileTasks(DriftStorage storage, DriftMonitor monitor, DriftBuckets buckets) {
        this.storage = storage;
        this.monitor = monitor;
        this.buckets = buckets;
    }

    /**
     * @throws InvalidDriftInputException when a chunk's data cannot be profiled (a column missing, a number that is
     *                                    not one): not worth retrying
     * @throws IllegalArgumentException   when the payload names no task this knows
     */
    public JsonNode run(JsonNode payload) {
        DistributedCheck check = DistributedCheck.fromJson(payload.path("check"));
        return switch (payload.path("task").asText()) {
            case "profile_chunk" -> {
                ProfileChunk chunk = ProfileChunk.fromJson(payload.path("chunk"));
                StreamingProfile profile = profile(check, chunk);
                storage.write(chunkLocation(check, chunk), profile.toBytes(), "application/octet-stream");
                yield JSON.createObjectNode().put("rows", profile.rowCount());
            }
            case "finish" -> {
                List<ProfileChunk> chunks = DistributedChecks.readPlan(storage, check.folder(buckets));
                StreamingProfile current = merged(check, chunks, ProfileChunk.CURRENT).orElseThrow(() ->
                        new IllegalStateException("the check has no chunk of current data"));
                DriftSummary summary = monitor.finishDistributed(check, current, merged(check, chunks,
                        ProfileChunk.REFERENCE));
                yield JSON.createObjectNode().put("report_id", summary.reportId())
                        .put("dataset_drift", summary.datasetDrift()).put("current_rows", summary.currentRows());
            }
            default -> throw new IllegalArgumentException("unknown drift task '" + payload.path("task").asText()
                    + "'; the tasks are profile_chunk and finish");
        };
    }

    /** One chunk's rows, profiled: the object's header says where each column is. */
    StreamingProfile profile(DistributedCheck check, ProfileChunk chunk) {
        ObjectLocation object = new ObjectLocation(chunk.bucket(), chunk.range().key());
        List<String> header = header(object);
        int[] index = CsvTable.columnIndexes(header, check.schema().stream().map(FeatureSpec::name).toList(),
                object.toString());
        try (InputStream in = storage.openRange(object, Math.max(0, chunk.range().start() - 1), chunk.range().end()
                + LineRange.MAX_LINE_BYTES)) {
            return profileLines(in, chunk.range().start(), chunk.range().end(), index, check.schema(),
                    object.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + object, e);
        }
    }

    /**
     * Profiles the CSV lines that start in {@code [start, end)} of a stream beginning at byte {@code max(0, start - 1)}
     * ({@link LineRange}'s contract), skipping the header line (the one at byte 0) and blank lines, with the exact
     * check's rules: fields split as {@link CsvTable} splits them, its missing values missing.
     *
     * @param index  for each column of {@code schema}, its field in a line
     * @param source names the data in errors
     * @throws InvalidDriftInputException when a numeric field is not a number
     */
    public static StreamingProfile profileLines(InputStream in, long start, long end, int[] index,
                                                List<FeatureSpec> schema, String source) throws IOException {
        StreamingProfile profile = StreamingProfile.createForText(schema, SketchParameters.defaults());
        String[] cells = new String[index.length];
        try (LineRange lines = new LineRange(in, start, end)) {
            for (LineRange.Line line = lines.next(); line != null; line = lines.next()) {
                if (line.offset() == 0 || line.text().isBlank()) {
                    continue; // the header, or an empty line
                }
                List<String> fields = CsvTable.split(line.text());
                for (int k = 0; k < index.length; k++) {
                    cells[k] = CsvTable.cell(fields, index[k]);
                }
                try {
                    profile.update(cells);
                } catch (InvalidProfileException e) {
                    throw new InvalidDriftInputException(source + ", the line at byte " + line.offset() + ": "
                            + e.getMessage() + " If the column holds categories, name it in 'categorical'.");
                }
            }
        } catch (IllegalStateException e) {
            // a line longer than LineRange reads: the data's fault, not worth a retry
            throw new InvalidDriftInputException(source + ": " + e.getMessage() + ".");
        }
        return profile;
    }

    /** The first line of {@code object}, as CSV fields. */
    List<String> header(ObjectLocation object) {
        try {
            String first = LineRange.firstLine(storage.openRange(object, 0, MAX_HEADER_BYTES), MAX_HEADER_BYTES)
                    .orElseThrow(() -> new InvalidDriftInputException(object + " has no header line."));
            return CsvTable.split(first).stream().map(String::trim).toList();
        } catch (IllegalArgumentException e) {
            throw new InvalidDriftInputException("The header line of " + object + " is longer than "
                    + MAX_HEADER_BYTES + " bytes.");
        } catch (IOException e) {
            throw new UncheckedIOException("reading the header of " + object, e);
        }
    }

    /** The side's chunk profiles merged in plan order; empty when the side has no chunk. */
    Optional<StreamingProfile> merged(DistributedCheck check, List<ProfileChunk> chunks, String side) {
        StreamingProfile merged = null;
        for (ProfileChunk chunk : chunks) {
            if (!chunk.side().equals(side)) {
                continue;
            }
            byte[] bytes = storage.read(chunkLocation(check, chunk)).orElseThrow(() -> new IllegalStateException(
                    "the profile of chunk " + chunk.range().index() + " (" + side + ") is missing"));
            StreamingProfile profile = StreamingProfile.fromBytes(bytes);
            if (merged == null) {
                merged = profile;
            } else {
                merged.merge(profile);
            }
        }
        return Optional.ofNullable(merged);
    }

    /** Where a chunk's profile is kept: beside the check's report. */
    private ObjectLocation chunkLocation(DistributedCheck check, ProfileChunk chunk) {
        return check.folder(buckets).child("chunks/" + chunk.side() + "-" + String.format(Locale.ROOT, "%05d",
                chunk.range().index()) + ".bin");
    }
}
