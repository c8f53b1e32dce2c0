package org.mobilenas.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * The project's shared Jackson configuration: strict on input (unknown and duplicate fields, trailing tokens, a
 * fractional number or a string where an integer is expected, a string where a boolean is expected and a number
 * where a name is expected are all errors), stable and
 * readable on output.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            // "8" is not 8 and "true" is not true (doubles keep "NaN", which is how non-finite values are written)
            .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .build();

    private Json() {}

    /** A shared, thread-safe mapper; do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Pretty-printed JSON of any record or value of the project. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot write " + value.getClass().getSimpleName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Checks the envelope every saved document of the project starts with — a JSON object whose {@code format} is
     * {@code format} (or one of {@code earlierFormats}, ids used before the {@code mobile-nas/<thing>} convention)
     * and whose integer {@code version} lies in {@code minVersion..maxVersion} — and returns the version. A
     * mismatch is a {@link JsonFormatException} at path {@code format} or {@code version}: "{@code <what>}: format
     * 'x', expected 'y'" or "{@code <what>}: version v, expected n".
     *
     * @param what names the document in messages (e.g. {@code "latency table out/t.json"})
     */
    public static int checkEnvelope(
            com.fasterxml.jackson.databind.JsonNode root,
            String what,
            String format,
            int minVersion,
            int maxVersion,
            String... earlierFormats) {
        if (root == null || !root.isObject()) {
            throw new JsonFormatException(
                    what + ": expected a JSON object with \"format\": \"" + format + "\"", 0, 0, "", null);
        }
        com.fasterxml.jackson.databind.JsonNode f = root.get("format");
        boolean known = f != null
                && f.isTextual()
                && (format.equals(f.asText())
                        || java.util.Arrays.asList(earlierFormats).contains(f.asText()));
        if (!known) {
            throw new JsonFormatException(
                    what + ": format " + (f == null ? "missing" : f.isTextual() ? "'" + f.asText() + "'" : f.toString())
                            + ", expected '" + format + "'",
                    0,
                    0,
                    "format",
                    null);
        }
        com.fasterxml.jackson.databind.JsonNode v = root.get("version");
        if (v == null || !v.isInt() || v.asInt() < minVersion || v.asInt() > maxVersion) {
            throw new JsonFormatException(
                    what + ": version " + (v == null ? "missing" : v.toString()) + ", expected "
                            + (minVersion == maxVersion ? "" + minVersion : minVersion + ".." + maxVersion)
                            + " (the versions this library reads)",
                    0,
                    0,
                    "version",
                    null);
        }
        return v.asInt();
    }
}
