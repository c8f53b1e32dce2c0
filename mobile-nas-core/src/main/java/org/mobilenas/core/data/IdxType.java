package org.mobilenas.core.data;

/**
 * Element types of the IDX file format (third byte of the magic number).
 *
 * <pre>{@code
 * IdxType t = IdxType.fromCode(0x08); // UNSIGNED_BYTE
 * }</pre>
 */
public enum IdxType {
    /** Unsigned 8-bit integers (code 0x08). */
    UNSIGNED_BYTE(0x08, 1),
    /** Signed 8-bit integers (code 0x09). */
    SIGNED_BYTE(0x09, 1),
    /** Big-endian 16-bit integers (code 0x0B). */
    SHORT(0x0B, 2),
    /** Big-endian 32-bit integers (code 0x0C). */
    INT(0x0C, 4),
    /** Big-endian 32-bit floats (code 0x0D). */
    FLOAT(0x0D, 4),
    /** Big-endian 64-bit floats (code 0x0E). */
    DOUBLE(0x0E, 8);

    private final int code;
    private final int bytes;

    IdxType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    /** The type code stored in the file. */
    public int code() {
        return code;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The type with this code, or an {@link IdxFormatException} listing the valid codes. */
    public static IdxType fromCode(int code) {
        for (IdxType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IdxFormatException(String.format(
                "IDX type code 0x%02X is not one of 0x08 (ubyte), 0x09 (byte), 0x0B (short), 0x0C (int), "
                        + "0x0D (float), 0x0E (double)",
                code));
    }
}
