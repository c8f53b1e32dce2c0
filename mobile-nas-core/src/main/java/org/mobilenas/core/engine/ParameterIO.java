package org.mobilenas.core.engine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;

/**
 * A simple versioned binary format for a {@link ParameterStore}: magic {@code "MNPS"}, format version, parameter
 * count, then for every parameter its name (UTF), role name (UTF), rank, dimensions and float32 values, all
 * big-endian, and (version 2) a CRC-32C of everything before it. Reading verifies the checksum, refuses lengths
 * the data does not hold and non-finite values; loading into an existing store checks that names, order, roles
 * and shapes agree and reports the first mismatch.
 *
 * <pre>{@code
 * try (OutputStream out = Files.newOutputStream(file)) { ParameterIO.write(network.parameters(), out); }
 * try (InputStream in = Files.newInputStream(file)) { ParameterIO.load(in, other.parameters()); }
 * }</pre>
 */
public final class ParameterIO {
    /** {@code "MNPS"}. */
    public static final int MAGIC = 0x4D4E5053;
    /** Current format version (2: with checksum; version 1 files are still read). */
    public static final int VERSION = 2;

    private ParameterIO() {}

    /** Writes every parameter (running statistics included); the stream is flushed, not closed. */
    public static void write(ParameterStore store, OutputStream out) {
        try {
            java.util.zip.CheckedOutputStream checked =
                    new java.util.zip.CheckedOutputStream(out, new java.util.zip.CRC32C());
            DataOutputStream d = new DataOutputStream(checked);
            d.writeInt(MAGIC);
            d.writeInt(VERSION);
            d.writeInt(store.all().size());
            for (Param p : store.all()) {
                d.writeUTF(p.name());
                d.writeUTF(p.role().name());
                int[] shape = p.shape();
                d.writeInt(shape.length);
                for (int s : shape) {
                    d.writeInt(s);
                }
                org.mobilenas.core.io.BinaryIO.writeFloats(d, p.value());
            }
            d.flush();
            new DataOutputStream(out).writeInt((int) checked.getChecksum().getValue());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing parameters", e);
        }
    }

    /** Reads a store written by {@link #write}; the stream is not closed. */
    public static ParameterStore read(InputStream in) {
        ParameterStore store = new ParameterStore();
        try {
            java.util.zip.CheckedInputStream checked =
                    new java.util.zip.CheckedInputStream(in, new java.util.zip.CRC32C());
            DataInputStream d = new DataInputStream(checked);
            int magic = d.readInt();
            if (magic != MAGIC) {
                throw new IllegalArgumentException(
                        String.format("parameter file: magic 0x%08X, expected 0x%08X (\"MNPS\")", magic, MAGIC));
            }
            int version = d.readInt();
            if (version != 1 && version != VERSION) {
                throw new IllegalArgumentException("parameter file: version " + version + ", expected 1.." + VERSION);
            }
            int count = d.readInt();
            if (count < 0) {
                throw new IllegalArgumentException("parameter file: count " + count + " must be >= 0");
            }
            for (int k = 0; k < count; k++) {
                String name = d.readUTF();
                String roleName = d.readUTF();
                Param.Role role;
                try {
                    role = Param.Role.valueOf(roleName);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("parameter file: " + name + " has role '" + roleName
                            + "', expected one of " + Arrays.toString(Param.Role.values()));
                }
                int rank = d.readInt();
                if (rank < 1 || rank > 8) {
                    throw new IllegalArgumentException(
                            "parameter file: " + name + " has rank " + rank + ", expected 1..8");
                }
                int[] shape = new int[rank];
                long size = 1;
                for (int i = 0; i < rank; i++) {
                    shape[i] = d.readInt();
                    if (shape[i] <= 0) {
                        throw new IllegalArgumentException("parameter file: " + name + " has shape "
                                + Arrays.toString(shape) + " with a non-positive dimension");
                    }
                    size *= shape[i];
                }
                if (size > Integer.MAX_VALUE / 4) {
                    throw new IllegalArgumentException("parameter file: " + name + " has " + size
                            + " values: expected at most " + Integer.MAX_VALUE / 4);
                }
                float[] v = org.mobilenas.core.io.BinaryIO.readFloats(d, size, "parameter file: " + name);
                int bad = org.mobilenas.core.io.BinaryIO.firstNonFinite(v);
                if (bad >= 0) {
                    throw new IllegalArgumentException("parameter file: " + name + " holds the non-finite value "
                            + v[bad] + " at index " + bad + "; expected finite weights");
                }
                store.add(new Param(name, role, shape, v));
            }
            if (version >= 2) {
                long expected = checked.getChecksum().getValue();
                long stored = new DataInputStream(in).readInt() & 0xFFFFFFFFL;
                if (stored != expected) {
                    throw new IllegalArgumentException(String.format(
                            "parameter file: checksum mismatch (stored " + "%08x, computed %08x): the file is damaged",
                            stored, expected));
                }
            }
        } catch (EOFException e) {
            throw new IllegalArgumentException(
                    "parameter file: truncated (unexpected end of data"
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")",
                    e);
        } catch (IOException e) {
            throw new IllegalArgumentException("parameter file: " + e.getMessage(), e);
        }
        return store;
    }

    /** Reads a store and copies its values into {@code target} (see {@link #copy}). */
    public static void load(InputStream in, ParameterStore target) {
        copy(read(in), target);
    }

    /**
     * Copies every value of {@code source} into {@code target}. Both must hold the same parameters in the same
     * order with the same roles and shapes; otherwise nothing is copied and the first difference is reported.
     */
    public static void copy(ParameterStore source, ParameterStore target) {
        Iterator<Param> s = source.all().iterator();
        Iterator<Param> t = target.all().iterator();
        int index = 0;
        while (s.hasNext() || t.hasNext()) {
            if (!s.hasNext()) {
                throw new IllegalArgumentException("parameter " + index + ": source ends, target expects '"
                        + t.next().name() + "' (source has " + source.all().size() + " parameters, target "
                        + target.all().size() + ")");
            }
            Param a = s.next();
            if (!t.hasNext()) {
                throw new IllegalArgumentException("parameter " + index + ": source has '" + a.name()
                        + "', target has no more parameters (source has "
                        + source.all().size()
                        + ", target " + target.all().size() + ")");
            }
            Param b = t.next();
            if (!a.name().equals(b.name())) {
                throw new IllegalArgumentException(
                        "parameter " + index + ": name '" + a.name() + "', expected '" + b.name() + "'");
            }
            if (a.role() != b.role()) {
                throw new IllegalArgumentException(
                        "parameter " + a.name() + ": role " + a.role() + ", expected " + b.role());
            }
            if (!Arrays.equals(a.shape(), b.shape())) {
                throw new IllegalArgumentException("parameter " + a.name() + ": shape " + Arrays.toString(a.shape())
                        + ", expected " + Arrays.toString(b.shape()));
            }
            index++;
        }
        for (Param a : source.all()) {
            target.get(a.name()).set(a.value());
        }
    }
}
