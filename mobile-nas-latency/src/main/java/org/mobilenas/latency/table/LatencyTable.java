package org.mobilenas.latency.table;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.mobilenas.core.io.AtomicFiles;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.json.JsonFormatException;
import org.mobilenas.latency.LayerKey;
import org.mobilenas.latency.measure.DeviceInfo;

/**
 * A latency lookup table of one device: the latency of each measured {@link LayerKey}, the fitted scale and
 * per-network overhead (a network's latency is {@code scale × Σ layers + overhead}, see {@link #calibratedMs}), and
 * the end-to-end measurements they were fitted on. Immutable; persisted as versioned JSON
 * ({@value #FORMAT}, version {@value #VERSION}; version 2 files, whose overhead is never negative, are read too)
 * with the device's metadata.
 *
 * <pre>{@code
 * LatencyTable table = LatencyTable.read(Path.of("v2-space.latency.json"));
 * table.checkDevice(LatencyMeasurers.select().device(), DeviceCheck.REFUSE);
 * LatencyModel model = TableLatencyModel.of(table);
 * }</pre>
 */
public final class LatencyTable {
    /** Value of the {@code format} field of a table file. */
    public static final String FORMAT = "mobile-nas/latency-table";
    /** The format id of tables written before the {@code mobile-nas/<thing>} convention, still read. */
    static final String LEGACY_FORMAT = "mobile-nas-latency-table";
    /** Version of the table file format written by this class. */
    public static final int VERSION = 3;
    /** The oldest version still read. */
    static final int MIN_VERSION = 2;

    private final DeviceInfo device;
    private final double scale;
    private final double overheadMs;
    private final List<Calibration> calibration;
    /** With a negative overhead: the smallest calibration network's layer sum, below which predictions are scaled. */
    private final double floorLayersMs;

    private final Map<LayerKey, Entry> entries;

    /**
     * The latency of one key, measured as {@code probeMs - baseMs} (see {@link org.mobilenas.latency.Probes}),
     * never below 0.
     *
     * @param key      the key
     * @param ms       latency of the layer, milliseconds
     * @param probeMs  median latency of the probe network
     * @param baseMs   median latency of the base network
     * @param spreadMs inter-quartile range of the probe's samples
     * @param samples  timed samples of the probe
     */
    public record Entry(LayerKey key, double ms, double probeMs, double baseMs, double spreadMs, int samples) {
        /** Checks the components (a bad one is an error naming it). */
        public Entry {
            Objects.requireNonNull(key, "entry.key");
            nonNegative("entry.ms", ms);
            nonNegative("entry.probeMs", probeMs);
            nonNegative("entry.baseMs", baseMs);
            nonNegative("entry.spreadMs", spreadMs);
            if (samples < 0) {
                throw new IllegalArgumentException("entry.samples " + samples + " must be >= 0");
            }
        }

        /** An entry of a known latency (no probe measurements). */
        public static Entry of(LayerKey key, double ms) {
            return new Entry(key, ms, ms, 0, 0, 0);
        }
    }

    /**
     * One end-to-end measurement used to fit the overhead.
     *
     * @param network  the network's name
     * @param measuredMs measured end-to-end latency
     * @param layersMs sum of the table's layer latencies for the network
     */
    public record Calibration(String network, double measuredMs, double layersMs) {
        /** Checks the components (a bad one is an error naming it). */
        public Calibration {
            Objects.requireNonNull(network, "calibration.network");
            nonNegative("calibration.measuredMs", measuredMs);
            nonNegative("calibration.layersMs", layersMs);
        }
    }

    /** The JSON document. */
    record Document(
            String format,
            int version,
            DeviceInfo device,
            Double scale,
            double overheadMs,
            List<Calibration> calibration,
            List<Entry> entries) {}

    private LatencyTable(
            DeviceInfo device,
            double scale,
            double overheadMs,
            List<Calibration> calibration,
            Map<LayerKey, Entry> entries) {
        this.device = Objects.requireNonNull(device, "device");
        if (!Double.isFinite(scale) || scale <= 0) {
            throw new IllegalArgumentException("scale " + scale + " must be a finite number > 0");
        }
        if (!Double.isFinite(overheadMs)) {
            throw new IllegalArgumentException("overheadMs " + overheadMs + " must be a finite number");
        }
        double floor = smallestLayersMs(calibration);
        if (overheadMs < 0) {
            if (floor == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("overheadMs " + overheadMs + " is negative without the calibration "
                        + "networks it was fitted on: expected >= 0, or calibration measurements with layersMs > 0");
            }
            if (scale + overheadMs / floor <= 0) {
                throw new IllegalArgumentException("overheadMs " + overheadMs + " with scale " + scale
                        + " predicts " + (scale * floor + overheadMs) + " ms for the smallest calibration network ("
                        + floor + " ms of layers): expected a positive latency");
            }
        }
        this.scale = scale;
        this.overheadMs = overheadMs;
        this.calibration = List.copyOf(calibration);
        this.floorLayersMs = overheadMs < 0 ? floor : 0;
        this.entries = entries;
    }

