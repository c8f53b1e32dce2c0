package org.mobilenas.core.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * Versioned JSON for {@link NetworkSpec}. The document is
 * {@code {"format": "mobile-nas/network", "version": 1, "network": {...}}}; blocks carry a {@code "type"}
 * ({@code conv}, {@code separable}, {@code mbconv}, {@code shuffle_v1}, {@code shuffle_v2}, {@code pool},
 * {@code global_pool}). Reading is strict: unknown fields, wrong types, bad values and invalid networks are
 * reported as {@link JsonFormatException} with line, column and the path of the field.
 *
 * <pre>{@code
 * String json = SpecJson.toJson(spec);
 * NetworkSpec same = SpecJson.fromJson(json);   // same.equals(spec)
 * }</pre>
 */
public final class SpecJson {
    /** Format tag of a network document. */
    public static final String FORMAT = "mobile-nas/network";
    /** Version written by this library; versions up to this one are read. */
    public static final int VERSION = 1;

    private SpecJson() {}

    /** The spec as JSON in the {@code mobile-nas/network-spec} format. */
    public static String toJson(NetworkSpec spec) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.set("network", Json.mapper().valueToTree(spec));
        return Json.write(root);
    }

    /** Writes the spec as JSON to {@code file}. */
    public static void write(NetworkSpec spec, Path file) {
        try {
            Files.writeString(file, toJson(spec), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write network spec " + file + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    e);
        }
    }

    /** Reads a spec written by {@link #write}; a malformed file is a {@link JsonFormatException} naming the place. */
    public static NetworkSpec read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read network spec " + file + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    e);
        }
        return fromJson(text);
    }

    /** Parses a spec from the JSON of {@link #toJson}; malformed JSON is a {@link JsonFormatException} naming the place. */
    public static NetworkSpec fromJson(String json) {
        if (json == null || json.isBlank()) {
            throw new JsonFormatException(
                    "empty document, expected {\"format\": \"" + FORMAT + "\", ...}", 0, 0, "", null);
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw translate(e, "");
        }
        if (root == null || !root.isObject()) {
            throw new JsonFormatException(
                    "expected a JSON object with fields format, version, network", 1, 1, "", null);
        }
        checkEnvelope(root);
        Iterator<String> names = root.fieldNames();
        while (names.hasNext()) {
            String f = names.next();
            if (!f.equals("format") && !f.equals("version") && !f.equals("network")) {
                throw new JsonFormatException(
                        "unknown field '" + f + "', expected format, version, network", 0, 0, f, null);
            }
        }
        try {
            // Re-parse the network part from the original text so locations refer to the document.
            com.fasterxml.jackson.core.JsonParser p = Json.mapper().createParser(json);
            p.nextToken();
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                if (f.equals("network")) {
                    return Json.mapper()
                            .readerFor(NetworkSpec.class)
                            .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                            .readValue(p);
                }
                p.skipChildren();
            }
            throw new JsonFormatException("missing field 'network'", 0, 0, "", null);
        } catch (JsonProcessingException e) {
            throw translate(e, "network");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void checkEnvelope(JsonNode root) {
        Json.checkEnvelope(root, "network spec", FORMAT, 1, VERSION);
    }

    /** Turns a Jackson problem into a message with line, column, field path and the cause in plain words. */
    static JsonFormatException translate(JsonProcessingException e, String root) {
        JsonLocation loc = e.getLocation();
        int line = loc == null ? 0 : loc.getLineNr();
        int col = loc == null ? 0 : loc.getColumnNr();
        String path = root;
        if (e instanceof JsonMappingException m) {
            path = path(root, m);
        }
        String problem;
        if (e instanceof ValueInstantiationException vi && vi.getCause() != null) {
            problem = vi.getCause().getMessage();
        } else if (e instanceof UnrecognizedPropertyException u) {
            problem = "unknown field '" + u.getPropertyName() + "'; known fields: " + u.getKnownPropertyIds();
        } else if (e instanceof InvalidTypeIdException t) {
            problem = "unknown or missing block type " + (t.getTypeId() == null ? "" : "'" + t.getTypeId() + "' ")
                    + "(expected one of conv, separable, mbconv, shuffle_v1, shuffle_v2, pool, global_pool)";
        } else if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mi
                && mi.getOriginalMessage().startsWith("Cannot map `null`")) {
            problem = "missing value (expected "
                    + (mi.getTargetType() == null
                            ? "a number"
                            : mi.getTargetType().getSimpleName()) + ")";
        } else if (e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException f) {
            problem = "value " + f.getValue() + " is not a valid "
                    + (f.getTargetType() == null ? "value" : f.getTargetType().getSimpleName())
                    + (f.getTargetType() != null && f.getTargetType().isEnum()
                            ? " (expected one of "
                                    + java.util.Arrays.toString(
                                            f.getTargetType().getEnumConstants()) + ")"
                            : "");
        } else {
            problem = e.getOriginalMessage();
        }
        return new JsonFormatException(problem, line, col, path, e);
    }

    private static String path(String root, JsonMappingException m) {
        StringBuilder sb = new StringBuilder(root);
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}
