package org.mobilenas.core.engine.kernels;

/**
 * Per-thread grow-only work buffers, so kernels need no allocation once shapes repeat. A buffer obtained with
 * a slot number stays valid until the same thread asks for the same slot again.
 *
 * <pre>{@code
 * float[] cols = Scratch.floats(Scratch.IM2COL, rows * k);
 * }</pre>
 */
public final class Scratch {
    /** Slot for im2col columns. */
    public static final int IM2COL = 0;
    /** Slot for column gradients. */
    public static final int COL_GRAD = 1;
    /** Slot for a packed (transposed) GEMM operand A. */
    public static final int GEMM_A = 2;
    /** Slot for a packed (transposed) GEMM operand B. */
    public static final int GEMM_B = 3;
    /** Slot for repacked weights. */
    public static final int WEIGHTS = 4;
    /** Slot for per-part partial sums. */
    public static final int PARTIALS = 5;

    private static final int SLOTS = 6;
    /** Row-array slot for packed GEMM operand B. */
    public static final int ROWS_B = 0;
    /** Row-array slot for GEMM accumulators. */
    public static final int ROWS_ACC = 1;
    /** Row-array slot for repacked (per-tap) weights. */
    public static final int ROWS_W = 2;
    /** Row-array slot for per-thread staging rows. */
    public static final int ROWS_TMP = 3;

    private static final int ROW_SLOTS = 4;

    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[SLOTS][0]);
    private static final ThreadLocal<float[][][]> ROWS = ThreadLocal.withInitial(() -> new float[ROW_SLOTS][0][0]);

    private Scratch() {}

    /** A float buffer of at least {@code size} elements for this thread and slot (contents unspecified). */
    public static float[] floats(int slot, int size) {
        float[][] b = BUFFERS.get();
        if (b[slot].length < size) {
            b[slot] = new float[Math.max(size, b[slot].length + b[slot].length / 2)];
        }
        return b[slot];
    }

    /**
     * At least {@code rows} separate arrays of at least {@code cols} elements each for this thread and slot.
     * Separate zero-offset rows let C2 vectorise loops that combine several of them.
     */
    public static float[][] rows(int slot, int rows, int cols) {
        float[][][] all = ROWS.get();
        float[][] r = all[slot];
        if (r.length < rows || (r.length > 0 && r[0].length < cols)) {
            int width = Math.max(cols, r.length > 0 ? r[0].length : 0);
            float[][] grown = new float[Math.max(rows, r.length)][];
            for (int i = 0; i < grown.length; i++) {
                grown[i] = new float[width];
            }
            all[slot] = grown;
            r = grown;
        }
        return r;
    }
}
