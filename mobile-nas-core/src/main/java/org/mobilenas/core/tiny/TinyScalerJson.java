package org.mobilenas.core.tiny;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.json.JsonFormatException;
import org.mobilenas.core.json.SpecJson;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.Scaling;

/**
 * Versioned JSON of a {@link TinyScaler}:
 * <pre>{@code
 * {"format": "mobile-nas/tiny-scaler", "version": 1, "cost": "macs", "baseCost": 3.858e8, "tolerance": 0.03,
 *  "topFraction": 0.25, "rules": {...}, "compound": {...}, "ranges": {...}, "base": {network document},
 *  "formula": {"input": "ln(c)", "resolution": {"kernel": {...}, "x": [...], "y": [...]}, "depth": {...}}}
 * }</pre>
 * Reading is strict: a wrong format tag or version, a missing or unknown field, or a bad value is a
 * {@link JsonFormatException} naming the field.
 */
final class TinyScalerJson {
    static final String FORMAT = "mobile-nas/tiny-scaler";
    static final int VERSION = 1;
    private static final Set<String> FIELDS = Set.of(
            "format",
            "version",
            "cost",
            "baseCost",
            "tolerance",
            "topFraction",
            "rules",
            "compound",
            "ranges",
            "base",
            "formula");

    private TinyScalerJson() {}