    /** The smallest positive layer sum among {@code calibration}; infinity when there is none. */
    static double smallestLayersMs(List<Calibration> calibration) {
        double floor = Double.POSITIVE_INFINITY;
        for (Calibration c : calibration) {
            if (c.layersMs() > 0) {
                floor = Math.min(floor, c.layersMs());
            }
        }
        return floor;
    }

    private static void nonNegative(String field, double v) {
        if (!Double.isFinite(v) || v < 0) {
            throw new IllegalArgumentException(field + " " + v + " must be a finite number >= 0");
        }
    }

    /** An empty table of {@code device}. */
    public static LatencyTable empty(DeviceInfo device) {
        return new LatencyTable(device, 1, 0, List.of(), new LinkedHashMap<>());
    }

    /** A table of {@code device} holding {@code entries} (keys must be unique) and an overhead. */
    public static LatencyTable of(DeviceInfo device, Collection<Entry> entries, double overheadMs) {
        return empty(device).withAll(entries).withOverhead(overheadMs, List.of());
    }

    /** The device the table was measured on. */
    public DeviceInfo device() {
        return device;
    }

    /**
     * Factor applied to the sum of a network's layer latencies, fitted with the overhead on end-to-end
     * measurements: layers measured in isolation run a little slower or faster than inside a network (caches,
     * just-in-time compilation). 1 when not fitted.
     */
    public double scale() {
        return scale;
    }

    /**
     * Per-network overhead added to every prediction, milliseconds. Positive: a fixed cost per inference. Negative:
     * networks slow down more than in proportion to their layers as they grow (their weights no longer stay in the
     * caches that hold a layer measured alone); the line {@code scale × layers + overhead} then holds from the
     * smallest calibration network up, and smaller networks are predicted in proportion (see {@link #calibratedMs}).
     */
    public double overheadMs() {
        return overheadMs;
    }

    /**
     * The end-to-end latency of a network whose layers sum to {@code layersMs} in this table: {@code scale ×
     * layersMs + overhead}; with a negative overhead, below the smallest calibration network's layer sum {@code
     * f}, {@code layersMs × (scale + overhead / f)} instead (continuous at {@code f}, 0 for no layers).
     */
    public double calibratedMs(double layersMs) {
        if (overheadMs >= 0) {
            return scale * layersMs + overheadMs;
        }
        return layersMs * (scale + overheadMs / Math.max(layersMs, floorLayersMs));
    }

    /** The end-to-end measurements the scale and overhead were fitted on. */
    public List<Calibration> calibration() {
        return calibration;
    }

    /** Entries in insertion order. */
    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /** Number of keys. */
    public int size() {
        return entries.size();
    }

    /** Whether {@code key} was measured. */
    public boolean contains(LayerKey key) {
        return entries.containsKey(key);
    }

    /** The entry of {@code key}, or null. */
    public Entry entry(LayerKey key) {
        return entries.get(key);
    }

    /** This table plus {@code e}; an entry of the same key is replaced. */
    public LatencyTable with(Entry e) {
        return withAll(List.of(e));
    }

    /** This table plus {@code more}; entries of the same keys are replaced. */
    public LatencyTable withAll(Collection<Entry> more) {
        Map<LayerKey, Entry> copy = new LinkedHashMap<>(entries);
        for (Entry e : more) {
            copy.put(Objects.requireNonNull(e, "entry").key(), e);
        }
        return new LatencyTable(device, scale, overheadMs, calibration, copy);
    }

    /** This table with another overhead and the measurements it was fitted on (the scale is kept). */
    public LatencyTable withOverhead(double ms, List<Calibration> fittedOn) {
        return new LatencyTable(device, scale, ms, fittedOn, entries);
    }

    /** This table with another scale and overhead, and the measurements they were fitted on. */
    public LatencyTable withCalibration(double newScale, double ms, List<Calibration> fittedOn) {
        return new LatencyTable(device, newScale, ms, fittedOn, entries);
    }

