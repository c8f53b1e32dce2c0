package org.mobilenas.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.TestSpecs;

class SpecJsonTest {
    @Test
    void roundTripsExactly() {
        NetworkSpec s = TestSpecs.everyKind();
        String json = SpecJson.toJson(s);
        assertThat(json).contains("\"format\" : \"mobile-nas/network\"").contains("\"type\" : \"shuffle_v2\"");
        NetworkSpec back = SpecJson.fromJson(json);
        assertThat(back).isEqualTo(s);
        assertThat(SpecJson.toJson(back)).isEqualTo(json);
    }

    @Test
    void invalidValueReportsLineColumnPathAndReason() {
        String json = SpecJson.toJson(TestSpecs.everyKind()).replaceFirst("\"kernel\" : 5", "\"kernel\" : 4");
        assertThatThrownBy(() -> SpecJson.fromJson(json))
                .isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("at network.stages[1].blocks[0]")
                .hasMessageContaining("mbconv.kernel 4 not in [1, 3, 5, 7]")
                .satisfies(e -> assertThat(((JsonFormatException) e).line()).isGreaterThan(1));
    }

    @Test
    void unknownFieldIsNamed() {
        String json =
                SpecJson.toJson(TestSpecs.everyKind()).replaceFirst("\"stride\" : 1", "\"stride\" : 1, \"strid\" : 1");
        assertThatThrownBy(() -> SpecJson.fromJson(json))
                .isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("unknown field 'strid'")
                .hasMessageContaining("network.stem[0]");
    }

    @Test
    void wrongTypeAndSyntaxErrorsCarryTheirLocation() {
        String json = SpecJson.toJson(TestSpecs.everyKind()).replaceFirst("\"out\" : 16", "\"out\" : \"sixteen\"");
        assertThatThrownBy(() -> SpecJson.fromJson(json))
                .isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("network.stem[0].out");
        JsonFormatException broken =
                (JsonFormatException) org.assertj.core.api.Assertions.catchThrowable(() -> SpecJson.fromJson(
                        "{\n  \"format\": \"mobile-nas/network\",\n  \"version\": 1,\n  \"network\": {,}\n}"));
        assertThat(broken.line()).isEqualTo(4);
        assertThat(broken.column()).isPositive();
    }

    @Test
    void missingValueAndBadEnumAreExplained() {
        String missing = SpecJson.toJson(TestSpecs.everyKind()).replaceFirst("\"stride\" : 1,", "");
        assertThatThrownBy(() -> SpecJson.fromJson(missing))
                .hasMessageContaining("network.stem[0].stride")
                .hasMessageContaining("missing value (expected int)");
        String badEnum = SpecJson.toJson(TestSpecs.everyKind()).replaceFirst("\"RELU6\"", "\"RELU7\"");
        assertThatThrownBy(() -> SpecJson.fromJson(badEnum))
                .hasMessageContaining("value RELU7 is not a valid Activation (expected one of [NONE, RELU, RELU6");
    }

    @Test
    void unknownBlockTypeListsTheKnownOnes() {
        String json =
                SpecJson.toJson(TestSpecs.everyKind()).replaceFirst("\"type\" : \"pool\"", "\"type\" : \"poool\"");
        assertThatThrownBy(() -> SpecJson.fromJson(json))
                .hasMessageContaining("'poool'")
                .hasMessageContaining("mbconv");
    }

    @Test
    void envelopeIsChecked() {
        assertThatThrownBy(() -> SpecJson.fromJson("{\"format\":\"other\",\"version\":1,\"network\":{}}"))
                .hasMessageContaining("network spec: format 'other', expected 'mobile-nas/network'");
        assertThatThrownBy(() -> SpecJson.fromJson("{\"format\":\"mobile-nas/network\",\"version\":7,\"network\":{}}"))
                .hasMessageContaining("version 7, expected 1 ");
        assertThatThrownBy(() -> SpecJson.fromJson("  ")).hasMessageContaining("empty document");
    }

    @Test
    void invalidNetworkStructureIsReportedWithTheBlock() {
        String json = SpecJson.toJson(TestSpecs.everyKind()).replaceFirst("\"out\" : 24", "\"out\" : 20");
        assertThatThrownBy(() -> SpecJson.fromJson(json))
                .isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("stages[1].blocks[0]");
    }

    @Test
    void numbersAreNeverCoercedIntoOtherMeanings() {
        String json = SpecJson.toJson(TestSpecs.everyKind());
        String fractional = json.replaceFirst("\"out\" : (\\d+)", "\"out\" : $1.7");
        assertThat(fractional).isNotEqualTo(json);
        assertThatThrownBy(() -> SpecJson.fromJson(fractional))
                .isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("out");
        String numericEnum = json.replaceFirst("\"activation\" : \"[A-Za-z0-9_]+\"", "\"activation\" : 3");
        assertThat(numericEnum).isNotEqualTo(json);
        assertThatThrownBy(() -> SpecJson.fromJson(numericEnum))
                .isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("activation");
        String version = json.replaceFirst("\"version\" : 1", "\"version\" : 1.5");
        assertThatThrownBy(() -> SpecJson.fromJson(version))
                .isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("version 1.5, expected 1 ");
    }
}