    static String write(TinyScaler s) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("cost", s.costName());
        root.put("baseCost", s.baseCost());
        root.put("tolerance", s.tolerance());
        root.put("topFraction", s.topFraction());
        root.set("rules", Json.mapper().valueToTree(s.rules()));
        root.set("compound", Json.mapper().valueToTree(s.compound()));
        root.set("ranges", Json.mapper().valueToTree(s.ranges()));
        root.set("base", tree(SpecJson.toJson(s.base())));
        if (s.formula() == null) {
            root.putNull("formula");
        } else {
            ObjectNode f = root.putObject("formula");
            f.put("input", s.formula().input());
            f.set("resolution", gp(s.formula().resolution()));
            f.set("depth", gp(s.formula().depth()));
        }
        return Json.write(root);
    }

    private static ObjectNode gp(GaussianProcess g) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.set("kernel", Json.mapper().valueToTree(g.kernel()));
        ArrayNode x = n.putArray("x");
        for (double v : g.x()) {
            x.add(v);
        }
        ArrayNode y = n.putArray("y");
        for (double v : g.y()) {
            y.add(v);
        }
        return n;
    }

    static void save(TinyScaler s, Path file) {
        if (file == null) {
            throw new IllegalArgumentException("file is missing");
        }
        try {
            Files.writeString(file, write(s), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tiny scaler " + file + ": " + e.getMessage(), e);
        }
    }

    static String text(Path file) {
        if (file == null) {
            throw new IllegalArgumentException("file is missing");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tiny scaler " + file + ": " + e.getMessage(), e);
        }
    }

    static TinyScaler read(String json, String costName, ToDoubleFunction<NetworkSpec> cost) {
        if (json == null || json.isBlank()) {
            throw new JsonFormatException(
                    "empty document, expected {\"format\": \"" + FORMAT + "\", ...}", 0, 0, "", null);
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new JsonFormatException(
                    "not valid JSON: " + e.getOriginalMessage(),
                    e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    e.getLocation() == null ? 0 : e.getLocation().getColumnNr(),
                    "",
                    e);
        }
        if (root == null || !root.isObject()) {
            throw bad("", "expected a JSON object with fields " + FIELDS);
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw bad(f, "unknown field '" + f + "'; known fields: " + FIELDS);
            }
        }
        Json.checkEnvelope(root, "tiny scaler", FORMAT, 1, VERSION);
        String savedCost = text(root, "cost");
        if (!savedCost.equals(costName)) {
            throw new IllegalArgumentException("the scaler was fitted with the budget function '" + savedCost
                    + "' but is being loaded with '" + costName + "'; load it with TinyScaler.load(file, \""
                    + savedCost + "\", function)");
        }
        double savedBaseCost = number(root, "baseCost");
        NetworkSpec base;
        try {
            base = SpecJson.fromJson(object(root, "base").toString());
        } catch (JsonFormatException e) {
            throw bad("base" + (e.path() == null || e.path().isEmpty() ? "" : "." + e.path()), e.getMessage());
        }
        TinyScaler.Builder b = TinyScaler.builder(base)
                .rules(value(root, "rules", Scaling.Rules.class))
                .compound(value(root, "compound", CompoundCoefficients.class))
                .ranges(value(root, "ranges", SamplingRanges.class));
        try {
            b.tolerance(number(root, "tolerance")).topFraction(number(root, "topFraction"));
        } catch (IllegalArgumentException e) {
            throw bad("tolerance", e.getMessage());
        }
        if (cost != null) {
            b.cost(costName, cost);
        }
        SamplingRanges ranges = value(root, "ranges", SamplingRanges.class);
        JsonNode f = root.get("formula");
        if (f == null) {
            throw bad("formula", "missing field 'formula' (null for a scaler without a fitted formula)");
        }
        if (!f.isNull()) {
            if (!f.isObject()) {
                throw bad("formula", "formula must be an object or null");
            }
            String input = text(f, "input", "formula.input");
            if (!"ln(c)".equals(input)) {
                throw bad("formula.input", "input '" + input + "' is not supported; expected 'ln(c)'");
            }
            b.formula(new TinyFormula(gp(f, "resolution"), gp(f, "depth"), ranges));
        }
        TinyScaler s = b.build();
        double rel = Math.abs(s.baseCost() - savedBaseCost) / savedBaseCost;
        if (!(rel <= 1e-9 || (!TinyScaler.MACS.equals(costName) && rel <= s.tolerance()))) {
            throw bad(
                    "baseCost",
                    "the base network costs " + s.baseCost() + " under '" + costName + "' now but " + savedBaseCost
                            + " when the scaler was fitted; refit the scaler");
        }
        return s;
    }

    private static GaussianProcess gp(JsonNode formula, String name) {
        String path = "formula." + name;
        JsonNode n = formula.get(name);
        if (n == null || !n.isObject()) {
            throw bad(path, "missing object '" + name + "' with fields kernel, x, y");
        }
        RbfKernel k = value(n, "kernel", RbfKernel.class, path + ".kernel");
        double[] x = numbers(n, "x", path + ".x");
        double[] y = numbers(n, "y", path + ".y");
        try {
            return GaussianProcess.withKernel(x, y, k);
        } catch (IllegalArgumentException e) {
            throw bad(path, e.getMessage());
        }
    }

    private static double[] numbers(JsonNode n, String field, String path) {
        JsonNode a = n.get(field);
        if (a == null || !a.isArray()) {
            throw bad(path, "missing array of numbers '" + field + "'");
        }
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            if (!a.get(i).isNumber()) {
                throw bad(path + "[" + i + "]", "value " + a.get(i) + " is not a number");
            }
            out[i] = a.get(i).asDouble();
        }
        return out;
    }

    private static JsonNode tree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot re-read a network document: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode object(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.isObject()) {
            throw bad(field, "missing object '" + field + "'");
        }
        return n;
    }

    private static String text(JsonNode root, String field) {
        return text(root, field, field);
    }

    private static String text(JsonNode root, String field, String path) {
        JsonNode n = root.get(field);
        if (n == null || !n.isTextual()) {
            throw bad(path, "missing text field '" + field + "'");
        }
        return n.asText();
    }

    private static double number(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.isNumber()) {
            throw bad(field, "missing number field '" + field + "'");
        }
        return n.asDouble();
    }

    private static <T> T value(JsonNode root, String field, Class<T> type) {
        return value(root, field, type, field);
    }

    private static <T> T value(JsonNode root, String field, Class<T> type, String path) {
        JsonNode n = root.get(field);
        if (n == null || !n.isObject()) {
            throw bad(path, "missing object '" + field + "'");
        }
        try {
            return Json.mapper().treeToValue(n, type);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            String msg = cause == e ? e.getOriginalMessage() : cause.getMessage();
            throw new JsonFormatException(msg, 0, 0, path, e);
        } catch (IllegalArgumentException e) {
            throw new JsonFormatException(e.getMessage(), 0, 0, path, e);
        }
    }

    private static JsonFormatException bad(String path, String problem) {
        return new JsonFormatException(problem, 0, 0, path, null);
    }
}
