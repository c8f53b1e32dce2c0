package org.mobilenas.core.train;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mobilenas.core.engine.ParameterStore;

/**
 * The state of a run after a finished epoch: settings fingerprint, epoch, global step, the random state of the next
 * epoch, history, every parameter (running statistics included) and the optimizer's state. Written atomically
 * (temporary file, then rename) as {@value #FILE} in the checkpoint directory.
 */
final class Checkpoint {
    static final String FILE = "checkpoint.bin";
    private static final long MAGIC = 0x4D4E41534B505431L; // "MNASKPT1"
    /** 2: followed by a CRC-32C of everything before it (version 1 files are still read). */
    private static final int VERSION = 2;

    final String fingerprint;
    final int epoch;
    final long step;
    final long nextEpochSeed;
    final List<EpochStats> history;
    final Map<String, float[]> params;
    final Map<String, float[][]> optimizerState;

    Checkpoint(
            String fingerprint,
            int epoch,
            long step,
            long nextEpochSeed,
            List<EpochStats> history,
            Map<String, float[]> params,
            Map<String, float[][]> optimizerState) {
        this.fingerprint = fingerprint;
        this.epoch = epoch;
        this.step = step;
        this.nextEpochSeed = nextEpochSeed;
        this.history = List.copyOf(history);
        this.params = params;
        this.optimizerState = optimizerState;
    }

    static Path file(Path dir) {
        return dir.resolve(FILE);
    }

    static boolean exists(Path dir) {
        return Files.isRegularFile(file(dir));
    }

    void write(Path dir) {
        org.mobilenas.core.io.AtomicFiles.write(file(dir), raw -> {
            java.util.zip.CheckedOutputStream checked =
                    new java.util.zip.CheckedOutputStream(raw, new java.util.zip.CRC32C());
            DataOutputStream out = new DataOutputStream(checked);
            out.writeLong(MAGIC);
            out.writeInt(VERSION);
            writeString(out, fingerprint);
            out.writeInt(epoch);
            out.writeLong(step);
            out.writeLong(nextEpochSeed);
            writeString(out, TrainingResult.mapper().writeValueAsString(history));
            out.writeInt(params.size());
            for (Map.Entry<String, float[]> e : params.entrySet()) {
                writeString(out, e.getKey());
                writeFloats(out, e.getValue());
            }
            out.writeInt(optimizerState.size());
            for (Map.Entry<String, float[][]> e : optimizerState.entrySet()) {
                writeString(out, e.getKey());
                out.writeInt(e.getValue().length);
                for (float[] slot : e.getValue()) {
                    writeFloats(out, slot);
                }
            }
            out.flush();
            new DataOutputStream(raw).writeInt((int) checked.getChecksum().getValue());
        });
    }

    static Checkpoint read(Path dir) {
        Path f = file(dir);
        if (!Files.isRegularFile(f)) {
            throw new IllegalStateException(f + " is not a regular file; expected a training checkpoint");
        }
        try (BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(f), 1 << 16)) {
            java.util.zip.CheckedInputStream checked =
                    new java.util.zip.CheckedInputStream(raw, new java.util.zip.CRC32C());
            DataInputStream in = new DataInputStream(checked);
            if (in.readLong() != MAGIC) {
                throw new IllegalStateException(f + " is not a mobile-nas training checkpoint (bad magic number)");
            }
            int version = in.readInt();
            if (version != 1 && version != VERSION) {
                throw new IllegalStateException(f + ": checkpoint version " + version + ", expected 1.." + VERSION);
            }
            String fingerprint = readString(in);
            int epoch = in.readInt();
            long step = in.readLong();
            long nextSeed = in.readLong();
            List<EpochStats> history =
                    TrainingResult.mapper().readValue(readString(in), new TypeReference<List<EpochStats>>() {});
            int np = in.readInt();
            Map<String, float[]> params = new LinkedHashMap<>();
            for (int i = 0; i < np; i++) {
                params.put(readString(in), readFloats(in));
            }
            int no = in.readInt();
            Map<String, float[][]> opt = new LinkedHashMap<>();
            for (int i = 0; i < no; i++) {
                String name = readString(in);
                int ns = in.readInt();
                if (ns < 0 || ns > 16) {
                    throw new IOException("optimizer state of " + name + ": " + ns + " slots, expected 0..16");
                }
                float[][] slots = new float[ns][];
                for (int s = 0; s < slots.length; s++) {
                    slots[s] = readFloats(in);
                }
                opt.put(name, slots);
            }
            if (version >= 2) {
                long expected = checked.getChecksum().getValue();
                long stored = new DataInputStream(raw).readInt() & 0xFFFFFFFFL;
                if (stored != expected) {
                    throw new IllegalStateException(f + ": checkpoint checksum mismatch (the file is damaged); "
                            + "delete it to restart the run from scratch");
                }
            }
            return new Checkpoint(fingerprint, epoch, step, nextSeed, history, params, opt);
        } catch (EOFException e) {
            throw new IllegalStateException(
                    f + ": truncated checkpoint" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + f + ": " + e.getMessage(), e);
        }
    }

    /** Copies every parameter's values, running statistics included. */
    static Map<String, float[]> snapshot(ParameterStore store) {
        return store.snapshot();
    }

    /** Restores values captured by {@link #snapshot}; names and sizes must match. */
    static void restore(ParameterStore store, Map<String, float[]> values, String source) {
        store.restore(values, source);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        org.mobilenas.core.io.BinaryIO.writeString(out, s);
    }

    private static String readString(DataInputStream in) throws IOException {
        return org.mobilenas.core.io.BinaryIO.readString(in, 1 << 28, "checkpoint string");
    }

    private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        org.mobilenas.core.io.BinaryIO.writeFloats(out, v);
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        return org.mobilenas.core.io.BinaryIO.readFloats(in, in.readInt(), "checkpoint array");
    }
}