    /**
     * Compares this table's device with {@code current}: nothing happens when they are the same device;
     * otherwise {@link DeviceCheck#REFUSE} throws, {@link DeviceCheck#WARN} logs a warning.
     */
    public void checkDevice(DeviceInfo current, DeviceCheck check) {
        checkDevice(
                current,
                check,
                msg -> System.getLogger(LatencyTable.class.getName()).log(Level.WARNING, msg));
    }

    /** As {@link #checkDevice(DeviceInfo, DeviceCheck)}, sending a warning to {@code warnings}. */
    public void checkDevice(DeviceInfo current, DeviceCheck check, Consumer<String> warnings) {
        Objects.requireNonNull(current, "current device");
        Objects.requireNonNull(check, "check");
        if (check == DeviceCheck.IGNORE || device.sameDevice(current)) {
            return;
        }
        String msg = "latency table measured on '" + device.name() + "' (" + device.measurer() + ", "
                + device.threads() + " threads, " + device.date() + ") used for '" + current.name() + "' ("
                + current.measurer() + ", " + current.threads() + " threads): " + device.differences(current);
        if (check == DeviceCheck.REFUSE) {
            throw new IllegalStateException(
                    msg + "; measure a table on this device, or allow it with " + "DeviceCheck.WARN");
        }
        warnings.accept(msg);
    }

    /** The table as a JSON document. */
    public String toJson() {
        return Json.write(new Document(
                FORMAT, VERSION, device, scale, overheadMs, calibration, new ArrayList<>(entries.values())));
    }

    /** Writes the table to {@code file} atomically (a temporary file in the same directory, then a rename). */
    public void write(Path file) {
        AtomicFiles.writeString(file, toJson());
    }

    /** Reads a table written by {@link #write(Path)}; a corrupt or other-version file is a clear error. */
    public static LatencyTable read(Path file) {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("latency table " + file + " is not a regular file (a directory, device "
                    + "or pipe); expected a JSON file");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read latency table " + file + ": " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                    e);
        }
        return fromJson(text, file.toString());
    }

    /** Parses a table document; {@code source} names it in errors. */
    public static LatencyTable fromJson(String json, String source) {
        String where = "latency table " + source + ": ";
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw located(where + "not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode version = root == null ? null : root.get("version");
        if (version != null && version.isInt() && version.asInt() == 1) {
            throw new JsonFormatException(
                    where + "version 1, expected " + VERSION + ": version 1 keys have no shortcut kind, measure the "
                            + "table again",
                    0,
                    0,
                    "version",
                    null);
        }
        Json.checkEnvelope(
                root,
                where.endsWith(": ") ? where.substring(0, where.length() - 2) : where,
                FORMAT,
                MIN_VERSION,
                VERSION,
                LEGACY_FORMAT);
        Document d;
        try {
            d = Json.mapper().treeToValue(root, Document.class);
        } catch (JsonProcessingException e) {
            throw located(where + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new JsonFormatException(where + e.getMessage(), 0, 0, "", e);
        }
        if (d.device() == null) {
            throw new JsonFormatException(where + "device is missing", 0, 0, "device", null);
        }
        Map<LayerKey, Entry> map = new LinkedHashMap<>();
        List<Entry> list = d.entries() == null ? List.of() : d.entries();
        for (int i = 0; i < list.size(); i++) {
            Entry e = list.get(i);
            if (e == null) {
                throw new JsonFormatException(where + "entry is null", 0, 0, "entries[" + i + "]", null);
            }
            if (map.put(e.key(), e) != null) {
                throw new JsonFormatException(
                        where + "duplicate key [" + e.key() + "]", 0, 0, "entries[" + i + "].key", null);
            }
        }
        try {
            return new LatencyTable(
                    d.device(),
                    d.scale() == null ? 1.0 : d.scale(),
                    d.overheadMs(),
                    d.calibration() == null ? List.of() : d.calibration(),
                    map);
        } catch (IllegalArgumentException e) {
            throw new JsonFormatException(where + e.getMessage(), 0, 0, "", e);
        }
    }

    private static JsonFormatException located(String problem, JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        String path = "";
        if (e instanceof JsonMappingException m) {
            StringBuilder sb = new StringBuilder();
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    sb.append(sb.length() > 0 ? "." : "").append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    sb.append('[').append(r.getIndex()).append(']');
                }
            }
            path = sb.toString();
        }
        return new JsonFormatException(
                problem, loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr(), path, e);
    }

    @Override
    public String toString() {
        return "LatencyTable[" + device.name() + ", " + entries.size() + " keys, scale " + scale + ", overhead "
                + overheadMs + " ms]";
    }
}
